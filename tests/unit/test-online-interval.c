/* The waits between failed online checks: OnlineCheckIntervalStyle's two
 * sequences, scaled by the initial interval and capped at the maximum. */
#include <errno.h>

#include "check.h"
#include "online-interval.h"

static void check_sequence(enum online_interval_style style, unsigned int initial,
			   unsigned int max, const unsigned int *want, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		CHECK_INT(online_retry_interval(style, initial, max, i + 1), want[i]);
}

static void test_fibonacci(void)
{
	static const unsigned int defaults[] = { 1, 1, 2, 3, 5, 8, 12, 12, 12 };
	static const unsigned int scaled[] = { 2, 2, 4, 6, 10, 16, 26, 42, 60, 60 };

	check_sequence(ONLINE_INTERVAL_FIBONACCI, 1, 12, defaults, 9);
	check_sequence(ONLINE_INTERVAL_FIBONACCI, 2, 60, scaled, 10);
}

static void test_geometric(void)
{
	static const unsigned int defaults[] = { 1, 2, 4, 8, 12, 12 };
	static const unsigned int scaled[] = { 3, 6, 12, 24, 48, 96, 100 };

	check_sequence(ONLINE_INTERVAL_GEOMETRIC, 1, 12, defaults, 6);
	check_sequence(ONLINE_INTERVAL_GEOMETRIC, 3, 100, scaled, 7);
}

static void test_edges(void)
{
	/* A maximum below the initial interval wins; a long failure run stays capped. */
	CHECK_INT(online_retry_interval(ONLINE_INTERVAL_GEOMETRIC, 10, 5, 1), 5);
	CHECK_INT(online_retry_interval(ONLINE_INTERVAL_FIBONACCI, 3600, 3600, 1000000), 3600);
	CHECK_INT(online_retry_interval(ONLINE_INTERVAL_GEOMETRIC, 1, 3600, 4000000000u), 3600);
}

static void test_names(void)
{
	enum online_interval_style style = ONLINE_INTERVAL_GEOMETRIC;

	CHECK_INT(online_interval_style_parse("fibonacci", &style), 0);
	CHECK_INT(style, ONLINE_INTERVAL_FIBONACCI);
	CHECK_INT(online_interval_style_parse("geometric", &style), 0);
	CHECK_INT(style, ONLINE_INTERVAL_GEOMETRIC);
	CHECK_INT(online_interval_style_parse("linear", &style), -EINVAL);
	CHECK_INT(style, ONLINE_INTERVAL_GEOMETRIC);
}

int main(void)
{
	test_fibonacci();
	test_geometric();
	test_edges();
	test_names();
	CHECK_DONE();
}
