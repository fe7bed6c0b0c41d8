/* ipv4-link against stand-ins for the DHCP client, IPv4LL and rtnetlink
 * (linked in place of the real ones): a lease or a manual address the
 * kernel refuses is never reported as bound, and the lease goes back; DHCP
 * finding no server marks the link as one without DHCP until a lease; a
 * lease in an overlapping subnet goes back, less often each time, unless
 * what it overlaps (tethering) made room. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ell/ell.h>

#include "check.h"
#include "dhcp.h"
#include "ipv4-link.h"
#include "ipv4ll.h"
#include "rtnl.h"

static struct {
	dhcp_event_cb_t cb;
	void *cb_data;
	int starts;
	int stops;
	bool released;
	int add_result;		/* what the "kernel" answers to an address add */
	int adds;
	bool ll_runs;		/* IPv4LL can start */
	struct rtnl_addr_info other;	/* an address on another link, when set */
	int claims;
	struct l_queue *events;
	struct rtnl_route4 routes[8];	/* the "kernel's" routes */
	unsigned int n_routes;
	int route_result;		/* what it answers to a route add */
} fake;

static struct dhcp_client *const the_client = (struct dhcp_client *)&fake;

struct dhcp_client *dhcp_client_new(int ifindex, const char *ifname, const uint8_t mac[6],
				    dhcp_event_cb_t cb, void *user_data)
{
	fake.cb = cb;
	fake.cb_data = user_data;
	return the_client;
}

int dhcp_client_start(struct dhcp_client *client, uint32_t requested_address)
{
	fake.starts++;
	return 0;
}

void dhcp_client_stop(struct dhcp_client *client, bool release)
{
	fake.stops++;
	fake.released = release;
}

void dhcp_client_free(struct dhcp_client *client)
{
}

int rtnl_addr4_list(struct rtnl *rtnl, struct rtnl_addr_info *out, unsigned int max)
{
	if (!fake.other.address || max < 1)
		return 0;
	out[0] = fake.other;
	return 1;
}

struct ipv4ll *ipv4ll_start(int ifindex, const uint8_t mac[6], ipv4ll_cb_t cb, void *user_data)
{
	return fake.ll_runs ? (struct ipv4ll *)&fake : NULL;
}

void ipv4ll_stop(struct ipv4ll *ll)
{
}

int rtnl_addr4_add(struct rtnl *rtnl, int ifindex, uint32_t address, uint8_t prefix_len)
{
	fake.adds++;
	return fake.add_result;
}

int rtnl_addr4_del(struct rtnl *rtnl, int ifindex, uint32_t address, uint8_t prefix_len)
{
	return 0;
}

int rtnl_route4_add(struct rtnl *rtnl, const struct rtnl_route4 *route)
{
	if (fake.route_result < 0)
		return fake.route_result;
	if (fake.n_routes == L_ARRAY_SIZE(fake.routes))
		return -ENOSPC;
	fake.routes[fake.n_routes++] = *route;
	return 0;
}

int rtnl_route4_del(struct rtnl *rtnl, const struct rtnl_route4 *route)
{
	for (unsigned int i = 0; i < fake.n_routes; i++) {
		if (fake.routes[i].dst != route->dst || fake.routes[i].dst_len != route->dst_len ||
		    fake.routes[i].gateway != route->gateway || fake.routes[i].metric != route->metric)
			continue;
		fake.routes[i] = fake.routes[--fake.n_routes];
		return 0;
	}
	return -ESRCH;
}

static bool has_route(const char *dst, uint8_t len, const char *gateway)
{
	for (unsigned int i = 0; i < fake.n_routes; i++)
		if (fake.routes[i].dst == inet_addr(dst) && fake.routes[i].dst_len == len &&
		    fake.routes[i].gateway == (gateway ? inet_addr(gateway) : 0) &&
		    fake.routes[i].ifindex == 7 && fake.routes[i].prefsrc == inet_addr("10.9.0.50"))
			return true;
	return false;
}

static void on_event(struct ipv4_link *ipc, enum ipv4_link_event event, void *user_data)
{
	l_queue_push_tail(fake.events, L_UINT_TO_PTR(event + 1));
}

static int last_event(void)
{
	return (int)L_PTR_TO_UINT(l_queue_peek_tail(fake.events)) - 1;
}

static bool same(const void *a, const void *b)
{
	return a == b;
}

static bool saw_event(enum ipv4_link_event event)
{
	return l_queue_find(fake.events, same, L_UINT_TO_PTR(event + 1)) != NULL;
}

static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 1 };

static struct ipv4_link *start(int add_result)
{
	struct ipv4_settings dhcp = { .method = IPV4_METHOD_DHCP };
	struct ipv4_link *ipc;

	l_queue_destroy(fake.events, NULL);
	memset(&fake, 0, sizeof(fake));
	fake.events = l_queue_new();
	fake.add_result = add_result;
	ipc = ipv4_link_new(NULL, 7, "up0", mac, on_event, NULL);
	CHECK_INT(ipv4_link_start(ipc, &dhcp, 0), 0);
	CHECK_INT(fake.starts, 1);
	return ipc;
}

static void bind_lease(void)
{
	struct dhcp_lease lease = {
		.address = inet_addr("10.9.0.50"), .prefix_len = 24,
		.router = inet_addr("10.9.0.1"), .server_id = inet_addr("10.9.0.1"),
		.lease_time = 120, .dns = { inet_addr("10.9.0.1") }, .n_dns = 1,
	};

	fake.cb(the_client, DHCP_EVENT_BOUND, &lease, fake.cb_data);
}

static void test_lease_bound(void)
{
	struct ipv4_link *ipc = start(0);

	bind_lease();
	CHECK_INT(fake.adds, 1);
	CHECK_INT(last_event(), IPV4_LINK_BOUND);
	CHECK_INT(ipv4_link_current(ipc)->address, inet_addr("10.9.0.50"));
	CHECK(ipv4_link_nameservers(ipc) != NULL);
	ipv4_link_free(ipc);
}

/* Defect 5a: a refused address was reported bound, with its servers. */
static void test_lease_refused(void)
{
	struct ipv4_link *ipc = start(-EPERM);

	bind_lease();
	CHECK_INT(fake.adds, 1);
	CHECK(!saw_event(IPV4_LINK_BOUND));
	CHECK_INT(last_event(), IPV4_LINK_ADD_FAILED);
	CHECK_INT(ipv4_link_current(ipc)->address, 0);
	CHECK_INT(ipv4_link_current(ipc)->gateway, 0);
	CHECK(ipv4_link_nameservers(ipc) == NULL);
	CHECK_INT(fake.stops, 1);
	CHECK(fake.released);
	ipv4_link_free(ipc);
}

/* A lease whose subnet partly overlaps another link's goes back to the
 * server; the same subnet (one LAN, two links) is taken. */
static void test_lease_overlaps(void)
{
	static const struct { const char *address; uint8_t prefix_len; bool overlaps; } cases[] = {
		{ "10.9.0.77", 24, false }, { "10.9.0.1", 16, true }, { "10.0.0.1", 8, true },
		{ "10.9.1.1", 24, false }, { "192.168.0.1", 24, false },
	};

	for (unsigned int i = 0; i < L_ARRAY_SIZE(cases); i++) {
		struct ipv4_link *ipc = start(0);

		fake.other = (struct rtnl_addr_info) {
			.ifindex = 8, .address = inet_addr(cases[i].address),
			.prefix_len = cases[i].prefix_len,
		};
		bind_lease();
		CHECK_INT(fake.stops, cases[i].overlaps);
		CHECK_INT(fake.released, cases[i].overlaps);
		CHECK_INT(fake.adds, !cases[i].overlaps);
		CHECK_INT(saw_event(IPV4_LINK_BOUND), !cases[i].overlaps);
		ipv4_link_free(ipc);
	}
}

/* Capture the log's "DHCP again in Ns" to see the waits grow. */
static unsigned int last_wait;

static void log_handler(int priority, const char *file, const char *line, const char *func,
			const char *format, va_list ap)
{
	char text[256];
	const char *again;

	vsnprintf(text, sizeof(text), format, ap);
	again = strstr(text, "DHCP again in ");
	if (again)
		last_wait = strtoul(again + strlen("DHCP again in "), NULL, 10);
}

/* Defect: every overlapping lease was declined and discovery began again
 * 10 s later, forever: each round cost the ISP's pool an address. The lease
 * goes back with a release, and the waits double up to ten minutes. */
static void test_overlap_backs_off(void)
{
	static const unsigned int waits[] = { 10, 20, 40, 80, 160, 320, 600, 600 };
	struct ipv4_link *ipc = start(0);

	l_log_set_handler(log_handler);
	fake.other = (struct rtnl_addr_info) {
		.ifindex = 8, .address = inet_addr("10.0.0.1"), .prefix_len = 8,
	};
	for (unsigned int i = 0; i < L_ARRAY_SIZE(waits); i++) {
		bind_lease();
		CHECK_INT(last_wait, waits[i]);
	}
	CHECK_INT(fake.adds, 0);
	/* A lease that fits starts the count again. */
	fake.other.address = 0;
	bind_lease();
	CHECK_INT(last_event(), IPV4_LINK_BOUND);
	fake.other.address = inet_addr("10.0.0.1");
	bind_lease();
	CHECK_INT(last_wait, 10);
	l_log_set_stderr();
	ipv4_link_free(ipc);
}

/* What gives way (tethering) moves before the lease is checked: a lease in
 * its subnet is taken, not refused. */
static void make_room(int ifindex, uint32_t address, uint8_t prefix_len, void *data)
{
	CHECK_INT(ifindex, 7);
	CHECK_INT(address, inet_addr("10.9.0.50"));
	CHECK_INT(prefix_len, 24);
	fake.claims++;
	fake.other.address = inet_addr("172.16.5.1");
}

static void test_claim_makes_room(void)
{
	struct ipv4_link *ipc = start(0);

	ipv4_link_set_claim(ipc, make_room, NULL);
	fake.other = (struct rtnl_addr_info) {
		.ifindex = 8, .address = inet_addr("10.9.0.1"), .prefix_len = 16,
	};
	bind_lease();
	CHECK_INT(fake.claims, 1);
	CHECK_INT(fake.stops, 0);
	CHECK_INT(last_event(), IPV4_LINK_BOUND);
	ipv4_link_free(ipc);
}

static void test_manual_refused(void)
{
	struct ipv4_settings manual = {
		.method = IPV4_METHOD_MANUAL, .address = inet_addr("10.9.0.7"), .prefix_len = 24,
		.gateway = inet_addr("10.9.0.1"),
	};
	struct ipv4_link *ipc = start(0);

	fake.add_result = -EINVAL;
	CHECK_INT(ipv4_link_start(ipc, &manual, 0), -EINVAL);
	CHECK(!saw_event(IPV4_LINK_BOUND));
	CHECK_INT(ipv4_link_current(ipc)->address, 0);
	fake.add_result = 0;
	CHECK_INT(ipv4_link_start(ipc, &manual, 0), 0);
	CHECK_INT(last_event(), IPV4_LINK_BOUND);
	CHECK_INT(ipv4_link_current(ipc)->address, inet_addr("10.9.0.7"));
	ipv4_link_free(ipc);
}

static void no_server(void)
{
	fake.cb(the_client, DHCP_EVENT_NO_SERVER, NULL, fake.cb_data);
}

/* Tethering bridges a link only once DHCP found no server on it. */
static void test_no_server(void)
{
	struct ipv4_link *ipc = start(0);

	CHECK(!ipv4_link_dhcp_found_no_server(ipc));
	fake.ll_runs = true;
	no_server();
	CHECK_INT(last_event(), IPV4_LINK_NO_SERVER);
	CHECK(ipv4_link_dhcp_found_no_server(ipc));
	bind_lease();
	CHECK(!ipv4_link_dhcp_found_no_server(ipc));
	ipv4_link_free(ipc);

	/* Without IPv4LL the service fails, and the link is just as free. */
	ipc = start(0);
	no_server();
	CHECK_INT(last_event(), IPV4_LINK_FAILED);
	CHECK(ipv4_link_dhcp_found_no_server(ipc));
	ipv4_link_free(ipc);
}

/* An uplink whose server went quiet is still an uplink. */
static void test_server_gone_quiet(void)
{
	struct ipv4_link *ipc = start(0);
	struct ipv4_settings dhcp = { .method = IPV4_METHOD_DHCP };

	fake.ll_runs = true;
	bind_lease();
	fake.cb(the_client, DHCP_EVENT_LOST, NULL, fake.cb_data);
	no_server();
	CHECK(!ipv4_link_dhcp_found_no_server(ipc));
	/* A new start (another cable, maybe) asks afresh. */
	CHECK_INT(ipv4_link_start(ipc, &dhcp, 0), 0);
	no_server();
	CHECK(ipv4_link_dhcp_found_no_server(ipc));
	ipv4_link_stop(ipc, false);
	CHECK(!ipv4_link_dhcp_found_no_server(ipc));
	ipv4_link_free(ipc);
}

static void classless_event(enum dhcp_event event, const char *gateway, bool third)
{
	struct dhcp_lease lease = {
		.address = inet_addr("10.9.0.50"), .prefix_len = 24,
		.router = inet_addr("10.9.0.1"), .server_id = inet_addr("10.9.0.1"),
		.lease_time = 120, .classless = true, .n_routes = third ? 3 : 2,
		.routes = {
			{ inet_addr("10.99.0.0"), 16, inet_addr(gateway) },
			{ inet_addr("172.16.5.0"), 24, 0 },
			{ inet_addr("192.168.77.0"), 24, inet_addr("10.9.0.3") },
		},
	};

	fake.cb(the_client, event, &lease, fake.cb_data);
}

/* Option 121's routes come with the lease, follow its renewals (one the
 * kernel refused is tried again) and go with it. */
static void test_classless_routes(void)
{
	struct ipv4_link *ipc = start(0);

	classless_event(DHCP_EVENT_BOUND, "10.9.0.254", false);
	CHECK_INT(fake.n_routes, 2);
	CHECK(has_route("10.99.0.0", 16, "10.9.0.254"));
	CHECK(has_route("172.16.5.0", 24, NULL));
	CHECK_INT(fake.routes[0].metric, 1024 + 7);
	classless_event(DHCP_EVENT_RENEWED, "10.9.0.253", false);
	CHECK_INT(fake.n_routes, 2);
	CHECK(has_route("10.99.0.0", 16, "10.9.0.253"));
	CHECK(!has_route("10.99.0.0", 16, "10.9.0.254"));
	CHECK(has_route("172.16.5.0", 24, NULL));
	fake.route_result = -ENETUNREACH;
	classless_event(DHCP_EVENT_RENEWED, "10.9.0.253", true);
	CHECK_INT(fake.n_routes, 2);
	fake.route_result = 0;
	classless_event(DHCP_EVENT_RENEWED, "10.9.0.253", true);
	CHECK_INT(fake.n_routes, 3);
	CHECK(has_route("192.168.77.0", 24, "10.9.0.3"));
	fake.cb(the_client, DHCP_EVENT_LOST, NULL, fake.cb_data);
	CHECK_INT(fake.n_routes, 0);
	classless_event(DHCP_EVENT_BOUND, "10.9.0.254", false);
	CHECK_INT(fake.n_routes, 2);
	ipv4_link_stop(ipc, false);
	CHECK_INT(fake.n_routes, 0);
	ipv4_link_free(ipc);
}

int main(void)
{
	l_main_init();
	test_lease_bound();
	test_lease_refused();
	test_lease_overlaps();
	test_overlap_backs_off();
	test_claim_makes_room();
	test_manual_refused();
	test_no_server();
	test_server_gone_quiet();
	test_classless_routes();
	l_queue_destroy(fake.events, NULL);
	l_main_exit();
	CHECK_DONE();
}
