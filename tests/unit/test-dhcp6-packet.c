/* DHCPv6 messages: what the client builds, and what it makes of servers'
 * replies, hostile ones included. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "check.h"
#include "dhcp6-packet.h"

#define IAID 0x0a0b0c0d

/* A reply under construction. */
struct msg {
	uint8_t buf[65536];
	size_t len;
};

static void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v); }

static void start(struct msg *m, uint8_t type, uint32_t xid)
{
	m->buf[0] = type;
	m->buf[1] = xid >> 16;
	m->buf[2] = xid >> 8;
	m->buf[3] = xid;
	m->len = 4;
}

static size_t opt(struct msg *m, uint16_t code, const void *data, uint16_t len)
{
	size_t at = m->len;

	put16(m->buf + m->len, code);
	put16(m->buf + m->len + 2, len);
	if (len)
		memcpy(m->buf + m->len + 4, data, len);
	m->len += 4 + len;
	return at;
}

/* Grows an option begun at `at` by what was appended after it. */
static void close_opt(struct msg *m, size_t at)
{
	put16(m->buf + at + 2, (uint16_t)(m->len - at - 4));
}

static size_t ia_na(struct msg *m, uint32_t iaid, uint32_t t1, uint32_t t2)
{
	uint8_t body[12];

	put32(body, iaid);
	put32(body + 4, t1);
	put32(body + 8, t2);
	return opt(m, 3, body, sizeof(body));
}

static void iaaddr(struct msg *m, const char *addr, uint32_t preferred, uint32_t valid)
{
	uint8_t body[24];

	inet_pton(AF_INET6, addr, body);
	put32(body + 16, preferred);
	put32(body + 20, valid);
	opt(m, 5, body, sizeof(body));
}

static const uint8_t server_duid[] = { 0, 1, 0, 1, 0x2a, 0x2b, 0x2c, 0x2d, 2, 0, 0, 0, 0, 1 };
static const uint8_t client_duid[] = { 0, 3, 0, 1, 2, 0, 0, 0, 0, 2 };

static void ids(struct msg *m)
{
	opt(m, 1, client_duid, sizeof(client_duid));
	opt(m, 2, server_duid, sizeof(server_duid));
}

static const char *ntop(const struct in6_addr *a)
{
	static char text[INET6_ADDRSTRLEN];

	return inet_ntop(AF_INET6, a, text, sizeof(text));
}

static void test_build_solicit(void)
{
	struct dhcp6_duid duid;
	uint8_t mac[6] = { 2, 0, 0, 0, 0, 2 };
	struct dhcp6_request req = {
		.type = DHCP6_SOLICIT, .xid = 0x123456, .elapsed_cs = 0, .client_id = &duid,
		.ia_na = true, .iaid = IAID, .rapid_commit = true,
	};
	uint8_t buf[DHCP6_MAX_BUILD_LEN];
	int len;

	dhcp6_duid_from_mac(&duid, mac);
	CHECK_INT(duid.len, sizeof(client_duid));
	CHECK(!memcmp(duid.data, client_duid, duid.len));
	len = dhcp6_packet_build(&req, buf, sizeof(buf));
	CHECK(len > 4);
	CHECK_INT(buf[0], 1);
	CHECK_INT(buf[1] << 16 | buf[2] << 8 | buf[3], 0x123456);
	/* Client ID first, then elapsed time, rapid commit, IA_NA, ORO. */
	CHECK_INT(buf[4] << 8 | buf[5], 1);
	CHECK_INT(buf[6] << 8 | buf[7], 10);
	CHECK(!memcmp(buf + 8, client_duid, 10));
	CHECK_INT(buf[18] << 8 | buf[19], 8);
	CHECK_INT(buf[22] << 8 | buf[23], 0);
	CHECK_INT(buf[24] << 8 | buf[25], 14);
	CHECK_INT(buf[28] << 8 | buf[29], 3);
	CHECK_INT(buf[30] << 8 | buf[31], 12);
	CHECK_INT(buf[32] << 24 | buf[33] << 16 | buf[34] << 8 | buf[35], IAID);
	CHECK_INT(buf[44] << 8 | buf[45], 6);
	/* DNS, domains, SNTP, NTP, SOL_MAX_RT */
	CHECK_INT(buf[46] << 8 | buf[47], 10);
	CHECK_INT(len, 48 + 10);
	CHECK_INT(buf[56] << 8 | buf[57], 82);
	CHECK_INT(dhcp6_packet_build(&req, buf, 40), -ENOSPC);
	req.type = DHCP6_REPLY;
	CHECK_INT(dhcp6_packet_build(&req, buf, sizeof(buf)), -EINVAL);
	req.type = DHCP6_SOLICIT;
	req.client_id = NULL;
	CHECK_INT(dhcp6_packet_build(&req, buf, sizeof(buf)), -EINVAL);
}

static void test_build_renew(void)
{
	struct dhcp6_duid duid, server = { .len = sizeof(server_duid) };
	struct dhcp6_address addrs[2] = {
		{ .preferred = 100, .valid = 200 }, { .preferred = 100, .valid = 200 },
	};
	struct dhcp6_request req = {
		.type = DHCP6_RENEW, .xid = 1, .elapsed_cs = 150, .client_id = &duid,
		.server_id = &server, .ia_na = true, .iaid = IAID, .addrs = addrs, .n_addrs = 2,
		.rapid_commit = true,
	};
	uint8_t buf[DHCP6_MAX_BUILD_LEN];
	size_t off;
	int len;

	memcpy(server.data, server_duid, sizeof(server_duid));
	dhcp6_duid_from_mac(&duid, (const uint8_t[6]){ 2, 0, 0, 0, 0, 2 });
	inet_pton(AF_INET6, "2001:db8::100", &addrs[0].address);
	inet_pton(AF_INET6, "2001:db8::101", &addrs[1].address);
	len = dhcp6_packet_build(&req, buf, sizeof(buf));
	CHECK(len > 0);
	off = 4 + 4 + 10;
	CHECK_INT(buf[off] << 8 | buf[off + 1], 2);
	off += 4 + sizeof(server_duid);
	CHECK_INT(buf[off] << 8 | buf[off + 1], 8);
	CHECK_INT(buf[off + 4] << 8 | buf[off + 5], 150);
	off += 6;
	/* No rapid commit outside Solicit; the IA holds both addresses, lifetimes 0. */
	CHECK_INT(buf[off] << 8 | buf[off + 1], 3);
	CHECK_INT(buf[off + 2] << 8 | buf[off + 3], 12 + 2 * 28);
	CHECK_INT(buf[off + 16] << 8 | buf[off + 17], 5);
	CHECK_INT(buf[off + 18] << 8 | buf[off + 19], 24);
	CHECK(!memcmp(buf + off + 20, &addrs[0].address, 16));
	CHECK_INT(buf[off + 36] | buf[off + 37] | buf[off + 38] | buf[off + 39], 0);
	CHECK(!memcmp(buf + off + 48, &addrs[1].address, 16));
	off += 4 + 12 + 2 * 28;
	CHECK_INT(buf[off] << 8 | buf[off + 1], 6);
	CHECK_INT(len, (int)off + 4 + 8);

	req.type = DHCP6_RELEASE;
	len = dhcp6_packet_build(&req, buf, sizeof(buf));
	CHECK_INT(len, (int)off);	/* no ORO in a Release */
	req.ia_pd = true;
	req.pd_iaid = 7;
	CHECK_INT(dhcp6_packet_build(&req, buf, sizeof(buf)), (int)off + 16);
	CHECK_INT(buf[off] << 8 | buf[off + 1], 25);
}

static void test_parse_reply(void)
{
	static const uint8_t dns[32] = {
		0x20, 0x01, 0x0d, 0xb8, [15] = 0x53, 0xfe, 0x80, [31] = 1,
	};
	static const uint8_t domains[] = { 3, 'l', 'a', 'b', 0, 2, 'v', '6', 3, 'l', 'a', 'b', 0 };
	uint8_t pref = 7, refresh[4], ntp[20] = { 0, 1, 0, 16, 0x20, 0x01, 0x0d, 0xb8, [19] = 0x7b };
	struct dhcp6_reply r;
	struct msg m;
	size_t ia;

	start(&m, 7, 0xabcdef);
	ids(&m);
	opt(&m, 7, &pref, 1);
	opt(&m, 14, NULL, 0);
	opt(&m, 999, "junk", 4);		/* unknown: skipped */
	ia = ia_na(&m, IAID, 100, 160);
	iaaddr(&m, "2001:db8:1::100", 150, 300);
	iaaddr(&m, "2001:db8:1::101", DHCP6_INFINITY, DHCP6_INFINITY);
	close_opt(&m, ia);
	opt(&m, 23, dns, sizeof(dns));
	opt(&m, 24, domains, sizeof(domains));
	opt(&m, 56, ntp, sizeof(ntp));
	put32(refresh, 3600);
	opt(&m, 32, refresh, 4);

	CHECK_INT(dhcp6_packet_parse(m.buf, m.len, IAID, &r), 0);
	CHECK_INT(r.type, DHCP6_REPLY);
	CHECK_INT(r.xid, 0xabcdef);
	CHECK_INT(r.client_id.len, sizeof(client_duid));
	CHECK_INT(r.server_id.len, sizeof(server_duid));
	CHECK(!memcmp(r.server_id.data, server_duid, sizeof(server_duid)));
	CHECK_INT(r.preference, 7);
	CHECK(r.rapid_commit);
	CHECK(r.has_ia_na);
	CHECK_INT(r.ia_na.t1, 100);
	CHECK_INT(r.ia_na.t2, 160);
	CHECK_INT(r.ia_na.status, 0);
	CHECK_INT(r.ia_na.n_addrs, 2);
	CHECK_STR(ntop(&r.ia_na.addrs[0].address), "2001:db8:1::100");
	CHECK_INT(r.ia_na.addrs[0].preferred, 150);
	CHECK_INT(r.ia_na.addrs[0].valid, 300);
	CHECK_INT(r.ia_na.addrs[1].valid, DHCP6_INFINITY);
	CHECK_INT(r.n_dns, 2);
	CHECK_STR(ntop(&r.dns[0]), "2001:db8::53");
	CHECK_STR(ntop(&r.dns[1]), "fe80::1");
	CHECK_INT(r.n_domains, 2);
	CHECK_STR(r.domains[0], "lab");
	CHECK_STR(r.domains[1], "v6.lab");
	CHECK_INT(r.n_ntp, 1);
	CHECK_STR(ntop(&r.ntp[0]), "2001:db8::7b");
	CHECK_INT(r.info_refresh, 3600);
	CHECK_INT(r.dropped, 0);
	CHECK(!r.has_ia_pd);

	/* The same message for another IAID has no IA for us. */
	CHECK_INT(dhcp6_packet_parse(m.buf, m.len, IAID + 1, &r), 0);
	CHECK(!r.has_ia_na);
}

static void test_bad_lengths(void)
{
	struct dhcp6_reply r;
	struct msg m;
	size_t ia;

	memset(m.buf, 0, 8);
	CHECK_INT(dhcp6_packet_parse(m.buf, 0, IAID, &r), -EBADMSG);
	start(&m, 7, 1);
	CHECK_INT(dhcp6_packet_parse(m.buf, 3, IAID, &r), -EBADMSG);
	CHECK_INT(dhcp6_packet_parse(m.buf, 4, IAID, &r), 0);
	ids(&m);
	/* An option that runs past the end. */
	CHECK_INT(dhcp6_packet_parse(m.buf, m.len - 1, IAID, &r), -EBADMSG);
	/* Three octets left over: less than an option header. */
	CHECK_INT(dhcp6_packet_parse(m.buf, m.len + 3, IAID, &r), -EBADMSG);
	/* Not a server's message. */
	m.buf[0] = 1;
	CHECK_INT(dhcp6_packet_parse(m.buf, m.len, IAID, &r), -EBADMSG);
	m.buf[0] = 10;	/* Reconfigure: not taken */
	CHECK_INT(dhcp6_packet_parse(m.buf, m.len, IAID, &r), -EBADMSG);

	/* Options of the wrong size are dropped, the rest is kept. */
	start(&m, 2, 1);
	ids(&m);
	opt(&m, 7, "ab", 2);			/* preference of 2 octets */
	opt(&m, 23, "0123456789abcdefX", 17);	/* not a multiple of 16 */
	opt(&m, 13, "x", 1);			/* status without its code */
	opt(&m, 2, "ab", 2);			/* a second, short server ID: ignored */
	ia = ia_na(&m, IAID, 0, 0);
	opt(&m, 5, "short", 5);			/* IA address of 5 octets */
	close_opt(&m, ia);
	opt(&m, 3, "tiny", 4);			/* IA_NA of 4 octets */
	opt(&m, 82, "abc", 3);
	CHECK_INT(dhcp6_packet_parse(m.buf, m.len, IAID, &r), 0);
	CHECK_INT(r.dropped, DHCP6_DROPPED_MALFORMED);
	CHECK_INT(r.preference, 0);
	CHECK_INT(r.n_dns, 0);
	CHECK_INT(r.server_id.len, sizeof(server_duid));
	CHECK(r.has_ia_na);
	CHECK_INT(r.ia_na.n_addrs, 0);

	/* An IA whose inner option runs past the IA: the IA goes. */
	start(&m, 7, 1);
	ids(&m);
	ia = ia_na(&m, IAID, 0, 0);
	iaaddr(&m, "2001:db8::1", 10, 20);
	close_opt(&m, ia);
	put16(m.buf + ia + 4 + 12 + 2, 200);	/* the IAADDR says 200 octets */
	CHECK_INT(dhcp6_packet_parse(m.buf, m.len, IAID, &r), 0);
	CHECK(!r.has_ia_na);
	CHECK(r.dropped & DHCP6_DROPPED_MALFORMED);
	/* A DUID longer than 130 octets is no DUID. */
	start(&m, 7, 1);
	{
		uint8_t big[131] = { 0, 2 };

		opt(&m, 2, big, sizeof(big));
	}
	CHECK_INT(dhcp6_packet_parse(m.buf, m.len, IAID, &r), 0);
	CHECK_INT(r.server_id.len, 0);
}

static void test_ia_timers_and_lifetimes(void)
{
	struct dhcp6_reply r;
	struct msg m;
	size_t ia;

	/* T1 > T2: the IA is discarded (RFC 8415 21.4), the rest stays. */
	start(&m, 7, 1);
	ids(&m);
	ia = ia_na(&m, IAID, 500, 100);
	iaaddr(&m, "2001:db8::1", 600, 1200);
	close_opt(&m, ia);
	opt(&m, 23, (const uint8_t[16]){ 0x20, 0x01, [15] = 1 }, 16);
	CHECK_INT(dhcp6_packet_parse(m.buf, m.len, IAID, &r), 0);
	CHECK(!r.has_ia_na);
	CHECK_INT(r.dropped, DHCP6_DROPPED_IA_TIMERS);
	CHECK_INT(r.n_dns, 1);

	/* T1 set, T2 0 is not T1 > T2: the client picks T2. */
	start(&m, 7, 1);
	ids(&m);
	ia = ia_na(&m, IAID, 500, 0);
	/* valid 0 (withdrawn), infinity, preferred > valid (dropped), link-local
	 * and multicast (dropped), a duplicate (once), one with NoBinding status. */
	iaaddr(&m, "2001:db8::1", 0, 0);
	iaaddr(&m, "2001:db8::2", DHCP6_INFINITY, DHCP6_INFINITY);
	iaaddr(&m, "2001:db8::3", 300, 200);
	iaaddr(&m, "fe80::4", 300, 600);
	iaaddr(&m, "ff02::5", 300, 600);
	iaaddr(&m, "::ffff:10.0.0.1", 300, 600);
	iaaddr(&m, "2001:db8::2", 1, 2);
	{
		uint8_t body[24 + 6];

		inet_pton(AF_INET6, "2001:db8::7", body);
		put32(body + 16, 10);
		put32(body + 20, 20);
		put16(body + 24, 13);
		put16(body + 26, 2);
		put16(body + 28, DHCP6_STATUS_NO_BINDING);
		opt(&m, 5, body, sizeof(body));
	}
	opt(&m, 13, (const uint8_t[]){ 0, 2, 'n', 'o' }, 4);	/* IA status NoAddrsAvail */
	close_opt(&m, ia);
	CHECK_INT(dhcp6_packet_parse(m.buf, m.len, IAID, &r), 0);
	CHECK(r.has_ia_na);
	CHECK_INT(r.ia_na.t1, 500);
	CHECK_INT(r.ia_na.t2, 0);
	CHECK_INT(r.ia_na.status, DHCP6_STATUS_NO_ADDRS_AVAIL);
	CHECK_INT(r.ia_na.n_addrs, 2);
	CHECK_STR(ntop(&r.ia_na.addrs[0].address), "2001:db8::1");
	CHECK_INT(r.ia_na.addrs[0].valid, 0);
	CHECK_STR(ntop(&r.ia_na.addrs[1].address), "2001:db8::2");
	CHECK_INT(r.ia_na.addrs[1].preferred, DHCP6_INFINITY);
	CHECK_INT(r.dropped, DHCP6_DROPPED_ADDRESS);
}

/* A thousand addresses, nameservers and domains: the first few are kept. */
static void test_thousand(void)
{
	struct msg *m = calloc(1, sizeof(*m));
	uint8_t *servers = calloc(1000, 16);
	uint8_t domains[1000 * 4];
	struct dhcp6_reply r;
	size_t ia;
	char text[64];

	start(m, 7, 1);
	ids(m);
	ia = ia_na(m, IAID, 10, 20);
	for (unsigned int i = 0; i < 1000; i++) {
		snprintf(text, sizeof(text), "2001:db8::%x", i + 1);
		iaaddr(m, text, 30, 60);
	}
	close_opt(m, ia);
	for (unsigned int i = 0; i < 1000; i++) {
		servers[16 * i] = 0x20;
		servers[16 * i + 1] = 0x01;
		servers[16 * i + 14] = i >> 8;
		servers[16 * i + 15] = i;
	}
	opt(m, 23, servers, 1000 * 16);
	for (unsigned int i = 0; i < 1000; i++) {
		domains[4 * i] = 2;
		domains[4 * i + 1] = 'a' + i % 26;
		domains[4 * i + 2] = 'a' + i / 26 % 26;
		domains[4 * i + 3] = 0;
	}
	opt(m, 24, domains, sizeof(domains));
	CHECK_INT(dhcp6_packet_parse(m->buf, m->len, IAID, &r), 0);
	CHECK(r.has_ia_na);
	CHECK_INT(r.ia_na.n_addrs, DHCP6_MAX_ADDRS);
	CHECK_INT(r.n_dns, DHCP6_MAX_SERVERS);
	CHECK_INT(r.n_domains, DHCP6_MAX_DOMAINS);
	CHECK_INT(r.dropped, DHCP6_DROPPED_TOO_MANY);
	free(servers);
	free(m);
}

static void test_servers_and_domains(void)
{
	uint8_t bad[48] = { [15] = 1, [16] = 0xff, [17] = 2, [47] = 0 };	/* ::1, ff02::, :: */
	uint8_t names[] = {
		3, 'a', ';', 'b', 0,		/* not a host name: dropped */
		4, 'c', 'o', 'r', 'p', 0,
		9, 'x', 0,			/* runs past the option: the list ends */
	};
	struct dhcp6_reply r;
	struct msg m;

	start(&m, 7, 1);
	ids(&m);
	opt(&m, 23, bad, sizeof(bad));
	opt(&m, 24, names, sizeof(names));
	opt(&m, 31, bad, 16);
	opt(&m, 83, (const uint8_t[]){ 0, 0, 0, 10 }, 4);	/* below 60: ignored */
	opt(&m, 82, (const uint8_t[]){ 0, 0, 1, 0 }, 4);
	CHECK_INT(dhcp6_packet_parse(m.buf, m.len, IAID, &r), 0);
	CHECK_INT(r.n_dns, 0);
	CHECK_INT(r.n_ntp, 0);
	CHECK_INT(r.n_domains, 1);
	CHECK_STR(r.domains[0], "corp");
	CHECK_INT(r.inf_max_rt, 0);
	CHECK_INT(r.sol_max_rt, 256);
	CHECK_INT(r.dropped, DHCP6_DROPPED_SERVER | DHCP6_DROPPED_DOMAIN | DHCP6_DROPPED_MALFORMED);
}

static void test_ia_pd(void)
{
	uint8_t prefix[25];
	struct dhcp6_reply r;
	struct msg m;
	size_t pd;

	start(&m, 7, 1);
	ids(&m);
	pd = opt(&m, 25, (const uint8_t[12]){ 0x0a, 0x0b, 0x0c, 0x0d, 0, 0, 0, 50, 0, 0, 0, 80 }, 12);
	put32(prefix, 100);
	put32(prefix + 4, 200);
	prefix[8] = 56;
	inet_pton(AF_INET6, "2001:db8:aa00::", prefix + 9);
	opt(&m, 26, prefix, sizeof(prefix));
	prefix[8] = 0;		/* /0: dropped */
	opt(&m, 26, prefix, sizeof(prefix));
	opt(&m, 26, prefix, 20);	/* short: dropped */
	close_opt(&m, pd);
	CHECK_INT(dhcp6_packet_parse(m.buf, m.len, IAID, &r), 0);
	CHECK(r.has_ia_pd);
	CHECK(!r.has_ia_na);
	CHECK_INT(r.ia_pd.t1, 50);
	CHECK_INT(r.ia_pd.n_prefixes, 1);
	CHECK_INT(r.ia_pd.prefixes[0].len, 56);
	CHECK_INT(r.ia_pd.prefixes[0].valid, 200);
	CHECK_STR(ntop(&r.ia_pd.prefixes[0].prefix), "2001:db8:aa00::");
	CHECK_INT(r.dropped, DHCP6_DROPPED_PREFIX | DHCP6_DROPPED_MALFORMED);
}

static void iaprefix(struct msg *m, const char *prefix, uint8_t len, uint32_t preferred,
		     uint32_t valid)
{
	uint8_t body[25];

	put32(body, preferred);
	put32(body + 4, valid);
	body[8] = len;
	inet_pton(AF_INET6, prefix, body + 9);
	opt(m, 26, body, sizeof(body));
}

static struct dhcp6_reply *parse_pd(struct msg *m, struct dhcp6_reply *r)
{
	CHECK_INT(dhcp6_packet_parse(m->buf, m->len, IAID, r), 0);
	return r;
}

/* Hostile and odd prefixes: only 1..64 bits are kept (a /64 must fit),
 * host bits cleared; lifetimes 0 and infinity kept as they are for the
 * client to read; preferred > valid and T1 > T2 dropped; 1000 prefixes cut
 * to the limit. */
static void test_ia_pd_hostile(void)
{
	struct msg *m = calloc(1, sizeof(*m));
	struct dhcp6_reply r;
	uint8_t hdr[12] = { 0x0a, 0x0b, 0x0c, 0x0d, 0, 0, 0, 50, 0, 0, 0, 80 };
	size_t pd;
	char text[64];

	start(m, 7, 1);
	ids(m);
	pd = opt(m, 25, hdr, 12);
	iaprefix(m, "2001:db8:1200::", 0, 100, 200);
	iaprefix(m, "2001:db8:1200::", 128, 100, 200);
	iaprefix(m, "2001:db8:1200::", 65, 100, 200);
	iaprefix(m, "fe80::", 48, 100, 200);
	iaprefix(m, "ff02::", 16, 100, 200);
	iaprefix(m, "2001:db8:1234:5678:9::1", 56, 300, 200);	/* preferred > valid */
	iaprefix(m, "2001:db8:1234:5678:9::1", 56, 0, 0);	/* host bits set */
	iaprefix(m, "2001:db8:1234:5600::", 56, 0, 0);		/* the same once cleared */
	iaprefix(m, "2001:db8:ff00::", 64, DHCP6_INFINITY, DHCP6_INFINITY);
	iaprefix(m, "8000::", 1, 10, 20);
	close_opt(m, pd);
	parse_pd(m, &r);
	CHECK(r.has_ia_pd);
	CHECK_INT(r.ia_pd.n_prefixes, 3);
	CHECK_STR(ntop(&r.ia_pd.prefixes[0].prefix), "2001:db8:1234:5600::");
	CHECK_INT(r.ia_pd.prefixes[0].len, 56);
	CHECK_INT(r.ia_pd.prefixes[0].valid, 0);
	CHECK_INT(r.ia_pd.prefixes[1].len, 64);
	CHECK(r.ia_pd.prefixes[1].valid == DHCP6_INFINITY);
	CHECK_INT(r.ia_pd.prefixes[2].len, 1);
	CHECK_INT(r.dropped, DHCP6_DROPPED_PREFIX | DHCP6_DROPPED_ADDRESS);

	/* T1 > T2: the IA is not there. */
	start(m, 7, 1);
	ids(m);
	put32(hdr + 4, 90);
	pd = opt(m, 25, hdr, 12);
	iaprefix(m, "2001:db8:1200::", 56, 100, 200);
	close_opt(m, pd);
	parse_pd(m, &r);
	CHECK(!r.has_ia_pd);
	CHECK_INT(r.dropped, DHCP6_DROPPED_IA_TIMERS);

	/* 1000 prefixes. */
	start(m, 7, 1);
	ids(m);
	put32(hdr + 4, 50);
	pd = opt(m, 25, hdr, 12);
	for (unsigned int i = 0; i < 1000; i++) {
		snprintf(text, sizeof(text), "2001:db8:%x::", i);
		iaprefix(m, text, 48, 100, 200);
	}
	close_opt(m, pd);
	parse_pd(m, &r);
	CHECK_INT(r.ia_pd.n_prefixes, DHCP6_MAX_PREFIXES);
	CHECK_INT(r.dropped, DHCP6_DROPPED_TOO_MANY);

	/* A prefix option cut short inside the IA: the IA is malformed. */
	start(m, 7, 1);
	ids(m);
	pd = opt(m, 25, hdr, 12);
	iaprefix(m, "2001:db8:1200::", 56, 100, 200);
	m->len -= 3;
	put16(m->buf + pd + 2, (uint16_t)(m->len - pd - 4 + 3));
	CHECK_INT(dhcp6_packet_parse(m->buf, m->len, IAID, &r), -EBADMSG);
	free(m);
}

/* IA_PD with the prefixes held: lifetimes 0, length and prefix (21.22). */
static void test_build_ia_pd(void)
{
	struct dhcp6_duid duid, server = { .len = sizeof(server_duid) };
	struct dhcp6_prefix prefix = { .len = 56, .preferred = 100, .valid = 200 };
	struct dhcp6_request req = {
		.type = DHCP6_RELEASE, .xid = 1, .client_id = &duid, .server_id = &server,
		.ia_pd = true, .pd_iaid = IAID, .prefixes = &prefix, .n_prefixes = 1,
	};
	uint8_t buf[DHCP6_MAX_BUILD_LEN];
	size_t off = 4 + 4 + 10 + 4 + sizeof(server_duid) + 6;
	int len;

	memcpy(server.data, server_duid, sizeof(server_duid));
	dhcp6_duid_from_mac(&duid, (const uint8_t[6]){ 2, 0, 0, 0, 0, 2 });
	inet_pton(AF_INET6, "2001:db8:1200::", &prefix.prefix);
	len = dhcp6_packet_build(&req, buf, sizeof(buf));
	CHECK_INT(len, (int)off + 4 + 12 + 4 + 25);
	CHECK_INT(buf[off] << 8 | buf[off + 1], 25);
	CHECK_INT(buf[off + 2] << 8 | buf[off + 3], 12 + 4 + 25);
	CHECK_INT(buf[off + 4] << 24 | buf[off + 5] << 16 | buf[off + 6] << 8 | buf[off + 7], IAID);
	CHECK_INT(buf[off + 16] << 8 | buf[off + 17], 26);
	CHECK_INT(buf[off + 18] << 8 | buf[off + 19], 25);
	for (unsigned int i = 0; i < 8; i++)
		CHECK_INT(buf[off + 20 + i], 0);
	CHECK_INT(buf[off + 28], 56);
	CHECK(!memcmp(buf + off + 29, &prefix.prefix, 16));
	/* Everything a client ever sends fits. */
	req.type = DHCP6_REBIND;
	req.ia_na = true;
	req.n_addrs = DHCP6_MAX_ADDRS;
	req.addrs = calloc(DHCP6_MAX_ADDRS, sizeof(struct dhcp6_address));
	server.len = DHCP6_DUID_MAX;
	duid.len = DHCP6_DUID_MAX;
	req.n_prefixes = 1;
	CHECK(dhcp6_packet_build(&req, buf, sizeof(buf)) > 0);
	free((void *)req.addrs);
}

int main(void)
{
	test_build_solicit();
	test_build_renew();
	test_parse_reply();
	test_bad_lengths();
	test_ia_timers_and_lifetimes();
	test_thousand();
	test_servers_and_domains();
	test_ia_pd();
	test_ia_pd_hostile();
	test_build_ia_pd();
	CHECK_DONE();
}
