/* The prefixes IPv6 tethering announces as its /64 moves: lifetimes
 * within a delegation's, a replaced /64 deprecated then left out, a /64
 * that comes back current again, the oldest dropped when full. */
#include <string.h>
#include <arpa/inet.h>

#include "check.h"
#include "tether6-ra.h"

#define S 1000000ull		/* µs per second */
#define FOREVER UINT64_MAX

static struct in6_addr net(const char *text)
{
	struct in6_addr a;

	inet_pton(AF_INET6, text, &a);
	return a;
}

static const char *prefix_of(const struct ra_content *ra, unsigned int i, char *buf)
{
	return inet_ntop(AF_INET6, &ra->prefixes[i].prefix, buf, INET6_ADDRSTRLEN);
}

static void test_current(void)
{
	struct tether6_prefixes p = { .current = net("fd12:3456:789a::"),
				      .preferred_until = FOREVER, .valid_until = FOREVER };
	struct ra_content ra = { 0 };
	char buf[INET6_ADDRSTRLEN];

	/* The ULA: RFC 9096's limits. */
	tether6_prefixes_announce(&p, 1000 * S, &ra);
	CHECK_INT(ra.n_prefixes, 1);
	CHECK_STR(prefix_of(&ra, 0, buf), "fd12:3456:789a::");
	CHECK_INT(ra.prefixes[0].len, 64);
	CHECK(ra.prefixes[0].on_link && ra.prefixes[0].autonomous);
	CHECK_INT(ra.prefixes[0].preferred, TETHER6_PREFERRED_S);
	CHECK_INT(ra.prefixes[0].valid, TETHER6_VALID_S);

	/* A delegation with less left: its own lifetimes. */
	tether6_prefixes_move(&p, &p.current, 1000 * S + 600 * S, 1000 * S + 900 * S, 1000 * S);
	tether6_prefixes_announce(&p, 1000 * S, &ra);
	CHECK_INT(ra.n_prefixes, 1);	/* the same /64: nothing retired */
	CHECK_INT(ra.prefixes[0].preferred, 600);
	CHECK_INT(ra.prefixes[0].valid, 900);
	/* Past them: 0, never an underflow. */
	tether6_prefixes_announce(&p, 5000 * S, &ra);
	CHECK_INT(ra.prefixes[0].preferred, 0);
	CHECK_INT(ra.prefixes[0].valid, 0);
}

static void test_move(void)
{
	struct tether6_prefixes p = { .current = net("fd12:3456:789a::"),
				      .preferred_until = FOREVER, .valid_until = FOREVER };
	struct in6_addr delegated = net("2001:db8:1:1::"), other = net("2001:db8:2:1::");
	struct ra_content ra = { 0 };
	char buf[INET6_ADDRSTRLEN];
	uint64_t next;

	/* A delegation comes: the ULA is deprecated for TETHER6_OLD_VALID_S. */
	tether6_prefixes_move(&p, &delegated, FOREVER, FOREVER, 100 * S);
	tether6_prefixes_announce(&p, 100 * S, &ra);
	CHECK_INT(ra.n_prefixes, 2);
	CHECK_STR(prefix_of(&ra, 0, buf), "2001:db8:1:1::");
	CHECK_STR(prefix_of(&ra, 1, buf), "fd12:3456:789a::");
	CHECK_INT(ra.prefixes[1].preferred, 0);
	CHECK_INT(ra.prefixes[1].valid, TETHER6_OLD_VALID_S);
	tether6_prefixes_announce(&p, 150 * S, &ra);
	CHECK_INT(ra.prefixes[1].valid, TETHER6_OLD_VALID_S - 50);
	CHECK(!tether6_prefixes_expire(&p, 150 * S, &next));
	CHECK(next == 100 * S + TETHER6_OLD_VALID_S * S);
	/* Its time runs out: left out. */
	CHECK(tether6_prefixes_expire(&p, next, &next));
	CHECK(next == FOREVER);
	tether6_prefixes_announce(&p, 300 * S, &ra);
	CHECK_INT(ra.n_prefixes, 1);

	/* Failover to another uplink's prefix, then back before the first
	 * ran out: the one that comes back is current, not deprecated too. */
	tether6_prefixes_move(&p, &other, FOREVER, FOREVER, 400 * S);
	tether6_prefixes_move(&p, &delegated, FOREVER, FOREVER, 410 * S);
	tether6_prefixes_announce(&p, 410 * S, &ra);
	CHECK_INT(ra.n_prefixes, 2);
	CHECK_STR(prefix_of(&ra, 0, buf), "2001:db8:1:1::");
	CHECK_STR(prefix_of(&ra, 1, buf), "2001:db8:2:1::");
	CHECK_INT(ra.prefixes[0].preferred, TETHER6_PREFERRED_S);
	CHECK_INT(ra.prefixes[1].preferred, 0);
}

/* A retired delegation is never announced valid past its own end. */
static void test_old_within_delegation(void)
{
	struct tether6_prefixes p = { .current = net("2001:db8:1:1::"),
				      .preferred_until = 100 * S, .valid_until = 130 * S };
	struct in6_addr ula = net("fd12:3456:789a::");
	struct ra_content ra = { 0 };

	tether6_prefixes_move(&p, &ula, FOREVER, FOREVER, 100 * S);
	tether6_prefixes_announce(&p, 100 * S, &ra);
	CHECK_INT(ra.n_prefixes, 2);
	CHECK_INT(ra.prefixes[1].valid, 30);
}

static void test_full(void)
{
	struct tether6_prefixes p = { .current = net("2001:db8:0:1::"),
				      .preferred_until = FOREVER, .valid_until = FOREVER };
	struct ra_content ra = { 0 };
	char buf[INET6_ADDRSTRLEN], text[32];

	for (unsigned int i = 1; i <= TETHER6_MAX_OLD + 2; i++) {
		struct in6_addr next;

		snprintf(text, sizeof(text), "2001:db8:%u:1::", i);
		next = net(text);
		tether6_prefixes_move(&p, &next, FOREVER, FOREVER, i * S);
	}
	tether6_prefixes_announce(&p, 10 * S, &ra);
	CHECK_INT(ra.n_prefixes, RA_MAX_PREFIXES);
	CHECK_STR(prefix_of(&ra, 0, buf), "2001:db8:5:1::");
	/* The newest old ones stay, oldest first. */
	CHECK_STR(prefix_of(&ra, 1, buf), "2001:db8:2:1::");
	CHECK_STR(prefix_of(&ra, 3, buf), "2001:db8:4:1::");
}

int main(void)
{
	test_current();
	test_move();
	test_old_within_delegation();
	test_full();
	CHECK_DONE();
}
