/* DHCP client state machine against a fake transport and a scripted server.
 * Time runs at 1 ms per protocol second, so a 60 s lease lasts 60 ms. */
#include <errno.h>

#include <ell/ell.h>

#include "dhcp.h"
#include "dhcp-fixture.h"
#include "dhcp-packet.h"
#include "dhcp-transport.h"

static const uint8_t mac[6] = { 0x02, 0x00, 0x00, 0xaa, 0xbb, 0xcc };

#define MAX_SENT 128

struct sent {
	uint8_t msg[DHCP_MAX_MSG_LEN];
	size_t len;
	uint32_t src, dst;	/* dst 0: broadcast */
};

/* The fake link and the scripted server behind it. */
struct lab {
	struct dhcp_client *client;
	struct sent sent[MAX_SENT];
	unsigned int n_sent;
	bool raw_open;
	uint32_t udp_address;
	/* server behaviour */
	bool answer_discover, answer_request, answer_unicast, nak;
	uint32_t lease, t1, t2;
	const char *server_id;
	/* events seen */
	unsigned int events[4];
	struct dhcp_lease last_lease;
	enum dhcp_event stop_on;
	bool stop_on_set;
	bool done;
};

struct pending {
	struct lab *lab;
	uint8_t msg[600];
	size_t len;
};

static void deliver(void *user_data)
{
	struct pending *p = user_data;

	dhcp_client_receive(p->lab->client, p->msg, p->len);
}

/* Replies go through the main loop, as real packets would. */
static void reply_later(struct lab *lab, const struct srv_reply *r)
{
	struct pending *p = l_new(struct pending, 1);

	p->lab = lab;
	p->len = build_reply(p->msg, r);
	l_idle_oneshot(deliver, p, l_free);
}

static void server(struct lab *lab, const struct sent *s)
{
	int type = msg_type(s->msg, s->len);
	struct srv_reply r = {
		.xid = msg_xid(s->msg), .mac = mac, .yiaddr = "10.9.0.20",
		.server_id = lab->server_id, .mask = "255.255.0.0", .router = "10.9.0.1",
		.dns = "10.9.0.1", .lease = lab->lease, .t1 = lab->t1, .t2 = lab->t2,
	};

	if (type == DHCP_DISCOVER && lab->answer_discover) {
		r.type = DHCP_OFFER;
		reply_later(lab, &r);
	} else if (type == DHCP_REQUEST && (s->dst ? lab->answer_unicast : lab->answer_request)) {
		r.type = lab->nak ? DHCP_NAK : DHCP_ACK;
		reply_later(lab, &r);
	}
}

static int fake_listen(void *data, bool raw, uint32_t udp_address)
{
	struct lab *lab = data;

	lab->raw_open = raw;
	lab->udp_address = udp_address;
	return 0;
}

static int record(struct lab *lab, uint32_t src, uint32_t dst, const uint8_t *msg, size_t len)
{
	struct sent *s;

	CHECK(lab->n_sent < MAX_SENT);
	s = &lab->sent[lab->n_sent++];
	memcpy(s->msg, msg, len);
	s->len = len;
	s->src = src;
	s->dst = dst;
	server(lab, s);
	return 0;
}

static int fake_send_broadcast(void *data, uint32_t src, const uint8_t *msg, size_t len)
{
	struct lab *lab = data;

	CHECK(lab->raw_open);
	return record(lab, src, 0, msg, len);
}

static int fake_send_unicast(void *data, uint32_t dst, const uint8_t *msg, size_t len)
{
	struct lab *lab = data;

	CHECK(lab->udp_address);
	return record(lab, lab->udp_address, dst, msg, len);
}

static void fake_free(void *data)
{
}

static const struct dhcp_transport_ops fake_ops = {
	.listen = fake_listen,
	.send_broadcast = fake_send_broadcast,
	.send_unicast = fake_send_unicast,
	.free = fake_free,
};

static void event_cb(struct dhcp_client *client, enum dhcp_event event,
		     const struct dhcp_lease *lease, void *user_data)
{
	struct lab *lab = user_data;

	lab->events[event]++;
	if (lease)
		lab->last_lease = *lease;
	if (lab->stop_on_set && lab->stop_on == event)
		lab->done = true;
}

static void timeout_cb(struct l_timeout *timeout, void *user_data)
{
	bool *expired = user_data;

	*expired = true;
}

/* l_main_quit() cannot be undone in ELL 0.56: iterate by hand instead. */
static void iterate_until(bool *a, bool *b)
{
	while (!*a && !*b)
		l_main_iterate(l_main_prepare());
}

/* Runs the loop until the event or ms pass; returns true if the event came.
 * Waits that expect the event are bounded generously: valgrind on a loaded
 * machine is slow, and an event that comes in time ends the wait anyway. */
static bool run_until(struct lab *lab, enum dhcp_event event, unsigned int ms)
{
	bool expired = false;
	struct l_timeout *t = l_timeout_create_ms(ms, timeout_cb, &expired, NULL);

	lab->stop_on = event;
	lab->stop_on_set = true;
	lab->done = false;
	iterate_until(&lab->done, &expired);
	l_timeout_remove(t);
	lab->stop_on_set = false;
	return !expired;
}

/* Exact message counts need a scale that outruns the main loop under valgrind. */
static void lab_init_scaled(struct lab *lab, unsigned int ms_per_second)
{
	memset(lab, 0, sizeof(*lab));
	lab->answer_discover = lab->answer_request = lab->answer_unicast = true;
	lab->lease = 3600;
	lab->server_id = "10.9.0.1";
	lab->client = dhcp_client_new(3, "veth0", mac, event_cb, lab);
	CHECK(lab->client);
	dhcp_client_set_transport(lab->client, &fake_ops, lab);
	dhcp_client_set_time_scale(lab->client, ms_per_second);
}

static void lab_init(struct lab *lab)
{
	lab_init_scaled(lab, 1);
}

static unsigned int count_type(const struct lab *lab, int type)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < lab->n_sent; i++)
		n += msg_type(lab->sent[i].msg, lab->sent[i].len) == type;
	return n;
}

static const struct sent *last_sent(const struct lab *lab)
{
	CHECK(lab->n_sent > 0);
	return &lab->sent[lab->n_sent - 1];
}

static void test_discover_to_bound(void)
{
	struct lab lab;
	const struct sent *s;

	/* A retransmission (4 s, less 1 s of jitter: 750 ms here) must not
	 * overtake the fake server's answer on a loaded machine. */
	lab_init_scaled(&lab, 250);
	CHECK(dhcp_client_start(lab.client, 0) == 0);
	CHECK(dhcp_client_start(lab.client, 0) == -EALREADY);
	/* The first DISCOVER leaves before start() returns. */
	CHECK(lab.n_sent == 1 && msg_type(lab.sent[0].msg, lab.sent[0].len) == DHCP_DISCOVER);
	CHECK(run_until(&lab, DHCP_EVENT_BOUND, 2000));
	CHECK(lab.n_sent == 2);
	s = &lab.sent[1];
	CHECK(msg_type(s->msg, s->len) == DHCP_REQUEST && s->dst == 0);
	CHECK(msg_xid(s->msg) == msg_xid(lab.sent[0].msg));
	CHECK(msg_addr_option(s->msg, s->len, 50) == ip("10.9.0.20"));
	CHECK(msg_addr_option(s->msg, s->len, 54) == ip("10.9.0.1"));
	CHECK(lab.last_lease.address == ip("10.9.0.20") && lab.last_lease.prefix_len == 16);
	CHECK(lab.last_lease.router == ip("10.9.0.1") && lab.last_lease.lease_time == 3600);
	CHECK(!lab.raw_open && !lab.udp_address);	/* nothing open while bound */
	dhcp_client_free(lab.client);
}

static void test_retransmit_no_server(void)
{
	struct lab lab;
	uint32_t xid;

	lab_init(&lab);
	lab.answer_discover = false;
	CHECK(dhcp_client_start(lab.client, 0) == 0);
	/* 0.5 + 1 + 2 + 4 protocol seconds, with jitter */
	CHECK(run_until(&lab, DHCP_EVENT_NO_SERVER, 2000));
	CHECK(count_type(&lab, DHCP_DISCOVER) == 5 && lab.n_sent == 5);
	xid = msg_xid(lab.sent[0].msg);
	for (unsigned int i = 1; i < lab.n_sent; i++)
		CHECK(msg_xid(lab.sent[i].msg) == xid);
	/* Keeps trying, and takes a late offer. */
	lab.answer_discover = true;
	CHECK(run_until(&lab, DHCP_EVENT_BOUND, 2000));
	CHECK(lab.events[DHCP_EVENT_NO_SERVER] == 1);
	dhcp_client_free(lab.client);
}

static void test_renew(void)
{
	struct lab lab;
	const struct sent *s;

	lab_init(&lab);
	lab.lease = 60;		/* T1 30 ms, T2 52 ms */
	CHECK(dhcp_client_start(lab.client, 0) == 0);
	CHECK(run_until(&lab, DHCP_EVENT_BOUND, 1000));
	CHECK(run_until(&lab, DHCP_EVENT_RENEWED, 1000));
	s = last_sent(&lab);
	CHECK(msg_type(s->msg, s->len) == DHCP_REQUEST);
	CHECK(s->dst == ip("10.9.0.1") && s->src == ip("10.9.0.20"));
	CHECK(!memcmp(s->msg + 12, &s->src, 4));	/* ciaddr */
	CHECK(msg_addr_option(s->msg, s->len, 50) == 0 && msg_addr_option(s->msg, s->len, 54) == 0);
	CHECK(msg_xid(s->msg) != msg_xid(lab.sent[0].msg));
	CHECK(lab.events[DHCP_EVENT_BOUND] == 1);
	dhcp_client_free(lab.client);
}

static void test_rebind_then_expire(void)
{
	struct lab lab;
	const struct sent *s;

	lab_init(&lab);
	lab.lease = 100;
	CHECK(dhcp_client_start(lab.client, 0) == 0);
	CHECK(run_until(&lab, DHCP_EVENT_BOUND, 1000));
	/* The server no longer answers unicasts: rebinding broadcasts win. */
	lab.answer_unicast = false;
	CHECK(run_until(&lab, DHCP_EVENT_RENEWED, 2000));
	s = last_sent(&lab);
	CHECK(s->dst == 0 && s->src == ip("10.9.0.20"));
	CHECK(count_type(&lab, DHCP_REQUEST) == 3);

	/* Now nobody answers: the lease runs out. */
	lab.answer_request = false;
	lab.answer_discover = false;
	CHECK(run_until(&lab, DHCP_EVENT_LOST, 3000));
	CHECK(run_until(&lab, DHCP_EVENT_NO_SERVER, 3000));
	s = last_sent(&lab);
	CHECK(msg_type(s->msg, s->len) == DHCP_DISCOVER && s->src == 0);
	dhcp_client_free(lab.client);
}

static void test_nak(void)
{
	struct lab lab;

	lab_init(&lab);
	lab.nak = true;
	CHECK(dhcp_client_start(lab.client, 0) == 0);
	/* NAK in REQUESTING: back to discovery, no event. */
	CHECK(!run_until(&lab, DHCP_EVENT_BOUND, 20));
	CHECK(count_type(&lab, DHCP_DISCOVER) >= 2 && lab.events[DHCP_EVENT_LOST] == 0);
	lab.nak = false;
	CHECK(run_until(&lab, DHCP_EVENT_BOUND, 3000));

	/* NAK while renewing: the lease is lost. */
	dhcp_client_stop(lab.client, false);
	lab.lease = 40;
	CHECK(dhcp_client_start(lab.client, 0) == 0);
	CHECK(run_until(&lab, DHCP_EVENT_BOUND, 1000));
	lab.nak = true;
	CHECK(run_until(&lab, DHCP_EVENT_LOST, 1000));
	dhcp_client_free(lab.client);
}

static void test_init_reboot(void)
{
	struct lab lab;
	const struct sent *s;

	lab_init_scaled(&lab, 250);	/* exact counts: see test_discover_to_bound */
	CHECK(dhcp_client_start(lab.client, ip("10.9.0.20")) == 0);
	s = &lab.sent[0];
	CHECK(msg_type(s->msg, s->len) == DHCP_REQUEST && s->dst == 0);
	CHECK(msg_addr_option(s->msg, s->len, 50) == ip("10.9.0.20"));
	CHECK(msg_addr_option(s->msg, s->len, 54) == 0);
	CHECK(run_until(&lab, DHCP_EVENT_BOUND, 2000));
	CHECK(count_type(&lab, DHCP_DISCOVER) == 0);
	dhcp_client_stop(lab.client, false);

	/* NAK: discover instead. */
	lab.nak = true;
	lab.n_sent = 0;
	CHECK(dhcp_client_start(lab.client, ip("10.9.0.77")) == 0);
	lab.nak = false;	/* only the reboot REQUEST is refused */
	CHECK(run_until(&lab, DHCP_EVENT_BOUND, 2000));
	CHECK(count_type(&lab, DHCP_DISCOVER) == 1 && lab.events[DHCP_EVENT_LOST] == 0);
	dhcp_client_stop(lab.client, false);

	/* No answer at all: discover after a few tries, on a faster clock. */
	dhcp_client_set_time_scale(lab.client, 20);
	lab.answer_request = false;
	lab.n_sent = 0;
	CHECK(dhcp_client_start(lab.client, ip("10.9.0.77")) == 0);
	lab.answer_discover = false;
	CHECK(run_until(&lab, DHCP_EVENT_NO_SERVER, 2000));
	CHECK(count_type(&lab, DHCP_REQUEST) == 4);
	dhcp_client_free(lab.client);
}

static void inject(struct lab *lab, const struct srv_reply *r)
{
	uint8_t buf[600];

	dhcp_client_receive(lab->client, buf, build_reply(buf, r));
}

static void test_validation(void)
{
	static const uint8_t other_mac[6] = { 2, 0, 0, 0, 0, 1 };
	struct lab lab;
	struct srv_reply r = {
		.type = DHCP_OFFER, .mac = mac, .yiaddr = "10.9.0.30", .server_id = "10.9.0.1",
		.lease = 60,
	};
	uint32_t xid;

	lab_init(&lab);
	lab.answer_discover = false;
	lab.answer_request = false;
	CHECK(dhcp_client_start(lab.client, 0) == 0);
	xid = msg_xid(lab.sent[0].msg);

	r.xid = xid + 1;
	inject(&lab, &r);	/* wrong xid */
	r.xid = xid;
	r.mac = other_mac;
	inject(&lab, &r);	/* wrong chaddr */
	r.mac = mac;
	r.type = DHCP_ACK;
	inject(&lab, &r);	/* ACK while selecting */
	r.type = DHCP_OFFER;
	r.server_id = NULL;
	inject(&lab, &r);	/* no server id */
	r.server_id = "10.9.0.1";
	r.lease = 0;
	inject(&lab, &r);	/* no lease time */
	CHECK(lab.n_sent == 1);

	r.lease = 60;
	inject(&lab, &r);
	CHECK(lab.n_sent == 2 && msg_type(lab.sent[1].msg, lab.sent[1].len) == DHCP_REQUEST);
	r.type = DHCP_ACK;
	r.server_id = "10.9.0.99";
	inject(&lab, &r);	/* ACK from a server we did not pick */
	r.type = DHCP_NAK;
	inject(&lab, &r);
	CHECK(lab.events[DHCP_EVENT_BOUND] == 0);
	r.type = DHCP_ACK;
	r.server_id = "10.9.0.1";
	inject(&lab, &r);
	CHECK(lab.events[DHCP_EVENT_BOUND] == 1 && lab.last_lease.address == ip("10.9.0.30"));
	inject(&lab, &r);	/* duplicate (both sockets saw it) */
	CHECK(lab.events[DHCP_EVENT_BOUND] == 1 && lab.events[DHCP_EVENT_RENEWED] == 0);
	dhcp_client_free(lab.client);
}

static void test_release_decline(void)
{
	struct lab lab;
	const struct sent *s;

	lab_init(&lab);
	CHECK(dhcp_client_start(lab.client, 0) == 0);
	CHECK(run_until(&lab, DHCP_EVENT_BOUND, 1000));
	dhcp_client_stop(lab.client, true);
	s = last_sent(&lab);
	CHECK(msg_type(s->msg, s->len) == DHCP_RELEASE);
	CHECK(s->dst == ip("10.9.0.1") && !memcmp(s->msg + 12, &lab.last_lease.address, 4));
	CHECK(msg_addr_option(s->msg, s->len, 54) == ip("10.9.0.1"));
	CHECK(!lab.raw_open && !lab.udp_address);
	dhcp_client_stop(lab.client, true);	/* stopped: nothing more */
	CHECK(last_sent(&lab) == s);

	CHECK(dhcp_client_start(lab.client, 0) == 0);
	CHECK(run_until(&lab, DHCP_EVENT_BOUND, 1000));
	CHECK(dhcp_client_decline(lab.client) == 0);
	s = last_sent(&lab);
	CHECK(msg_type(s->msg, s->len) == DHCP_DECLINE && s->dst == 0);
	CHECK(msg_addr_option(s->msg, s->len, 50) == ip("10.9.0.20"));
	CHECK(dhcp_client_decline(lab.client) == -ENOENT);
	/* Rediscovers after 10 protocol seconds. */
	CHECK(run_until(&lab, DHCP_EVENT_BOUND, 1000));
	dhcp_client_free(lab.client);
	dhcp_client_free(NULL);
}

/* A 1 s lease, or a T1 of 1 s, must not make the client renew at the speed
 * of the server's answers: a 1 s lease is taken as 60 s (renewed every
 * 30 s), and T1 is at least 3 s. */
static void test_short_lease(void)
{
	static const struct { uint32_t lease, t1, min_t1; } cases[] = {
		{ 1, 0, 30 }, { 3600, 1, 3 },
	};
	struct lab lab;

	for (unsigned int i = 0; i < L_ARRAY_SIZE(cases); i++) {
		uint64_t start, seconds;

		lab_init(&lab);
		lab.lease = cases[i].lease;
		lab.t1 = cases[i].t1;
		CHECK(dhcp_client_start(lab.client, 0) == 0);
		CHECK(run_until(&lab, DHCP_EVENT_BOUND, 1000));
		CHECK(lab.last_lease.t1 >= cases[i].min_t1);
		CHECK(lab.last_lease.t1 <= lab.last_lease.t2 &&
		      lab.last_lease.t2 <= lab.last_lease.lease_time);
		CHECK(lab.last_lease.lease_time >= 60);
		/* Three renewals, however long a loaded machine makes them
		 * take: at most one REQUEST per T1 after the first, less the
		 * up to one second timers lose to whole milliseconds at this
		 * scale (a protocol second is a millisecond here). */
		start = l_time_now();
		for (unsigned int k = 0; k < 3; k++)
			CHECK(run_until(&lab, DHCP_EVENT_RENEWED, 5000));
		seconds = (l_time_now() - start) / 1000;
		CHECK(count_type(&lab, DHCP_REQUEST) <= 2 + seconds / (cases[i].min_t1 - 1));
		CHECK(lab.events[DHCP_EVENT_LOST] == 0);
		dhcp_client_free(lab.client);
	}
}

/* Offers of addresses that cannot be ours are ignored; such an ACK is
 * declined; what cannot work in a usable lease is taken out. */
static void test_unusable_leases(void)
{
	static const char *const bad[] = {
		"10.9.255.255", "10.9.0.0", "10.9.0.1", "127.0.0.9", "224.0.0.9", "240.0.0.9",
		"0.0.0.0",
	};
	struct lab lab;
	struct srv_reply r = {
		.type = DHCP_OFFER, .mac = mac, .server_id = "10.9.0.1", .mask = "255.255.0.0",
		.lease = 600,
	};
	const struct sent *s;

	lab_init(&lab);
	lab.answer_discover = lab.answer_request = false;
	CHECK(dhcp_client_start(lab.client, 0) == 0);
	r.xid = msg_xid(lab.sent[0].msg);
	for (unsigned int i = 0; i < L_ARRAY_SIZE(bad); i++) {
		r.yiaddr = bad[i];
		inject(&lab, &r);
	}
	CHECK(lab.n_sent == 1);

	r.yiaddr = "10.9.0.30";
	inject(&lab, &r);
	CHECK(lab.n_sent == 2 && msg_type(lab.sent[1].msg, lab.sent[1].len) == DHCP_REQUEST);
	r.type = DHCP_ACK;
	r.yiaddr = "10.9.255.255";
	inject(&lab, &r);
	s = last_sent(&lab);
	CHECK(msg_type(s->msg, s->len) == DHCP_DECLINE);
	CHECK(msg_addr_option(s->msg, s->len, 50) == ip("10.9.255.255"));
	CHECK(msg_addr_option(s->msg, s->len, 54) == ip("10.9.0.1"));
	CHECK(lab.events[DHCP_EVENT_BOUND] == 0);
	dhcp_client_stop(lab.client, false);

	/* Our own address as router, a loopback nameserver, a domain with spaces. */
	CHECK(dhcp_client_start(lab.client, 0) == 0);
	r.xid = msg_xid(last_sent(&lab)->msg);
	r.type = DHCP_OFFER;
	r.yiaddr = "10.9.0.30";
	inject(&lab, &r);
	r.type = DHCP_ACK;
	r.router = "10.9.0.30";
	r.dns = "127.0.0.1";
	r.domain = "a b c";
	inject(&lab, &r);
	CHECK(lab.events[DHCP_EVENT_BOUND] == 1 && lab.last_lease.address == ip("10.9.0.30"));
	CHECK(lab.last_lease.router == 0 && lab.last_lease.n_dns == 0);
	CHECK(lab.last_lease.domain[0] == '\0');
	dhcp_client_free(lab.client);
}

/* The owner may free the client from its event callback. */
static void free_cb(struct dhcp_client *client, enum dhcp_event event,
		    const struct dhcp_lease *lease, void *user_data)
{
	struct lab *lab = user_data;

	dhcp_client_free(client);
	lab->done = true;
}

static void test_free_in_callback(void)
{
	bool never = false;
	struct lab lab;

	lab_init(&lab);
	dhcp_client_free(lab.client);
	lab.client = dhcp_client_new(3, "veth0", mac, free_cb, &lab);
	dhcp_client_set_transport(lab.client, &fake_ops, &lab);
	dhcp_client_set_time_scale(lab.client, 1);
	CHECK(dhcp_client_start(lab.client, 0) == 0);
	iterate_until(&lab.done, &never);
}

int main(void)
{
	CHECK(l_main_init());
	CHECK(!dhcp_client_new(0, "x", mac, NULL, NULL));
	test_discover_to_bound();
	test_retransmit_no_server();
	test_renew();
	test_rebind_then_expire();
	test_nak();
	test_init_reboot();
	test_validation();
	test_release_decline();
	test_short_lease();
	test_unusable_leases();
	test_free_in_callback();
	l_main_exit();
	printf("test-dhcp: all passed\n");
	return 0;
}
