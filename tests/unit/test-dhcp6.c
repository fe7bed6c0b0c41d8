/* The DHCPv6 client's state machine against a fake server, on a shrunken
 * clock: 1 protocol second is a few milliseconds. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <ell/ell.h>

#include "check.h"
#include "dhcp6.h"

#define IAID 0x0a0b0c0d
#define MS_PER_S 10

static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 9 };

struct sent {
	uint8_t msg[DHCP6_MAX_BUILD_LEN];
	size_t len;
	uint64_t at;
};

struct lab {
	struct dhcp6_client *client;
	struct dhcp6_duid duid;
	struct sent sent[256];
	unsigned int n_sent;
	/* The fake server. */
	bool silent;
	bool rapid_commit;
	uint8_t server_tag;		/* last octet of its DUID */
	uint8_t reply_tag;		/* in Replies (a server that changed its ID) */
	uint32_t t1, t2, preferred, valid;
	const char *address;
	uint16_t status;		/* in every Reply */
	uint16_t ia_status;
	bool wrong_client;
	bool no_ia;
	/* Prefix delegation: answered when the message has an IA_PD. */
	const char *prefix;		/* NULL: the IA_PD says NoPrefixAvail */
	uint8_t prefix_len;
	uint32_t pd_t1, pd_t2, pd_preferred, pd_valid;
	const uint8_t *pd_raw;		/* instead: these options inside the IA_PD */
	size_t pd_raw_len;
	bool answer_release;
	struct l_queue *queue;		/* replies delivered from an idle */
	struct l_idle *idle;
	/* What the client said. */
	unsigned int events[2];
	struct dhcp6_lease lease;
	int stop_on;
	bool done;
};

static void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v); }
static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* The option code of a client message, its data and length; NULL if absent. */
static const uint8_t *find_opt(const uint8_t *msg, size_t len, uint16_t code, uint16_t *olen)
{
	for (size_t off = 4; off + 4 <= len; off += 4 + get16(msg + off + 2))
		if (get16(msg + off) == code) {
			*olen = get16(msg + off + 2);
			return msg + off + 4;
		}
	return NULL;
}

static unsigned int ia_addresses(const struct sent *s)
{
	uint16_t len;
	const uint8_t *ia = find_opt(s->msg, s->len, 3, &len);
	unsigned int n = 0;

	if (!ia)
		return 0;
	for (size_t off = 12; off + 4 <= len; off += 4 + get16(ia + off + 2))
		n += get16(ia + off) == 5;
	return n;
}

/* The IAPREFIX options in a client message's IA_PD; -1 without IA_PD. */
static int ia_prefixes(const struct sent *s, struct in6_addr *first, uint8_t *first_len)
{
	uint16_t len;
	const uint8_t *ia = find_opt(s->msg, s->len, 25, &len);
	int n = 0;

	if (!ia)
		return -1;
	for (size_t off = 12; off + 4 <= len; off += 4 + get16(ia + off + 2)) {
		if (get16(ia + off) != 26)
			continue;
		if (!n++ && first) {
			memcpy(first, ia + off + 4 + 9, 16);
			*first_len = ia[off + 4 + 8];
		}
	}
	return n;
}

struct pending {
	uint8_t buf[65536];
	size_t len;
};

static size_t opt(uint8_t *p, uint16_t code, const void *data, uint16_t len)
{
	put16(p, code);
	put16(p + 2, len);
	if (len)
		memcpy(p + 4, data, len);
	return 4 + len;
}

static void deliver(struct l_idle *idle, void *user_data)
{
	struct lab *lab = user_data;
	struct pending *p;

	l_idle_remove(lab->idle);
	lab->idle = NULL;
	while ((p = l_queue_pop_head(lab->queue))) {
		dhcp6_client_receive(lab->client, p->buf, p->len);
		l_free(p);
	}
}

static size_t server_ids(struct lab *lab, uint8_t *p, const uint8_t *msg, size_t len,
			 uint8_t tag)
{
	uint8_t sid[10] = { 0, 3, 0, 1, 2, 0, 0, 0, 0, tag };
	uint16_t clen;
	const uint8_t *cid = find_opt(msg, len, 1, &clen);
	uint8_t other[10] = { 0, 3, 0, 1, 9, 9, 9, 9, 9, 9 };
	size_t n = 0;

	if (lab->wrong_client)
		n += opt(p, 1, other, sizeof(other));
	else if (cid)
		n += opt(p, 1, cid, clen);
	n += opt(p + n, 2, sid, sizeof(sid));
	return n;
}

static size_t ia_option(struct lab *lab, uint8_t *p)
{
	uint8_t body[12 + 28 + 6];
	size_t n = 12;

	put32(body, IAID);
	put32(body + 4, lab->t1);
	put32(body + 8, lab->t2);
	if (lab->address) {
		put16(body + n, 5);
		put16(body + n + 2, 24);
		inet_pton(AF_INET6, lab->address, body + n + 4);
		put32(body + n + 20, lab->preferred);
		put32(body + n + 24, lab->valid);
		n += 28;
	}
	if (lab->ia_status) {
		put16(body + n, 13);
		put16(body + n + 2, 2);
		put16(body + n + 4, lab->ia_status);
		n += 6;
	}
	return opt(p, 3, body, n);
}

static size_t pd_option(struct lab *lab, uint8_t *p)
{
	uint8_t *body = l_malloc(12 + 4 + 25 + 6 + lab->pd_raw_len);
	size_t n = 12, ret;

	put32(body, IAID);
	put32(body + 4, lab->pd_t1);
	put32(body + 8, lab->pd_t2);
	if (lab->pd_raw) {
		memcpy(body + n, lab->pd_raw, lab->pd_raw_len);
		n += lab->pd_raw_len;
	} else if (lab->prefix) {
		put16(body + n, 26);
		put16(body + n + 2, 25);
		put32(body + n + 4, lab->pd_preferred);
		put32(body + n + 8, lab->pd_valid);
		body[n + 12] = lab->prefix_len;
		inet_pton(AF_INET6, lab->prefix, body + n + 13);
		n += 29;
	} else {
		put16(body + n, 13);
		put16(body + n + 2, 2);
		put16(body + n + 4, DHCP6_STATUS_NO_PREFIX_AVAIL);
		n += 6;
	}
	ret = opt(p, 25, body, n);
	l_free(body);
	return ret;
}

static void answer(struct lab *lab, const uint8_t *msg, size_t len)
{
	struct pending *p;
	uint8_t type = msg[0], tag;
	static const uint8_t dns[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x53 };
	static const uint8_t domain[] = { 3, 'l', 'a', 'b', 0 };
	uint8_t status[2];

	uint16_t olen;

	if (lab->silent || (type == DHCP6_RELEASE && !lab->answer_release))
		return;
	if (type == DHCP6_SOLICIT && lab->rapid_commit)
		type = DHCP6_REQUEST;
	p = l_new(struct pending, 1);
	p->buf[0] = type == DHCP6_SOLICIT ? DHCP6_ADVERTISE : DHCP6_REPLY;
	memcpy(p->buf + 1, msg + 1, 3);
	p->len = 4;
	tag = p->buf[0] == DHCP6_REPLY && lab->reply_tag ? lab->reply_tag : lab->server_tag;
	p->len += server_ids(lab, p->buf + p->len, msg, len, tag);
	if (lab->rapid_commit)
		p->len += opt(p->buf + p->len, 14, NULL, 0);
	if (type != DHCP6_INFORMATION_REQUEST && type != DHCP6_CONFIRM && !lab->no_ia &&
	    find_opt(msg, len, 3, &olen))
		p->len += ia_option(lab, p->buf + p->len);
	if (find_opt(msg, len, 25, &olen) && type != DHCP6_RELEASE)
		p->len += pd_option(lab, p->buf + p->len);
	if (lab->status || type == DHCP6_CONFIRM) {
		put16(status, lab->status);
		p->len += opt(p->buf + p->len, 13, status, 2);
	}
	p->len += opt(p->buf + p->len, 23, dns, 16);
	p->len += opt(p->buf + p->len, 24, domain, sizeof(domain));
	l_queue_push_tail(lab->queue, p);
	if (!lab->idle)
		lab->idle = l_idle_create(deliver, lab, NULL);
}

static int fake_open(void *data) { return 0; }
static void fake_close(void *data) { }
static void fake_free(void *data) { }

static int fake_send(void *data, const uint8_t *msg, size_t len)
{
	struct lab *lab = data;
	struct sent *s;

	CHECK(lab->n_sent < L_ARRAY_SIZE(lab->sent));
	if (lab->n_sent == L_ARRAY_SIZE(lab->sent))
		return -ENOBUFS;
	s = &lab->sent[lab->n_sent++];
	memcpy(s->msg, msg, len);
	s->len = len;
	s->at = l_time_now();
	answer(lab, msg, len);
	return 0;
}

static const struct dhcp6_transport_ops fake_ops = {
	.open = fake_open, .send = fake_send, .close = fake_close, .free = fake_free,
};

static void event_cb(struct dhcp6_client *client, enum dhcp6_event event,
		     const struct dhcp6_lease *lease, void *user_data)
{
	struct lab *lab = user_data;

	lab->events[event]++;
	lab->lease = *lease;
	if (lab->stop_on == (int)event)
		lab->done = true;
}

static void timeout_cb(struct l_timeout *timeout, void *user_data)
{
	*(bool *)user_data = true;
}

/* Runs the loop until the event or ms pass; true if the event came. */
static bool run_until(struct lab *lab, int event, unsigned int ms)
{
	bool expired = false;
	struct l_timeout *t = l_timeout_create_ms(ms, timeout_cb, &expired, NULL);

	lab->stop_on = event;
	lab->done = false;
	while (!lab->done && !expired)
		l_main_iterate(l_main_prepare());
	l_timeout_remove(t);
	lab->stop_on = -1;
	return lab->done;
}

static void lab_init(struct lab *lab)
{
	memset(lab, 0, sizeof(*lab));
	dhcp6_duid_from_mac(&lab->duid, mac);
	lab->client = dhcp6_client_new(3, "veth0", &lab->duid, IAID, event_cb, lab);
	CHECK(lab->client != NULL);
	dhcp6_client_set_transport(lab->client, &fake_ops, lab);
	dhcp6_client_set_time_scale(lab->client, MS_PER_S);
	lab->queue = l_queue_new();
	lab->server_tag = 1;
	lab->address = "2001:db8::100";
	lab->t1 = 100;
	lab->t2 = 160;
	lab->preferred = 200;
	lab->valid = 300;
	lab->prefix = "2001:db8:1200::";
	lab->prefix_len = 56;
	lab->pd_t1 = 80;
	lab->pd_t2 = 140;
	lab->pd_preferred = 180;
	lab->pd_valid = 7200;
	lab->stop_on = -1;
}

static void lab_free(struct lab *lab)
{
	dhcp6_client_free(lab->client);
	l_idle_remove(lab->idle);
	l_queue_destroy(lab->queue, l_free);
}

static uint8_t type_of(const struct lab *lab, unsigned int i)
{
	return lab->sent[i].msg[0];
}

static unsigned int count_type(const struct lab *lab, uint8_t type)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < lab->n_sent; i++)
		n += type_of(lab, i) == type;
	return n;
}

static const char *ntop(const struct in6_addr *a)
{
	static char text[INET6_ADDRSTRLEN];

	return inet_ntop(AF_INET6, a, text, sizeof(text));
}

static void test_solicit_to_bound(void)
{
	struct lab lab;
	uint16_t len;
	const uint8_t *p;

	lab_init(&lab);
	CHECK_INT(dhcp6_client_start(lab.client, DHCP6_MODE_STATEFUL, NULL), 0);
	CHECK_INT(dhcp6_client_start(lab.client, DHCP6_MODE_STATEFUL, NULL), -EALREADY);
	CHECK(run_until(&lab, DHCP6_EVENT_BOUND, 2000));
	CHECK_INT(lab.n_sent, 2);
	CHECK_INT(type_of(&lab, 0), DHCP6_SOLICIT);
	CHECK_INT(type_of(&lab, 1), DHCP6_REQUEST);
	/* The Request names the advertising server and asks for its address. */
	p = find_opt(lab.sent[1].msg, lab.sent[1].len, 2, &len);
	CHECK(p && len == 10 && p[9] == 1);
	CHECK_INT(ia_addresses(&lab.sent[1]), 1);
	CHECK(!find_opt(lab.sent[0].msg, lab.sent[0].len, 2, &len));
	p = find_opt(lab.sent[0].msg, lab.sent[0].len, 8, &len);
	CHECK(p && len == 2 && get16(p) == 0);		/* elapsed time 0 at first */
	CHECK_INT(lab.lease.n_addrs, 1);
	CHECK_STR(ntop(&lab.lease.addrs[0].address), "2001:db8::100");
	CHECK(lab.lease.addrs[0].valid >= 290 && lab.lease.addrs[0].valid <= 300);
	CHECK(lab.lease.addrs[0].preferred >= 190 && lab.lease.addrs[0].preferred <= 200);
	CHECK(lab.lease.t1 >= 90 && lab.lease.t1 <= 100);
	CHECK(lab.lease.t2 >= 150 && lab.lease.t2 <= 160);
	CHECK_INT(lab.lease.n_dns, 1);
	CHECK_INT(lab.lease.n_domains, 1);
	CHECK_STR(lab.lease.domains[0], "lab");
	CHECK_INT(lab.lease.server_id.data[9], 1);

	/* Release on stop: once, to the lease's server, with the address. */
	dhcp6_client_stop(lab.client, true);
	CHECK_INT(lab.n_sent, 3);
	CHECK_INT(type_of(&lab, 2), DHCP6_RELEASE);
	CHECK_INT(ia_addresses(&lab.sent[2]), 1);
	p = find_opt(lab.sent[2].msg, lab.sent[2].len, 2, &len);
	CHECK(p && p[9] == 1);
	CHECK(!dhcp6_client_running(lab.client));
	lab_free(&lab);
}

static void test_rapid_commit(void)
{
	struct lab lab;

	lab_init(&lab);
	lab.rapid_commit = true;
	CHECK_INT(dhcp6_client_start(lab.client, DHCP6_MODE_STATEFUL, NULL), 0);
	CHECK(run_until(&lab, DHCP6_EVENT_BOUND, 2000));
	CHECK_INT(lab.n_sent, 1);
	CHECK_INT(lab.lease.n_addrs, 1);
	lab_free(&lab);
}

/* Renew at T1 to the same server; a Reply from another server ID is not
 * followed; Rebind at T2 takes any server, whose ID the lease keeps. */
static void test_renew_rebind_server_change(void)
{
	struct lab lab;
	unsigned int renews;

	lab_init(&lab);
	lab.t1 = 20;
	lab.t2 = 60;
	CHECK_INT(dhcp6_client_start(lab.client, DHCP6_MODE_STATEFUL, NULL), 0);
	CHECK(run_until(&lab, DHCP6_EVENT_BOUND, 2000));
	CHECK(run_until(&lab, DHCP6_EVENT_BOUND, 40 * MS_PER_S));
	CHECK_INT(count_type(&lab, DHCP6_RENEW), 1);
	CHECK_INT(lab.events[DHCP6_EVENT_BOUND], 2);

	lab.reply_tag = 2;	/* the server now answers with another ID */
	CHECK(run_until(&lab, DHCP6_EVENT_BOUND, 200 * MS_PER_S));
	renews = count_type(&lab, DHCP6_RENEW);
	CHECK(renews >= 2);
	CHECK(count_type(&lab, DHCP6_REBIND) >= 1);
	CHECK_INT(type_of(&lab, lab.n_sent - 1), DHCP6_REBIND);
	CHECK_INT(lab.lease.server_id.data[9], 2);
	CHECK_INT(lab.lease.n_addrs, 1);
	lab_free(&lab);
}

/* A silent server: Renew, Rebind, then the address expires and the client
 * solicits again. */
static void test_expiry(void)
{
	struct lab lab;
	unsigned int before;

	lab_init(&lab);
	lab.t1 = 10;
	lab.t2 = 20;
	lab.preferred = 30;
	lab.valid = 40;
	CHECK_INT(dhcp6_client_start(lab.client, DHCP6_MODE_STATEFUL, NULL), 0);
	CHECK(run_until(&lab, DHCP6_EVENT_BOUND, 2000));
	lab.silent = true;
	before = lab.n_sent;
	CHECK(run_until(&lab, DHCP6_EVENT_LOST, 100 * MS_PER_S));
	CHECK(count_type(&lab, DHCP6_RENEW) >= 1);
	CHECK(count_type(&lab, DHCP6_REBIND) >= 1);
	CHECK_INT(lab.lease.n_addrs, 0);
	CHECK(lab.n_sent > before);
	lab.silent = false;
	CHECK(run_until(&lab, DHCP6_EVENT_BOUND, 200 * MS_PER_S));
	CHECK_INT(type_of(&lab, lab.n_sent - 1), DHCP6_REQUEST);
	lab_free(&lab);
}

/* Lifetimes: infinite ones need no renewal; a withdrawn address (valid 0)
 * goes, and with none left the lease is lost. */
static void test_lifetimes(void)
{
	struct lab lab;

	lab_init(&lab);
	lab.t1 = lab.t2 = 0;
	lab.preferred = lab.valid = DHCP6_INFINITY;
	CHECK_INT(dhcp6_client_start(lab.client, DHCP6_MODE_STATEFUL, NULL), 0);
	CHECK(run_until(&lab, DHCP6_EVENT_BOUND, 2000));
	CHECK_INT(lab.lease.t1, DHCP6_INFINITY);
	CHECK_INT(lab.lease.addrs[0].valid, DHCP6_INFINITY);
	CHECK(!run_until(&lab, DHCP6_EVENT_BOUND, 300));
	CHECK_INT(lab.n_sent, 2);
	lab_free(&lab);

	/* T1 and T2 0: the client takes 0.5 and 0.8 of the preferred lifetime. */
	lab_init(&lab);
	lab.t1 = lab.t2 = 0;
	lab.preferred = 40;
	lab.valid = 80;
	CHECK_INT(dhcp6_client_start(lab.client, DHCP6_MODE_STATEFUL, NULL), 0);
	CHECK(run_until(&lab, DHCP6_EVENT_BOUND, 2000));
	CHECK(lab.lease.t1 >= 15 && lab.lease.t1 <= 20);
	CHECK(lab.lease.t2 >= 27 && lab.lease.t2 <= 32);
	/* The renewal's Reply withdraws the address. */
	lab.valid = lab.preferred = 0;
	CHECK(run_until(&lab, DHCP6_EVENT_LOST, 60 * MS_PER_S));
	CHECK_INT(lab.lease.n_addrs, 0);
	lab_free(&lab);
}

/* Replies that must not bind: T1 > T2, another client's ID, NoAddrsAvail. */
static void test_hostile(void)
{
	struct lab lab;

	lab_init(&lab);
	lab.t1 = 500;
	lab.t2 = 100;
	CHECK_INT(dhcp6_client_start(lab.client, DHCP6_MODE_STATEFUL, NULL), 0);
	CHECK(!run_until(&lab, DHCP6_EVENT_BOUND, 40 * MS_PER_S));
	CHECK_INT(count_type(&lab, DHCP6_REQUEST), 0);	/* its Advertise had no IA */
	lab.t1 = 10;
	CHECK(run_until(&lab, DHCP6_EVENT_BOUND, 4000 * MS_PER_S));
	lab_free(&lab);

	lab_init(&lab);
	lab.wrong_client = true;
	CHECK_INT(dhcp6_client_start(lab.client, DHCP6_MODE_STATEFUL, NULL), 0);
	CHECK(!run_until(&lab, DHCP6_EVENT_BOUND, 20 * MS_PER_S));
	CHECK_INT(count_type(&lab, DHCP6_REQUEST), 0);
	lab_free(&lab);

	/* NoAddrsAvail to the Request: solicit again, later each time. */
	lab_init(&lab);
	CHECK_INT(dhcp6_client_start(lab.client, DHCP6_MODE_STATEFUL, NULL), 0);
	lab.ia_status = DHCP6_STATUS_NO_ADDRS_AVAIL;
	lab.address = NULL;
	CHECK(!run_until(&lab, DHCP6_EVENT_BOUND, 30 * MS_PER_S));
	CHECK_INT(count_type(&lab, DHCP6_REQUEST), 0);	/* no Advertise worth it */
	lab_free(&lab);
}

static void test_stateless(void)
{
	struct lab lab;
	uint16_t len;

	lab_init(&lab);
	CHECK_INT(dhcp6_client_start(lab.client, DHCP6_MODE_STATELESS, NULL), 0);
	CHECK(run_until(&lab, DHCP6_EVENT_BOUND, 2000));
	CHECK_INT(lab.n_sent, 1);
	CHECK_INT(type_of(&lab, 0), DHCP6_INFORMATION_REQUEST);
	CHECK(!find_opt(lab.sent[0].msg, lab.sent[0].len, 3, &len));
	CHECK(find_opt(lab.sent[0].msg, lab.sent[0].len, 6, &len) != NULL);
	CHECK_INT(lab.lease.n_addrs, 0);
	CHECK_INT(lab.lease.n_dns, 1);
	CHECK_STR(ntop(&lab.lease.dns[0]), "2001:db8::53");
	CHECK_INT(dhcp6_client_mode(lab.client), DHCP6_MODE_STATELESS);
	/* An M flag later: stateful, the options kept until then. */
	CHECK_INT(dhcp6_client_go_stateful(lab.client), 0);
	CHECK_INT(dhcp6_client_go_stateful(lab.client), -EALREADY);
	CHECK(run_until(&lab, DHCP6_EVENT_BOUND, 2000));
	CHECK_INT(lab.lease.n_addrs, 1);
	lab_free(&lab);
}

/* An address found in use goes back with a Decline, and a new one is asked. */
static void test_decline(void)
{
	struct in6_addr other, leased;
	struct lab lab;
	uint16_t len;
	const uint8_t *p;
	const struct sent *s;

	lab_init(&lab);
	CHECK_INT(dhcp6_client_start(lab.client, DHCP6_MODE_STATEFUL, NULL), 0);
	CHECK(run_until(&lab, DHCP6_EVENT_BOUND, 2000));
	inet_pton(AF_INET6, "2001:db8::999", &other);
	CHECK_INT(dhcp6_client_decline(lab.client, &other), -ENOENT);
	leased = lab.lease.addrs[0].address;
	CHECK_INT(dhcp6_client_decline(lab.client, &leased), 0);
	CHECK_INT(lab.events[DHCP6_EVENT_LOST], 1);
	CHECK_INT(lab.lease.n_addrs, 0);
	s = &lab.sent[lab.n_sent - 1];
	CHECK_INT(s->msg[0], DHCP6_DECLINE);
	CHECK_INT(ia_addresses(s), 1);
	p = find_opt(s->msg, s->len, 2, &len);
	CHECK(p && len == 10 && p[9] == 1);
	lab.address = "2001:db8::200";
	CHECK(run_until(&lab, DHCP6_EVENT_BOUND, 100 * MS_PER_S));
	CHECK_STR(ntop(&lab.lease.addrs[0].address), "2001:db8::200");
	lab_free(&lab);
}

/* A remembered lease is confirmed; NotOnLink starts over; silence keeps it. */
static void test_confirm(void)
{
	struct dhcp6_lease prev = {
		.n_addrs = 1, .t1 = 100, .t2 = 160, .n_dns = 1,
		.addrs = { { .preferred = 200, .valid = 300 } },
		.server_id = { .len = 10, .data = { 0, 3, 0, 1, 2, 0, 0, 0, 0, 1 } },
	};
	struct lab lab;

	inet_pton(AF_INET6, "2001:db8::abc", &prev.addrs[0].address);
	lab_init(&lab);
	CHECK_INT(dhcp6_client_start(lab.client, DHCP6_MODE_STATEFUL, &prev), 0);
	CHECK(run_until(&lab, DHCP6_EVENT_BOUND, 2000));
	CHECK_INT(lab.n_sent, 1);
	CHECK_INT(type_of(&lab, 0), DHCP6_CONFIRM);
	CHECK_INT(ia_addresses(&lab.sent[0]), 1);
	CHECK_STR(ntop(&lab.lease.addrs[0].address), "2001:db8::abc");
	CHECK(lab.lease.addrs[0].valid >= 290 && lab.lease.addrs[0].valid <= 300);
	CHECK(lab.lease.t1 >= 90 && lab.lease.t1 <= 100);
	lab_free(&lab);

	lab_init(&lab);
	lab.status = DHCP6_STATUS_NOT_ON_LINK;
	CHECK_INT(dhcp6_client_start(lab.client, DHCP6_MODE_STATEFUL, &prev), 0);
	CHECK(!run_until(&lab, DHCP6_EVENT_BOUND, 300));
	CHECK_INT(type_of(&lab, 0), DHCP6_CONFIRM);
	CHECK(count_type(&lab, DHCP6_SOLICIT) >= 1);
	lab_free(&lab);

	lab_init(&lab);
	lab.silent = true;
	CHECK_INT(dhcp6_client_start(lab.client, DHCP6_MODE_STATEFUL, &prev), 0);
	CHECK(run_until(&lab, DHCP6_EVENT_BOUND, 40 * MS_PER_S));
	CHECK(count_type(&lab, DHCP6_CONFIRM) >= 3);
	CHECK_INT(count_type(&lab, DHCP6_SOLICIT), 0);
	CHECK_STR(ntop(&lab.lease.addrs[0].address), "2001:db8::abc");
	lab_free(&lab);
}

/* No server: Solicits at growing intervals (1, 2, 4 ... s, +-10%). */
static void test_retransmission(void)
{
	struct lab lab;
	uint16_t len;
	const uint8_t *p;

	lab_init(&lab);
	/* A slower clock here: the intervals are measured. */
	dhcp6_client_set_time_scale(lab.client, 50);
	lab.silent = true;
	CHECK_INT(dhcp6_client_start(lab.client, DHCP6_MODE_STATEFUL, NULL), 0);
	run_until(&lab, -1, 33 * 50);
	/* 1 + 2 + 4 + 8 + 16 = 31 s (at most 34 with jitter and the first delay):
	 * five or six Solicits, never a burst. A busy machine only makes an
	 * interval longer (each timeout is armed when its message leaves), so
	 * each is checked against its lower bound: at least 1 s, then at least
	 * 1.9 times the one before (2 RT - 0.1 RT). */
	CHECK(lab.n_sent >= 5 && lab.n_sent <= 6);
	for (uint64_t i = 0, bound = 1000; i + 1 < lab.n_sent; i++, bound = bound * 19 / 10)
		CHECK(lab.sent[i + 1].at - lab.sent[i].at + 2000 >= bound * 50);	/* timers in ms */
	p = find_opt(lab.sent[2].msg, lab.sent[2].len, 8, &len);
	CHECK(p && get16(p) >= 270 && get16(p) <= 1000);	/* ~3 s in hundredths */
	CHECK(lab.sent[0].msg[1] == lab.sent[2].msg[1]);	/* one exchange, one xid */
	lab_free(&lab);
}

static bool lease_prefix_is(const struct lab *lab, const char *prefix, uint8_t len)
{
	return lab->lease.has_prefix && lab->lease.prefix.len == len &&
	       !strcmp(ntop(&lab->lease.prefix.prefix), prefix);
}

/* A requesting router with the M flag: IA_NA and IA_PD in one exchange,
 * renewed together at the earlier T1, both released on stop. */
static void test_pd_with_addresses(void)
{
	struct in6_addr first;
	uint8_t first_len = 0;
	struct lab lab;

	lab_init(&lab);
	dhcp6_client_want_prefix(lab.client, true);
	CHECK_INT(dhcp6_client_start(lab.client, DHCP6_MODE_STATEFUL, NULL), 0);
	CHECK(run_until(&lab, DHCP6_EVENT_BOUND, 2000));
	CHECK_INT(type_of(&lab, 0), DHCP6_SOLICIT);
	CHECK_INT(ia_prefixes(&lab.sent[0], NULL, NULL), 0);	/* an empty IA_PD */
	CHECK_INT(ia_prefixes(&lab.sent[1], &first, &first_len), 1);
	CHECK_STR(ntop(&first), "2001:db8:1200::");
	CHECK_INT(first_len, 56);
	CHECK_INT(lab.lease.n_addrs, 1);
	CHECK(lease_prefix_is(&lab, "2001:db8:1200::", 56));
	CHECK(lab.lease.prefix.valid >= 7190 && lab.lease.prefix.valid <= 7200);
	CHECK(lab.lease.t1 >= 70 && lab.lease.t1 <= 80);	/* the IA_PD's, earlier */
	CHECK(lab.lease.t2 >= 130 && lab.lease.t2 <= 140);
	CHECK(run_until(&lab, DHCP6_EVENT_BOUND, 100 * MS_PER_S));
	CHECK_INT(type_of(&lab, lab.n_sent - 1), DHCP6_RENEW);
	CHECK_INT(ia_prefixes(&lab.sent[lab.n_sent - 1], &first, &first_len), 1);
	CHECK_INT(ia_addresses(&lab.sent[lab.n_sent - 1]), 1);
	dhcp6_client_stop(lab.client, true);
	CHECK_INT(type_of(&lab, lab.n_sent - 1), DHCP6_RELEASE);
	CHECK_INT(ia_prefixes(&lab.sent[lab.n_sent - 1], &first, &first_len), 1);
	CHECK_STR(ntop(&first), "2001:db8:1200::");
	CHECK_INT(ia_addresses(&lab.sent[lab.n_sent - 1]), 1);
	lab_free(&lab);
}

/* No M flag: IA_PD alone; a silent server lets the prefix expire. */
static void test_pd_alone(void)
{
	struct lab lab;
	uint16_t len;

	lab_init(&lab);
	/* Room between the times for a slow machine (valgrind): each step
	 * is a few hundred milliseconds here. */
	lab.pd_t1 = 30;
	lab.pd_t2 = 60;
	lab.pd_preferred = 90;
	lab.pd_valid = 120;
	CHECK_INT(dhcp6_client_start(lab.client, DHCP6_MODE_PREFIX, NULL), 0);
	CHECK(run_until(&lab, DHCP6_EVENT_BOUND, 2000));
	CHECK(!find_opt(lab.sent[0].msg, lab.sent[0].len, 3, &len));
	CHECK_INT(ia_prefixes(&lab.sent[0], NULL, NULL), 0);
	CHECK_INT(lab.lease.n_addrs, 0);
	CHECK(lease_prefix_is(&lab, "2001:db8:1200::", 56));
	lab.silent = true;
	CHECK(run_until(&lab, DHCP6_EVENT_LOST, 200 * MS_PER_S));
	CHECK(count_type(&lab, DHCP6_RENEW) >= 1);
	CHECK(count_type(&lab, DHCP6_REBIND) >= 1);
	CHECK(!lab.lease.has_prefix);
	/* Soliciting again, it asks for the prefix it had. */
	lab.silent = false;
	CHECK(run_until(&lab, DHCP6_EVENT_BOUND, 200 * MS_PER_S));
	CHECK(ia_prefixes(&lab.sent[lab.n_sent - 1], NULL, NULL) == 1);
	lab_free(&lab);
}

/* Wanted while bound: a Renew adds the IA_PD at once. No longer wanted:
 * the IA_PD alone is released, retransmitted (RFC 8415: REL_MAX_RC 4) until
 * answered; the addresses stay. */
static void test_pd_wanted_later(void)
{
	struct lab lab;
	unsigned int before;

	lab_init(&lab);
	CHECK_INT(dhcp6_client_start(lab.client, DHCP6_MODE_STATEFUL, NULL), 0);
	CHECK(run_until(&lab, DHCP6_EVENT_BOUND, 2000));
	CHECK_INT(ia_prefixes(&lab.sent[1], NULL, NULL), -1);
	CHECK(!lab.lease.has_prefix);
	dhcp6_client_want_prefix(lab.client, true);
	CHECK(run_until(&lab, DHCP6_EVENT_BOUND, 2000));
	CHECK_INT(type_of(&lab, lab.n_sent - 1), DHCP6_RENEW);
	CHECK(lease_prefix_is(&lab, "2001:db8:1200::", 56));
	CHECK_INT(lab.lease.n_addrs, 1);

	before = lab.n_sent;
	dhcp6_client_want_prefix(lab.client, false);
	CHECK(!lab.lease.has_prefix);
	CHECK_INT(lab.lease.n_addrs, 1);
	CHECK_INT(lab.n_sent, before + 1);
	CHECK_INT(type_of(&lab, before), DHCP6_RELEASE);
	CHECK_INT(ia_prefixes(&lab.sent[before], NULL, NULL), 1);
	CHECK_INT(ia_addresses(&lab.sent[before]), 0);
	run_until(&lab, -1, 60 * MS_PER_S);
	CHECK_INT(count_type(&lab, DHCP6_RELEASE), 5);		/* sent, then 4 more */
	CHECK(lab.sent[before].msg[1] == lab.sent[lab.n_sent - 1].msg[1]);
	lab_free(&lab);

	/* Answered: sent once. */
	lab_init(&lab);
	lab.answer_release = true;
	dhcp6_client_want_prefix(lab.client, true);
	CHECK_INT(dhcp6_client_start(lab.client, DHCP6_MODE_STATEFUL, NULL), 0);
	CHECK(run_until(&lab, DHCP6_EVENT_BOUND, 2000));
	dhcp6_client_want_prefix(lab.client, false);
	run_until(&lab, -1, 20 * MS_PER_S);
	CHECK_INT(count_type(&lab, DHCP6_RELEASE), 1);
	lab_free(&lab);
}

static size_t raw_prefix(uint8_t *p, const char *prefix, uint8_t len, uint32_t preferred,
			 uint32_t valid)
{
	put16(p, 26);
	put16(p + 2, 25);
	put32(p + 4, preferred);
	put32(p + 8, valid);
	p[12] = len;
	inet_pton(AF_INET6, prefix, p + 13);
	return 29;
}

/* Prefixes that cannot be used (/0, /128, /65, valid lifetime 0), an IA_PD
 * with T1 > T2, NoPrefixAvail: nothing delegated, no crash. 1000 prefixes:
 * the first usable one. Infinite lifetimes: no renewal. */
static void test_pd_hostile(void)
{
	uint8_t *raw = l_malloc(1000 * 29);
	size_t n = 0;
	struct lab lab;
	char text[64];

	n += raw_prefix(raw + n, "2001:db8:1200::", 0, 100, 200);
	n += raw_prefix(raw + n, "2001:db8:1200::", 128, 100, 200);
	n += raw_prefix(raw + n, "2001:db8:1200::", 65, 100, 200);
	n += raw_prefix(raw + n, "2001:db8:1300::", 56, 0, 0);
	lab_init(&lab);
	lab.pd_raw = raw;
	lab.pd_raw_len = n;
	CHECK_INT(dhcp6_client_start(lab.client, DHCP6_MODE_PREFIX, NULL), 0);
	CHECK(!run_until(&lab, DHCP6_EVENT_BOUND, 20 * MS_PER_S));
	CHECK_INT(count_type(&lab, DHCP6_REQUEST), 0);
	lab_free(&lab);

	lab_init(&lab);
	lab.pd_t1 = 500;
	lab.pd_t2 = 100;
	CHECK_INT(dhcp6_client_start(lab.client, DHCP6_MODE_PREFIX, NULL), 0);
	CHECK(!run_until(&lab, DHCP6_EVENT_BOUND, 20 * MS_PER_S));
	lab_free(&lab);

	/* NoPrefixAvail beside addresses: the addresses bind. */
	lab_init(&lab);
	lab.prefix = NULL;
	dhcp6_client_want_prefix(lab.client, true);
	CHECK_INT(dhcp6_client_start(lab.client, DHCP6_MODE_STATEFUL, NULL), 0);
	CHECK(run_until(&lab, DHCP6_EVENT_BOUND, 2000));
	CHECK_INT(lab.lease.n_addrs, 1);
	CHECK(!lab.lease.has_prefix);
	lab_free(&lab);

	n = 0;
	for (unsigned int i = 0; i < 1000; i++) {
		snprintf(text, sizeof(text), "2001:db8:%x::", i + 1);
		n += raw_prefix(raw + n, text, i % 2 ? 48 : 96, DHCP6_INFINITY, DHCP6_INFINITY);
	}
	lab_init(&lab);
	lab.pd_raw = raw;
	lab.pd_raw_len = n;
	lab.pd_t1 = lab.pd_t2 = 0;
	CHECK_INT(dhcp6_client_start(lab.client, DHCP6_MODE_PREFIX, NULL), 0);
	CHECK(run_until(&lab, DHCP6_EVENT_BOUND, 2000));
	CHECK(lease_prefix_is(&lab, "2001:db8:2::", 48));
	CHECK(lab.lease.prefix.valid == DHCP6_INFINITY);
	CHECK(lab.lease.t1 == DHCP6_INFINITY);
	n = lab.n_sent;
	CHECK(!run_until(&lab, DHCP6_EVENT_BOUND, 300));
	CHECK_INT(lab.n_sent, n);
	lab_free(&lab);
	l_free(raw);
}

/* A restart with a kept delegation rebinds it (a Confirm cannot carry
 * prefixes), asking for the same prefix and the same address. */
static void test_pd_restart(void)
{
	struct dhcp6_lease prev = {
		.n_addrs = 1, .t1 = 100, .t2 = 160,
		.addrs = { { .preferred = 200, .valid = 300 } },
		.has_prefix = true, .prefix = { .len = 56, .preferred = 100, .valid = 7000 },
		.server_id = { .len = 10, .data = { 0, 3, 0, 1, 2, 0, 0, 0, 0, 1 } },
	};
	struct in6_addr first;
	uint8_t first_len = 0;
	struct lab lab;
	uint16_t len;
	uint8_t reconfigure[] = { DHCP6_RECONFIGURE, 0, 0, 1, 0, 19, 0, 1, DHCP6_RENEW };

	inet_pton(AF_INET6, "2001:db8::100", &prev.addrs[0].address);
	inet_pton(AF_INET6, "2001:db8:1200::", &prev.prefix.prefix);
	lab_init(&lab);
	dhcp6_client_want_prefix(lab.client, true);
	CHECK_INT(dhcp6_client_start(lab.client, DHCP6_MODE_STATEFUL, &prev), 0);
	CHECK(run_until(&lab, DHCP6_EVENT_BOUND, 2000));
	CHECK_INT(lab.n_sent, 1);
	CHECK_INT(type_of(&lab, 0), DHCP6_REBIND);
	CHECK(!find_opt(lab.sent[0].msg, lab.sent[0].len, 2, &len));
	CHECK_INT(ia_prefixes(&lab.sent[0], &first, &first_len), 1);
	CHECK_STR(ntop(&first), "2001:db8:1200::");
	CHECK_INT(ia_addresses(&lab.sent[0]), 1);
	CHECK(lease_prefix_is(&lab, "2001:db8:1200::", 56));
	CHECK(lab.lease.prefix.valid >= 7190);
	/* A Reconfigure (no key agreed) changes nothing. */
	dhcp6_client_receive(lab.client, reconfigure, sizeof(reconfigure));
	CHECK(!run_until(&lab, DHCP6_EVENT_BOUND, 200));
	CHECK_INT(lab.n_sent, 1);
	lab_free(&lab);

	/* Not wanted any more: the kept prefix is not asked for; a Confirm. */
	lab_init(&lab);
	CHECK_INT(dhcp6_client_start(lab.client, DHCP6_MODE_STATEFUL, &prev), 0);
	CHECK(run_until(&lab, DHCP6_EVENT_BOUND, 2000));
	CHECK_INT(type_of(&lab, 0), DHCP6_CONFIRM);
	CHECK(!lab.lease.has_prefix);
	lab_free(&lab);
}

int main(void)
{
	struct dhcp6_duid none = { 0 };

	CHECK(l_main_init());
	CHECK(!dhcp6_client_new(0, "x", &none, 1, NULL, NULL));
	CHECK(!dhcp6_client_new(3, "x", &none, 1, NULL, NULL));
	test_solicit_to_bound();
	test_rapid_commit();
	test_renew_rebind_server_change();
	test_expiry();
	test_lifetimes();
	test_hostile();
	test_stateless();
	test_decline();
	test_confirm();
	test_retransmission();
	test_pd_with_addresses();
	test_pd_alone();
	test_pd_wanted_later();
	test_pd_hostile();
	test_pd_restart();
	l_main_exit();
	CHECK_DONE();
}
