/* RDNSS and DNSSL options from router advertisements. */
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
}

int main(void)
{
	test_parse();
	test_bad_lengths();
	test_bad_names();
	test_limits();
	CHECK_DONE();
}
