/* The online check's parsers: DNS A/AAAA answers and HTTP response heads. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "check.h"
#include "dns-query.h"
#include "http-head.h"

/* Turns a query into an answer with one record appended. */
static int make_answer(uint8_t *buf, int len, uint8_t rcode, const uint8_t *rr, int rr_len)
{
	buf[2] |= 0x80;
	buf[3] = 0x80 | rcode;
	if (rr_len) {
		buf[7] = 1;
		memcpy(buf + len, rr, rr_len);
	}
	return len + rr_len;
}

static void test_dns(void)
{
	uint8_t buf[512];
	uint32_t addr = 0;
	/* name: pointer to the question (offset 12), type A, class IN, ttl, 4 bytes */
	const uint8_t a_rr[] = { 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 7 };
	const uint8_t loop_rr[] = { 0xc0, 28, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4 };
	int len = dns_query_build(0x1234, "isp.lab", DNS_TYPE_A, buf, sizeof(buf));

	CHECK_INT(len, 12 + 9 + 4);
	CHECK_INT(buf[12], 3);
	CHECK(!memcmp(buf + 13, "isp", 3));
	/* A query is not an answer. */
	CHECK_INT(dns_answer_parse(buf, len, 0x1234, "isp.lab", DNS_TYPE_A, &addr), -EBADMSG);
	len = make_answer(buf, len, 0, a_rr, sizeof(a_rr));
	CHECK_INT(dns_answer_parse(buf, len, 0x1234, "isp.lab", DNS_TYPE_A, &addr), 1);
	CHECK_INT(addr, inet_addr("192.0.2.7"));
	CHECK_INT(dns_answer_parse(buf, len, 0x1235, "isp.lab", DNS_TYPE_A, &addr), -EBADMSG);
	CHECK_INT(dns_answer_parse(buf, len, 0x1234, "other.lab", DNS_TYPE_A, &addr), -EBADMSG);
	CHECK_INT(dns_answer_parse(buf, len - 1, 0x1234, "isp.lab", DNS_TYPE_A, &addr), -EBADMSG);
	CHECK_INT(dns_answer_parse(buf, 5, 0x1234, "isp.lab", DNS_TYPE_A, &addr), -EBADMSG);

	len = dns_query_build(7, "isp.lab", DNS_TYPE_A, buf, sizeof(buf));
	len = make_answer(buf, len, 3, NULL, 0);
	CHECK_INT(dns_answer_parse(buf, len, 7, "isp.lab", DNS_TYPE_A, &addr), 0);

	/* A compression pointer that points at itself must not hang. */
	len = dns_query_build(8, "isp.lab", DNS_TYPE_A, buf, sizeof(buf));
	len = make_answer(buf, len, 0, loop_rr, sizeof(loop_rr));
	buf[25] = 0xc0;
	buf[26] = 25;
	CHECK_INT(dns_answer_parse(buf, len, 8, "isp.lab", DNS_TYPE_A, &addr), -EBADMSG);

	CHECK(dns_query_build(1, "", DNS_TYPE_A, buf, sizeof(buf)) < 0);
	CHECK(dns_query_build(1, "a..b", DNS_TYPE_A, buf, sizeof(buf)) < 0);
	CHECK(dns_query_build(1, "isp.lab", DNS_TYPE_A, buf, 20) < 0);
}

static void test_dns_aaaa(void)
{
	uint8_t buf[512], addr6[16], want[16];
	/* the question's name, type AAAA, class IN, ttl, 16 bytes */
	const uint8_t aaaa_rr[] = { 0xc0, 12, 0, 28, 0, 1, 0, 0, 0, 60, 0, 16,
				    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80 };
	/* An A record in a reply to an AAAA query is not the answer. */
	const uint8_t a_rr[] = { 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 7 };
	int len = dns_query_build(9, "isp.lab", DNS_TYPE_AAAA, buf, sizeof(buf));

	CHECK_INT(buf[len - 3], 28);
	len = make_answer(buf, len, 0, aaaa_rr, sizeof(aaaa_rr));
	CHECK_INT(dns_answer_parse(buf, len, 9, "isp.lab", DNS_TYPE_AAAA, addr6), 1);
	inet_pton(AF_INET6, "2001:db8::80", want);
	CHECK(!memcmp(addr6, want, 16));
	/* The question says AAAA: read as an A answer it does not match. */
	CHECK_INT(dns_answer_parse(buf, len, 9, "isp.lab", DNS_TYPE_A, addr6), -EBADMSG);
	len = dns_query_build(10, "isp.lab", DNS_TYPE_AAAA, buf, sizeof(buf));
	len = make_answer(buf, len, 0, a_rr, sizeof(a_rr));
	CHECK_INT(dns_answer_parse(buf, len, 10, "isp.lab", DNS_TYPE_AAAA, addr6), 0);
}

static int head(const char *text, struct http_head *h)
{
	return http_head_parse(text, strlen(text), h);
}

static void test_http(void)
{
	struct http_head h;

	CHECK_INT(head("HTTP/1.1 200 OK\r\nX-ConnMan-Status: online\r\n\r\nbody", &h), 1);
	CHECK_INT(h.status, 200);
	CHECK(h.has_connman_status && h.connman_online);
	CHECK_INT(head("HTTP/1.0 204 No Content\r\n\r\n", &h), 1);
	CHECK_INT(h.status, 204);
	CHECK(!h.has_connman_status);
	CHECK_INT(head("HTTP/1.1 302 Found\r\nlocation:  http://portal/login \r\n\r\n", &h), 1);
	CHECK_STR(h.location, "http://portal/login");
	CHECK_INT(head("HTTP/1.1 200 OK\r\nx-connman-status: Portal\r\n\r\n", &h), 1);
	CHECK(h.has_connman_status && !h.connman_online);
	CHECK_INT(head("HTTP/1.1 200 OK\r\nContent-Le", &h), 0);
	CHECK_INT(head("HTTP/1", &h), 0);
	CHECK_INT(head("SSH-2.0-OpenSSH\r\n\r\n", &h), -EBADMSG);
	CHECK_INT(head("HTTP/1.1 2x0 OK\r\n\r\n", &h), -EBADMSG);
	CHECK_INT(head("HTTP/1.1 200OK\r\n\r\n", &h), -EBADMSG);
	/* A header line without a colon is skipped, as lenient clients do. */
	CHECK_INT(head("HTTP/1.1 200 OK\r\nbroken\nline\r\n\r\n", &h), 1);
}

/* What counts as online: 204, or 200 with ConnMan's header saying so. */
static bool online(const char *text)
{
	struct http_head h;

	return head(text, &h) == 1 && http_head_online(&h);
}

static void test_http_online(void)
{
	CHECK(online("HTTP/1.1 204 No Content\r\n\r\n"));
	CHECK(online("HTTP/1.1 200 OK\r\nX-ConnMan-Status: online\r\n\r\n"));
	/* A portal's login page, with or without a header of another value. */
	CHECK(!online("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nlogin"));
	CHECK(!online("HTTP/1.1 200 OK\r\nX-ConnMan-Status: portal\r\n\r\n"));
	/* The header proves nothing beside another status. */
	CHECK(!online("HTTP/1.1 302 Found\r\nX-ConnMan-Status: online\r\nLocation: /x\r\n\r\n"));
	CHECK(!online("HTTP/1.1 404 Not Found\r\n\r\n"));
	CHECK(!online("HTTP/1.1 206 Partial\r\nX-ConnMan-Status: online\r\n\r\n"));
}

/* A portal's answer: where its page is, and how long that page is. */
static void test_http_portal(void)
{
	const char *text = "HTTP/1.1 302 Found\r\nLocation: /login?x=1\r\n"
			   "Content-Length: 12\r\n\r\n<html></html>";
	char long_head[1200 + 64], url[64];
	struct http_head h;

	CHECK_INT(head(text, &h), 1);
	CHECK(http_head_redirect(&h));
	CHECK_INT(h.content_length, 12);
	CHECK_STR(text + h.head_len, "<html></html>");
	CHECK_INT(head("HTTP/1.1 200 OK\r\n\r\n", &h), 1);
	CHECK_INT(h.content_length, -1);
	CHECK(!http_head_redirect(&h));
	CHECK_INT(head("HTTP/1.1 200 OK\r\nContent-Length: -3\r\n\r\n", &h), 1);
	CHECK_INT(h.content_length, -1);
	CHECK_INT(head("HTTP/1.1 200 OK\r\nContent-Length: 3x\r\n\r\n", &h), 1);
	CHECK_INT(h.content_length, -1);
	/* A redirect without a Location is no redirect to follow. */
	CHECK_INT(head("HTTP/1.1 307 Temporary\r\n\r\n", &h), 1);
	CHECK(!http_head_redirect(&h));
	/* A Location too long to keep is dropped, never cut. */
	snprintf(long_head, sizeof(long_head), "HTTP/1.1 302 Found\r\nLocation: http://p/%01200d\r\n\r\n", 0);
	CHECK_INT(head(long_head, &h), 1);
	CHECK_STR(h.location, "");

	CHECK_INT(http_location_resolve("http://isp.lab:8080/check", "/login", url, sizeof(url)), 0);
	CHECK_STR(url, "http://isp.lab:8080/login");
	CHECK_INT(http_location_resolve("http://isp.lab?q", "/a?b", url, sizeof(url)), 0);
	CHECK_STR(url, "http://isp.lab/a?b");
	CHECK_INT(http_location_resolve("http://a/b", "https://portal/x", url, sizeof(url)), 0);
	CHECK_STR(url, "https://portal/x");
	CHECK_INT(http_location_resolve("http://a/b", "login.html", url, sizeof(url)), -EINVAL);
	CHECK_INT(http_location_resolve("http://a/b", "//other/x", url, sizeof(url)), -EINVAL);
	CHECK_INT(http_location_resolve("http://a/b", "/x", url, 4), -ENOSPC);
}

int main(void)
{
	test_dns();
	test_dns_aaaa();
	test_http();
	test_http_online();
	test_http_portal();
	CHECK_DONE();
}
