/* The tethering pool: never a subnet in use, deterministic per seed, the
 * next range when one is full. */
#include <arpa/inet.h>
#include <errno.h>

#include "check.h"
#include "ippool.h"

static struct ipv4_net net(const char *addr, uint8_t plen)
{
	struct ipv4_net n = { inet_addr(addr), plen };

	return n;
}

static void test_overlaps(void)
{
	struct ipv4_net a = net("192.168.1.0", 24), b = net("192.168.1.77", 32);
	struct ipv4_net c = net("192.168.0.0", 16), d = net("192.168.2.0", 24);

	CHECK(ipv4_net_overlaps(&a, &b));
	CHECK(ipv4_net_overlaps(&a, &c));
	CHECK(ipv4_net_overlaps(&c, &a));
	CHECK(!ipv4_net_overlaps(&a, &d));
}

static void test_pick_avoids_used(void)
{
	struct ipv4_net ranges[IPPOOL_DEFAULT_RANGES], out, used[2];

	ippool_default_ranges(ranges);
	CHECK_INT(ippool_pick(ranges, 3, NULL, 0, 0, &out), 0);
	CHECK_INT(out.address, inet_addr("192.168.0.0"));
	CHECK_INT(out.prefix_len, 24);
	/* The first choice in use (an uplink got it): the next one. */
	used[0] = net("192.168.0.10", 24);
	CHECK_INT(ippool_pick(ranges, 3, used, 1, 0, &out), 0);
	CHECK_INT(out.address, inet_addr("192.168.1.0"));
	/* A wide route covering the whole first range moves to the second. */
	used[1] = net("192.168.0.0", 16);
	CHECK_INT(ippool_pick(ranges, 3, used, 2, 0, &out), 0);
	CHECK_INT(out.address, inet_addr("172.16.0.0"));
}

static void test_seed_spreads_and_is_stable(void)
{
	struct ipv4_net ranges[IPPOOL_DEFAULT_RANGES], a, b, c;

	ippool_default_ranges(ranges);
	ippool_pick(ranges, 3, NULL, 0, 1234, &a);
	ippool_pick(ranges, 3, NULL, 0, 1234, &b);
	ippool_pick(ranges, 3, NULL, 0, 4321, &c);
	CHECK_INT(a.address, b.address);
	CHECK(a.address != c.address);
	CHECK_INT(ntohl(a.address) >> 16, 0xc0a8);
}

static void test_full(void)
{
	struct ipv4_net range = net("192.168.5.0", 24), used = net("192.168.5.1", 32), out;

	CHECK_INT(ippool_pick(&range, 1, &used, 1, 0, &out), -ENOSPC);
	CHECK_INT(ippool_pick(&range, 1, NULL, 0, 99, &out), 0);
	CHECK_INT(out.address, inet_addr("192.168.5.0"));
}

int main(void)
{
	test_overlaps();
	test_pick_avoids_used();
	test_seed_spreads_and_is_stable();
	test_full();
	CHECK_DONE();
}
