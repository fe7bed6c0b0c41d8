/* The timing of router advertisements: RFC 4861's intervals and the delay
 * and rate limit of solicited ones (the socket is in tests/net/ra-sender.sh). */
#include <stdint.h>

#include "check.h"
#include "ra-sender.h"

static void test_intervals(void)
{
	/* The first RAs: at most 16 s apart, whatever the random draw. */
	for (unsigned int sent = 0; sent < RA_MAX_INITIAL_ADVERTS; sent++) {
		CHECK_INT(ra_interval_ms(sent, 200000, 600000, 0), 16000);
		CHECK_INT(ra_interval_ms(sent, 200000, 600000, UINT32_MAX), 16000);
		CHECK_INT(ra_interval_ms(sent, 3000, 4000, 7), 3007);
	}
	/* Then between min and max, both ends reached. */
	CHECK_INT(ra_interval_ms(3, 200000, 600000, 0), 200000);
	CHECK_INT(ra_interval_ms(3, 200000, 600000, 400000), 600000);
	CHECK_INT(ra_interval_ms(3, 200000, 600000, 400001), 200000);
	CHECK_INT(ra_interval_ms(9, 200000, 600000, 12345), 212345);
	for (uint32_t r = 0; r < 4000000000u; r += 7777777) {
		uint32_t ms = ra_interval_ms(5, 200000, 600000, r);

		CHECK(ms >= 200000 && ms <= 600000);
	}
	CHECK_INT(ra_interval_ms(5, 4000, 4000, 99), 4000);
}

static void test_solicited(void)
{
	/* Nothing sent yet: 0..500 ms. */
	CHECK_INT(ra_solicited_delay_ms(100000, 0, 0), 0);
	CHECK_INT(ra_solicited_delay_ms(100000, 0, 500), 500);
	CHECK_INT(ra_solicited_delay_ms(100000, 0, 501), 0);
	/* Last multicast RA long ago: the random delay alone. */
	CHECK_INT(ra_solicited_delay_ms(100000, 90000, 250), 250);
	/* One second ago: not before 3 s after it. */
	CHECK_INT(ra_solicited_delay_ms(100000, 99000, 250), 2000);
	CHECK_INT(ra_solicited_delay_ms(100000, 100000, 0), 3000);
	/* 2.8 s ago: the random delay already goes past the 3 s. */
	CHECK_INT(ra_solicited_delay_ms(100000, 97200, 300), 300);
}

int main(void)
{
	test_intervals();
	test_solicited();
	CHECK_DONE();
}
