/* DHCPv4 message building and parsing; see dhcp-packet.h. */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

#include "dhcp-packet.h"
#include "wire.h"

#define BOOTREQUEST 1
#define BOOTREPLY 2
#define HTYPE_ETHER 1

/* Offsets in the fixed BOOTP header */
#define OFF_OP 0
#define OFF_HTYPE 1
#define OFF_HLEN 2
#define OFF_XID 4
#define OFF_SECS 8
#define OFF_CIADDR 12
#define OFF_YIADDR 16
#define OFF_CHADDR 28
#define OFF_SNAME 44
#define OFF_FILE 108
#define OFF_COOKIE 236
#define SNAME_LEN 64
#define FILE_LEN 128

enum {
	OPT_PAD = 0,
	OPT_SUBNET_MASK = 1,
	OPT_ROUTER = 3,
	OPT_DNS = 6,
	OPT_HOSTNAME = 12,
	OPT_DOMAIN = 15,
	OPT_MTU = 26,
	OPT_BROADCAST = 28,
	OPT_NTP = 42,
	OPT_REQUESTED_ADDRESS = 50,
	OPT_LEASE_TIME = 51,
	OPT_OVERLOAD = 52,
	OPT_MSG_TYPE = 53,
	OPT_SERVER_ID = 54,
	OPT_PARAM_REQUEST = 55,
	OPT_T1 = 58,
	OPT_T2 = 59,
	OPT_CLIENT_ID = 61,
	OPT_CAPTIVE_PORTAL = 114,	/* RFC 8910: the Captive-Portal API URI */
	OPT_CLASSLESS_ROUTES = 121,	/* RFC 3442 */
	OPT_PAC_URL = 252,	/* draft-ietf-wrec-wpad: a proxy auto-config URL */
	OPT_END = 255,
};

static const uint8_t magic_cookie[4] = { 99, 130, 83, 99 };

static const uint8_t requested_params[] = {
	OPT_SUBNET_MASK, OPT_ROUTER, OPT_DNS, OPT_HOSTNAME, OPT_DOMAIN, OPT_MTU,
	OPT_BROADCAST, OPT_NTP, OPT_LEASE_TIME, OPT_SERVER_ID, OPT_T1, OPT_T2,
	OPT_PAC_URL,
	OPT_CAPTIVE_PORTAL,
	OPT_CLASSLESS_ROUTES,
};

/* Addresses stay in network order: copy bytes, do not convert. */
static uint32_t get_addr(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint8_t *put_option(uint8_t *p, uint8_t code, const void *data, uint8_t len)
{
	p[0] = code;
	p[1] = len;
	memcpy(p + 2, data, len);
	return p + 2 + len;
}

int dhcp_packet_build(const struct dhcp_request *req, uint8_t *buf, size_t size)
{
	uint8_t client_id[7] = { HTYPE_ETHER };
	uint8_t type = req->type;
	uint8_t *p;
	size_t len;

	if (size < DHCP_MAX_MSG_LEN)
		return -ENOSPC;
	memset(buf, 0, DHCP_MAX_MSG_LEN);
	buf[OFF_OP] = BOOTREQUEST;
	buf[OFF_HTYPE] = HTYPE_ETHER;
	buf[OFF_HLEN] = 6;
	put_be32(buf + OFF_XID, req->xid);
	put_be16(buf + OFF_SECS, req->secs);
	memcpy(buf + OFF_CIADDR, &req->ciaddr, 4);
	memcpy(buf + OFF_CHADDR, req->mac, 6);
	memcpy(buf + OFF_COOKIE, magic_cookie, 4);

	p = buf + DHCP_HEADER_LEN;
	p = put_option(p, OPT_MSG_TYPE, &type, 1);
	memcpy(client_id + 1, req->mac, 6);
	p = put_option(p, OPT_CLIENT_ID, client_id, sizeof(client_id));
	if (req->requested_address)
		p = put_option(p, OPT_REQUESTED_ADDRESS, &req->requested_address, 4);
	if (req->server_id)
		p = put_option(p, OPT_SERVER_ID, &req->server_id, 4);
	if (type == DHCP_DISCOVER || type == DHCP_REQUEST || type == DHCP_INFORM)
		p = put_option(p, OPT_PARAM_REQUEST, requested_params,
			       sizeof(requested_params));
	*p++ = OPT_END;

	len = p - buf;
	return len < DHCP_MIN_MSG_LEN ? DHCP_MIN_MSG_LEN : (int)len;
}

/* Options seen while walking the option areas; finished into the lease. */
struct parse_state {
	struct dhcp_reply *reply;
	uint8_t type;
	uint8_t overload;
	bool have_mask, have_t1, have_t2;
	uint32_t mask;		/* host order */
	uint32_t t1, t2;
	char domain[sizeof(((struct dhcp_lease *)0)->domain)];
	size_t domain_len;
	char hostname[sizeof(((struct dhcp_lease *)0)->hostname)];
	size_t hostname_len;
	char pac_url[sizeof(((struct dhcp_lease *)0)->pac_url)];
	size_t pac_url_len;
	char portal[sizeof(((struct dhcp_lease *)0)->captive_portal)];
	size_t portal_len;
	/* Option 121, its instances joined (RFC 3396): up to 5 bytes a route */
	char routes[(DHCP_MAX_ROUTES + 1) * 9 + 1];
	size_t routes_len;
	bool have_routes;
};

static void append_addrs(uint32_t *list, unsigned int *n, const uint8_t *data, uint8_t len)
{
	for (unsigned int i = 0; i + 4 <= len && *n < DHCP_MAX_SERVERS; i += 4) {
		uint32_t a = get_addr(data + i);

		if (a)
			list[(*n)++] = a;
	}
}

/* Long strings may be split over several instances (RFC 3396): concatenate.
 * An overlong string is dropped whole rather than cut. */
static void append_string(char *dst, size_t size, size_t *len, const uint8_t *data,
			  uint8_t n)
{
	if (*len == SIZE_MAX)
		return;
	if (*len + n >= size) {
		*len = SIZE_MAX;
		return;
	}
	memcpy(dst + *len, data, n);
	*len += n;
}

static void handle_option(struct parse_state *st, uint8_t code, const uint8_t *data,
			  uint8_t len)
{
	struct dhcp_lease *l = &st->reply->lease;

	switch (code) {
	case OPT_SUBNET_MASK:
		if (len == 4) {
			st->have_mask = true;
			st->mask = get_be32(data);
		}
		break;
	case OPT_ROUTER:
		if (len >= 4 && len % 4 == 0)
			l->router = get_addr(data);
		break;
	case OPT_DNS:
		if (len % 4 == 0)
			append_addrs(l->dns, &l->n_dns, data, len);
		break;
	case OPT_NTP:
		if (len % 4 == 0)
			append_addrs(l->ntp, &l->n_ntp, data, len);
		break;
	case OPT_HOSTNAME:
		append_string(st->hostname, sizeof(st->hostname), &st->hostname_len, data, len);
		break;
	case OPT_DOMAIN:
		append_string(st->domain, sizeof(st->domain), &st->domain_len, data, len);
		break;
	case OPT_PAC_URL:
		append_string(st->pac_url, sizeof(st->pac_url), &st->pac_url_len, data, len);
		break;
	case OPT_CAPTIVE_PORTAL:
		append_string(st->portal, sizeof(st->portal), &st->portal_len, data, len);
		break;
	case OPT_CLASSLESS_ROUTES:
		st->have_routes = true;
		append_string(st->routes, sizeof(st->routes), &st->routes_len, data, len);
		break;
	case OPT_MTU:
		if (len == 2 && get_be16(data) >= 68)
			l->mtu = get_be16(data);
		break;
	case OPT_BROADCAST:
		if (len == 4)
			l->broadcast = get_addr(data);
		break;
	case OPT_LEASE_TIME:
		if (len == 4)
			l->lease_time = get_be32(data);
		break;
	case OPT_OVERLOAD:
		if (len == 1 && data[0] >= 1 && data[0] <= 3)
			st->overload = data[0];
		break;
	case OPT_MSG_TYPE:
		if (len == 1)
			st->type = data[0];
		break;
	case OPT_SERVER_ID:
		if (len == 4)
			l->server_id = get_addr(data);
		break;
	case OPT_T1:
		if (len == 4) {
			st->have_t1 = true;
			st->t1 = get_be32(data);
		}
		break;
	case OPT_T2:
		if (len == 4) {
			st->have_t2 = true;
			st->t2 = get_be32(data);
		}
		break;
	}
}

/* Walks one option area. A missing END is tolerated; an option running past
 * the end of its area is not. */
static int parse_area(struct parse_state *st, const uint8_t *p, size_t len, bool top)
{
	size_t i = 0;

	while (i < len) {
		uint8_t code = p[i++], olen;

		if (code == OPT_PAD)
			continue;
		if (code == OPT_END)
			return 0;
		if (i >= len)
			return -EBADMSG;
		olen = p[i++];
		if (olen > len - i)
			return -EBADMSG;
		/* Overloading is only meaningful in the options field itself. */
		if (code != OPT_OVERLOAD || top)
			handle_option(st, code, p + i, olen);
		i += olen;
	}
	return 0;
}

/* Host and domain names end up in resolv.conf and logs: keep them plain. */
static void finish_name(char *dst, size_t size, const char *src, size_t len, bool spaces)
{
	dst[0] = '\0';
	if (len == SIZE_MAX)
		return;
	while (len > 0 && src[len - 1] == '\0')
		len--;
	for (size_t i = 0; i < len; i++) {
		char c = src[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
		    (spaces && c == ' '))
			continue;
		return;
	}
	if (len >= size)
		return;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* The PAC URL goes to D-Bus clients that fetch it, the Captive-Portal API
 * URI to our HTTPS client and the log: printable ASCII without spaces, or
 * nothing. Windows servers end strings with a NUL, which is dropped. */
static void finish_url(char *dst, size_t size, const char *src, size_t len)
{
	dst[0] = '\0';
	if (len == SIZE_MAX)
		return;
	while (len > 0 && src[len - 1] == '\0')
		len--;
	if (len == 0 || len >= size)
		return;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)src[i] <= ' ' || (unsigned char)src[i] > '~')
			return;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* RFC 3442: each route is its prefix length, the prefix's significant
 * octets and the router. Returns false for an option that does not parse
 * (or has more routes than kept), which is then ignored as a whole. */
static bool parse_routes(const uint8_t *p, size_t len, struct dhcp_lease *l)
{
	bool have_default = false;
	size_t i = 0;

	l->n_routes = 0;
	while (i < len) {
		uint8_t width = p[i++], octets = (width + 7) / 8;
		uint32_t dst = 0, gateway;

		if (width > 32 || len - i < (size_t)octets + 4)
			return false;
		memcpy(&dst, p + i, octets);
		gateway = get_addr(p + i + octets);
		i += octets + 4;
		if (width == 0) {
			if (!have_default)
				l->router = gateway;
			have_default = true;
			continue;
		}
		if (l->n_routes == DHCP_MAX_ROUTES)
			return false;
		dst &= htonl(~0u << (32 - width));
		l->routes[l->n_routes++] = (struct dhcp_route) {
			.dst = dst, .dst_len = width, .gateway = gateway,
		};
	}
	if (!have_default)
		l->router = 0;
	return true;
}

static void finish_routes(struct parse_state *st, struct dhcp_lease *l)
{
	uint32_t router = l->router;

	if (!st->have_routes)
		return;
	l->classless = st->routes_len != SIZE_MAX &&
		       parse_routes((const uint8_t *)st->routes, st->routes_len, l);
	if (!l->classless) {
		l->classless_bad = true;
		l->router = router;
		l->n_routes = 0;
	}
}

static uint8_t classful_prefix(uint32_t address)
{
	uint8_t first = ((const uint8_t *)&address)[0];

	if (first < 128)
		return 8;
	if (first < 192)
		return 16;
	return 24;
}

static int mask_to_prefix(uint32_t mask)
{
	int prefix = 0;

	while (prefix < 32 && (mask & (0x80000000u >> prefix)))
		prefix++;
	if (prefix < 32 && (mask << prefix) != 0)
		return -1;	/* not contiguous */
	return prefix;
}

/* RFC 2131 4.4.5: T1 defaults to half the lease, T2 to 7/8; keep
 * 0 < T1 < T2 < lease so the timers fire in order. */
static void finish_timers(struct parse_state *st, struct dhcp_lease *l)
{
	uint32_t lease = l->lease_time;

	if (lease == 0xffffffff) {
		l->t1 = l->t2 = 0xffffffff;
		return;
	}
	l->t2 = (uint32_t)((uint64_t)lease * 7 / 8);
	if (st->have_t2 && st->t2 > 0 && st->t2 < lease)
		l->t2 = st->t2;
	l->t1 = lease / 2 < l->t2 ? lease / 2 : l->t2 / 2;
	if (st->have_t1 && st->t1 > 0 && st->t1 < l->t2)
		l->t1 = st->t1;
}

static void finish_lease(struct parse_state *st, struct dhcp_lease *l)
{
	int prefix = st->have_mask ? mask_to_prefix(st->mask) : -1;

	l->prefix_len = prefix > 0 ? prefix : classful_prefix(l->address);
	finish_timers(st, l);
	finish_name(l->domain, sizeof(l->domain), st->domain, st->domain_len, true);
	finish_name(l->hostname, sizeof(l->hostname), st->hostname, st->hostname_len, false);
	finish_url(l->pac_url, sizeof(l->pac_url), st->pac_url, st->pac_url_len);
	finish_url(l->captive_portal, sizeof(l->captive_portal), st->portal, st->portal_len);
	finish_routes(st, l);
}

/* Host order helpers for dhcp_lease_check(). */
static bool unicast_host(uint32_t a)
{
	uint8_t first = a >> 24;

	return first != 0 && first != 127 && first < 224;
}

static uint32_t prefix_mask(uint8_t prefix_len)
{
	return prefix_len ? ~0u << (32 - prefix_len) : 0;
}

/* The network and broadcast addresses of a subnet of /30 or wider. */
static bool subnet_edge(uint32_t a, uint8_t prefix_len)
{
	uint32_t host = a & ~prefix_mask(prefix_len);

	return prefix_len <= 30 && (host == 0 || host == ~prefix_mask(prefix_len));
}

static const char *address_problem(const struct dhcp_lease *l)
{
	uint32_t a = ntohl(l->address);

	if (!unicast_host(a))
		return "not a unicast host address";
	if (l->prefix_len > 32)
		return "an invalid prefix";
	if (subnet_edge(a, l->prefix_len))
		return "the network or broadcast address of its subnet";
	if (l->address == l->server_id)
		return "the server's own address";
	return NULL;
}

static bool router_usable(const struct dhcp_lease *l)
{
	uint32_t r = ntohl(l->router), mask = prefix_mask(l->prefix_len);

	return unicast_host(r) && l->router != l->address && l->prefix_len < 32 &&
	       (r & mask) == (ntohl(l->address) & mask) && !subnet_edge(r, l->prefix_len);
}

/* A route somewhere a host may send to, through a gateway that is a host
 * other than us (or none: on the link). */
static bool route_usable(const struct dhcp_lease *l, const struct dhcp_route *r)
{
	uint32_t dst = ntohl(r->dst), gw = ntohl(r->gateway);
	uint8_t first = dst >> 24;

	if (first == 127 || first >= 224 || (first == 0 && r->dst_len >= 8))
		return false;
	return !r->gateway || (unicast_host(gw) && r->gateway != l->address);
}

static bool filter_routes(struct dhcp_lease *l)
{
	unsigned int kept = 0, before = l->n_routes;

	for (unsigned int i = 0; i < before; i++)
		if (route_usable(l, &l->routes[i]))
			l->routes[kept++] = l->routes[i];
	l->n_routes = kept;
	return kept != before;
}

/* Keeps the servers that are unicast hosts and not the subnet's broadcast. */
static bool filter_servers(const struct dhcp_lease *l, uint32_t *list, unsigned int *n)
{
	unsigned int kept = 0, before = *n;
	uint32_t mask = prefix_mask(l->prefix_len);

	for (unsigned int i = 0; i < before; i++) {
		uint32_t s = ntohl(list[i]);
		bool bcast = l->prefix_len <= 30 && (s | mask) == 0xffffffffu &&
			     (s & mask) == (ntohl(l->address) & mask);

		if (unicast_host(s) && !bcast)
			list[kept++] = list[i];
	}
	*n = kept;
	return kept != before;
}

/* One domain name (RFC 1035 labels of 1 to 63 characters, 253 in all). */
static bool domain_valid(const char *name)
{
	size_t len = strlen(name), label = 0;

	if (len > 0 && name[len - 1] == '.')
		len--;
	if (len == 0 || len > 253)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];

		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_') || ++label > 63)
			return false;
	}
	return label > 0;
}

int dhcp_lease_check(struct dhcp_lease *l, unsigned int *dropped, const char **why)
{
	*dropped = 0;
	*why = address_problem(l);
	if (*why)
		return -EADDRNOTAVAIL;
	if (l->router && !router_usable(l)) {
		l->router = 0;
		*dropped |= DHCP_DROPPED_ROUTER;
	}
	if (filter_routes(l))
		*dropped |= DHCP_DROPPED_ROUTES;
	if (filter_servers(l, l->dns, &l->n_dns))
		*dropped |= DHCP_DROPPED_DNS;
	if (filter_servers(l, l->ntp, &l->n_ntp))
		*dropped |= DHCP_DROPPED_NTP;
	if (l->domain[0] && !domain_valid(l->domain)) {
		l->domain[0] = '\0';
		*dropped |= DHCP_DROPPED_DOMAIN;
	}
	return 0;
}

int dhcp_packet_parse(const uint8_t *buf, size_t len, struct dhcp_reply *reply)
{
	struct parse_state st = { .reply = reply };
	int err;

	if (len < DHCP_HEADER_LEN || buf[OFF_OP] != BOOTREPLY ||
	    buf[OFF_HTYPE] != HTYPE_ETHER || buf[OFF_HLEN] != 6 ||
	    memcmp(buf + OFF_COOKIE, magic_cookie, 4))
		return -EBADMSG;

	memset(reply, 0, sizeof(*reply));
	reply->xid = get_be32(buf + OFF_XID);
	memcpy(reply->chaddr, buf + OFF_CHADDR, 6);
	reply->lease.address = get_addr(buf + OFF_YIADDR);

	err = parse_area(&st, buf + DHCP_HEADER_LEN, len - DHCP_HEADER_LEN, true);
	if (!err && (st.overload & 1))
		err = parse_area(&st, buf + OFF_FILE, FILE_LEN, false);
	if (!err && (st.overload & 2))
		err = parse_area(&st, buf + OFF_SNAME, SNAME_LEN, false);
	if (err || st.type < DHCP_DISCOVER || st.type > DHCP_INFORM)
		goto bad;

	reply->type = st.type;
	if (st.type == DHCP_OFFER || st.type == DHCP_ACK)
		finish_lease(&st, &reply->lease);
	return 0;

bad:
	memset(reply, 0, sizeof(*reply));
	return -EBADMSG;
}

/* One's complement sum of big-endian 16-bit words, not yet folded. */
/* Server side: client messages in, replies out. */

static void client_option(struct dhcp_client_msg *msg, uint8_t code, const uint8_t *data,
			  uint8_t len)
{
	switch (code) {
	case OPT_MSG_TYPE:
		if (len == 1)
			msg->type = data[0];
		break;
	case OPT_REQUESTED_ADDRESS:
		if (len == 4)
			msg->requested_address = get_addr(data);
		break;
	case OPT_SERVER_ID:
		if (len == 4)
			msg->server_id = get_addr(data);
		break;
	case OPT_CLIENT_ID:
		if (len >= 2 && len <= sizeof(msg->client_id)) {
			memcpy(msg->client_id, data, len);
			msg->client_id_len = len;
		}
		break;
	case OPT_HOSTNAME:
		finish_name(msg->hostname, sizeof(msg->hostname), (const char *)data, len, false);
		break;
	}
}

int dhcp_packet_parse_client(const uint8_t *buf, size_t len, struct dhcp_client_msg *msg)
{
	const uint8_t *p = buf + DHCP_HEADER_LEN, *end = buf + len;

	memset(msg, 0, sizeof(*msg));
	if (len < DHCP_HEADER_LEN || buf[OFF_OP] != BOOTREQUEST || buf[OFF_HTYPE] != HTYPE_ETHER ||
	    buf[OFF_HLEN] != 6 || memcmp(buf + OFF_COOKIE, magic_cookie, 4))
		return -EBADMSG;
	msg->xid = get_be32(buf + OFF_XID);
	msg->flags = get_be16(buf + OFF_SECS + 2);
	msg->ciaddr = get_addr(buf + OFF_CIADDR);
	memcpy(msg->chaddr, buf + OFF_CHADDR, 6);
	while (p < end && *p != OPT_END) {
		if (*p == OPT_PAD) {
			p++;
			continue;
		}
		if (p + 2 > end || p + 2 + p[1] > end)
			return -EBADMSG;
		client_option(msg, p[0], p + 2, p[1]);
		p += 2 + p[1];
	}
	if (msg->type < DHCP_DISCOVER || msg->type > DHCP_INFORM)
		return -EBADMSG;
	if (!msg->client_id_len) {
		msg->client_id[0] = HTYPE_ETHER;
		memcpy(msg->client_id + 1, msg->chaddr, 6);
		msg->client_id_len = 7;
	}
	return 0;
}

int dhcp_packet_build_reply(const struct dhcp_server_reply *r, uint8_t *buf, size_t size)
{
	uint32_t mask = r->prefix_len ? htonl(~0u << (32 - r->prefix_len)) : 0;
	uint32_t broadcast = (r->yiaddr & mask) | ~mask, t1, t2, lease;
	uint8_t type = r->type;
	uint8_t *p;
	size_t len;

	if (size < DHCP_MAX_MSG_LEN)
		return -ENOSPC;
	memset(buf, 0, DHCP_MAX_MSG_LEN);
	buf[OFF_OP] = BOOTREPLY;
	buf[OFF_HTYPE] = HTYPE_ETHER;
	buf[OFF_HLEN] = 6;
	put_be32(buf + OFF_XID, r->xid);
	put_be16(buf + OFF_SECS + 2, r->flags);
	memcpy(buf + OFF_CIADDR, &r->ciaddr, 4);
	memcpy(buf + OFF_YIADDR, &r->yiaddr, 4);
	memcpy(buf + OFF_CHADDR, r->chaddr, 6);
	memcpy(buf + OFF_COOKIE, magic_cookie, 4);
	p = buf + DHCP_HEADER_LEN;
	p = put_option(p, OPT_MSG_TYPE, &type, 1);
	p = put_option(p, OPT_SERVER_ID, &r->server_id, 4);
	if (r->type != DHCP_NAK) {
		if (r->lease_time) {
			lease = htonl(r->lease_time);
			t1 = htonl(r->lease_time / 2);
			t2 = htonl(r->lease_time / 8 * 7);
			p = put_option(p, OPT_LEASE_TIME, &lease, 4);
			p = put_option(p, OPT_T1, &t1, 4);
			p = put_option(p, OPT_T2, &t2, 4);
		}
		p = put_option(p, OPT_SUBNET_MASK, &mask, 4);
		if (r->yiaddr)
			p = put_option(p, OPT_BROADCAST, &broadcast, 4);
		if (r->router)
			p = put_option(p, OPT_ROUTER, &r->router, 4);
		if (r->n_dns)
			p = put_option(p, OPT_DNS, r->dns, r->n_dns * 4);
		if (r->domain[0])
			p = put_option(p, OPT_DOMAIN, r->domain, strlen(r->domain));
	}
	*p++ = OPT_END;
	len = p - buf;
	return len < DHCP_MIN_MSG_LEN ? DHCP_MIN_MSG_LEN : (int)len;
}

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += get_be16(p + i);
	if (i < len)
		sum += p[i] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static uint32_t pseudo_header_sum(const uint8_t *ip, uint16_t udp_len)
{
	uint32_t sum = csum_add(0, ip + 12, 8);	/* source and destination */

	return sum + 17 + udp_len;
}

size_t dhcp_packet_wrap(uint8_t *buf, size_t payload_len, uint32_t src, uint32_t dst)
{
	uint8_t *ip = buf, *udp = buf + 20;
	uint16_t udp_len = (uint16_t)(8 + payload_len);
	uint16_t total = (uint16_t)(DHCP_IPUDP_LEN + payload_len);
	uint16_t sum;

	memset(buf, 0, DHCP_IPUDP_LEN);
	ip[0] = 0x45;
	put_be16(ip + 2, total);
	ip[8] = 64;		/* TTL */
	ip[9] = 17;		/* UDP */
	memcpy(ip + 12, &src, 4);
	memcpy(ip + 16, &dst, 4);
	put_be16(ip + 10, (uint16_t)~csum_fold(csum_add(0, ip, 20)));

	put_be16(udp, DHCP_CLIENT_PORT);
	put_be16(udp + 2, DHCP_SERVER_PORT);
	put_be16(udp + 4, udp_len);
	sum = ~csum_fold(csum_add(pseudo_header_sum(ip, udp_len), udp, udp_len));
	put_be16(udp + 6, sum ? sum : 0xffff);
	return total;
}

int dhcp_packet_unwrap(const uint8_t *buf, size_t len, bool csum_partial,
		       const uint8_t **payload, size_t *payload_len)
{
	size_t ihl, total, udp_len;
	const uint8_t *udp;

	if (len < 20 || (buf[0] >> 4) != 4)
		return -EBADMSG;
	ihl = (buf[0] & 0x0f) * 4u;
	total = get_be16(buf + 2);
	if (ihl < 20 || total > len || total < ihl + 8)
		return -EBADMSG;
	/* More-fragments flag or an offset: we do not reassemble. */
	if ((get_be16(buf + 6) & 0x3fff) || buf[9] != 17)
		return -EBADMSG;
	/* The IP header checksum is always computed in software, even when
	 * the UDP checksum is left to offload. */
	if (csum_fold(csum_add(0, buf, ihl)) != 0xffff)
		return -EBADMSG;

	udp = buf + ihl;
	udp_len = get_be16(udp + 4);
	if (get_be16(udp + 2) != DHCP_CLIENT_PORT || udp_len < 8 || udp_len > total - ihl)
		return -EBADMSG;
	if (!csum_partial && get_be16(udp + 6) != 0 &&
	    csum_fold(csum_add(pseudo_header_sum(buf, udp_len), udp, udp_len)) != 0xffff)
		return -EBADMSG;

	*payload = udp + 8;
	*payload_len = udp_len - 8;
	return 0;
}

const char *dhcp_msg_type_name(enum dhcp_msg_type type)
{
	switch (type) {
	case DHCP_DISCOVER:
		return "DISCOVER";
	case DHCP_OFFER:
		return "OFFER";
	case DHCP_REQUEST:
		return "REQUEST";
	case DHCP_DECLINE:
		return "DECLINE";
	case DHCP_ACK:
		return "ACK";
	case DHCP_NAK:
		return "NAK";
	case DHCP_RELEASE:
		return "RELEASE";
	case DHCP_INFORM:
		return "INFORM";
	}
	return "unknown";
}
