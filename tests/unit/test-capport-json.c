/* The Captive Portal API's JSON (RFC 8908). */
#include <errno.h>
#include <string.h>

#include "capport-json.h"
#include "check.h"

static int parse(const char *text, struct capport_info *info)
{
	return capport_json_parse(text, strlen(text), info);
}

/* RFC 8908's own examples, and every member connd reads. */
static void test_examples(void)
{
	struct capport_info info;

	CHECK_INT(parse("{\n  \"captive\": true,\n"
			"  \"user-portal-url\": \"https://example.org/portal.html\"\n}", &info), 0);
	CHECK(info.captive);
	CHECK_STR(info.user_portal_url, "https://example.org/portal.html");
	CHECK(!info.has_seconds_remaining && !info.has_bytes_remaining);

	CHECK_INT(parse("{ \"captive\": false, \"user-portal-url\": \"https://example.org/portal.html\","
			" \"venue-info-url\": \"https://flight.example.com/entertainment\","
			" \"seconds-remaining\": 326, \"can-extend-session\": true }", &info), 0);
	CHECK(!info.captive && info.can_extend_session);
	CHECK_STR(info.venue_info_url, "https://flight.example.com/entertainment");
	CHECK(info.has_seconds_remaining);
	CHECK_INT(info.seconds_remaining, 326);

	CHECK_INT(parse("{\"captive\":false,\"bytes-remaining\":65536,\"seconds-remaining\":1.9}",
			&info), 0);
	CHECK(info.has_bytes_remaining && info.bytes_remaining == 65536);
	CHECK_INT(info.seconds_remaining, 1);
}

/* Members of others, nested values, escapes: skipped or decoded. */
static void test_skipped_and_escaped(void)
{
	struct capport_info info;

	CHECK_INT(parse("{\"vendor\":{\"a\":[1,-2.5e3,\"x\\\"y\",null,{}],\"b\":[]},"
			"\"a-key-far-too-long-to-be-one-of-ours\":\"v\","
			"\"user-portal-url\":\"https:\\/\\/p.example\\/\\u0061\",\"captive\":true}",
			&info), 0);
	CHECK(info.captive);
	CHECK_STR(info.user_portal_url, "https://p.example/a");
	/* The last of two wins, as most parsers do. */
	CHECK_INT(parse("{\"captive\":true,\"captive\":false}", &info), 0);
	CHECK(!info.captive);
}

static void test_refused(void)
{
	static const char *const bad[] = {
		"", "[]", "{}", "true", "{\"captive\":1}", "{\"captive\":\"true\"}",
		"{\"captive\":true", "{\"captive\":true,}", "{\"captive\":true} x",
		"{\"captive\":null}", "{\"captive\":true,\"seconds-remaining\":-1}",
		"{\"captive\":true,\"seconds-remaining\":1e3}",
		"{\"captive\":true,\"seconds-remaining\":\"5\"}",
		"{\"captive\":true,\"user-portal-url\":\"https://a b\"}",
		"{\"captive\":true,\"user-portal-url\":\"https://\\u00e9\"}",
		"{\"captive\":true,\"user-portal-url\":\"a\nb\"}",
		"{\"captive\":true,\"user-portal-url\":5}",
		"{\"capt\\u0000ive\":true}", "{\"captive\\u0000x\":true}",
		"{\"captive\":true,\"x\":\"\\q\"}", "{\"captive\":true,\"x\":\"\\u12\"}",
		"{\"captive\":true,\"x\":01x}", "{\"captive\":true,\"x\":-}",
		"{\"captive\":true,\"x\":[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]}",
	};
	struct capport_info info;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = parse(bad[i], &info);

		if (ret != -EBADMSG)
			fprintf(stderr, "accepted: %s\n", bad[i]);
		CHECK_INT(ret, -EBADMSG);
		CHECK(!info.captive && !info.user_portal_url[0]);
	}
}

/* A URL longer than kept is refused, not cut. */
static void test_long_url(void)
{
	char text[CAPPORT_URL_MAX + 64];
	struct capport_info info;
	size_t n;

	strcpy(text, "{\"captive\":true,\"user-portal-url\":\"https://");
	n = strlen(text);
	memset(text + n, 'a', CAPPORT_URL_MAX);
	strcpy(text + n + CAPPORT_URL_MAX, "\"}");
	CHECK_INT(parse(text, &info), -EBADMSG);
	/* One that fits. */
	strcpy(text + n + CAPPORT_URL_MAX - 9, "\"}");
	CHECK_INT(parse(text, &info), 0);
	CHECK_INT(strlen(info.user_portal_url), CAPPORT_URL_MAX - 1);
}

int main(void)
{
	test_examples();
	test_skipped_and_escaped();
	test_refused();
	test_long_url();
	CHECK_DONE();
}
