#include <errno.h>
#include <string.h>
#include <ell/ell.h>

#include "htable.h"

#define MIN_SLOTS 16u

struct htable {
	htable_hash_fn hash;
	htable_equal_fn equal;
	const void **keys;	/* NULL: free */
	void **values;		/* beside keys; NULL in a set, whose values are its keys */
	uint32_t mask;		/* slots - 1; slots is a power of two */
	uint32_t n;
};

static void alloc_slots(struct htable *t, uint32_t slots, bool set)
{
	t->keys = l_new(const void *, slots);
	t->values = set ? NULL : l_new(void *, slots);
	t->mask = slots - 1;
}

static struct htable *table_new(htable_hash_fn hash, htable_equal_fn equal, bool set)
{
	struct htable *t = l_new(struct htable, 1);

	t->hash = hash;
	t->equal = equal;
	alloc_slots(t, MIN_SLOTS, set);
	return t;
}

struct htable *htable_new(htable_hash_fn hash, htable_equal_fn equal)
{
	return table_new(hash, equal, false);
}

struct htable *htable_new_set(htable_hash_fn hash, htable_equal_fn equal)
{
	return table_new(hash, equal, true);
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
	l_free(t->keys);
	l_free(t->values);
	l_free(t);
}

/* The slot holding key, or the free slot where it would go. */
static uint32_t find(const struct htable *t, const void *key)
{
	uint32_t i = t->hash(key) & t->mask;

	while (t->keys[i] && !t->equal(t->keys[i], key))
		i = (i + 1) & t->mask;
	return i;
}

static void *value_at(const struct htable *t, uint32_t i)
{
	return t->values ? t->values[i] : (void *)t->keys[i];
}

static void put(struct htable *t, uint32_t i, const void *key, void *value)
{
	t->keys[i] = key;
	if (t->values)
		t->values[i] = value;
}

static void resize(struct htable *t, uint32_t slots)
{
	const void **keys = t->keys;
	void **values = t->values;
	uint32_t old_slots = t->mask + 1;

	alloc_slots(t, slots, !values);
	for (uint32_t i = 0; i < old_slots; i++)
		if (keys[i])
			put(t, find(t, keys[i]), keys[i], values ? values[i] : NULL);
	l_free(keys);
	l_free(values);
}

int htable_insert(struct htable *t, const void *key, void *value)
{
	uint32_t i = find(t, key);

	if (t->keys[i])
		return -EEXIST;
	put(t, i, key, value);
	/* At most 3/4 full: probes stay short. */
	if (++t->n * 4 > (t->mask + 1) * 3)
		resize(t, (t->mask + 1) * 2);
	return 0;
}

void *htable_lookup(const struct htable *t, const void *key)
{
	uint32_t i = find(t, key);

	return t->keys[i] ? value_at(t, i) : NULL;
}

/* Moves later entries of the probe run back into the hole, so every entry
 * stays reachable from its home slot without tombstones. */
static void close_hole(struct htable *t, uint32_t hole)
{
	uint32_t i = hole;

	for (;;) {
		uint32_t home;

		i = (i + 1) & t->mask;
		if (!t->keys[i])
			break;
		home = t->hash(t->keys[i]) & t->mask;
		/* Stays if its home lies cyclically in (hole, i]. */
		if (hole <= i ? hole < home && home <= i : hole < home || home <= i)
			continue;
		put(t, hole, t->keys[i], value_at(t, i));
		hole = i;
	}
	put(t, hole, NULL, NULL);
}

void *htable_remove(struct htable *t, const void *key)
{
	uint32_t i = find(t, key);
	void *value;

	if (!t->keys[i])
		return NULL;
	value = value_at(t, i);
	close_hole(t, i);
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
		if (t->keys[i])
			fn(t->keys[i], value_at(t, i), data);
}
