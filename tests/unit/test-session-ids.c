/* Session ids: lowest free first, freed ids come back, the range is bounded
 * by the mark bits and running out is an error, not a wrap. */
#include <errno.h>

#include "check.h"
#include "marks.h"
#include "session-ids.h"

static void test_lowest_first_and_reuse(void)
{
	struct session_ids *ids = session_ids_new(8);
	uint32_t id = 0;

	for (uint32_t want = 1; want <= 3; want++) {
		CHECK_INT(session_ids_take(ids, &id), 0);
		CHECK_INT(id, want);
	}
	session_ids_put(ids, 2);
	CHECK_INT(session_ids_take(ids, &id), 0);
	CHECK_INT(id, 2);
	session_ids_put(ids, 1);
	session_ids_put(ids, 3);
	CHECK_INT(session_ids_take(ids, &id), 0);
	CHECK_INT(id, 1);
	/* A free never taken, or out of range, changes nothing. */
	session_ids_put(ids, 7);
	session_ids_put(ids, 0);
	session_ids_put(ids, 9);
	CHECK_INT(session_ids_take(ids, &id), 0);
	CHECK_INT(id, 3);
	session_ids_free(ids);
}

static void test_full_then_freed(void)
{
	struct session_ids *ids = session_ids_new(4);
	uint32_t id = 0;

	for (int i = 0; i < 4; i++)
		CHECK_INT(session_ids_take(ids, &id), 0);
	CHECK_INT(id, 4);
	id = 99;
	CHECK_INT(session_ids_take(ids, &id), -ENOSPC);
	CHECK_INT(id, 99);
	session_ids_put(ids, 3);
	CHECK_INT(session_ids_take(ids, &id), 0);
	CHECK_INT(id, 3);
	session_ids_free(ids);
}

/* The whole mark range, created and destroyed more than once over: the
 * daemon ran out after 524,287 sessions in total before ids were reused. */
static void test_cycle_past_the_range(void)
{
	struct session_ids *ids = session_ids_new(MARK_SESSION_MASK);
	uint32_t id = 0, a = 0, b = 0;
	int err = 0;

	for (uint32_t i = 0; i < MARK_SESSION_MASK + 10u && !err; i++) {
		err = session_ids_take(ids, &id);
		session_ids_put(ids, id);
	}
	CHECK_INT(err, 0);
	CHECK_INT(id, 1);
	for (uint32_t i = 0; i < MARK_SESSION_MASK && !err; i++)
		err = session_ids_take(ids, &id);
	CHECK_INT(err, 0);
	CHECK_INT(id, MARK_SESSION_MASK);
	CHECK_INT(session_ids_take(ids, &a), -ENOSPC);
	session_ids_put(ids, 1000);
	CHECK_INT(session_ids_take(ids, &b), 0);
	CHECK_INT(b, 1000);
	session_ids_free(ids);
}

static void test_bounds(void)
{
	CHECK(!session_ids_new(0));
	CHECK(!session_ids_new(MARK_SESSION_MASK + 1));
	session_ids_free(NULL);
}

int main(void)
{
	test_lowest_first_and_reuse();
	test_full_then_freed();
	test_cycle_past_the_range();
	test_bounds();
	CHECK_DONE();
}
