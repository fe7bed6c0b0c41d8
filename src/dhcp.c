/* DHCPv4 client state machine (RFC 2131 section 4.4). Messages go through a
 * transport (dhcp-transport.h); packets are built and parsed by dhcp-packet.c.
 *
 * Timing: the first DISCOVER leaves at once and the first retries come
 * quickly (0.5, 1, 2 s) so a link that just came up gets a lease without the
 * RFC's 4 s wait; from there the RFC's 4, 8, ... 64 s backoff with +-1 s of
 * jitter applies. One offer is enough: the first valid one is requested.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <netinet/in.h>

#include <ell/ell.h>

#include "dhcp.h"
#include "dhcp-packet.h"
#include "dhcp-transport.h"

enum dhcp_state {
	STATE_STOPPED,
	STATE_INIT,		/* waiting to (re)start discovery */
	STATE_SELECTING,
	STATE_REQUESTING,
	STATE_REBOOTING,	/* INIT-REBOOT: REQUEST for a remembered address */
	STATE_BOUND,
	STATE_RENEWING,
	STATE_REBINDING,
};

/* Retransmission delays in protocol milliseconds, the last one repeating. */
static const unsigned int backoff_ms[] = { 500, 1000, 2000, 4000, 8000, 16000, 32000, 64000 };
#define NO_SERVER_AFTER 4	/* DISCOVERs without an offer before reporting */
#define REQUEST_TRIES 5		/* REQUESTs in REQUESTING before rediscovering */
#define REBOOT_TRIES 4		/* REQUESTs in INIT-REBOOT before discovering */
#define RENEW_MIN_RETRY_S 60	/* RFC 2131 4.4.5 */
#define DECLINE_WAIT_S 10	/* RFC 2131 3.1.5 */

struct dhcp_client {
	int ifindex;
	char ifname[IFNAMSIZ];
	uint8_t mac[6];
	dhcp_event_cb_t cb;
	void *user_data;

	const struct dhcp_transport_ops *ops;
	void *transport;
	unsigned int ms_per_second;

	enum dhcp_state state;
	uint32_t xid;
	uint32_t logged_xid;		/* the exchange whose refused lease was logged */
	uint64_t exchange_start;	/* l_time_now() at the first message of the exchange */
	uint64_t request_sent;		/* the lease runs from the REQUEST that won it */
	unsigned int tries;
	unsigned int naks;
	uint32_t requested_address;	/* INIT-REBOOT */
	struct dhcp_lease offer;
	struct dhcp_lease lease;
	bool have_lease;
	uint64_t bound_at;
	struct l_timeout *resend_timer;
	struct l_timeout *lease_timer;
};

static const char *state_name(enum dhcp_state state)
{
	switch (state) {
	case STATE_STOPPED:
		return "stopped";
	case STATE_INIT:
		return "init";
	case STATE_SELECTING:
		return "selecting";
	case STATE_REQUESTING:
		return "requesting";
	case STATE_REBOOTING:
		return "init-reboot";
	case STATE_BOUND:
		return "bound";
	case STATE_RENEWING:
		return "renewing";
	case STATE_REBINDING:
		return "rebinding";
	}
	return "?";
}

const char *dhcp_event_name(enum dhcp_event event)
{
	switch (event) {
	case DHCP_EVENT_BOUND:
		return "bound";
	case DHCP_EVENT_RENEWED:
		return "renewed";
	case DHCP_EVENT_LOST:
		return "lost";
	case DHCP_EVENT_NO_SERVER:
		return "no-server";
	}
	return "?";
}

static void set_state(struct dhcp_client *client, enum dhcp_state state)
{
	l_debug("%s: %s -> %s", client->ifname, state_name(client->state), state_name(state));
	client->state = state;
}

/* Callbacks may free the client: call notify() last. */
static void notify(struct dhcp_client *client, enum dhcp_event event)
{
	if (client->cb)
		client->cb(client, event, client->have_lease ? &client->lease : NULL,
			   client->user_data);
}

static uint64_t to_ms(const struct dhcp_client *client, uint64_t protocol_ms)
{
	return protocol_ms * client->ms_per_second / 1000;
}

static uint64_t elapsed_protocol_ms(const struct dhcp_client *client, uint64_t since)
{
	return (l_time_now() - since) / client->ms_per_second;
}

static void arm(struct dhcp_client *client, struct l_timeout **timer, uint64_t ms,
		l_timeout_notify_cb_t cb)
{
	if (ms == 0)
		ms = 1;		/* ELL treats 0 as "disarmed" */
	if (*timer)
		l_timeout_modify_ms(*timer, ms);
	else
		*timer = l_timeout_create_ms(ms, cb, client, NULL);
	if (!*timer)
		l_warn("dhcp: no timer (out of file descriptors): the client waits for a packet");
}

static void disarm(struct l_timeout **timer)
{
	l_timeout_remove(*timer);
	*timer = NULL;
}

/* Delay before retransmission number tries (1-based), in protocol ms. */
static uint64_t backoff(unsigned int tries)
{
	unsigned int i = tries ? tries - 1 : 0;
	uint64_t base, jitter;

	if (i >= L_ARRAY_SIZE(backoff_ms))
		i = L_ARRAY_SIZE(backoff_ms) - 1;
	base = backoff_ms[i];
	jitter = base >= 4000 ? 1000 : base / 4;
	return base - jitter + l_getrandom_uint32() % (2 * jitter + 1);
}

static int send_message(struct dhcp_client *client, enum dhcp_msg_type type,
			uint32_t ciaddr, uint32_t requested, uint32_t server_id, uint32_t unicast_to)
{
	struct dhcp_request req = {
		.type = type, .xid = client->xid, .ciaddr = ciaddr,
		.requested_address = requested, .server_id = server_id,
	};
	uint8_t buf[DHCP_MAX_MSG_LEN];
	uint64_t secs = elapsed_protocol_ms(client, client->exchange_start) / 1000;
	int len, err;

	req.secs = secs > 0xffff ? 0xffff : secs;
	memcpy(req.mac, client->mac, 6);
	len = dhcp_packet_build(&req, buf, sizeof(buf));
	if (len < 0)
		return len;
	if (unicast_to)
		err = client->ops->send_unicast(client->transport, unicast_to, buf, len);
	else
		err = client->ops->send_broadcast(client->transport, ciaddr, buf, len);
	l_debug("%s: %s xid %08x %s: %s", client->ifname, dhcp_msg_type_name(type),
		client->xid, unicast_to ? "unicast" : "broadcast", err ? strerror(-err) : "sent");
	return err;
}

static void new_exchange(struct dhcp_client *client)
{
	client->xid = l_getrandom_uint32();
	client->exchange_start = l_time_now();
	client->tries = 0;
}

static void resend_cb(struct l_timeout *timeout, void *user_data);
static void lease_cb(struct l_timeout *timeout, void *user_data);

static void enter_init(struct dhcp_client *client, uint64_t delay_protocol_ms)
{
	set_state(client, STATE_INIT);
	disarm(&client->lease_timer);
	client->ops->listen(client->transport, true, 0);
	arm(client, &client->resend_timer, to_ms(client, delay_protocol_ms), resend_cb);
}

static void send_discover(struct dhcp_client *client)
{
	if (client->state == STATE_INIT) {
		new_exchange(client);
		set_state(client, STATE_SELECTING);
	}
	client->tries++;
	send_message(client, DHCP_DISCOVER, 0, 0, 0, 0);
	arm(client, &client->resend_timer, to_ms(client, backoff(client->tries)), resend_cb);
	if (client->tries == NO_SERVER_AFTER + 1)
		notify(client, DHCP_EVENT_NO_SERVER);
}

static void send_request(struct dhcp_client *client)
{
	client->tries++;
	client->request_sent = l_time_now();
	if (client->state == STATE_REQUESTING)
		send_message(client, DHCP_REQUEST, 0, client->offer.address,
			     client->offer.server_id, 0);
	else
		send_message(client, DHCP_REQUEST, 0, client->requested_address, 0, 0);
	arm(client, &client->resend_timer, to_ms(client, backoff(client->tries)), resend_cb);
}

/* RENEWING and REBINDING retry at half the time left to the next deadline,
 * at least a minute apart (RFC 2131 4.4.5). */
static void send_renewal(struct dhcp_client *client)
{
	bool renewing = client->state == STATE_RENEWING;
	uint64_t deadline_s = renewing ? client->lease.t2 : client->lease.lease_time;
	uint64_t elapsed = elapsed_protocol_ms(client, client->bound_at);
	uint64_t left = deadline_s * 1000 > elapsed ? deadline_s * 1000 - elapsed : 0;
	uint64_t retry = left / 2 > RENEW_MIN_RETRY_S * 1000 ? left / 2 : RENEW_MIN_RETRY_S * 1000;

	client->tries++;
	client->request_sent = l_time_now();
	send_message(client, DHCP_REQUEST, client->lease.address, 0, 0,
		     renewing ? client->lease.server_id : 0);
	arm(client, &client->resend_timer, to_ms(client, retry), resend_cb);
}

static void resend_cb(struct l_timeout *timeout, void *user_data)
{
	struct dhcp_client *client = user_data;

	switch (client->state) {
	case STATE_INIT:
	case STATE_SELECTING:
		send_discover(client);
		return;
	case STATE_REQUESTING:
		if (client->tries >= REQUEST_TRIES)
			enter_init(client, 0);
		else
			send_request(client);
		return;
	case STATE_REBOOTING:
		if (client->tries >= REBOOT_TRIES)
			enter_init(client, 0);
		else
			send_request(client);
		return;
	case STATE_RENEWING:
	case STATE_REBINDING:
		send_renewal(client);
		return;
	case STATE_STOPPED:
	case STATE_BOUND:
		return;
	}
}

static void arm_lease_timer(struct dhcp_client *client)
{
	uint64_t deadline_s, elapsed;

	switch (client->state) {
	case STATE_BOUND:
		deadline_s = client->lease.t1;
		break;
	case STATE_RENEWING:
		deadline_s = client->lease.t2;
		break;
	case STATE_REBINDING:
		deadline_s = client->lease.lease_time;
		break;
	default:
		return;
	}
	if (client->lease.lease_time == 0xffffffff) {
		disarm(&client->lease_timer);
		return;
	}
	elapsed = elapsed_protocol_ms(client, client->bound_at);
	arm(client, &client->lease_timer,
	    to_ms(client, deadline_s * 1000 > elapsed ? deadline_s * 1000 - elapsed : 0),
	    lease_cb);
}

static void lease_cb(struct l_timeout *timeout, void *user_data)
{
	struct dhcp_client *client = user_data;

	switch (client->state) {
	case STATE_BOUND:
		set_state(client, STATE_RENEWING);
		client->ops->listen(client->transport, true, client->lease.address);
		break;
	case STATE_RENEWING:
		set_state(client, STATE_REBINDING);
		break;
	case STATE_REBINDING:
		l_debug("%s: lease expired", client->ifname);
		client->have_lease = false;
		enter_init(client, 0);
		notify(client, DHCP_EVENT_LOST);
		return;
	default:
		return;
	}
	new_exchange(client);
	arm_lease_timer(client);
	send_renewal(client);
}

/* A lease shorter than this is taken as this long (T1 30 s, T2 52 s), and
 * a server's T1 below MIN_RENEW_S is raised to it: with a 1 s lease T1 and
 * T2 came out 0 and the client renewed once per round trip (1,421 REQUESTs
 * in 28 s). dhcpcd has such a lease floor. MIN_RENEW_S stays small because
 * a server may want quick renewals of a long lease (the lab's dnsmasq uses
 * T1 3 s); it only has to stop the spin. */
#define MIN_LEASE_S 60
#define MIN_RENEW_S 3

static const char *ntop(uint32_t address, char buf[static 16])
{
	const uint8_t *b = (const uint8_t *)&address;

	snprintf(buf, 16, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
	return buf;
}

/* Keeps T1 <= T2 <= lease, with the floors above. */
static void clamp_timers(struct dhcp_client *client, struct dhcp_lease *l)
{
	if (l->lease_time == 0xffffffff)
		return;
	if (l->lease_time < MIN_LEASE_S) {
		l_info("%s: lease of %us taken as %us", client->ifname, l->lease_time,
		       MIN_LEASE_S);
		l->lease_time = MIN_LEASE_S;
		l->t1 = MIN_LEASE_S / 2;
		l->t2 = MIN_LEASE_S * 7 / 8;
	}
	if (l->t1 < MIN_RENEW_S)
		l->t1 = MIN_RENEW_S;
	if (l->t2 < l->t1)
		l->t2 = l->t1;
	if (l->t2 > l->lease_time)
		l->t2 = l->lease_time;
}

/* Says once per exchange what a server's lease had that cannot work. */
static void log_dropped(struct dhcp_client *client, const struct dhcp_lease *orig,
			unsigned int dropped)
{
	char a[16], b[16];

	if (dropped & DHCP_DROPPED_ROUTER)
		l_warn("%s: DHCP router %s ignored: not a usable gateway for %s/%u",
		       client->ifname, ntop(orig->router, a), ntop(orig->address, b),
		       orig->prefix_len);
	if (dropped & DHCP_DROPPED_DNS)
		l_warn("%s: DHCP nameservers that are not unicast hosts ignored", client->ifname);
	if (dropped & DHCP_DROPPED_NTP)
		l_warn("%s: DHCP timeservers that are not unicast hosts ignored", client->ifname);
	if (dropped & DHCP_DROPPED_DOMAIN)
		l_warn("%s: DHCP domain name ignored: not one valid domain name", client->ifname);
	if (dropped & DHCP_DROPPED_ROUTES)
		l_warn("%s: DHCP classless routes to no unicast destination or through no usable "
		       "gateway ignored", client->ifname);
	if (orig->classless_bad)
		l_warn("%s: DHCP classless static routes (option 121) ignored: malformed or more "
		       "than %u", client->ifname, DHCP_MAX_ROUTES);
}

/* Returns false when the address cannot be ours; else takes out of lease
 * what cannot work and clamps its timers. */
static bool lease_usable(struct dhcp_client *client, struct dhcp_lease *lease)
{
	struct dhcp_lease orig = *lease;
	unsigned int dropped;
	const char *why;
	char a[16], s[16];
	bool first = client->logged_xid != client->xid;

	client->logged_xid = client->xid;
	if (!lease->lease_time)
		return false;
	if (dhcp_lease_check(lease, &dropped, &why) < 0) {
		if (first)
			l_warn("%s: DHCP address %s/%u from %s refused: %s", client->ifname,
			       ntop(lease->address, a), lease->prefix_len,
			       ntop(lease->server_id, s), why);
		return false;
	}
	if (first)
		log_dropped(client, &orig, dropped);
	clamp_timers(client, lease);
	return true;
}

static void handle_offer(struct dhcp_client *client, const struct dhcp_lease *offer)
{
	struct dhcp_lease checked = *offer;

	if (!lease_usable(client, &checked))
		return;
	client->offer = checked;
	set_state(client, STATE_REQUESTING);
	client->tries = 0;
	send_request(client);
}

/* RFC 2131 3.1.5: an acknowledged address the client cannot use goes back
 * with a DHCPDECLINE, and discovery starts over 10 s later. */
static void decline_ack(struct dhcp_client *client, const struct dhcp_lease *lease)
{
	bool lost = client->have_lease;

	client->ops->listen(client->transport, true, 0);
	new_exchange(client);
	send_message(client, DHCP_DECLINE, 0, lease->address, lease->server_id, 0);
	client->have_lease = false;
	disarm(&client->resend_timer);
	enter_init(client, DECLINE_WAIT_S * 1000);
	if (lost)
		notify(client, DHCP_EVENT_LOST);
}

static void handle_ack(struct dhcp_client *client, const struct dhcp_lease *ack)
{
	struct dhcp_lease lease = *ack;
	bool same = client->have_lease && client->lease.address == lease.address;

	if (!lease_usable(client, &lease)) {
		if (lease.lease_time)
			decline_ack(client, &lease);
		return;
	}
	client->lease = lease;
	client->have_lease = true;
	client->bound_at = client->request_sent;
	client->naks = 0;
	disarm(&client->resend_timer);
	set_state(client, STATE_BOUND);
	client->ops->listen(client->transport, false, 0);
	arm_lease_timer(client);
	notify(client, same ? DHCP_EVENT_RENEWED : DHCP_EVENT_BOUND);
}

/* A server that keeps offering and then refusing must not make us spin. */
static void handle_nak(struct dhcp_client *client)
{
	bool lost = client->have_lease;
	unsigned int shift = client->naks < 7 ? client->naks : 7;

	client->have_lease = false;
	client->naks++;
	enter_init(client, shift ? 500ull << shift : 0);
	if (lost)
		notify(client, DHCP_EVENT_LOST);
}

/* Which server may answer in this state (0: any). */
static uint32_t expected_server(const struct dhcp_client *client)
{
	switch (client->state) {
	case STATE_REQUESTING:
		return client->offer.server_id;
	case STATE_RENEWING:
		return client->lease.server_id;
	default:
		return 0;
	}
}

void dhcp_client_receive(struct dhcp_client *client, const uint8_t *msg, size_t len)
{
	struct dhcp_reply reply;
	uint32_t server;

	if (dhcp_packet_parse(msg, len, &reply) < 0 || reply.xid != client->xid ||
	    memcmp(reply.chaddr, client->mac, 6) || !reply.lease.server_id)
		return;
	l_debug("%s: %s xid %08x in state %s", client->ifname, dhcp_msg_type_name(reply.type),
		reply.xid, state_name(client->state));

	switch (client->state) {
	case STATE_SELECTING:
		if (reply.type == DHCP_OFFER)
			handle_offer(client, &reply.lease);
		return;
	case STATE_REQUESTING:
	case STATE_REBOOTING:
	case STATE_RENEWING:
	case STATE_REBINDING:
		server = expected_server(client);
		if (server && server != reply.lease.server_id)
			return;
		if (reply.type == DHCP_ACK)
			handle_ack(client, &reply.lease);
		else if (reply.type == DHCP_NAK)
			handle_nak(client);
		return;
	case STATE_STOPPED:
	case STATE_INIT:
	case STATE_BOUND:
		return;
	}
}

static void transport_rx(const uint8_t *msg, size_t len, void *user_data)
{
	dhcp_client_receive(user_data, msg, len);
}

struct dhcp_client *dhcp_client_new(int ifindex, const char *ifname, const uint8_t mac[6],
				    dhcp_event_cb_t cb, void *user_data)
{
	struct dhcp_client *client;

	if (ifindex <= 0 || !ifname || strlen(ifname) >= IFNAMSIZ || !mac)
		return NULL;
	client = l_new(struct dhcp_client, 1);
	client->ifindex = ifindex;
	l_strlcpy(client->ifname, ifname, sizeof(client->ifname));
	memcpy(client->mac, mac, 6);
	client->cb = cb;
	client->user_data = user_data;
	client->ms_per_second = 1000;
	return client;
}

void dhcp_client_set_transport(struct dhcp_client *client,
			       const struct dhcp_transport_ops *ops, void *data)
{
	if (client->ops)
		client->ops->free(client->transport);
	client->ops = ops;
	client->transport = data;
}

void dhcp_client_set_time_scale(struct dhcp_client *client, unsigned int ms_per_second)
{
	client->ms_per_second = ms_per_second ? ms_per_second : 1;
}

int dhcp_client_start(struct dhcp_client *client, uint32_t requested_address)
{
	int err;

	if (!client)
		return -EINVAL;
	if (client->state != STATE_STOPPED)
		return -EALREADY;
	if (!client->ops)
		dhcp_client_set_transport(client, &dhcp_transport_socket_ops,
					  dhcp_transport_socket_new(client->ifindex,
								    client->ifname,
								    transport_rx, client));
	err = client->ops->listen(client->transport, true, 0);
	if (err < 0)
		return err;

	client->have_lease = false;
	client->naks = 0;
	new_exchange(client);
	if (requested_address) {
		client->requested_address = requested_address;
		set_state(client, STATE_REBOOTING);
		send_request(client);
	} else {
		set_state(client, STATE_INIT);
		send_discover(client);
	}
	return 0;
}

static void send_release(struct dhcp_client *client)
{
	const struct dhcp_lease *l = &client->lease;

	if (client->ops->listen(client->transport, false, l->address) < 0)
		return;
	new_exchange(client);
	send_message(client, DHCP_RELEASE, l->address, 0, l->server_id, l->server_id);
}

void dhcp_client_stop(struct dhcp_client *client, bool release)
{
	if (!client || client->state == STATE_STOPPED)
		return;
	if (release && client->have_lease)
		send_release(client);
	disarm(&client->resend_timer);
	disarm(&client->lease_timer);
	client->ops->listen(client->transport, false, 0);
	client->have_lease = false;
	set_state(client, STATE_STOPPED);
}

int dhcp_client_decline(struct dhcp_client *client)
{
	if (!client || !client->have_lease)
		return -ENOENT;
	client->ops->listen(client->transport, true, 0);
	new_exchange(client);
	send_message(client, DHCP_DECLINE, 0, client->lease.address, client->lease.server_id, 0);
	client->have_lease = false;
	disarm(&client->resend_timer);
	enter_init(client, DECLINE_WAIT_S * 1000);
	return 0;
}

void dhcp_client_free(struct dhcp_client *client)
{
	if (!client)
		return;
	dhcp_client_stop(client, false);
	if (client->ops)
		client->ops->free(client->transport);
	l_free(client);
}
