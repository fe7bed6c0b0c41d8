/* An HTTPS URL (the Captive Portal API's, a WISPr LoginURL): host, port,
 * request target; and the HTTP/1.0 request for it. */
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

/* Written as snprintf writes: the length needed, whatever fits. */
static char *request(const char *url, const char *accept, const char *form)
{
	static char buf[512];
	struct https_url u;
	int len;

	CHECK_INT(https_url_parse(url, &u), 0);
	len = https_url_request(&u, accept, "connd/1", form, NULL, 0);
	CHECK_INT(https_url_request(&u, accept, "connd/1", form, buf, sizeof(buf)), len);
	CHECK_INT(strlen(buf), len);
	return buf;
}

static void test_request(void)
{
	struct https_url u;
	char small[8];

	CHECK_STR(request("https://portal.example/api?x=1", "application/captive+json", NULL),
		  "GET /api?x=1 HTTP/1.0\r\nHost: portal.example\r\n"
		  "Accept: application/captive+json\r\nUser-Agent: connd/1\r\n"
		  "Connection: close\r\n\r\n");
	CHECK_STR(request("https://[2001:db8::1]:8443/wispr?a=1&b=2", NULL, "UserName=a&Password=b+c"),
		  "POST /wispr?a=1&b=2 HTTP/1.0\r\nHost: [2001:db8::1]:8443\r\n"
		  "User-Agent: connd/1\r\nConnection: close\r\n"
		  "Content-Type: application/x-www-form-urlencoded\r\n"
		  "Content-Length: 23\r\n\r\nUserName=a&Password=b+c");
	CHECK_STR(request("https://h:443", NULL, ""),
		  "POST / HTTP/1.0\r\nHost: h\r\nUser-Agent: connd/1\r\nConnection: close\r\n"
		  "Content-Type: application/x-www-form-urlencoded\r\n"
		  "Content-Length: 0\r\n\r\n");
	/* Too short: cut and terminated, the whole length still told. */
	CHECK_INT(https_url_parse("https://h/", &u), 0);
	CHECK_INT(https_url_request(&u, NULL, "a", NULL, small, sizeof(small)), 61);
	CHECK_STR(small, "GET / H");
}

int main(void)
{
	test_good();
	test_bad();
	test_request();
	CHECK_DONE();
}
