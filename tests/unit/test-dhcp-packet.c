/* DHCP message building, parsing and IPv4/UDP framing. */
#include <errno.h>

#include "dhcp-fixture.h"
#include "dhcp-packet.h"

static const uint8_t mac[6] = { 0x02, 0x00, 0x00, 0x11, 0x22, 0x33 };

static void test_build_discover(void)
{
	struct dhcp_request req = { .type = DHCP_DISCOVER, .xid = 0xdeadbeef, .secs = 3 };
	uint8_t buf[DHCP_MAX_MSG_LEN];
	const uint8_t *d;
	int len;

	memcpy(req.mac, mac, 6);
	CHECK(dhcp_packet_build(&req, buf, 100) == -ENOSPC);
	len = dhcp_packet_build(&req, buf, sizeof(buf));
	CHECK(len == DHCP_MIN_MSG_LEN);
	CHECK(buf[0] == 1 && buf[1] == 1 && buf[2] == 6);
	CHECK(msg_xid(buf) == 0xdeadbeef);
	CHECK(buf[8] == 0 && buf[9] == 3);
	CHECK(!memcmp(buf + 28, mac, 6));
	CHECK(msg_type(buf, len) == DHCP_DISCOVER);
	CHECK(find_option(buf, len, 61, &d) == 7 && d[0] == 1 && !memcmp(d + 1, mac, 6));
	CHECK(find_option(buf, len, 55, &d) == 15);
	CHECK(memchr(d, 252, 15));	/* the WPAD PAC URL */
	CHECK(memchr(d, 114, 15));	/* the Captive-Portal API URI (RFC 8910) */
	CHECK(memchr(d, 121, 15));	/* classless static routes (RFC 3442) */
	CHECK(find_option(buf, len, 50, &d) < 0 && find_option(buf, len, 54, &d) < 0);
	CHECK(find_option(buf, len, 12, &d) < 0);	/* no hostname sent */
}

static void test_build_request_release(void)
{
	struct dhcp_request req = {
		.type = DHCP_REQUEST, .xid = 7, .requested_address = ip("10.0.0.5"),
		.server_id = ip("10.0.0.1"),
	};
	uint8_t buf[DHCP_MAX_MSG_LEN];
	const uint8_t *d;
	int len;

	len = dhcp_packet_build(&req, buf, sizeof(buf));
	CHECK(msg_addr_option(buf, len, 50) == ip("10.0.0.5"));
	CHECK(msg_addr_option(buf, len, 54) == ip("10.0.0.1"));

	req = (struct dhcp_request){ .type = DHCP_RELEASE, .xid = 8, .ciaddr = ip("10.0.0.5"),
				     .server_id = ip("10.0.0.1") };
	len = dhcp_packet_build(&req, buf, sizeof(buf));
	CHECK(msg_type(buf, len) == DHCP_RELEASE);
	CHECK(!memcmp(buf + 12, &req.ciaddr, 4));
	CHECK(find_option(buf, len, 55, &d) < 0);
}

static void test_parse_ack(void)
{
	struct srv_reply r = {
		.type = DHCP_ACK, .xid = 0x01020304, .mac = mac, .yiaddr = "192.168.7.50",
		.server_id = "192.168.7.1", .mask = "255.255.255.0", .router = "192.168.7.1",
		.dns = "192.168.7.2", .lease = 120, .domain = "lab.example",
	};
	struct dhcp_reply reply;
	uint8_t buf[600];
	size_t len = build_reply(buf, &r);

	CHECK(dhcp_packet_parse(buf, len, &reply) == 0);
	CHECK(reply.type == DHCP_ACK && reply.xid == 0x01020304);
	CHECK(!memcmp(reply.chaddr, mac, 6));
	CHECK(reply.lease.address == ip("192.168.7.50"));
	CHECK(reply.lease.prefix_len == 24);
	CHECK(reply.lease.router == ip("192.168.7.1"));
	CHECK(reply.lease.server_id == ip("192.168.7.1"));
	CHECK(reply.lease.n_dns == 1 && reply.lease.dns[0] == ip("192.168.7.2"));
	CHECK(reply.lease.lease_time == 120 && reply.lease.t1 == 60 && reply.lease.t2 == 105);
	CHECK(!strcmp(reply.lease.domain, "lab.example"));

	/* Given T1/T2 are kept when consistent, replaced when not. */
	r.t1 = 10;
	r.t2 = 20;
	len = build_reply(buf, &r);
	CHECK(dhcp_packet_parse(buf, len, &reply) == 0);
	CHECK(reply.lease.t1 == 10 && reply.lease.t2 == 20);
	r.t1 = 30;
	r.t2 = 500;
	len = build_reply(buf, &r);
	CHECK(dhcp_packet_parse(buf, len, &reply) == 0);
	CHECK(reply.lease.t1 == 30 && reply.lease.t2 == 105);
	r.t1 = 0;
	r.t2 = 0;
	r.lease = 0xffffffff;
	len = build_reply(buf, &r);
	CHECK(dhcp_packet_parse(buf, len, &reply) == 0);
	CHECK(reply.lease.t1 == 0xffffffff && reply.lease.t2 == 0xffffffff);

	/* A name that could break resolv.conf is dropped. */
	r.domain = "evil\nnameserver";
	len = build_reply(buf, &r);
	CHECK(dhcp_packet_parse(buf, len, &reply) == 0);
	CHECK(reply.lease.domain[0] == '\0');

	/* A non-contiguous mask falls back to the classful prefix. */
	r.domain = NULL;
	r.mask = "255.0.255.0";
	len = build_reply(buf, &r);
	CHECK(dhcp_packet_parse(buf, len, &reply) == 0);
	CHECK(reply.lease.prefix_len == 24);
}

static void test_parse_malformed(void)
{
	struct srv_reply r = {
		.type = DHCP_OFFER, .xid = 1, .mac = mac, .yiaddr = "10.1.1.9",
		.server_id = "10.1.1.1", .lease = 60,
	};
	struct dhcp_reply reply;
	uint8_t buf[600];
	size_t len = build_reply(buf, &r);

	CHECK(dhcp_packet_parse(buf, len, &reply) == 0 && reply.type == DHCP_OFFER);
	CHECK(reply.lease.prefix_len == 8);	/* no mask: class A */
	CHECK(dhcp_packet_parse(buf, 239, &reply) == -EBADMSG);

	/* Option length running past the end. */
	buf[len - 1] = 3;
	buf[len] = 200;
	CHECK(dhcp_packet_parse(buf, len + 1, &reply) == -EBADMSG);
	/* Code without length byte. */
	CHECK(dhcp_packet_parse(buf, len, &reply) == -EBADMSG);
	buf[len - 1] = 255;

	/* Missing END is tolerated. */
	CHECK(dhcp_packet_parse(buf, len - 1, &reply) == 0);

	/* Wrong op, cookie, hardware length. */
	buf[0] = 1;
	CHECK(dhcp_packet_parse(buf, len, &reply) == -EBADMSG);
	buf[0] = 2;
	buf[236] = 0;
	CHECK(dhcp_packet_parse(buf, len, &reply) == -EBADMSG);
	buf[236] = 99;
	buf[2] = 16;
	CHECK(dhcp_packet_parse(buf, len, &reply) == -EBADMSG);
	buf[2] = 6;

	/* No message type. */
	buf[240] = 0;
	buf[241] = 0;
	buf[242] = 0;
	CHECK(dhcp_packet_parse(buf, len, &reply) == -EBADMSG);
}

static void test_parse_overload(void)
{
	struct srv_reply r = {
		.type = DHCP_ACK, .xid = 1, .mac = mac, .yiaddr = "10.1.1.9",
		.server_id = "10.1.1.1", .lease = 60,
	};
	struct dhcp_reply reply;
	uint8_t buf[600];
	size_t len = build_reply(buf, &r);

	/* Overload: file carries the router, sname the domain. */
	buf[len - 1] = 52;
	buf[len] = 1;
	buf[len + 1] = 3;
	buf[len + 2] = 255;
	len += 3;
	memcpy(buf + 108, (uint8_t[]){ 3, 4, 10, 1, 1, 254, 255 }, 7);
	memcpy(buf + 44, (uint8_t[]){ 15, 3, 'a', '.', 'b', 255 }, 6);
	CHECK(dhcp_packet_parse(buf, len, &reply) == 0);
	CHECK(reply.lease.router == ip("10.1.1.254"));
	CHECK(!strcmp(reply.lease.domain, "a.b"));

	/* An option overflowing the file field is an error. */
	buf[108 + 1] = 200;
	CHECK(dhcp_packet_parse(buf, len, &reply) == -EBADMSG);
}

static void test_wrap_unwrap(void)
{
	uint8_t frame[DHCP_IPUDP_LEN + 300];
	const uint8_t *payload;
	size_t plen, total;

	for (size_t i = 0; i < 300; i++)
		frame[DHCP_IPUDP_LEN + i] = i * 7;
	total = dhcp_packet_wrap(frame, 300, 0, 0xffffffff);
	CHECK(total == sizeof(frame));
	/* Our own frame goes to port 67: flip the ports to read it back. */
	frame[20] = 0;
	frame[21] = 67;
	frame[22] = 0;
	frame[23] = 68;
	CHECK(dhcp_packet_unwrap(frame, total, false, &payload, &plen) == 0);
	CHECK(plen == 300 && payload == frame + DHCP_IPUDP_LEN);

	/* Corrupt payload: caught unless the checksum is partial or absent. */
	frame[DHCP_IPUDP_LEN + 5] ^= 0xff;
	CHECK(dhcp_packet_unwrap(frame, total, false, &payload, &plen) == -EBADMSG);
	CHECK(dhcp_packet_unwrap(frame, total, true, &payload, &plen) == 0);
	frame[26] = frame[27] = 0;
	CHECK(dhcp_packet_unwrap(frame, total, false, &payload, &plen) == 0);

	/* Trailing link padding is ignored; truncation is not. */
	CHECK(dhcp_packet_unwrap(frame, total - 1, true, &payload, &plen) == -EBADMSG);

	/* Fragment, wrong port, bad IP checksum. */
	frame[6] = 0x20;
	CHECK(dhcp_packet_unwrap(frame, total, true, &payload, &plen) == -EBADMSG);
	frame[6] = 0;
	frame[23] = 67;
	CHECK(dhcp_packet_unwrap(frame, total, true, &payload, &plen) == -EBADMSG);
	frame[23] = 68;
	frame[8] = 1;
	CHECK(dhcp_packet_unwrap(frame, total, true, &payload, &plen) == -EBADMSG);
}

static struct dhcp_lease lease_of(const char *address, uint8_t prefix_len, const char *router)
{
	struct dhcp_lease l = {
		.address = ip(address), .prefix_len = prefix_len, .router = ip(router),
		.server_id = ip("10.1.1.1"), .lease_time = 600,
	};

	return l;
}

static void test_lease_check(void)
{
	static const struct { const char *address; uint8_t prefix; } refused[] = {
		{ "0.0.0.0", 24 }, { "0.1.2.3", 24 }, { "127.0.0.5", 8 }, { "224.0.0.5", 24 },
		{ "240.0.0.1", 24 }, { "255.255.255.255", 24 }, { "10.1.1.0", 24 },
		{ "10.1.1.255", 24 }, { "10.1.1.1", 24 }, { "10.1.1.5", 33 },
	};
	static const char *const bad_routers[] = {
		"10.1.1.9", "10.1.1.255", "10.1.1.0", "255.255.255.255", "127.0.0.1",
		"224.0.0.1", "10.1.2.1", "240.0.0.1",
	};
	static const char *const bad_domains[] = {
		"a b c", "a..b", ".", "-x y", "a.b c.d", ".lab",
	};
	struct dhcp_lease l;
	unsigned int dropped;
	const char *why;

	for (unsigned int i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		l = lease_of(refused[i].address, refused[i].prefix, "10.1.1.1");
		why = NULL;
		CHECK(dhcp_lease_check(&l, &dropped, &why) == -EADDRNOTAVAIL && why);
	}

	l = lease_of("10.1.1.9", 24, "10.1.1.1");
	CHECK(dhcp_lease_check(&l, &dropped, &why) == 0 && dropped == 0);
	CHECK(l.router == ip("10.1.1.1"));
	for (unsigned int i = 0; i < sizeof(bad_routers) / sizeof(bad_routers[0]); i++) {
		l = lease_of("10.1.1.9", 24, bad_routers[i]);
		CHECK(dhcp_lease_check(&l, &dropped, &why) == 0);
		CHECK(dropped == DHCP_DROPPED_ROUTER && l.router == 0);
	}

	/* RFC 3021: a /31 has no network or broadcast address; the peer routes. */
	l = lease_of("10.1.1.8", 31, "10.1.1.9");
	CHECK(dhcp_lease_check(&l, &dropped, &why) == 0 && dropped == 0);
	/* A /32 reaches no router: the address stays, the gateway goes. */
	l = lease_of("10.1.1.8", 32, "10.1.1.1");
	CHECK(dhcp_lease_check(&l, &dropped, &why) == 0 && dropped == DHCP_DROPPED_ROUTER);

	l = lease_of("10.1.1.9", 24, NULL);
	l.dns[0] = ip("127.0.0.1");
	l.dns[1] = ip("10.1.1.255");
	l.dns[2] = ip("10.1.1.2");
	l.dns[3] = ip("224.0.0.251");
	l.n_dns = 4;
	l.ntp[0] = ip("255.255.255.255");
	l.n_ntp = 1;
	CHECK(dhcp_lease_check(&l, &dropped, &why) == 0);
	CHECK(dropped == (DHCP_DROPPED_DNS | DHCP_DROPPED_NTP));
	CHECK(l.n_dns == 1 && l.dns[0] == ip("10.1.1.2") && l.n_ntp == 0);

	for (unsigned int i = 0; i < sizeof(bad_domains) / sizeof(bad_domains[0]); i++) {
		l = lease_of("10.1.1.9", 24, NULL);
		strcpy(l.domain, bad_domains[i]);
		CHECK(dhcp_lease_check(&l, &dropped, &why) == 0);
		CHECK(dropped == DHCP_DROPPED_DOMAIN && l.domain[0] == '\0');
	}
	l = lease_of("10.1.1.9", 24, NULL);
	strcpy(l.domain, "lab.example.");
	CHECK(dhcp_lease_check(&l, &dropped, &why) == 0 && dropped == 0);
	CHECK(!strcmp(l.domain, "lab.example."));
}

/* Appends option 252 with `n` bytes of `url` in place of the reply's END. */
static size_t with_pac(uint8_t *buf, size_t len, const char *url, size_t n)
{
	buf[len - 1] = 252;
	buf[len] = n;
	memcpy(buf + len + 1, url, n);
	buf[len + 1 + n] = 255;
	return len + 2 + n;
}

static void test_parse_pac_url(void)
{
	static const char url[] = "http://wpad.isp.lab/proxy.pac";
	struct srv_reply r = {
		.type = DHCP_ACK, .xid = 1, .mac = mac, .yiaddr = "10.1.1.9",
		.server_id = "10.1.1.1", .lease = 60,
	};
	struct dhcp_reply reply;
	uint8_t buf[600];
	size_t base = build_reply(buf, &r), len;
	char big[256];

	len = with_pac(buf, base, url, strlen(url));
	CHECK(dhcp_packet_parse(buf, len, &reply) == 0 && !strcmp(reply.lease.pac_url, url));
	/* Windows servers count a trailing NUL. */
	len = with_pac(buf, base, url, sizeof(url));
	CHECK(dhcp_packet_parse(buf, len, &reply) == 0 && !strcmp(reply.lease.pac_url, url));
	/* Absent, empty, only a NUL, a space or a control character: none. */
	buf[base - 1] = 255;
	CHECK(dhcp_packet_parse(buf, base, &reply) == 0 && !reply.lease.pac_url[0]);
	len = with_pac(buf, base, "", 0);
	CHECK(dhcp_packet_parse(buf, len, &reply) == 0 && !reply.lease.pac_url[0]);
	len = with_pac(buf, base, "\0", 1);
	CHECK(dhcp_packet_parse(buf, len, &reply) == 0 && !reply.lease.pac_url[0]);
	len = with_pac(buf, base, "http://a b/", 11);
	CHECK(dhcp_packet_parse(buf, len, &reply) == 0 && !reply.lease.pac_url[0]);
	len = with_pac(buf, base, "http://a\n/", 10);
	CHECK(dhcp_packet_parse(buf, len, &reply) == 0 && !reply.lease.pac_url[0]);
	len = with_pac(buf, base, "http://\xc3\xa9/", 9);
	CHECK(dhcp_packet_parse(buf, len, &reply) == 0 && !reply.lease.pac_url[0]);
	/* The longest one option holds (255) is kept whole. */
	memset(big, 'a', sizeof(big));
	memcpy(big, "http://", 7);
	len = with_pac(buf, base, big, 255);
	CHECK(dhcp_packet_parse(buf, len, &reply) == 0 && strlen(reply.lease.pac_url) == 255);
	/* Its length must stay inside the message. */
	len = with_pac(buf, base, url, strlen(url));
	buf[base] = 200;
	CHECK(dhcp_packet_parse(buf, len, &reply) == -EBADMSG);
}

/* Replaces the END of a built reply with `opts`, then END again. */
static size_t with_options(uint8_t *buf, size_t len, const void *opts, size_t n)
{
	memcpy(buf + len - 1, opts, n);
	buf[len - 1 + n] = 255;
	return len + n;
}

/* RFC 8910: option 114 carries the Captive-Portal API URI; split parts are
 * joined (RFC 3396), anything but printable ASCII without spaces drops it. */
static void test_parse_captive_portal(void)
{
	static const char split[] = "\x72\x0ahttps://ca\x72\x11ptive.example/api";
	static const char spaced[] = "\x72\x0bhttps://a b";
	static const char ctrl[] = "\x72\x06http\x01x";
	static const char zero[] = "\x72\x00";
	struct srv_reply r = {
		.type = DHCP_ACK, .xid = 1, .mac = mac, .yiaddr = "10.1.1.9",
		.server_id = "10.1.1.1", .lease = 60,
	};
	struct dhcp_reply reply;
	uint8_t buf[1200], long_opts[2 * 257];
	size_t len = build_reply(buf, &r);

	CHECK(dhcp_packet_parse(buf, len, &reply) == 0 && !reply.lease.captive_portal[0]);
	CHECK(dhcp_packet_parse(buf, with_options(buf, len, split, sizeof(split) - 1),
				&reply) == 0);
	CHECK(!strcmp(reply.lease.captive_portal, "https://captive.example/api"));
	CHECK(dhcp_packet_parse(buf, with_options(buf, len, spaced, sizeof(spaced) - 1),
				&reply) == 0 && !reply.lease.captive_portal[0]);
	CHECK(dhcp_packet_parse(buf, with_options(buf, len, ctrl, sizeof(ctrl) - 1),
				&reply) == 0 && !reply.lease.captive_portal[0]);
	CHECK(dhcp_packet_parse(buf, with_options(buf, len, zero, sizeof(zero) - 1),
				&reply) == 0 && !reply.lease.captive_portal[0]);
	/* Two full parts: longer than the lease keeps, dropped whole. */
	for (unsigned int i = 0; i < 2; i++) {
		long_opts[i * 257] = 114;
		long_opts[i * 257 + 1] = 255;
		memset(long_opts + i * 257 + 2, 'a', 255);
	}
	CHECK(dhcp_packet_parse(buf, with_options(buf, len, long_opts, sizeof(long_opts)),
				&reply) == 0 && !reply.lease.captive_portal[0]);
	/* One running past the end is a malformed message. */
	CHECK(dhcp_packet_parse(buf, with_options(buf, len, "\x72\x30https", 7) - 1,
				&reply) == -EBADMSG);
}

/* RFC 3442: option 121's routes, its default route instead of option 3's
 * router; split parts joined (RFC 3396); one that does not parse is ignored
 * whole (option 3 then counts); routes nobody can use are dropped. */
static void test_parse_classless_routes(void)
{
	/* 10.99/16 via 10.1.1.254, 172.16.5/24 on the link, default via 10.1.1.2 */
	static const char routes[] = "\x79\x14" "\x10\x0a\x63" "\x0a\x01\x01\xfe"
		"\x18\xac\x10\x05" "\x00\x00\x00\x00" "\x00" "\x0a\x01\x01\x02";
	/* the same, split after the first route */
	static const char split[] = "\x79\x07" "\x10\x0a\x63" "\x0a\x01\x01\xfe"
		"\x79\x0d" "\x18\xac\x10\x05" "\x00\x00\x00\x00" "\x00" "\x0a\x01\x01\x02";
	/* no default route; a prefix with bits past its width: 10.98.0.0/15 */
	static const char no_default[] = "\x79\x07" "\x0f\x0a\x63" "\x0a\x01\x01\xfe";
	static const char width_33[] = "\x79\x08" "\x21\x0a\x63\x00\x00\x00" "\x0a\x01";
	static const char cut[] = "\x79\x06" "\x10\x0a\x63" "\x0a\x01\x01";
	/* to loopback, to multicast, through a multicast gateway: dropped */
	static const char bad[] = "\x79\x12" "\x08\x7f" "\x0a\x01\x01\xfe" "\x04\xe0" "\x00\x00\x00\x00"
		"\x08\x0b" "\xe0\x00\x00\x01";
	struct srv_reply r = {
		.type = DHCP_ACK, .xid = 1, .mac = mac, .yiaddr = "10.1.1.9", .mask = "255.255.255.0",
		.router = "10.1.1.1", .server_id = "10.1.1.1", .lease = 60,
	};
	struct dhcp_reply reply;
	struct dhcp_lease *l = &reply.lease;
	uint8_t buf[1200];
	size_t len = build_reply(buf, &r);
	unsigned int dropped;
	const char *why;

	CHECK(dhcp_packet_parse(buf, len, &reply) == 0 && !l->classless && !l->n_routes);
	CHECK(l->router == ip("10.1.1.1"));
	for (unsigned int i = 0; i < 2; i++) {
		const char *opts = i ? split : routes;
		size_t n = i ? sizeof(split) - 1 : sizeof(routes) - 1;

		CHECK(dhcp_packet_parse(buf, with_options(buf, len, opts, n), &reply) == 0);
		CHECK(l->classless && !l->classless_bad && l->n_routes == 2);
		CHECK(l->router == ip("10.1.1.2"));	/* option 3 ignored */
		CHECK(l->routes[0].dst == ip("10.99.0.0") && l->routes[0].dst_len == 16);
		CHECK(l->routes[0].gateway == ip("10.1.1.254"));
		CHECK(l->routes[1].dst == ip("172.16.5.0") && l->routes[1].dst_len == 24);
		CHECK(l->routes[1].gateway == 0);
	}
	CHECK(dhcp_packet_parse(buf, with_options(buf, len, no_default, sizeof(no_default) - 1),
				&reply) == 0);
	CHECK(l->classless && l->router == 0 && l->n_routes == 1);
	CHECK(l->routes[0].dst == ip("10.98.0.0") && l->routes[0].dst_len == 15);
	CHECK(dhcp_packet_parse(buf, with_options(buf, len, width_33, sizeof(width_33) - 1),
				&reply) == 0);
	CHECK(!l->classless && l->classless_bad && !l->n_routes && l->router == ip("10.1.1.1"));
	CHECK(dhcp_packet_parse(buf, with_options(buf, len, cut, sizeof(cut) - 1), &reply) == 0);
	CHECK(!l->classless && l->classless_bad && l->router == ip("10.1.1.1"));
	CHECK(dhcp_packet_parse(buf, with_options(buf, len, bad, sizeof(bad) - 1), &reply) == 0);
	CHECK(l->classless && l->n_routes == 3 && l->router == 0);
	CHECK(dhcp_lease_check(l, &dropped, &why) == 0);
	CHECK(dropped == DHCP_DROPPED_ROUTES && l->n_routes == 0);
	/* More routes than kept: ignored whole rather than cut. */
	{
		uint8_t many[2 + (DHCP_MAX_ROUTES + 1) * 6];
		size_t n = 2;

		many[0] = 121;
		for (unsigned int i = 0; i <= DHCP_MAX_ROUTES; i++) {
			const uint8_t route[6] = { 8, (uint8_t)(20 + i), 0, 0, 0, 0 };

			memcpy(many + n, route, sizeof(route));
			n += sizeof(route);
		}
		many[1] = (uint8_t)(n - 2);
		CHECK(dhcp_packet_parse(buf, with_options(buf, len, many, n), &reply) == 0);
		CHECK(!l->classless && l->classless_bad && l->router == ip("10.1.1.1"));
	}
}

int main(void)
{
	test_build_discover();
	test_build_request_release();
	test_parse_ack();
	test_parse_malformed();
	test_parse_overload();
	test_parse_pac_url();
	test_wrap_unwrap();
	test_lease_check();
	test_parse_captive_portal();
	test_parse_classless_routes();
	printf("test-dhcp-packet: all passed\n");
	return 0;
}
