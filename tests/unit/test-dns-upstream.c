/* The DNS proxy never forwards to itself: loopback, unspecified and
 * multicast servers, and servers that are one of our own addresses (in any
 * spelling), are left out. */
#include <ell/ell.h>

#include "check.h"
#include "dns-upstream.h"

static void test_allowed(void)
{
	static const char *const refused[] = {
		"127.0.0.1", "127.1.2.3", "0.0.0.0", "224.0.0.251", "255.255.255.255",
		"240.0.0.1", "::1", "::", "ff02::fb", "::ffff:127.0.0.1", "10.9.0.20",
		"2001:db8::20", "2001:0db8:0:0::20", "::ffff:10.9.0.20", "192.168.7.1",
		"dns.example", "", "10.9.0.1%eth0",
	};
	static const char *const allowed[] = {
		"10.9.0.1", "8.8.8.8", "2001:db8::1", "fe80::1%eth0", "::ffff:10.9.0.1",
	};
	char *own[] = { "10.9.0.20", "2001:db8::20", "192.168.7.1", NULL };

	for (unsigned int i = 0; i < L_ARRAY_SIZE(refused); i++)
		if (dns_upstream_allowed(refused[i], own)) {
			fprintf(stderr, "allowed: %s\n", refused[i]);
			CHECK(false);
		}
	for (unsigned int i = 0; i < L_ARRAY_SIZE(allowed); i++)
		CHECK(dns_upstream_allowed(allowed[i], own));
	CHECK(dns_upstream_allowed("10.9.0.20", NULL));
	CHECK(!dns_upstream_allowed(NULL, own));
}

static void test_filter(void)
{
	char *servers[] = { "127.0.0.1", "10.9.0.1", "10.9.0.20", "::1", "127.0.0.1",
			    "2001:db8::1", NULL };
	char *own[] = { "10.9.0.20", NULL };
	char **refused = NULL;
	char **kept = dns_upstream_filter(servers, own, &refused);

	CHECK_INT(l_strv_length(kept), 2);
	CHECK_STR(kept[0], "10.9.0.1");
	CHECK_STR(kept[1], "2001:db8::1");
	CHECK_INT(l_strv_length(refused), 3);	/* once each */
	CHECK_STR(refused[0], "127.0.0.1");
	l_strv_free(kept);
	l_strv_free(refused);

	kept = dns_upstream_filter(NULL, own, NULL);
	CHECK(kept && !kept[0]);
	l_strv_free(kept);
}

int main(void)
{
	test_allowed();
	test_filter();
	CHECK_DONE();
}
