/* Router advertisements built, compared with known bytes and read back with
 * the ND option parser the client side uses; router solicitations checked. */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

#include "check.h"
#include "nd-options.h"
#include "ra-build.h"

static void fill(struct ra_content *ra)
{
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };

	memset(ra, 0, sizeof(*ra));
	ra->cur_hop_limit = 64;
	ra->other = true;
	ra->router_lifetime = 1800;
	ra->has_lladdr = true;
	memcpy(ra->lladdr, mac, sizeof(mac));
	ra->mtu = 1500;
	inet_pton(AF_INET6, "2001:db8:1:2::ffff", &ra->prefixes[0].prefix);
	ra->prefixes[0].len = 64;
	ra->prefixes[0].on_link = true;
	ra->prefixes[0].autonomous = true;
	ra->prefixes[0].valid = 86400;
	ra->prefixes[0].preferred = 14400;
	ra->n_prefixes = 1;
	inet_pton(AF_INET6, "2001:db8:1:2::1", &ra->servers[0]);
	ra->n_servers = 1;
	ra->dns_lifetime = 600;
	strcpy(ra->domains[0], "lan");
	strcpy(ra->domains[1], "corp.example");
	ra->n_domains = 2;
}

static const uint8_t known[] = {
	134, 0, 0, 0, 64, 0x40, 0x07, 0x08, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 0x02, 0, 0, 0, 0, 0x01,
	5, 1, 0, 0, 0, 0, 0x05, 0xdc,
	3, 4, 64, 0xc0, 0, 0x01, 0x51, 0x80, 0, 0, 0x38, 0x40, 0, 0, 0, 0,
	0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0,
	25, 3, 0, 0, 0, 0, 0x02, 0x58,
	0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1,
	31, 4, 0, 0, 0, 0, 0x02, 0x58,
	3, 'l', 'a', 'n', 0, 4, 'c', 'o', 'r', 'p', 7, 'e', 'x', 'a', 'm', 'p',
	'l', 'e', 0, 0, 0, 0, 0, 0,
};

static void test_known_bytes(void)
{
	struct ra_content ra;
	uint8_t buf[RA_MAX_LEN];
	int len;

	fill(&ra);
	len = ra_build(&ra, buf, sizeof(buf));
	CHECK_INT(len, sizeof(known));
	CHECK(len == sizeof(known) && !memcmp(buf, known, sizeof(known)));
}

static void test_parse_back(void)
{
	struct ra_content ra;
	struct nd_dns_info info;
	uint8_t buf[RA_MAX_LEN];
	char text[INET6_ADDRSTRLEN];
	int len;

	fill(&ra);
	inet_pton(AF_INET6, "fe80::1", &ra.servers[1]);
	ra.n_servers = 2;
	strcpy(ra.domains[2], "a-b.c_d");
	ra.n_domains = 3;
	len = ra_build(&ra, buf, sizeof(buf));
	CHECK(len > RA_HEADER_LEN);
	CHECK_INT(len % 8, 0);
	memset(&info, 0, sizeof(info));
	CHECK_INT(nd_parse_dns_options(buf + RA_HEADER_LEN, len - RA_HEADER_LEN, &info), 0);
	CHECK_INT(info.n_servers, 2);
	CHECK_STR(inet_ntop(AF_INET6, &info.servers[1], text, sizeof(text)), "fe80::1");
	CHECK_INT(info.server_lifetime[0], 600);
	CHECK_INT(info.n_domains, 3);
	CHECK_STR(info.domains[0], "lan");
	CHECK_STR(info.domains[1], "corp.example");
	CHECK_STR(info.domains[2], "a-b.c_d");
	CHECK_INT(info.domain_lifetime[2], 600);
}

/* Every buffer one octet short of what is needed fails whole. */
static void test_no_room(void)
{
	struct ra_content ra;
	uint8_t buf[RA_MAX_LEN];

	fill(&ra);
	for (size_t size = 0; size < sizeof(known); size++)
		CHECK_INT(ra_build(&ra, buf, size), -ENOSPC);
	CHECK_INT(ra_build(&ra, buf, sizeof(known)), sizeof(known));
}

/* The largest content there is fits RA_MAX_LEN exactly. */
static void test_largest(void)
{
	struct ra_content ra;
	uint8_t buf[RA_MAX_LEN];
	char name[DNS_NAME_TEXT_MAX];

	fill(&ra);
	ra.n_prefixes = RA_MAX_PREFIXES;
	ra.n_servers = RA_MAX_SERVERS;
	/* 63.63.63.61 characters: 253, the longest name. */
	memset(name, 'a', 253);
	name[253] = 0;
	name[63] = name[127] = name[191] = '.';
	for (unsigned int i = 0; i < RA_MAX_DOMAINS; i++)
		strcpy(ra.domains[i], name);
	ra.n_domains = RA_MAX_DOMAINS;
	CHECK_INT(ra_build(&ra, buf, sizeof(buf)), RA_MAX_LEN);
}

static void test_invalid(void)
{
	struct ra_content ra;
	uint8_t buf[RA_MAX_LEN];

	fill(&ra);
	ra.prefixes[0].preferred = ra.prefixes[0].valid + 1;
	CHECK_INT(ra_build(&ra, buf, sizeof(buf)), -EINVAL);
	fill(&ra);
	ra.prefixes[0].len = 129;
	CHECK_INT(ra_build(&ra, buf, sizeof(buf)), -EINVAL);
	fill(&ra);
	ra.n_servers = RA_MAX_SERVERS + 1;
	CHECK_INT(ra_build(&ra, buf, sizeof(buf)), -EINVAL);
	fill(&ra);
	strcpy(ra.domains[1], "a..b");
	CHECK_INT(ra_build(&ra, buf, sizeof(buf)), -EINVAL);
	strcpy(ra.domains[1], ".");
	CHECK_INT(ra_build(&ra, buf, sizeof(buf)), -EINVAL);
}

/* A prefix of 60 bits: the host part is sent as zeros. */
static void test_prefix_bits(void)
{
	struct ra_content ra;
	uint8_t buf[RA_MAX_LEN];
	int len;

	fill(&ra);
	ra.prefixes[0].len = 60;
	len = ra_build(&ra, buf, sizeof(buf));
	CHECK(len > 0);
	CHECK_INT(buf[32 + 2], 60);
	CHECK_INT(buf[32 + 16 + 7], 0x00);	/* 2001:db8:1:2 -> 2001:db8:1:0 */
	CHECK_INT(buf[32 + 16 + 5], 0x01);
}

static void test_withdraw(void)
{
	struct ra_content ra;
	uint8_t buf[RA_MAX_LEN];
	int len;

	fill(&ra);
	ra_withdraw(&ra);
	len = ra_build(&ra, buf, sizeof(buf));
	CHECK_INT(len, sizeof(known));
	CHECK(buf[6] == 0 && buf[7] == 0);		/* router lifetime */
	for (int i = 0; i < 8; i++)
		CHECK_INT(buf[32 + 4 + i], 0);	/* valid, preferred */
	CHECK_INT(buf[88 + 4 + 3], 0);		/* DNSSL lifetime */
	CHECK_INT(buf[32 + 2], 64);			/* the prefix itself stays */
	CHECK_INT(buf[32 + 16], 0x20);
}

static void test_solicit(void)
{
	uint8_t rs[] = { 133, 0, 0x12, 0x34, 0, 0, 0, 0, 1, 1, 2, 0, 0, 0, 0, 1 };

	CHECK_INT(ra_check_solicit(rs, 8, true), 0);
	CHECK_INT(ra_check_solicit(rs, sizeof(rs), false), 0);
	/* The source link-layer address of no address at all (6.1.1). */
	CHECK_INT(ra_check_solicit(rs, sizeof(rs), true), -EBADMSG);
	CHECK_INT(ra_check_solicit(rs, 7, false), -EBADMSG);
	CHECK_INT(ra_check_solicit(rs, 9, false), -EBADMSG);
	CHECK_INT(ra_check_solicit(rs, sizeof(rs) - 1, false), -EBADMSG);
	rs[9] = 0;
	CHECK_INT(ra_check_solicit(rs, sizeof(rs), false), -EBADMSG);
	rs[9] = 1;
	rs[1] = 1;
	CHECK_INT(ra_check_solicit(rs, sizeof(rs), false), -EBADMSG);
	rs[1] = 0;
	rs[0] = 134;
	CHECK_INT(ra_check_solicit(rs, sizeof(rs), false), -EBADMSG);
}

int main(void)
{
	test_known_bytes();
	test_parse_back();
	test_no_room();
	test_largest();
	test_invalid();
	test_prefix_bits();
	test_withdraw();
	test_solicit();
	CHECK_DONE();
}
