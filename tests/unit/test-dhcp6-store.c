/* What DHCPv6 keeps across restarts: the lease with the time it was saved
 * (lifetimes less the time since), the device's DUID; and the RA flags
 * that start it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <ell/ell.h>

#include "check.h"
#include "dhcp6-store.h"
#include "ra-watch.h"

static struct dhcp6_lease sample(void)
{
	struct dhcp6_lease l = {
		.n_addrs = 3, .t1 = 100, .t2 = 160, .n_dns = 2, .n_ntp = 1, .n_domains = 2,
		.server_id = { .len = 4, .data = { 0, 2, 0xab, 0xcd } },
		.addrs = {
			{ .preferred = 200, .valid = 300 },
			{ .preferred = 50, .valid = 60 },
			{ .preferred = DHCP6_INFINITY, .valid = DHCP6_INFINITY },
		},
		.domains = { "lab", "v6.lab" },
	};

	inet_pton(AF_INET6, "2001:db8::100", &l.addrs[0].address);
	inet_pton(AF_INET6, "2001:db8::101", &l.addrs[1].address);
	inet_pton(AF_INET6, "2001:db8::102", &l.addrs[2].address);
	inet_pton(AF_INET6, "2001:db8::53", &l.dns[0]);
	inet_pton(AF_INET6, "fe80::1", &l.dns[1]);
	inet_pton(AF_INET6, "2001:db8::7b", &l.ntp[0]);
	return l;
}

static void test_round_trip(void)
{
	struct dhcp6_lease in = sample(), out;
	struct l_settings *s = l_settings_new();
	char text[INET6_ADDRSTRLEN];

	dhcp6_lease_to_settings(&in, 1000, s);
	/* 100 s later: the second address has expired, the rest has less left. */
	CHECK_INT(dhcp6_lease_from_settings(s, 1100, &out), 2);
	CHECK_INT(out.n_addrs, 2);
	CHECK_STR(inet_ntop(AF_INET6, &out.addrs[0].address, text, sizeof(text)), "2001:db8::100");
	CHECK_INT(out.addrs[0].preferred, 100);
	CHECK_INT(out.addrs[0].valid, 200);
	CHECK_STR(inet_ntop(AF_INET6, &out.addrs[1].address, text, sizeof(text)), "2001:db8::102");
	CHECK_INT(out.addrs[1].valid, DHCP6_INFINITY);
	CHECK_INT(out.t1, 0);
	CHECK_INT(out.t2, 60);
	CHECK_INT(out.server_id.len, 4);
	CHECK_INT(out.server_id.data[3], 0xcd);
	CHECK_INT(out.n_dns, 2);
	CHECK_STR(inet_ntop(AF_INET6, &out.dns[1], text, sizeof(text)), "fe80::1");
	CHECK_INT(out.n_ntp, 1);
	CHECK_INT(out.n_domains, 2);
	CHECK_STR(out.domains[1], "v6.lab");
	/* A clock that went back takes nothing off. */
	CHECK_INT(dhcp6_lease_from_settings(s, 500, &out), 3);
	CHECK_INT(out.addrs[0].valid, 300);
	CHECK_INT(out.t1, 100);
	/* Everything expired but the infinite one. */
	CHECK_INT(dhcp6_lease_from_settings(s, 1000000, &out), 1);
	l_settings_free(s);
}

/* The delegated prefix is kept, its lifetimes counted down, and dropped
 * when it has run out. */
static void test_prefix(void)
{
	struct dhcp6_lease in = sample(), out;
	struct l_settings *s = l_settings_new();
	char text[INET6_ADDRSTRLEN];
	char *value;

	in.n_addrs = 0;
	in.has_prefix = true;
	in.prefix = (struct dhcp6_prefix){ .len = 56, .preferred = 3600, .valid = 7200 };
	inet_pton(AF_INET6, "2001:db8:1200::", &in.prefix.prefix);
	dhcp6_lease_to_settings(&in, 1000, s);
	value = l_settings_get_string(s, "DHCPv6", "Prefix");
	CHECK_STR(value, "2001:db8:1200::/56,3600,7200");
	l_free(value);
	CHECK_INT(dhcp6_lease_from_settings(s, 1200, &out), 1);
	CHECK(out.has_prefix);
	CHECK_STR(inet_ntop(AF_INET6, &out.prefix.prefix, text, sizeof(text)), "2001:db8:1200::");
	CHECK_INT(out.prefix.len, 56);
	CHECK_INT(out.prefix.preferred, 3400);
	CHECK_INT(out.prefix.valid, 7000);
	CHECK_INT(dhcp6_lease_from_settings(s, 9000, &out), 0);
	CHECK(!out.has_prefix);
	l_settings_free(s);
}

static void test_malformed(void)
{
	static const char *const bad[] = {
		"Address0=2001:db8::1,300,200",		/* preferred > valid */
		"Address0=not-an-address,1,2",
		"Address0=2001:db8::1,1",
		"Address0=2001:db8::1,1,99999999999",
		"Nameservers=2001:db8::1,x",
		"Nameservers=::1,::2,::3,::4,::5",	/* more than the client keeps */
		"Domains=a b",
		"ServerID=zz",
		"T1=-1",
		"Prefix=2001:db8:1200::/65,1,2",	/* a /64 would not fit */
		"Prefix=2001:db8:1200::/0,1,2",
		"Prefix=2001:db8:1200::1/56,1,2",	/* host bits */
		"Prefix=2001:db8:1200::/56,3,2",
		"Prefix=2001:db8:1200::,1,2",
		"Prefix=::/8,1,2",
	};
	struct dhcp6_lease in = sample(), out;

	for (unsigned int i = 0; i < L_ARRAY_SIZE(bad); i++) {
		struct l_settings *s = l_settings_new();
		const char *eq = strchr(bad[i], '=');
		char key[32];

		dhcp6_lease_to_settings(&in, 1000, s);
		memcpy(key, bad[i], eq - bad[i]);
		key[eq - bad[i]] = 0;
		l_settings_set_value(s, "DHCPv6", key, eq + 1);
		out.n_addrs = 77;
		CHECK_INT(dhcp6_lease_from_settings(s, 1000, &out), -EINVAL);
		CHECK_INT(out.n_addrs, 77);	/* untouched */
		l_settings_free(s);
	}
}

static void test_duid(void)
{
	char dir[] = "/tmp/connd-test-dhcp6.XXXXXX";
	const uint8_t mac[6] = { 2, 0, 0, 0, 0, 7 }, other[6] = { 2, 0, 0, 0, 0, 8 };
	struct dhcp6_duid a, b;
	struct dhcp6_lease lease = sample(), back;
	char *path;

	CHECK(mkdtemp(dir) != NULL);
	CHECK_INT(dhcp6_store_duid(dir, mac, &a), 0);
	CHECK_INT(a.len, 10);
	CHECK_INT(a.data[9], 7);
	/* Kept: another link's MAC does not change the device's identity. */
	CHECK_INT(dhcp6_store_duid(dir, other, &b), 1);
	CHECK(dhcp6_duid_equal(&a, &b));
	path = l_strdup_printf("%s/dhcp6-duid", dir);
	CHECK(truncate(path, 5) == 0);
	CHECK_INT(dhcp6_store_duid(dir, other, &b), 0);	/* unreadable: made anew */
	CHECK_INT(b.data[9], 8);
	unlink(path);
	l_free(path);

	CHECK_INT(dhcp6_store_load_lease(dir, "svc", &back), -ENOENT);
	CHECK_INT(dhcp6_store_save_lease(dir, "svc", &lease), 0);
	CHECK(dhcp6_store_load_lease(dir, "svc", &back) >= 2);
	dhcp6_store_forget_lease(dir, "svc");
	CHECK_INT(dhcp6_store_load_lease(dir, "svc", &back), -ENOENT);
	CHECK(rmdir(dir) == 0);
}

static void test_ra_flags(void)
{
	uint8_t ra[16] = { 134, 0, 0, 0, 64, 0xc0, 0x07, 0x08 };
	struct ra_info info;

	CHECK_INT(ra_parse(ra, sizeof(ra), &info), 0);
	CHECK(info.managed && info.other);
	CHECK_INT(info.router_lifetime, 0x0708);
	ra[5] = 0x40;
	CHECK_INT(ra_parse(ra, sizeof(ra), &info), 0);
	CHECK(!info.managed && info.other);
	ra[5] = 0x3f;	/* other bits (H, Prf, proxy) mean neither */
	CHECK_INT(ra_parse(ra, sizeof(ra), &info), 0);
	CHECK(!info.managed && !info.other);
	CHECK_INT(ra_parse(ra, 15, &info), -EBADMSG);
	ra[1] = 1;	/* code must be 0 */
	CHECK_INT(ra_parse(ra, sizeof(ra), &info), -EBADMSG);
	ra[1] = 0;
	ra[0] = 133;	/* a solicitation */
	CHECK_INT(ra_parse(ra, sizeof(ra), &info), -EBADMSG);
}

int main(void)
{
	test_round_trip();
	test_prefix();
	test_malformed();
	test_duid();
	test_ra_flags();
	CHECK_DONE();
}
