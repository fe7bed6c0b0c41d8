/* RDNSS, DNSSL and Captive Portal options from router advertisements. */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

#include "check.h"
#include "nd-options.h"

/* RDNSS, lifetime 600, fe80::1 and 2001:db8::53; then a prefix option to skip;
 * then DNSSL, lifetime 300, "lab.example" and "corp". */
static const uint8_t ra_options[] = {
	25, 5, 0, 0, 0, 0, 0x02, 0x58,
	0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x53,
	3, 4, 64, 0xc0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	31, 4, 0, 0, 0, 0, 0x01, 0x2c,
	3, 'l', 'a', 'b', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 4, 'c', 'o',
	'r', 'p', 0, 0, 0, 0, 0, 0,
};

static void test_parse(void)
{
	struct nd_dns_info info = { .n_servers = 0 };
	char text[INET6_ADDRSTRLEN];

	CHECK_INT(nd_parse_dns_options(ra_options, sizeof(ra_options), &info), 0);
	CHECK_INT(info.n_servers, 2);
	CHECK_STR(inet_ntop(AF_INET6, &info.servers[0], text, sizeof(text)), "fe80::1");
	CHECK_STR(inet_ntop(AF_INET6, &info.servers[1], text, sizeof(text)), "2001:db8::53");
	CHECK_INT(info.server_lifetime[1], 600);
	CHECK_INT(info.n_domains, 2);
	CHECK(!info.truncated);
	CHECK_STR(info.domains[0], "lab.example");
	CHECK_STR(info.domains[1], "corp");
	CHECK_INT(info.domain_lifetime[0], 300);
}

static void test_bad_lengths(void)
{
	struct nd_dns_info info;
	uint8_t data[sizeof(ra_options)];

	memset(&info, 0, sizeof(info));
	CHECK_INT(nd_parse_dns_options(ra_options, sizeof(ra_options) - 1, &info), -EBADMSG);
	memcpy(data, ra_options, sizeof(data));
	data[1] = 0;		/* a zero length would loop forever */
	memset(&info, 0, sizeof(info));
	CHECK_INT(nd_parse_dns_options(data, sizeof(data), &info), -EBADMSG);
	CHECK_INT(info.n_servers, 0);
	memcpy(data, ra_options, sizeof(data));
	data[1] = 2;		/* RDNSS of 16 octets: no room for an address */
	data[16] = 25;
	memset(&info, 0, sizeof(info));
	CHECK_INT(nd_parse_dns_options(data, 16, &info), -EBADMSG);
}

static void test_bad_names(void)
{
	uint8_t dnssl[] = { 31, 2, 0, 0, 0, 0, 0, 60, 3, 'a', ';', 'b', 0, 0, 0, 0 };
	uint8_t overrun[] = { 31, 2, 0, 0, 0, 0, 0, 60, 9, 'a', 'b', 'c', 0, 0, 0, 0 };
	struct nd_dns_info info;

	memset(&info, 0, sizeof(info));
	CHECK_INT(nd_parse_dns_options(dnssl, sizeof(dnssl), &info), -EBADMSG);
	CHECK_INT(info.n_domains, 0);
	memset(&info, 0, sizeof(info));
	CHECK_INT(nd_parse_dns_options(overrun, sizeof(overrun), &info), -EBADMSG);
	CHECK_INT(info.n_domains, 0);
}

static void test_limits(void)
{
	uint8_t many[8 + 16 * 10] = { 25, 21, 0, 0, 0, 0, 0, 60 };
	struct nd_dns_info info;

	memset(&info, 0, sizeof(info));
	CHECK_INT(nd_parse_dns_options(many, sizeof(many), &info), 0);
	CHECK_INT(info.n_servers, ND_MAX_SERVERS);
	CHECK(info.truncated);
}

/* RFC 8910: type 37, the URI padded with NULs to a multiple of 8 octets. */
static void test_captive_portal(void)
{
	static const uint8_t opt[] = {
		37, 4, 'h', 't', 't', 'p', 's', ':', '/', '/', 'p', '.', 'e', 'x', 'a', 'm',
		'p', 'l', 'e', '/', 'a', 'p', 'i', 0, 0, 0, 0, 0, 0, 0, 0, 0,
	};
	uint8_t bad[sizeof(opt)], two[sizeof(opt) + sizeof(ra_options)];
	struct nd_dns_info info;

	memset(&info, 0, sizeof(info));
	CHECK_INT(nd_parse_dns_options(opt, sizeof(opt), &info), 0);
	CHECK_STR(info.captive_portal, "https://p.example/api");
	/* Beside the DNS options, each still read. */
	memcpy(two, ra_options, sizeof(ra_options));
	memcpy(two + sizeof(ra_options), opt, sizeof(opt));
	memset(&info, 0, sizeof(info));
	CHECK_INT(nd_parse_dns_options(two, sizeof(two), &info), 0);
	CHECK_STR(info.captive_portal, "https://p.example/api");
	CHECK_INT(info.n_servers, 2);
	CHECK_INT(info.n_domains, 2);
	/* A NUL inside, a space, a control: no URI, the option still skipped. */
	for (unsigned int at = 5; at < 8; at++) {
		memcpy(bad, opt, sizeof(bad));
		bad[at] = at == 5 ? 0 : at == 6 ? ' ' : '\n';
		memset(&info, 0, sizeof(info));
		CHECK_INT(nd_parse_dns_options(bad, sizeof(bad), &info), 0);
		CHECK_STR(info.captive_portal, "");
	}
	/* Only padding; or running past the data. */
	memset(bad, 0, sizeof(bad));
	bad[0] = 37;
	bad[1] = 1;
	memset(&info, 0, sizeof(info));
	CHECK_INT(nd_parse_dns_options(bad, 8, &info), 0);
	CHECK_STR(info.captive_portal, "");
	CHECK_INT(nd_parse_dns_options(opt, sizeof(opt) - 8, &info), -EBADMSG);
}

/* 255 units of 8 octets hold a URI longer than any kept: dropped whole. */
static void test_captive_portal_too_long(void)
{
	uint8_t opt[255 * 8];
	struct nd_dns_info info;

	memset(opt, 'a', sizeof(opt));
	opt[0] = 37;
	opt[1] = 255;
	memset(&info, 0, sizeof(info));
	CHECK_INT(nd_parse_dns_options(opt, sizeof(opt), &info), 0);
	CHECK_STR(info.captive_portal, "");
	opt[255] = 0;	/* 253 octets: fits */
	memset(opt + 256, 0, sizeof(opt) - 256);
	CHECK_INT(nd_parse_dns_options(opt, sizeof(opt), &info), 0);
	CHECK_INT(strlen(info.captive_portal), 253);
}

int main(void)
{
	test_parse();
	test_bad_lengths();
	test_bad_names();
	test_limits();
	test_captive_portal();
	test_captive_portal_too_long();
	CHECK_DONE();
}
