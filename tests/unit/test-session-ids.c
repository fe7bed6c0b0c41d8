/* Session ids: lowest free first, freed ids come back, the range is bounded
 * by the mark bits and running out is an error, not a wrap; each id names
 * one object path and each path at most one id. */
#include <errno.h>
#include <string.h>

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

/* The bitmap grows with the ids taken: a free beyond what it holds yet
 * (never taken) changes nothing, and ids past a growth keep their order. */
static void test_grows_with_ids(void)
{
	struct session_ids *ids = session_ids_new(MARK_SESSION_MASK);
	uint32_t id = 0;

	session_ids_put(ids, MARK_SESSION_MASK);
	session_ids_put(ids, 300);
	for (uint32_t want = 1; want <= 1000; want++) {
		CHECK_INT(session_ids_take(ids, &id), 0);
		if (id != want)
			break;
	}
	CHECK_INT(id, 1000);
	session_ids_put(ids, 5);
	session_ids_put(ids, 700);
	CHECK_INT(session_ids_take(ids, &id), 0);
	CHECK_INT(id, 5);
	CHECK_INT(session_ids_take(ids, &id), 0);
	CHECK_INT(id, 700);
	CHECK_INT(session_ids_take(ids, &id), 0);
	CHECK_INT(id, 1001);
	session_ids_free(ids);
}

static void test_bounds(void)
{
	CHECK(!session_ids_new(0));
	CHECK(!session_ids_new(MARK_SESSION_MASK + 1));
	session_ids_free(NULL);
}

/* Two digits per element: no node of ELL's object tree gets more than 100
 * children, the first element 53 at most. */
static void test_paths(void)
{
	char path[SESSION_PATH_MAX];

	CHECK_INT(session_id_path(12345, path, sizeof(path)), strlen("/sessions/01/23/45"));
	CHECK_STR(path, "/sessions/01/23/45");
	session_id_path(7, path, sizeof(path));
	CHECK_STR(path, "/sessions/00/00/07");
	session_id_path(MARK_SESSION_MASK, path, sizeof(path));
	CHECK_STR(path, "/sessions/52/42/87");
	for (uint32_t id = 1; id <= MARK_SESSION_MASK; id += 997) {
		session_id_path(id, path, sizeof(path));
		CHECK_INT(session_path_id(path), id);
	}
	CHECK_INT(session_path_id("/sessions/52/42/87"), MARK_SESSION_MASK);
	/* Anything but the exact shape names no session. */
	CHECK_INT(session_path_id("/sessions/00/00/00"), 0);
	CHECK_INT(session_path_id("/sessions/01/23/4"), 0);
	CHECK_INT(session_path_id("/sessions/01/23/456"), 0);
	CHECK_INT(session_path_id("/sessions/01/23/45/6"), 0);
	CHECK_INT(session_path_id("/sessions/1/23/456"), 0);
	CHECK_INT(session_path_id("/sessions/01/2a/45"), 0);
	CHECK_INT(session_path_id("/sessions/_1_42/app/session"), 0);
	CHECK_INT(session_path_id("/session/01/23/45"), 0);
	CHECK_INT(session_path_id("/sessions"), 0);
	CHECK_INT(session_path_id(""), 0);
}

int main(void)
{
	test_paths();
	test_lowest_first_and_reuse();
	test_full_then_freed();
	test_cycle_past_the_range();
	test_grows_with_ids();
	test_bounds();
	CHECK_DONE();
}
