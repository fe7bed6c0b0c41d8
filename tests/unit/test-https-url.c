/* The Captive Portal API's URL: host, port, request target. */
#include <errno.h>
#include <string.h>

#include "check.h"
#include "https-url.h"

static void test_good(void)
{
	struct https_url u;

	CHECK_INT(https_url_parse("https://portal.example/api/v1?x=1#frag", &u), 0);
	CHECK_STR(u.host, "portal.example");
	CHECK_INT(u.port, 443);
	CHECK_STR(u.target, "/api/v1?x=1");
	CHECK_INT(https_url_parse("HTTPS://10.0.0.1:8443", &u), 0);
	CHECK_STR(u.host, "10.0.0.1");
	CHECK_INT(u.port, 8443);
	CHECK_STR(u.target, "/");
	CHECK_INT(https_url_parse("https://[2001:db8::1]:444/c", &u), 0);
	CHECK_STR(u.host, "2001:db8::1");
	CHECK_INT(u.port, 444);
	CHECK_STR(u.target, "/c");
	CHECK_INT(https_url_parse("https://[fe80::1]?q", &u), 0);
	CHECK_STR(u.host, "fe80::1");
	CHECK_STR(u.target, "/?q");
}

static void test_bad(void)
{
	static const char *const bad[] = {
		"https://", "https:///x", "https://a:0/", "https://a:65536/", "https://a:/",
		"https://a:1x/", "https://user@a/", "https://[::1/", "https://[::1]x/",
		"https://a b/", "https://a/\x01", "portal.example", "https://[]/",
	};
	struct https_url u;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_INT(https_url_parse(bad[i], &u), -EINVAL);
	CHECK_INT(https_url_parse("http://portal.example/", &u), -EPROTONOSUPPORT);
	CHECK_INT(https_url_parse("urn:ietf:params:capport:unrestricted", &u), -EPROTONOSUPPORT);
}

int main(void)
{
	test_good();
	test_bad();
	CHECK_DONE();
}
