/* The id map: every id keeps its value through sets and removals in any
 * order, far apart or dense; a page goes with its last id and everything
 * with the last id of all; duplicates and NULL are refused. */
#include <errno.h>
#include <stdlib.h>
#include <ell/ell.h>

#include "check.h"
#include "idmap.h"

#define N 10000

static void shuffle(uint32_t *order, unsigned int n)
{
	for (unsigned int i = n - 1; i > 0; i--) {
		unsigned int j = (unsigned int)rand() % (i + 1);
		uint32_t k = order[i];

		order[i] = order[j];
		order[j] = k;
	}
}

static void test_dense_ids(void)
{
	struct idmap *m = idmap_new();
	int *values = l_new(int, N + 1);
	uint32_t *order = l_new(uint32_t, N);

	CHECK_INT(idmap_bytes(m), 0);
	for (uint32_t id = 1; id <= N; id++)
		CHECK_INT(idmap_set(m, id, &values[id]), 0);
	CHECK_INT(idmap_set(m, 77, &values[1]), -EEXIST);
	CHECK(idmap_get(m, 77) == &values[77]);
	CHECK(!idmap_get(m, 0));
	CHECK(!idmap_get(m, N + 1));
	CHECK(!idmap_get(m, 1u << 30));
	/* Dense: 8 bytes an id, a little more for the last page and the directory. */
	CHECK(idmap_bytes(m) <= N * 8 + 4096 + 32 * 16);

	srand(15);
	for (uint32_t i = 0; i < N; i++)
		order[i] = i + 1;
	shuffle(order, N);
	for (uint32_t i = 0; i < N; i++) {
		CHECK(idmap_remove(m, order[i]) == &values[order[i]]);
		CHECK(!idmap_get(m, order[i]));
		CHECK(!idmap_remove(m, order[i]));
		if (i % 997 == 0)
			for (uint32_t j = i + 1; j < N; j++)
				CHECK(idmap_get(m, order[j]) == &values[order[j]]);
	}
	/* The last id gone: no page, no directory. */
	CHECK_INT(idmap_bytes(m), 0);
	CHECK_INT(idmap_set(m, 5, &values[5]), 0);
	CHECK(idmap_get(m, 5) == &values[5]);
	idmap_free(m);
	l_free(order);
	l_free(values);
}

static void test_sparse_ids(void)
{
	struct idmap *m = idmap_new();
	int a, b, c;

	CHECK_INT(idmap_set(m, 999999, &a), 0);
	CHECK_INT(idmap_set(m, 1, &b), 0);
	CHECK_INT(idmap_set(m, 511, &c), 0);
	CHECK_INT(idmap_set(m, 512, NULL), -EINVAL);
	CHECK(!idmap_get(m, 512));
	CHECK(idmap_get(m, 999999) == &a && idmap_get(m, 1) == &b && idmap_get(m, 511) == &c);
	/* Two pages: 1 and 511 share one. */
	CHECK(idmap_bytes(m) < 2 * 4096 + 2048 * 16 + 1);
	CHECK(idmap_remove(m, 999999) == &a);
	CHECK(idmap_bytes(m) < 4096 + 2048 * 16 + 1);
	CHECK(idmap_get(m, 1) == &b && idmap_get(m, 511) == &c);
	idmap_free(m);
	idmap_free(NULL);
}

int main(void)
{
	test_dense_ids();
	test_sparse_ids();
	CHECK_DONE();
}
