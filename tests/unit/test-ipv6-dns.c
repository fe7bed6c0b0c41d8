/* Nameservers and domains learned from router advertisements: kept for
 * their lifetimes, withdrawn by a zero lifetime, gone when IPv6 goes. */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <ell/ell.h>

#include "check.h"
#include "ipv6-dns.h"
#include "nd-options.h"

static int changes;

static void changed(void *data)
{
	changes++;
}

static struct nd_dns_info servers(const char *a, const char *b, uint32_t lifetime)
{
	struct nd_dns_info info;

	memset(&info, 0, sizeof(info));
	inet_pton(AF_INET6, a, &info.servers[info.n_servers]);
	info.server_lifetime[info.n_servers++] = lifetime;
	if (b) {
		inet_pton(AF_INET6, b, &info.servers[info.n_servers]);
		info.server_lifetime[info.n_servers++] = lifetime;
	}
	return info;
}

static void test_add_refresh_withdraw(void)
{
	struct ipv6_dns *dns = ipv6_dns_new(changed, NULL);
	struct nd_dns_info info = servers("fe80::1", "2001:db8::53", 600);
	char **list;

	changes = 0;
	ipv6_dns_update(dns, "eth0", &info);
	list = ipv6_dns_servers(dns);
	CHECK(list && l_strv_length(list) == 2);
	CHECK_STR(list ? list[0] : NULL, "fe80::1%eth0");
	CHECK_STR(list ? list[1] : NULL, "2001:db8::53");
	CHECK_INT(changes, 1);
	ipv6_dns_update(dns, "eth0", &info);	/* a refresh is no change */
	CHECK_INT(changes, 1);
	info = servers("2001:db8::53", NULL, 0);
	ipv6_dns_update(dns, "eth0", &info);
	CHECK_INT(changes, 2);
	list = ipv6_dns_servers(dns);
	CHECK(list && l_strv_length(list) == 1);
	info = servers("ff02::1", "::1", 600);	/* nothing a router may name */
	ipv6_dns_update(dns, "eth0", &info);
	CHECK_INT(l_strv_length(ipv6_dns_servers(dns)), 1);
	ipv6_dns_clear(dns);
	CHECK(!ipv6_dns_servers(dns));
	CHECK_INT(changes, 3);
	ipv6_dns_free(dns);
}

static void test_domains(void)
{
	struct ipv6_dns *dns = ipv6_dns_new(changed, NULL);
	struct nd_dns_info info;

	memset(&info, 0, sizeof(info));
	strcpy(info.domains[0], "lab.example");
	info.domain_lifetime[0] = 0xffffffff;	/* infinite */
	info.n_domains = 1;
	ipv6_dns_update(dns, "eth0", &info);
	CHECK_STR(ipv6_dns_domains(dns) ? ipv6_dns_domains(dns)[0] : NULL, "lab.example");
	ipv6_dns_free(dns);
}

static void quit_soon(struct l_timeout *timeout, void *data)
{
	*(bool *)data = true;
}

/* A one-second lifetime runs out on the main loop. */
static void test_expiry(void)
{
	struct ipv6_dns *dns = ipv6_dns_new(changed, NULL);
	struct nd_dns_info info = servers("2001:db8::1", NULL, 1);
	bool deadline = false;
	struct l_timeout *limit = l_timeout_create(5, quit_soon, &deadline, NULL);

	changes = 0;
	ipv6_dns_update(dns, "eth0", &info);
	CHECK_INT(changes, 1);
	while (changes < 2 && !deadline)
		l_main_iterate(-1);
	CHECK_INT(changes, 2);
	CHECK(!ipv6_dns_servers(dns));
	l_timeout_remove(limit);
	ipv6_dns_free(dns);
}

/* Router advertisements naming new servers one after the other (a hostile
 * router, or one that renumbers) keep at most ND_MAX_SERVERS: a newcomer
 * takes the place of the one that runs out first (RFC 8106 5.3.1), unless
 * every kept one outlives it. */
static void test_bounded(void)
{
	struct ipv6_dns *dns = ipv6_dns_new(changed, NULL);
	struct nd_dns_info info;
	char text[64];
	unsigned int over = 0;

	for (unsigned int i = 0; i < 1000; i++) {
		snprintf(text, sizeof(text), "2001:db8::%x", i + 1);
		info = servers(text, NULL, 600 + i);
		over += ipv6_dns_update(dns, "eth0", &info);
	}
	CHECK_INT(l_strv_length(ipv6_dns_servers(dns)), ND_MAX_SERVERS);
	CHECK_INT(over, 1000 - ND_MAX_SERVERS);
	CHECK(l_strv_contains(ipv6_dns_servers(dns), "2001:db8::3e8"));
	info = servers("2001:db8::53", NULL, 10);	/* shorter than every kept one */
	CHECK_INT(ipv6_dns_update(dns, "eth0", &info), 1);
	CHECK(!l_strv_contains(ipv6_dns_servers(dns), "2001:db8::53"));
	memset(&info, 0, sizeof(info));
	for (unsigned int i = 0; i < 100; i++) {
		snprintf(info.domains[0], sizeof(info.domains[0]), "d%u.lab", i);
		info.domain_lifetime[0] = 600;
		info.n_domains = 1;
		ipv6_dns_update(dns, "eth0", &info);
	}
	CHECK_INT(l_strv_length(ipv6_dns_domains(dns)), ND_MAX_DOMAINS);
	ipv6_dns_free(dns);
}

int main(void)
{
	if (!l_main_init())
		return 1;
	test_add_refresh_withdraw();
	test_domains();
	test_expiry();
	test_bounded();
	l_main_exit();
	CHECK_DONE();
}
