/* Names and excerpts of what clients send: src/names.c, src/log-excerpt.c. */
#include <string.h>

#include "check.h"
#include "log-excerpt.h"
#include "names.h"

static void test_domains(void)
{
	char long_label[70], long_name[260];

	CHECK(name_is_domain("example.com"));
	CHECK(name_is_domain("pool.ntp.org."));		/* fully qualified */
	CHECK(name_is_domain("isp.lab"));
	CHECK(name_is_domain("a-b.c_d.x9"));
	CHECK(name_is_domain("_ntp._udp.example.com"));
	CHECK(name_is_domain("localhost"));
	CHECK(!name_is_domain(""));
	CHECK(!name_is_domain("."));
	CHECK(!name_is_domain(".."));
	CHECK(!name_is_domain("x..y"));
	CHECK(!name_is_domain(".x"));
	CHECK(!name_is_domain("x.."));
	CHECK(!name_is_domain("-x"));
	CHECK(!name_is_domain("x-"));
	CHECK(!name_is_domain("a.-x.b"));
	CHECK(!name_is_domain("a b"));
	CHECK(!name_is_domain("a/b"));
	CHECK(!name_is_domain("a\nb"));

	memset(long_label, 'a', 63);
	long_label[63] = '\0';
	CHECK(name_is_domain(long_label));
	strcat(long_label, "a");
	CHECK(!name_is_domain(long_label));	/* a label of 64 */

	/* 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253 bytes: the longest name. */
	memset(long_name, 'a', sizeof(long_name));
	long_name[63] = long_name[127] = long_name[191] = '.';
	long_name[253] = '\0';
	CHECK(name_is_domain(long_name));
	long_name[253] = 'a';
	long_name[254] = '\0';
	CHECK(!name_is_domain(long_name));
}

static void test_addresses(void)
{
	CHECK(name_is_ip_address("192.0.2.1"));
	CHECK(name_is_ip_address("2001:db8::1"));
	CHECK(!name_is_ip_address("192.0.2"));
	CHECK(!name_is_ip_address("example.com"));
	CHECK(!name_is_ip_address("fe80::1%eth0"));
}

/* Timeservers: addresses, link-local ones with their link, host names. */
static void test_timeservers(void)
{
	CHECK(name_is_timeserver("192.0.2.1"));
	CHECK(name_is_timeserver("2001:db8::123"));
	CHECK(name_is_timeserver("fe80::1%eth0"));
	CHECK(name_is_timeserver("fe80::1%not-there-yet"));
	CHECK(name_is_timeserver("pool.ntp.org"));
	CHECK(!name_is_timeserver("2001:db8::1%eth0"));		/* scope on a global address */
	CHECK(!name_is_timeserver("fe80::1%"));
	CHECK(!name_is_timeserver("fe80::1%a/b"));
	CHECK(!name_is_timeserver("fe80::1%eth0%eth1"));
	CHECK(!name_is_timeserver("fe80::1%a-name-too-long-for-a-link"));
	CHECK(!name_is_timeserver("%eth0"));
	CHECK(!name_is_timeserver("ntp server"));
	CHECK(!name_is_timeserver(""));
}

static void test_excerpt(void)
{
	char buf[LOG_EXCERPT_SIZE], big[60001], small[6];

	CHECK_STR(log_excerpt(buf, sizeof(buf), "/org/example/agent"), "/org/example/agent");
	CHECK_STR(log_excerpt(buf, sizeof(buf), "a\nb\\c\x1b"), "a\\x0ab\\\\c\\x1b");
	CHECK_STR(log_excerpt(buf, sizeof(buf), "\xc3\xa9"), "\\xc3\\xa9");
	CHECK_STR(log_excerpt(buf, sizeof(buf), NULL), "(null)");

	memset(big, 'p', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	log_excerpt(buf, sizeof(buf), big);
	CHECK_INT(strlen(buf), 64 + strlen("... (60000 bytes)"));
	CHECK(!strncmp(buf, big, 64));
	CHECK_STR(buf + 64, "... (60000 bytes)");

	/* Every byte escaped still fits. */
	memset(big, '\x01', 100);
	big[100] = '\0';
	log_excerpt(buf, sizeof(buf), big);
	CHECK_INT(strlen(buf), 64 * 4 + strlen("... (100 bytes)"));

	/* A short buffer is cut, never overrun, and stays a string. */
	CHECK_STR(log_excerpt(small, sizeof(small), "abc\x01xyz"), "abc");
}

int main(void)
{
	test_domains();
	test_addresses();
	test_timeservers();
	test_excerpt();
	CHECK_DONE();
}
