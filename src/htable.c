#include <errno.h>
#include <string.h>
#include <ell/ell.h>

#include "htable.h"

#define MIN_SLOTS 16u

struct slot {
	const void *key;	/* NULL: free */
	void *value;
};

struct htable {
	htable_hash_fn hash;
	htable_equal_fn equal;
	struct slot *slots;
	uint32_t mask;		/* slots - 1; slots is a power of two */
	uint32_t n;
};

struct htable *htable_new(htable_hash_fn hash, htable_equal_fn equal)
{
	struct htable *t = l_new(struct htable, 1);

	t->hash = hash;
	t->equal = equal;
	t->slots = l_new(struct slot, MIN_SLOTS);
	t->mask = MIN_SLOTS - 1;
	return t;
}

/* FNV-1a: short keys (paths, bus names), no seed needed, cheap. */
uint32_t htable_str_hash(const void *key)
{
	uint32_t h = 2166136261u;

	for (const unsigned char *p = key; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

static bool str_equal(const void *a, const void *b)
{
	return !strcmp(a, b);
}

/* Pointers are aligned and allocated close together: mix the bits. */
static uint32_t ptr_hash(const void *key)
{
	uint64_t x = (uintptr_t)key;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (uint32_t)x;
}

static bool ptr_equal(const void *a, const void *b)
{
	return a == b;
}

struct htable *htable_new_str(void)
{
	return htable_new(htable_str_hash, str_equal);
}

struct htable *htable_new_ptr(void)
{
	return htable_new(ptr_hash, ptr_equal);
}

void htable_free(struct htable *t)
{
	if (!t)
		return;
	l_free(t->slots);
	l_free(t);
}

/* The slot holding key, or the free slot where it would go. */
static struct slot *find(const struct htable *t, const void *key)
{
	uint32_t i = t->hash(key) & t->mask;

	while (t->slots[i].key && !t->equal(t->slots[i].key, key))
		i = (i + 1) & t->mask;
	return &t->slots[i];
}

static void resize(struct htable *t, uint32_t slots)
{
	struct slot *old = t->slots;
	uint32_t old_slots = t->mask + 1;

	t->slots = l_new(struct slot, slots);
	t->mask = slots - 1;
	for (uint32_t i = 0; i < old_slots; i++)
		if (old[i].key)
			*find(t, old[i].key) = old[i];
	l_free(old);
}

int htable_insert(struct htable *t, const void *key, void *value)
{
	struct slot *s = find(t, key);

	if (s->key)
		return -EEXIST;
	s->key = key;
	s->value = value;
	/* At most 3/4 full: probes stay short. */
	if (++t->n * 4 > (t->mask + 1) * 3)
		resize(t, (t->mask + 1) * 2);
	return 0;
}

void *htable_lookup(const struct htable *t, const void *key)
{
	return find(t, key)->value;
}

/* Moves later entries of the probe run back into the hole, so every entry
 * stays reachable from its home slot without tombstones. */
static void close_hole(struct htable *t, uint32_t hole)
{
	uint32_t i = hole;

	for (;;) {
		uint32_t home;

		i = (i + 1) & t->mask;
		if (!t->slots[i].key)
			break;
		home = t->hash(t->slots[i].key) & t->mask;
		/* Stays if its home lies cyclically in (hole, i]. */
		if (hole <= i ? hole < home && home <= i : hole < home || home <= i)
			continue;
		t->slots[hole] = t->slots[i];
		hole = i;
	}
	t->slots[hole] = (struct slot) { 0 };
}

void *htable_remove(struct htable *t, const void *key)
{
	struct slot *s = find(t, key);
	void *value = s->value;

	if (!s->key)
		return NULL;
	close_hole(t, (uint32_t)(s - t->slots));
	t->n--;
	/* At most 1/8 full: memory goes back when a crowd leaves. */
	if (t->mask + 1 > MIN_SLOTS && t->n * 8 < t->mask + 1)
		resize(t, (t->mask + 1) / 2);
	return value;
}

unsigned int htable_size(const struct htable *t)
{
	return t->n;
}

void htable_foreach(const struct htable *t, void (*fn)(const void *key, void *value, void *data),
		    void *data)
{
	for (uint32_t i = 0; i <= t->mask; i++)
		if (t->slots[i].key)
			fn(t->slots[i].key, t->slots[i].value, data);
}
