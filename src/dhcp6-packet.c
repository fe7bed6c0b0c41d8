/* DHCPv6 message building and parsing; see dhcp6-packet.h. */
#include <errno.h>
#include <string.h>

#include "dhcp6-packet.h"
#include "dns-name.h"
#include "wire.h"

enum {
	OPT_CLIENTID = 1,
	OPT_SERVERID = 2,
	OPT_IA_NA = 3,
	OPT_IAADDR = 5,
	OPT_ORO = 6,
	OPT_PREFERENCE = 7,
	OPT_ELAPSED_TIME = 8,
	OPT_STATUS_CODE = 13,
	OPT_RAPID_COMMIT = 14,
	OPT_DNS_SERVERS = 23,
	OPT_DOMAIN_LIST = 24,
	OPT_IA_PD = 25,
	OPT_IAPREFIX = 26,
	OPT_SNTP_SERVERS = 31,
	OPT_INFO_REFRESH_TIME = 32,
	OPT_NTP_SERVER = 56,
	OPT_SOL_MAX_RT = 82,
	OPT_INF_MAX_RT = 83,
};

#define NTP_SUBOPT_SRV_ADDR 1
#define HDR_LEN 4		/* type, 3 octets of transaction id */
#define OPT_HDR_LEN 4		/* code, length */
#define IA_HDR_LEN 12		/* IAID, T1, T2 */
#define IAADDR_LEN 24		/* address, preferred, valid */
#define IAPREFIX_LEN 25		/* preferred, valid, length, prefix */

/* A bounded writer: once out of room it stays so, and build says -ENOSPC. */
struct writer {
	uint8_t *buf;
	size_t size, len;
	bool full;
};

static uint8_t *reserve(struct writer *w, size_t n)
{
	uint8_t *p;

	if (w->full || w->size - w->len < n) {
		w->full = true;
		return NULL;
	}
	p = w->buf + w->len;
	w->len += n;
	return p;
}

/* Returns where the option's length goes, to be fixed by end_option(). */
static size_t begin_option(struct writer *w, uint16_t code)
{
	uint8_t *p = reserve(w, OPT_HDR_LEN);

	if (p)
		put_be16(p, code);
	return w->len;
}

static void end_option(struct writer *w, size_t start)
{
	if (!w->full)
		put_be16(w->buf + start - 2, (uint16_t)(w->len - start));
}

static void put_option(struct writer *w, uint16_t code, const void *data, size_t len)
{
	size_t start = begin_option(w, code);
	uint8_t *p = reserve(w, len);

	if (p && len)
		memcpy(p, data, len);
	end_option(w, start);
}

static void put_u32(struct writer *w, uint32_t v)
{
	uint8_t *p = reserve(w, 4);

	if (p)
		put_be32(p, v);
}

static void put_ia_na(struct writer *w, const struct dhcp6_request *req)
{
	size_t ia = begin_option(w, OPT_IA_NA);

	/* T1 and T2 0: the server chooses (RFC 8415 21.4). */
	put_u32(w, req->iaid);
	put_u32(w, 0);
	put_u32(w, 0);
	for (unsigned int i = 0; i < req->n_addrs; i++) {
		uint8_t body[IAADDR_LEN] = { 0 };

		memcpy(body, &req->addrs[i].address, 16);
		put_option(w, OPT_IAADDR, body, sizeof(body));
	}
	end_option(w, ia);
}

static void put_ia_pd(struct writer *w, const struct dhcp6_request *req)
{
	size_t ia = begin_option(w, OPT_IA_PD);

	put_u32(w, req->pd_iaid);
	put_u32(w, 0);
	put_u32(w, 0);
	for (unsigned int i = 0; i < req->n_prefixes; i++) {
		/* Preferred and valid 0, then the length and the prefix (21.22). */
		uint8_t body[IAPREFIX_LEN] = { 0 };

		body[8] = req->prefixes[i].len;
		memcpy(body + 9, &req->prefixes[i].prefix, 16);
		put_option(w, OPT_IAPREFIX, body, sizeof(body));
	}
	end_option(w, ia);
}

static void put_oro(struct writer *w, enum dhcp6_msg_type type)
{
	uint16_t codes[8];
	uint8_t body[sizeof(codes)];
	unsigned int n = 0;

	codes[n++] = OPT_DNS_SERVERS;
	codes[n++] = OPT_DOMAIN_LIST;
	codes[n++] = OPT_SNTP_SERVERS;
	codes[n++] = OPT_NTP_SERVER;
	if (type == DHCP6_SOLICIT)
		codes[n++] = OPT_SOL_MAX_RT;
	if (type == DHCP6_INFORMATION_REQUEST) {
		codes[n++] = OPT_INFO_REFRESH_TIME;
		codes[n++] = OPT_INF_MAX_RT;
	}
	for (unsigned int i = 0; i < n; i++)
		put_be16(body + 2 * i, codes[i]);
	put_option(w, OPT_ORO, body, 2 * n);
}

static bool client_sends(enum dhcp6_msg_type type)
{
	switch (type) {
	case DHCP6_SOLICIT:
	case DHCP6_REQUEST:
	case DHCP6_CONFIRM:
	case DHCP6_RENEW:
	case DHCP6_REBIND:
	case DHCP6_RELEASE:
	case DHCP6_DECLINE:
	case DHCP6_INFORMATION_REQUEST:
		return true;
	case DHCP6_ADVERTISE:
	case DHCP6_REPLY:
	case DHCP6_RECONFIGURE:
		return false;
	}
	return false;
}

static bool asks_options(enum dhcp6_msg_type type)
{
	return type == DHCP6_SOLICIT || type == DHCP6_REQUEST || type == DHCP6_RENEW ||
	       type == DHCP6_REBIND || type == DHCP6_INFORMATION_REQUEST;
}

int dhcp6_packet_build(const struct dhcp6_request *req, uint8_t *buf, size_t size)
{
	struct writer w = { .buf = buf, .size = size };
	uint8_t *hdr = reserve(&w, HDR_LEN);
	uint8_t elapsed[2];

	if (!client_sends(req->type) || !req->client_id || !req->client_id->len)
		return -EINVAL;
	if (!hdr)
		return -ENOSPC;
	hdr[0] = req->type;
	hdr[1] = req->xid >> 16;
	hdr[2] = req->xid >> 8;
	hdr[3] = req->xid;
	put_option(&w, OPT_CLIENTID, req->client_id->data, req->client_id->len);
	if (req->server_id && req->server_id->len)
		put_option(&w, OPT_SERVERID, req->server_id->data, req->server_id->len);
	put_be16(elapsed, req->elapsed_cs);
	put_option(&w, OPT_ELAPSED_TIME, elapsed, 2);
	if (req->rapid_commit && req->type == DHCP6_SOLICIT)
		put_option(&w, OPT_RAPID_COMMIT, NULL, 0);
	if (req->ia_na)
		put_ia_na(&w, req);
	if (req->ia_pd)
		put_ia_pd(&w, req);
	if (asks_options(req->type))
		put_oro(&w, req->type);
	return w.full ? -ENOSPC : (int)w.len;
}

/* Walks options[0..len): calls fn for each; -EBADMSG if one runs past the end. */
typedef void (*option_fn)(uint16_t code, const uint8_t *data, uint16_t len, void *ctx);

static int walk_options(const uint8_t *p, size_t len, option_fn fn, void *ctx)
{
	size_t off = 0;

	while (off < len) {
		uint16_t code, opt_len;

		if (len - off < OPT_HDR_LEN)
			return -EBADMSG;
		code = get_be16(p + off);
		opt_len = get_be16(p + off + 2);
		if (len - off - OPT_HDR_LEN < opt_len)
			return -EBADMSG;
		fn(code, p + off + OPT_HDR_LEN, opt_len, ctx);
		off += OPT_HDR_LEN + opt_len;
	}
	return 0;
}

/* A status code option: 2 octets of code, then a UTF-8 message. */
static bool read_status(const uint8_t *data, uint16_t len, uint16_t *status)
{
	if (len < 2)
		return false;
	*status = get_be16(data);
	return true;
}

/* An address a host may configure: not unspecified, loopback, multicast,
 * link-local, or IPv4-mapped. */
static bool unicast_global(const struct in6_addr *a)
{
	return !IN6_IS_ADDR_UNSPECIFIED(a) && !IN6_IS_ADDR_LOOPBACK(a) &&
	       !IN6_IS_ADDR_MULTICAST(a) && !IN6_IS_ADDR_LINKLOCAL(a) &&
	       !IN6_IS_ADDR_V4MAPPED(a);
}

/* A server may be link-local (resolvers get it with its zone). */
static bool unicast_server(const struct in6_addr *a)
{
	return !IN6_IS_ADDR_UNSPECIFIED(a) && !IN6_IS_ADDR_LOOPBACK(a) &&
	       !IN6_IS_ADDR_MULTICAST(a) && !IN6_IS_ADDR_V4MAPPED(a);
}

struct ia_ctx {
	struct dhcp6_reply *reply;
	uint16_t *status;
	bool pd;
	union {
		struct dhcp6_ia_na *na;
		struct dhcp6_ia_pd *pd;
	} ia;
};

/* Options inside an IA address or prefix: only a status code matters. */
static void sub_status(uint16_t code, const uint8_t *data, uint16_t len, void *ctx)
{
	if (code == OPT_STATUS_CODE)
		read_status(data, len, ctx);
}

/* A lifetime pair as RFC 8415 21.6 wants it, and the address's own status. */
static bool lease_fields_ok(struct dhcp6_reply *reply, uint32_t preferred, uint32_t valid,
			    const uint8_t *sub, size_t sub_len)
{
	uint16_t status = DHCP6_STATUS_SUCCESS;

	if (walk_options(sub, sub_len, sub_status, &status) < 0) {
		reply->dropped |= DHCP6_DROPPED_MALFORMED;
		return false;
	}
	if (preferred > valid) {
		reply->dropped |= DHCP6_DROPPED_ADDRESS;
		return false;
	}
	return status == DHCP6_STATUS_SUCCESS;
}

static void ia_address(struct ia_ctx *c, const uint8_t *data, uint16_t len)
{
	struct dhcp6_ia_na *na = c->ia.na;
	struct dhcp6_address a;

	if (len < IAADDR_LEN) {
		c->reply->dropped |= DHCP6_DROPPED_MALFORMED;
		return;
	}
	memcpy(&a.address, data, 16);
	a.preferred = get_be32(data + 16);
	a.valid = get_be32(data + 20);
	if (!lease_fields_ok(c->reply, a.preferred, a.valid, data + IAADDR_LEN,
			     len - IAADDR_LEN))
		return;
	if (!unicast_global(&a.address)) {
		c->reply->dropped |= DHCP6_DROPPED_ADDRESS;
		return;
	}
	for (unsigned int i = 0; i < na->n_addrs; i++)
		if (IN6_ARE_ADDR_EQUAL(&na->addrs[i].address, &a.address))
			return;
	if (na->n_addrs == DHCP6_MAX_ADDRS) {
		c->reply->dropped |= DHCP6_DROPPED_TOO_MANY;
		return;
	}
	na->addrs[na->n_addrs++] = a;
}

/* Zeroes the host bits of a prefix len bits long. */
static void mask_prefix(struct in6_addr *a, uint8_t len)
{
	for (unsigned int i = 0; i < 16; i++) {
		unsigned int keep = len >= 8 * (i + 1) ? 8 : len > 8 * i ? len - 8 * i : 0;

		a->s6_addr[i] &= (uint8_t)(0xff00 >> keep);
	}
}

/* A prefix a requesting router can use: 1..64 bits (a /64 of it goes on a
 * link), neither multicast nor link-local nor all zero. */
static bool delegable(const struct dhcp6_prefix *p)
{
	return p->len >= 1 && p->len <= 64 && !IN6_IS_ADDR_UNSPECIFIED(&p->prefix) &&
	       !IN6_IS_ADDR_MULTICAST(&p->prefix) && !IN6_IS_ADDR_LINKLOCAL(&p->prefix);
}

static void ia_prefix(struct ia_ctx *c, const uint8_t *data, uint16_t len)
{
	struct dhcp6_ia_pd *pd = c->ia.pd;
	struct dhcp6_prefix p;

	if (len < IAPREFIX_LEN) {
		c->reply->dropped |= DHCP6_DROPPED_MALFORMED;
		return;
	}
	p.preferred = get_be32(data);
	p.valid = get_be32(data + 4);
	p.len = data[8];
	memcpy(&p.prefix, data + 9, 16);
	if (!lease_fields_ok(c->reply, p.preferred, p.valid, data + IAPREFIX_LEN,
			     len - IAPREFIX_LEN))
		return;
	if (p.len <= 64)
		mask_prefix(&p.prefix, p.len);
	if (!delegable(&p)) {
		c->reply->dropped |= DHCP6_DROPPED_PREFIX;
		return;
	}
	for (unsigned int i = 0; i < pd->n_prefixes; i++)
		if (pd->prefixes[i].len == p.len &&
		    IN6_ARE_ADDR_EQUAL(&pd->prefixes[i].prefix, &p.prefix))
			return;
	if (pd->n_prefixes == DHCP6_MAX_PREFIXES) {
		c->reply->dropped |= DHCP6_DROPPED_TOO_MANY;
		return;
	}
	pd->prefixes[pd->n_prefixes++] = p;
}

static void ia_option(uint16_t code, const uint8_t *data, uint16_t len, void *ctx)
{
	struct ia_ctx *c = ctx;

	if (code == OPT_STATUS_CODE && !read_status(data, len, c->status))
		c->reply->dropped |= DHCP6_DROPPED_MALFORMED;
	else if (code == OPT_IAADDR && !c->pd)
		ia_address(c, data, len);
	else if (code == OPT_IAPREFIX && c->pd)
		ia_prefix(c, data, len);
}

/* RFC 8415 21.4 and 21.21: an IA with T1 > T2 (both set) is discarded, the
 * rest of the message processed as if it were not there. Only the first IA
 * for our IAID counts. */
static void parse_ia(struct dhcp6_reply *reply, bool pd, const uint8_t *data, uint16_t len,
		     uint32_t iaid)
{
	bool *have = pd ? &reply->has_ia_pd : &reply->has_ia_na;
	struct ia_ctx c = { .reply = reply, .pd = pd };
	uint32_t t1, t2;

	if (len < IA_HDR_LEN) {
		reply->dropped |= DHCP6_DROPPED_MALFORMED;
		return;
	}
	if (get_be32(data) != iaid || *have)
		return;
	t1 = get_be32(data + 4);
	t2 = get_be32(data + 8);
	if (t1 && t2 && t1 > t2) {
		reply->dropped |= DHCP6_DROPPED_IA_TIMERS;
		return;
	}
	if (pd) {
		c.ia.pd = &reply->ia_pd;
		c.status = &reply->ia_pd.status;
		reply->ia_pd = (struct dhcp6_ia_pd){ .iaid = iaid, .t1 = t1, .t2 = t2 };
	} else {
		c.ia.na = &reply->ia_na;
		c.status = &reply->ia_na.status;
		reply->ia_na = (struct dhcp6_ia_na){ .iaid = iaid, .t1 = t1, .t2 = t2 };
	}
	if (walk_options(data + IA_HDR_LEN, len - IA_HDR_LEN, ia_option, &c) < 0) {
		reply->dropped |= DHCP6_DROPPED_MALFORMED;
		return;
	}
	*have = true;
}

static void add_server(struct dhcp6_reply *reply, struct in6_addr *list, unsigned int *n,
		       const uint8_t *data)
{
	struct in6_addr a;

	memcpy(&a, data, 16);
	if (!unicast_server(&a)) {
		reply->dropped |= DHCP6_DROPPED_SERVER;
		return;
	}
	for (unsigned int i = 0; i < *n; i++)
		if (IN6_ARE_ADDR_EQUAL(&list[i], &a))
			return;
	if (*n == DHCP6_MAX_SERVERS) {
		reply->dropped |= DHCP6_DROPPED_TOO_MANY;
		return;
	}
	list[(*n)++] = a;
}

static void parse_servers(struct dhcp6_reply *reply, struct in6_addr *list, unsigned int *n,
			  const uint8_t *data, uint16_t len)
{
	if (len == 0 || len % 16) {
		reply->dropped |= DHCP6_DROPPED_MALFORMED;
		return;
	}
	for (uint16_t off = 0; off < len; off += 16)
		add_server(reply, list, n, data + off);
}

/* RFC 5908: suboptions; only server addresses are used. */
static void ntp_suboption(uint16_t code, const uint8_t *data, uint16_t len, void *ctx)
{
	struct dhcp6_reply *reply = ctx;

	if (code != NTP_SUBOPT_SRV_ADDR)
		return;
	if (len != 16) {
		reply->dropped |= DHCP6_DROPPED_MALFORMED;
		return;
	}
	add_server(reply, reply->ntp, &reply->n_ntp, data);
}

/* Uncompressed names (RFC 8415 10); only what may go into resolv.conf. A
 * malformed name ends the list: what came before it stays. */
static void parse_domains(struct dhcp6_reply *reply, const uint8_t *data, uint16_t len)
{
	size_t pos = 0;

	while (pos < len) {
		uint8_t name[DNS_NAME_MAX];
		char text[DNS_NAME_TEXT_MAX];
		bool known = false;

		if (dns_name_read(data, len, &pos, 0, name) < 0) {
			reply->dropped |= DHCP6_DROPPED_MALFORMED;
			return;
		}
		if (!dns_name_is_hostname(name) || dns_name_to_text(name, text, sizeof(text)) < 0) {
			reply->dropped |= DHCP6_DROPPED_DOMAIN;
			continue;
		}
		for (unsigned int i = 0; i < reply->n_domains; i++)
			known |= !strcmp(reply->domains[i], text);
		if (known)
			continue;
		if (reply->n_domains == DHCP6_MAX_DOMAINS) {
			reply->dropped |= DHCP6_DROPPED_TOO_MANY;
			return;
		}
		memcpy(reply->domains[reply->n_domains++], text, sizeof(text));
	}
}

static void parse_duid(struct dhcp6_reply *reply, struct dhcp6_duid *duid, const uint8_t *data,
		       uint16_t len)
{
	if (duid->len)
		return;		/* the first one counts */
	if (len < 3 || len > DHCP6_DUID_MAX) {
		reply->dropped |= DHCP6_DROPPED_MALFORMED;
		return;
	}
	duid->len = len;
	memcpy(duid->data, data, len);
}

/* SOL_MAX_RT and INF_MAX_RT: values outside 60..86400 are ignored (21.24). */
static uint32_t parse_max_rt(struct dhcp6_reply *reply, const uint8_t *data, uint16_t len)
{
	uint32_t v;

	if (len != 4) {
		reply->dropped |= DHCP6_DROPPED_MALFORMED;
		return 0;
	}
	v = get_be32(data);
	return v >= 60 && v <= 86400 ? v : 0;
}

struct msg_ctx {
	struct dhcp6_reply *reply;
	uint32_t iaid;
};

static void fixed_u32(struct dhcp6_reply *reply, uint32_t *field, const uint8_t *data,
		      uint16_t len)
{
	if (len == 4)
		*field = get_be32(data);
	else
		reply->dropped |= DHCP6_DROPPED_MALFORMED;
}

static void msg_option(uint16_t code, const uint8_t *data, uint16_t len, void *ctx)
{
	struct msg_ctx *m = ctx;
	struct dhcp6_reply *r = m->reply;

	switch (code) {
	case OPT_CLIENTID: parse_duid(r, &r->client_id, data, len); break;
	case OPT_SERVERID: parse_duid(r, &r->server_id, data, len); break;
	case OPT_IA_NA: parse_ia(r, false, data, len, m->iaid); break;
	case OPT_IA_PD: parse_ia(r, true, data, len, m->iaid); break;
	case OPT_STATUS_CODE:
		if (!read_status(data, len, &r->status))
			r->dropped |= DHCP6_DROPPED_MALFORMED;
		break;
	case OPT_PREFERENCE:
		if (len == 1)
			r->preference = data[0];
		else
			r->dropped |= DHCP6_DROPPED_MALFORMED;
		break;
	case OPT_RAPID_COMMIT: r->rapid_commit = true; break;
	case OPT_DNS_SERVERS: parse_servers(r, r->dns, &r->n_dns, data, len); break;
	case OPT_SNTP_SERVERS: parse_servers(r, r->ntp, &r->n_ntp, data, len); break;
	case OPT_NTP_SERVER:
		if (walk_options(data, len, ntp_suboption, r) < 0)
			r->dropped |= DHCP6_DROPPED_MALFORMED;
		break;
	case OPT_DOMAIN_LIST: parse_domains(r, data, len); break;
	case OPT_INFO_REFRESH_TIME: fixed_u32(r, &r->info_refresh, data, len); break;
	case OPT_SOL_MAX_RT: r->sol_max_rt = parse_max_rt(r, data, len); break;
	case OPT_INF_MAX_RT: r->inf_max_rt = parse_max_rt(r, data, len); break;
	}
}

int dhcp6_packet_parse(const uint8_t *buf, size_t len, uint32_t iaid, struct dhcp6_reply *reply)
{
	struct msg_ctx m = { .reply = reply, .iaid = iaid };

	memset(reply, 0, sizeof(*reply));
	if (len < HDR_LEN || (buf[0] != DHCP6_ADVERTISE && buf[0] != DHCP6_REPLY))
		return -EBADMSG;
	reply->type = buf[0];
	reply->xid = (uint32_t)buf[1] << 16 | (uint32_t)buf[2] << 8 | buf[3];
	return walk_options(buf + HDR_LEN, len - HDR_LEN, msg_option, &m);
}

void dhcp6_duid_from_mac(struct dhcp6_duid *duid, const uint8_t mac[6])
{
	/* DUID-LL (RFC 8415 11.4): type 3, hardware type 1 (Ethernet). */
	duid->len = 10;
	put_be16(duid->data, 3);
	put_be16(duid->data + 2, 1);
	memcpy(duid->data + 4, mac, 6);
}

bool dhcp6_duid_equal(const struct dhcp6_duid *a, const struct dhcp6_duid *b)
{
	return a->len == b->len && !memcmp(a->data, b->data, a->len);
}

const char *dhcp6_msg_type_name(enum dhcp6_msg_type type)
{
	switch (type) {
	case DHCP6_SOLICIT: return "Solicit";
	case DHCP6_ADVERTISE: return "Advertise";
	case DHCP6_REQUEST: return "Request";
	case DHCP6_CONFIRM: return "Confirm";
	case DHCP6_RENEW: return "Renew";
	case DHCP6_REBIND: return "Rebind";
	case DHCP6_REPLY: return "Reply";
	case DHCP6_RELEASE: return "Release";
	case DHCP6_DECLINE: return "Decline";
	case DHCP6_RECONFIGURE: return "Reconfigure";
	case DHCP6_INFORMATION_REQUEST: return "Information-request";
	}
	return "?";
}

const char *dhcp6_status_name(uint16_t status)
{
	static const char *const names[] = {
		"Success", "UnspecFail", "NoAddrsAvail", "NoBinding", "NotOnLink",
		"UseMulticast", "NoPrefixAvail",
	};

	return status < sizeof(names) / sizeof(names[0]) ? names[status] : "unknown status";
}

/* ---- the server side ---- */

#define OPT_IA_TA 4

static void read_client_duid(struct dhcp6_client_msg *msg, struct dhcp6_duid *duid,
			     const uint8_t *data, uint16_t len)
{
	if (duid->len)
		return;		/* the first one counts */
	if (len < 3 || len > DHCP6_DUID_MAX) {
		msg->malformed_id = true;
		return;
	}
	duid->len = len;
	memcpy(duid->data, data, len);
}

static void client_option(uint16_t code, const uint8_t *data, uint16_t len, void *ctx)
{
	struct dhcp6_client_msg *msg = ctx;

	switch (code) {
	case OPT_CLIENTID:
		read_client_duid(msg, &msg->client_id, data, len);
		break;
	case OPT_SERVERID:
		read_client_duid(msg, &msg->server_id, data, len);
		break;
	case OPT_IA_NA:
	case OPT_IA_TA:
	case OPT_IA_PD:
		msg->has_ia = true;
		break;
	}
}

int dhcp6_packet_parse_client(const uint8_t *buf, size_t len, struct dhcp6_client_msg *msg)
{
	memset(msg, 0, sizeof(*msg));
	if (len < HDR_LEN || !client_sends(buf[0]))
		return -EBADMSG;
	msg->type = buf[0];
	msg->xid = (uint32_t)buf[1] << 16 | (uint32_t)buf[2] << 8 | buf[3];
	return walk_options(buf + HDR_LEN, len - HDR_LEN, client_option, msg);
}

/* Uncompressed names one after another (RFC 8415 10). */
static int put_domains(struct writer *w, char *const *domains, unsigned int n)
{
	size_t start;

	if (!n)
		return 0;
	start = begin_option(w, OPT_DOMAIN_LIST);
	for (unsigned int i = 0; i < n; i++) {
		uint8_t name[DNS_NAME_MAX];
		int len = dns_name_from_text(domains[i], name);
		uint8_t *p;

		if (len < 0)
			return len;
		p = reserve(w, len);
		if (p)
			memcpy(p, name, len);
	}
	end_option(w, start);
	return 0;
}

int dhcp6_packet_build_reply(const struct dhcp6_server_reply *r, uint8_t *buf, size_t size)
{
	struct writer w = { .buf = buf, .size = size };
	uint8_t *hdr = reserve(&w, HDR_LEN);
	size_t start;
	int err;

	if (!r->server_id || !r->server_id->len)
		return -EINVAL;
	if (!hdr)
		return -ENOSPC;
	hdr[0] = DHCP6_REPLY;
	hdr[1] = r->xid >> 16;
	hdr[2] = r->xid >> 8;
	hdr[3] = r->xid;
	put_option(&w, OPT_SERVERID, r->server_id->data, r->server_id->len);
	if (r->client_id && r->client_id->len)
		put_option(&w, OPT_CLIENTID, r->client_id->data, r->client_id->len);
	if (r->n_dns) {
		start = begin_option(&w, OPT_DNS_SERVERS);
		for (unsigned int i = 0; i < r->n_dns; i++) {
			uint8_t *p = reserve(&w, 16);

			if (p)
				memcpy(p, &r->dns[i], 16);
		}
		end_option(&w, start);
	}
	err = put_domains(&w, r->domains, r->n_domains);
	if (err < 0)
		return err;
	if (r->info_refresh) {
		start = begin_option(&w, OPT_INFO_REFRESH_TIME);
		put_u32(&w, r->info_refresh);
		end_option(&w, start);
	}
	return w.full ? -ENOSPC : (int)w.len;
}
