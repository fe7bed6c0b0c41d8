/* The hash table: every key stays reachable through inserts, growth,
 * removals in any order (the backward shift), wrap-around probe runs and
 * shrinking; duplicates are refused; string and pointer keys; a set finds
 * the record its fields make the key of. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <ell/ell.h>

#include "check.h"
#include "htable.h"

#define N 10000

static void count_entry(const void *key, void *value, void *data)
{
	(*(unsigned int *)data)++;
}

static unsigned int counted(const struct htable *t)
{
	unsigned int n = 0;

	htable_foreach(t, count_entry, &n);
	return n;
}

static void test_strings_grow_and_shrink(void)
{
	struct htable *t = htable_new_str();
	char (*keys)[24] = l_malloc(sizeof(*keys) * N);
	unsigned int *order = l_new(unsigned int, N);

	for (unsigned int i = 0; i < N; i++) {
		snprintf(keys[i], sizeof(keys[i]), "/sessions/_1_42/s%u", i);
		CHECK_INT(htable_insert(t, keys[i], &keys[i]), 0);
	}
	CHECK_INT(htable_size(t), N);
	CHECK_INT(counted(t), N);
	/* Another copy of a key is the same key. */
	CHECK(htable_lookup(t, "/sessions/_1_42/s77") == &keys[77]);
	CHECK_INT(htable_insert(t, "/sessions/_1_42/s77", NULL), -EEXIST);
	CHECK(htable_lookup(t, "/sessions/_1_42/s77") == &keys[77]);
	CHECK(!htable_lookup(t, "/sessions/_1_42/s10000"));

	/* Removed in a shuffled order; the others stay found all along. */
	srand(15);
	for (unsigned int i = 0; i < N; i++)
		order[i] = i;
	for (unsigned int i = N - 1; i > 0; i--) {
		unsigned int j = (unsigned int)rand() % (i + 1), k = order[i];

		order[i] = order[j];
		order[j] = k;
	}
	for (unsigned int i = 0; i < N; i++) {
		CHECK(htable_remove(t, keys[order[i]]) == &keys[order[i]]);
		CHECK(!htable_lookup(t, keys[order[i]]));
		if (i % 997 == 0)
			for (unsigned int j = i + 1; j < N; j++)
				CHECK(htable_lookup(t, keys[order[j]]) == &keys[order[j]]);
	}
	CHECK_INT(htable_size(t), 0);
	CHECK_INT(counted(t), 0);
	CHECK(!htable_remove(t, keys[0]));
	htable_free(t);
	l_free(order);
	l_free(keys);
}

static void test_pointers(void)
{
	struct htable *t = htable_new_ptr();
	int items[300];

	for (int i = 0; i < 300; i++)
		CHECK_INT(htable_insert(t, &items[i], &items[299 - i]), 0);
	for (int i = 0; i < 300; i += 2)
		CHECK(htable_remove(t, &items[i]) == &items[299 - i]);
	for (int i = 0; i < 300; i++)
		CHECK(htable_lookup(t, &items[i]) == (i % 2 ? &items[299 - i] : NULL));
	CHECK_INT(htable_size(t), 150);
	htable_free(t);
}

/* Every key in one probe run, which wraps past the end of the slots. */
static uint32_t last_slot_hash(const void *key)
{
	return 15;
}

static bool int_equal(const void *a, const void *b)
{
	return *(const int *)a == *(const int *)b;
}

static void test_one_run_wrapping(void)
{
	struct htable *t = htable_new(last_slot_hash, int_equal);
	int keys[10] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };

	for (int i = 0; i < 10; i++)
		CHECK_INT(htable_insert(t, &keys[i], &keys[i]), 0);
	for (int i = 0; i < 10; i += 3) {
		CHECK(htable_remove(t, &keys[i]) == &keys[i]);
		for (int j = 0; j < 10; j++) {
			bool present = j % 3 || j > i;

			CHECK(htable_lookup(t, &keys[j]) == (present ? &keys[j] : NULL));
		}
	}
	CHECK_INT(htable_size(t), 6);
	htable_free(t);
	htable_free(NULL);
}

static uint32_t identity_hash(const void *key)
{
	return (uint32_t)*(const int *)key;
}

/* A run across the end whose later entry is at home past the wrap (slot 0):
 * a removal before it must leave it there. */
static void test_home_past_the_wrap(void)
{
	struct htable *t = htable_new(identity_hash, int_equal);
	int keys[] = { 14, 15, 16, 32 };	/* homes 14, 15, 0, 0 of 16 slots */

	for (int i = 0; i < 4; i++)
		CHECK_INT(htable_insert(t, &keys[i], &keys[i]), 0);
	CHECK(htable_remove(t, &keys[0]) == &keys[0]);
	for (int i = 1; i < 4; i++)
		CHECK(htable_lookup(t, &keys[i]) == &keys[i]);
	CHECK(htable_remove(t, &keys[2]) == &keys[2]);
	CHECK(htable_lookup(t, &keys[3]) == &keys[3]);
	CHECK(htable_lookup(t, &keys[1]) == &keys[1]);
	htable_free(t);
}

/* Records found by a name they hold, through another record with that name. */
struct named {
	char name[16];
	int n;
};

static uint32_t named_hash(const void *key)
{
	return htable_str_hash(((const struct named *)key)->name);
}

static bool named_equal(const void *a, const void *b)
{
	return !strcmp(((const struct named *)a)->name, ((const struct named *)b)->name);
}

static void test_set(void)
{
	struct htable *t = htable_new_set(named_hash, named_equal);
	struct named *items = l_new(struct named, N), probe = { 0 };
	unsigned int n = 0;

	for (int i = 0; i < N; i++) {
		snprintf(items[i].name, sizeof(items[i].name), "/bench/s%d", i);
		items[i].n = i;
		CHECK_INT(htable_insert(t, &items[i], NULL), 0);
	}
	CHECK_INT(htable_insert(t, &items[5], NULL), -EEXIST);
	snprintf(probe.name, sizeof(probe.name), "/bench/s%d", 4321);
	CHECK(htable_lookup(t, &probe) == &items[4321]);
	for (int i = 0; i < N; i += 2)
		CHECK(htable_remove(t, &items[i]) == &items[i]);
	CHECK(!htable_lookup(t, &items[0]));
	CHECK(!htable_remove(t, &items[0]));
	for (int i = 1; i < N; i += 2)
		CHECK(htable_lookup(t, &items[i]) == &items[i]);
	htable_foreach(t, count_entry, &n);
	CHECK_INT(n, N / 2);
	CHECK_INT(htable_size(t), N / 2);
	htable_free(t);
	l_free(items);
}

int main(void)
{
	test_strings_grow_and_shrink();
	test_pointers();
	test_one_run_wrapping();
	test_home_past_the_wrap();
	test_set();
	CHECK_DONE();
}
