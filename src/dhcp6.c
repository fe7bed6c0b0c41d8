/* DHCPv6 client state machine (RFC 8415 section 18). Messages go through a
 * transport (dhcp6.h); packets are built and parsed by dhcp6-packet.c.
 *
 * Timing is the RFC's (section 15 and 7.6): a random delay of up to a second
 * before the first Solicit, Information-request or Confirm, retransmissions
 * that double from their initial timeout with +-10% jitter up to their
 * maximum, Requests given up after ten tries, a Confirm after ten seconds.
 * Advertises are collected for the first retransmission timeout and the
 * best preference wins; 255, or any Advertise after that, is requested at
 * once. Lifetimes count from the moment the message they answer was sent.
 *
 * A delegated prefix (IA_PD, RFC 8415 6.3) rides in the same exchanges as
 * the addresses: one prefix is held (the one asked for again if the server
 * still has it, else the first it gives), renewed with them at the
 * earliest T1 of the two IAs, and released on its own (a Release of the
 * IA_PD alone, retransmitted beside the bound addresses) when no longer
 * wanted.
 */
#include <errno.h>
#include <string.h>
#include <net/if.h>
#include <arpa/inet.h>

#include <ell/ell.h>

#include "dhcp6.h"

enum dhcp6_state {
	STATE_STOPPED,
	STATE_SOLICITING,
	STATE_REQUESTING,
	STATE_CONFIRMING,
	STATE_BOUND,
	STATE_RENEWING,
	STATE_REBINDING,
	STATE_INFORMING,	/* stateless: Information-request sent */
	STATE_INFORMED,		/* stateless: waiting for the refresh time */
};

/* Section 7.6, in protocol milliseconds. */
#define MAX_DELAY_MS 1000	/* SOL_MAX_DELAY, CNF_MAX_DELAY, INF_MAX_DELAY */
#define SOL_TIMEOUT 1000
#define REQ_TIMEOUT 1000
#define REQ_MAX_RT 30000
#define REQ_MAX_RC 10
#define CNF_TIMEOUT 1000
#define CNF_MAX_RT 4000
#define CNF_MAX_RD 10000
#define REN_TIMEOUT 10000
#define REN_MAX_RT 600000
#define REB_TIMEOUT 10000
#define REB_MAX_RT 600000
#define INF_TIMEOUT 1000
#define REL_TIMEOUT 1000
#define REL_MAX_RC 4
#define DEFAULT_MAX_RT_S 3600	/* SOL_MAX_RT, INF_MAX_RT until a server says otherwise */
#define IRT_DEFAULT_S 86400	/* information refresh time (21.23) */
#define IRT_MINIMUM_S 600
/* T1 below this is raised to it: a server (or a preferred lifetime of 0)
 * that asks for renewals at once must not make the client spin. */
#define MIN_T1_S 10
#define NEVER UINT64_MAX
#define LOGGED_MALFORMED (1u << 31)

struct lease_addr {
	struct in6_addr address;
	uint64_t preferred_until, valid_until;	/* l_time_now() µs; NEVER: infinite */
};

struct lease_prefix {
	struct in6_addr prefix;
	uint8_t len;
	uint64_t preferred_until, valid_until;
};

/* A Release of the prefix alone, retransmitted while the rest stays bound. */
struct prefix_release {
	uint32_t xid;
	struct dhcp6_duid server_id;
	struct dhcp6_prefix prefix;
	uint64_t start;
	uint64_t rt_ms;
	unsigned int tries;
	struct l_timeout *timer;	/* NULL: none under way */
};

struct dhcp6_client {
	int ifindex;
	char ifname[IFNAMSIZ];
	struct dhcp6_duid duid;
	uint32_t iaid;
	dhcp6_event_cb_t cb;
	void *user_data;
	const struct dhcp6_transport_ops *ops;
	void *transport;
	unsigned int ms_per_second;

	enum dhcp6_mode mode;
	enum dhcp6_state state;
	uint32_t xid;
	uint32_t logged_xid;		/* the exchange logged_bits are about */
	unsigned int logged_bits;	/* DHCP6_DROPPED_* and LOGGED_MALFORMED said */
	uint64_t exchange_start;	/* µs of the exchange's first message; 0 before it */
	uint64_t last_sent;
	uint64_t rt_ms;			/* the retransmission timeout, protocol ms */
	unsigned int tries;
	unsigned int failures;		/* exchanges in a row that gave nothing */
	uint32_t sol_max_rt, inf_max_rt;
	bool have_advertise;
	struct dhcp6_reply advertise;	/* the best one so far */
	struct dhcp6_duid server_id;	/* the server this exchange is for */
	struct dhcp6_address req_addrs[DHCP6_MAX_ADDRS];	/* what a Request asks for */
	unsigned int n_req_addrs;
	struct dhcp6_prefix req_prefixes[DHCP6_MAX_PREFIXES];
	unsigned int n_req_prefixes;
	bool want_pd;			/* ask for a delegated prefix */
	bool has_pd_hint;		/* the last prefix held, asked for in a Solicit */
	struct dhcp6_prefix pd_hint;
	struct prefix_release release;

	/* The lease. */
	struct lease_addr addrs[DHCP6_MAX_ADDRS];
	unsigned int n_addrs;
	bool has_pd;
	struct lease_prefix pd;
	uint64_t t1_at, t2_at;		/* informed: t1_at is the refresh */
	struct dhcp6_duid lease_server;
	struct in6_addr dns[DHCP6_MAX_SERVERS];
	unsigned int n_dns;
	char domains[DHCP6_MAX_DOMAINS][254];
	unsigned int n_domains;
	struct in6_addr ntp[DHCP6_MAX_SERVERS];
	unsigned int n_ntp;
	bool announced;			/* the owner was told of addresses, not of their loss */

	struct l_timeout *resend_timer;
	struct l_timeout *lease_timer;
};

static const char *state_name(enum dhcp6_state state)
{
	switch (state) {
	case STATE_STOPPED: return "stopped";
	case STATE_SOLICITING: return "soliciting";
	case STATE_REQUESTING: return "requesting";
	case STATE_CONFIRMING: return "confirming";
	case STATE_BOUND: return "bound";
	case STATE_RENEWING: return "renewing";
	case STATE_REBINDING: return "rebinding";
	case STATE_INFORMING: return "informing";
	case STATE_INFORMED: return "informed";
	}
	return "?";
}

const char *dhcp6_event_name(enum dhcp6_event event)
{
	switch (event) {
	case DHCP6_EVENT_BOUND: return "bound";
	case DHCP6_EVENT_LOST: return "lost";
	}
	return "?";
}

static void set_state(struct dhcp6_client *client, enum dhcp6_state state)
{
	l_debug("%s: DHCPv6 %s -> %s", client->ifname, state_name(client->state),
		state_name(state));
	client->state = state;
}

static bool stateful(const struct dhcp6_client *client)
{
	return client->mode != DHCP6_MODE_STATELESS;
}

static bool asks_na(const struct dhcp6_client *client)
{
	return client->mode == DHCP6_MODE_STATEFUL;
}

static bool asks_pd(const struct dhcp6_client *client)
{
	return client->mode == DHCP6_MODE_PREFIX ||
	       (client->mode == DHCP6_MODE_STATEFUL && client->want_pd);
}

static bool has_binding(const struct dhcp6_client *client)
{
	return client->n_addrs > 0 || client->has_pd;
}

static struct dhcp6_prefix held_prefix(const struct dhcp6_client *client)
{
	return (struct dhcp6_prefix){ .prefix = client->pd.prefix, .len = client->pd.len };
}

/* Protocol milliseconds to µs of l_time_now(). */
static uint64_t pms_to_us(const struct dhcp6_client *client, uint64_t pms)
{
	return pms * client->ms_per_second;
}

static uint64_t seconds_from(const struct dhcp6_client *client, uint64_t base, uint32_t s)
{
	return s == DHCP6_INFINITY ? NEVER : base + pms_to_us(client, (uint64_t)s * 1000);
}

static uint32_t seconds_left(const struct dhcp6_client *client, uint64_t until, uint64_t now)
{
	uint64_t s;

	if (until == NEVER)
		return DHCP6_INFINITY;
	if (until <= now)
		return 0;
	s = (until - now) / pms_to_us(client, 1000);
	return s >= DHCP6_INFINITY ? DHCP6_INFINITY - 1 : (uint32_t)s;
}

static void arm_us(struct dhcp6_client *client, struct l_timeout **timer, uint64_t us,
		   l_timeout_notify_cb_t cb)
{
	uint64_t ms = us / 1000;

	if (ms == 0)
		ms = 1;		/* ELL takes 0 as "disarmed" */
	if (*timer)
		l_timeout_modify_ms(*timer, ms);
	else
		*timer = l_timeout_create_ms(ms, cb, client, NULL);
	if (!*timer)
		l_warn("%s: DHCPv6: no timer (out of file descriptors)", client->ifname);
}

static void disarm(struct l_timeout **timer)
{
	l_timeout_remove(*timer);
	*timer = NULL;
}

/* base plus a random part of it in [lo, hi] thousandths (section 15's RAND). */
static uint64_t jitter(uint64_t base, int lo, int hi)
{
	int r = lo + (int)(l_getrandom_uint32() % (uint32_t)(hi - lo + 1));

	return (uint64_t)((int64_t)base + (int64_t)base * r / 1000);
}

struct rt_params {
	uint64_t irt, mrt;
};

static struct rt_params params(const struct dhcp6_client *client)
{
	switch (client->state) {
	case STATE_SOLICITING:
		return (struct rt_params){ SOL_TIMEOUT, client->sol_max_rt * 1000ull };
	case STATE_REQUESTING:
		return (struct rt_params){ REQ_TIMEOUT, REQ_MAX_RT };
	case STATE_CONFIRMING:
		return (struct rt_params){ CNF_TIMEOUT, CNF_MAX_RT };
	case STATE_RENEWING:
		return (struct rt_params){ REN_TIMEOUT, REN_MAX_RT };
	case STATE_REBINDING:
		return (struct rt_params){ REB_TIMEOUT, REB_MAX_RT };
	case STATE_INFORMING:
		return (struct rt_params){ INF_TIMEOUT, client->inf_max_rt * 1000ull };
	case STATE_STOPPED:
	case STATE_BOUND:
	case STATE_INFORMED:
		break;
	}
	return (struct rt_params){ 0, 0 };
}

/* Section 15: RT = IRT + RAND*IRT first (RAND > 0 for a Solicit), then
 * 2*RTprev + RAND*RTprev, and MRT + RAND*MRT past MRT. */
static uint64_t next_rt(struct dhcp6_client *client)
{
	struct rt_params p = params(client);
	uint64_t rt;

	if (client->tries == 0)
		rt = client->state == STATE_SOLICITING ? jitter(p.irt, 1, 100) :
							 jitter(p.irt, -100, 100);
	else
		rt = jitter(2 * client->rt_ms, -50, 50);
	if (p.mrt && rt > p.mrt)
		rt = jitter(p.mrt, -100, 100);
	client->rt_ms = rt;
	return rt;
}

static enum dhcp6_msg_type message_type(const struct dhcp6_client *client)
{
	switch (client->state) {
	case STATE_SOLICITING: return DHCP6_SOLICIT;
	case STATE_REQUESTING: return DHCP6_REQUEST;
	case STATE_CONFIRMING: return DHCP6_CONFIRM;
	case STATE_RENEWING: return DHCP6_RENEW;
	case STATE_REBINDING: return DHCP6_REBIND;
	case STATE_INFORMING: return DHCP6_INFORMATION_REQUEST;
	case STATE_STOPPED:
	case STATE_BOUND:
	case STATE_INFORMED:
		break;
	}
	return 0;
}

static void lease_as_addresses(const struct dhcp6_client *client, struct dhcp6_address *out)
{
	memset(out, 0, sizeof(*out) * client->n_addrs);
	for (unsigned int i = 0; i < client->n_addrs; i++)
		out[i].address = client->addrs[i].address;
}

/* Builds and sends req, its elapsed time counted from *start (µs of
 * l_time_now()), which the exchange's first message sets (0 before it). */
static int send_request(struct dhcp6_client *client, struct dhcp6_request *req, uint64_t *start)
{
	uint8_t buf[DHCP6_MAX_BUILD_LEN];
	uint64_t now = l_time_now(), cs;
	int len, err;

	if (!*start)
		*start = now;
	cs = (now - *start) / pms_to_us(client, 10);
	req->elapsed_cs = cs > 0xffff ? 0xffff : cs;
	req->client_id = &client->duid;
	req->iaid = req->pd_iaid = client->iaid;
	len = dhcp6_packet_build(req, buf, sizeof(buf));
	if (len < 0)
		return len;
	client->last_sent = now;
	err = client->ops->send(client->transport, buf, len);
	l_debug("%s: DHCPv6 %s xid %06x: %s", client->ifname, dhcp6_msg_type_name(req->type),
		req->xid, err ? strerror(-err) : "sent");
	return err;
}

/* The IA_PD of a message: the prefix to ask for again (Solicit), the one
 * advertised (Request), the one held (Renew, Rebind, Release), or none. */
static void add_ia_pd(const struct dhcp6_client *client, struct dhcp6_request *req,
		      struct dhcp6_prefix *held)
{
	switch (req->type) {
	case DHCP6_SOLICIT:
		req->ia_pd = asks_pd(client);
		req->prefixes = &client->pd_hint;
		req->n_prefixes = client->has_pd_hint;
		return;
	case DHCP6_REQUEST:
		req->ia_pd = asks_pd(client);
		req->prefixes = client->req_prefixes;
		req->n_prefixes = client->n_req_prefixes;
		return;
	case DHCP6_RENEW:
	case DHCP6_REBIND:
	case DHCP6_RELEASE:
		req->ia_pd = req->type == DHCP6_RELEASE ? client->has_pd : asks_pd(client);
		*held = held_prefix(client);
		req->prefixes = held;
		req->n_prefixes = client->has_pd;
		return;
	case DHCP6_CONFIRM:
	case DHCP6_DECLINE:
	case DHCP6_INFORMATION_REQUEST:
	case DHCP6_ADVERTISE:
	case DHCP6_REPLY:
	case DHCP6_RECONFIGURE:
		return;
	}
}

static int send_message(struct dhcp6_client *client, enum dhcp6_msg_type type)
{
	struct dhcp6_address addrs[DHCP6_MAX_ADDRS];
	struct dhcp6_prefix held;
	struct dhcp6_request req = {
		.type = type, .xid = client->xid, .rapid_commit = true,
	};

	req.ia_na = type == DHCP6_RELEASE ? client->n_addrs > 0 :
		    asks_na(client) && type != DHCP6_INFORMATION_REQUEST;
	if (type == DHCP6_REQUEST || type == DHCP6_RENEW || type == DHCP6_RELEASE ||
	    type == DHCP6_DECLINE)
		req.server_id = &client->server_id;
	if (type == DHCP6_REQUEST || type == DHCP6_DECLINE) {
		req.addrs = client->req_addrs;
		req.n_addrs = client->n_req_addrs;
	} else if (type != DHCP6_SOLICIT && type != DHCP6_INFORMATION_REQUEST) {
		lease_as_addresses(client, addrs);
		req.addrs = addrs;
		req.n_addrs = client->n_addrs;
	}
	add_ia_pd(client, &req, &held);
	return send_request(client, &req, &client->exchange_start);
}

static void resend_cb(struct l_timeout *timeout, void *user_data);
static void lease_cb(struct l_timeout *timeout, void *user_data);

/* A new exchange in state, its first message after delay_pms. */
static void begin_exchange(struct dhcp6_client *client, enum dhcp6_state state,
			   uint64_t delay_pms)
{
	set_state(client, state);
	client->xid = l_getrandom_uint32() & 0xffffff;
	client->exchange_start = 0;
	client->tries = 0;
	client->rt_ms = 0;
	client->have_advertise = false;
	arm_us(client, &client->resend_timer, pms_to_us(client, delay_pms), resend_cb);
}

static uint64_t random_delay(void)
{
	return l_getrandom_uint32() % (MAX_DELAY_MS + 1);
}

static void transmit(struct dhcp6_client *client)
{
	uint64_t rt = next_rt(client);

	send_message(client, message_type(client));
	client->tries++;
	/* A Confirm is given up after CNF_MAX_RD (its last timeout shortened). */
	if (client->state == STATE_CONFIRMING) {
		uint64_t spent = (l_time_now() - client->exchange_start) / client->ms_per_second;

		if (spent + rt > CNF_MAX_RD)
			rt = spent < CNF_MAX_RD ? CNF_MAX_RD - spent : 0;
	}
	arm_us(client, &client->resend_timer, pms_to_us(client, rt), resend_cb);
}

static void snapshot(const struct dhcp6_client *client, struct dhcp6_lease *lease)
{
	uint64_t now = l_time_now();

	memset(lease, 0, sizeof(*lease));
	lease->server_id = client->lease_server;
	for (unsigned int i = 0; i < client->n_addrs; i++) {
		lease->addrs[i].address = client->addrs[i].address;
		lease->addrs[i].preferred = seconds_left(client, client->addrs[i].preferred_until, now);
		lease->addrs[i].valid = seconds_left(client, client->addrs[i].valid_until, now);
	}
	lease->n_addrs = client->n_addrs;
	if (client->has_pd) {
		lease->has_prefix = true;
		lease->prefix = held_prefix(client);
		lease->prefix.preferred = seconds_left(client, client->pd.preferred_until, now);
		lease->prefix.valid = seconds_left(client, client->pd.valid_until, now);
	}
	if (stateful(client)) {
		lease->t1 = seconds_left(client, client->t1_at, now);
		lease->t2 = seconds_left(client, client->t2_at, now);
	}
	memcpy(lease->dns, client->dns, sizeof(lease->dns));
	lease->n_dns = client->n_dns;
	memcpy(lease->domains, client->domains, sizeof(lease->domains));
	lease->n_domains = client->n_domains;
	memcpy(lease->ntp, client->ntp, sizeof(lease->ntp));
	lease->n_ntp = client->n_ntp;
}

/* Callbacks may free the client: call notify() last. */
static void notify(struct dhcp6_client *client, enum dhcp6_event event)
{
	struct dhcp6_lease lease;

	snapshot(client, &lease);
	if (client->cb)
		client->cb(client, event, &lease, client->user_data);
}

static void clear_lease(struct dhcp6_client *client)
{
	client->n_addrs = 0;
	client->has_pd = false;
	client->t1_at = client->t2_at = NEVER;
	client->lease_server.len = 0;
	client->n_dns = client->n_domains = client->n_ntp = 0;
}

/* Nothing usable came (or the lease went): solicit again, later each time
 * it happens in a row, up to a minute. */
static void restart_solicit(struct dhcp6_client *client)
{
	bool lost = client->announced;
	unsigned int shift = client->failures < 6 ? client->failures : 6;

	client->failures++;
	client->announced = false;
	clear_lease(client);
	disarm(&client->lease_timer);
	begin_exchange(client, STATE_SOLICITING, (1000ull << shift) + random_delay());
	if (lost)
		notify(client, DHCP6_EVENT_LOST);
}

static void arm_lease_timer(struct dhcp6_client *client)
{
	uint64_t next = NEVER, now = l_time_now();

	if (client->state == STATE_BOUND || client->state == STATE_INFORMED)
		next = client->t1_at;
	else if (client->state == STATE_RENEWING)
		next = client->t2_at;
	for (unsigned int i = 0; i < client->n_addrs; i++)
		if (client->addrs[i].valid_until < next)
			next = client->addrs[i].valid_until;
	if (client->has_pd && client->pd.valid_until < next)
		next = client->pd.valid_until;
	if (next == NEVER)
		disarm(&client->lease_timer);
	else
		arm_us(client, &client->lease_timer, next > now ? next - now : 0, lease_cb);
}

static void enter_bound(struct dhcp6_client *client)
{
	disarm(&client->resend_timer);
	client->failures = 0;
	set_state(client, stateful(client) ? STATE_BOUND : STATE_INFORMED);
	client->announced = has_binding(client);
	arm_lease_timer(client);
	notify(client, DHCP6_EVENT_BOUND);
}

/* Drops addresses and the prefix past their valid lifetime; returns how
 * many. */
static unsigned int drop_expired(struct dhcp6_client *client, uint64_t now)
{
	unsigned int kept = 0, n = client->n_addrs, gone;

	for (unsigned int i = 0; i < n; i++)
		if (client->addrs[i].valid_until > now)
			client->addrs[kept++] = client->addrs[i];
	client->n_addrs = kept;
	gone = n - kept;
	if (client->has_pd && client->pd.valid_until <= now) {
		client->has_pd = false;
		gone++;
	}
	return gone;
}

static void lease_cb(struct l_timeout *timeout, void *user_data)
{
	struct dhcp6_client *client = user_data;
	uint64_t now = l_time_now();
	unsigned int expired;

	if (client->state == STATE_INFORMED) {
		begin_exchange(client, STATE_INFORMING, 0);
		return;
	}
	expired = drop_expired(client, now);
	if (expired && !has_binding(client)) {
		l_info("%s: DHCPv6 lease expired", client->ifname);
		client->failures = 0;
		restart_solicit(client);
		return;
	}
	if ((client->state == STATE_BOUND || client->state == STATE_RENEWING) &&
	    now >= client->t2_at)
		begin_exchange(client, STATE_REBINDING, 0);
	else if (client->state == STATE_BOUND && now >= client->t1_at) {
		client->server_id = client->lease_server;
		begin_exchange(client, STATE_RENEWING, 0);
	}
	arm_lease_timer(client);
	if (expired)
		notify(client, DHCP6_EVENT_BOUND);
}

static void request_advertised(struct dhcp6_client *client)
{
	const struct dhcp6_reply *adv = &client->advertise;

	client->server_id = adv->server_id;
	memcpy(client->req_addrs, adv->ia_na.addrs, sizeof(client->req_addrs));
	client->n_req_addrs = adv->ia_na.n_addrs;
	client->n_req_prefixes = adv->has_ia_pd ? adv->ia_pd.n_prefixes : 0;
	memcpy(client->req_prefixes, adv->ia_pd.prefixes, sizeof(client->req_prefixes));
	begin_exchange(client, STATE_REQUESTING, 0);
}

static void resend_cb(struct l_timeout *timeout, void *user_data)
{
	struct dhcp6_client *client = user_data;

	switch (client->state) {
	case STATE_SOLICITING:
		if (client->tries && client->have_advertise) {
			request_advertised(client);
			return;
		}
		break;
	case STATE_REQUESTING:
		if (client->tries >= REQ_MAX_RC) {
			l_info("%s: DHCPv6 server silent after %u Requests", client->ifname,
			       client->tries);
			restart_solicit(client);
			return;
		}
		break;
	case STATE_CONFIRMING:
		if (client->tries && (l_time_now() - client->exchange_start) /
				     client->ms_per_second >= CNF_MAX_RD) {
			/* No answer: the lease stays in use (RFC 8415 18.2.3). */
			l_info("%s: DHCPv6 Confirm unanswered; keeping the lease", client->ifname);
			enter_bound(client);
			return;
		}
		break;
	case STATE_RENEWING:
	case STATE_REBINDING:
	case STATE_INFORMING:
		break;
	case STATE_STOPPED:
	case STATE_BOUND:
	case STATE_INFORMED:
		return;
	}
	transmit(client);
}

static void take_options(struct dhcp6_client *client, const struct dhcp6_reply *r)
{
	memcpy(client->dns, r->dns, sizeof(client->dns));
	client->n_dns = r->n_dns;
	memcpy(client->domains, r->domains, sizeof(client->domains));
	client->n_domains = r->n_domains;
	memcpy(client->ntp, r->ntp, sizeof(client->ntp));
	client->n_ntp = r->n_ntp;
}

static void merge_address(struct dhcp6_client *client, const struct dhcp6_address *a)
{
	struct lease_addr entry = {
		.address = a->address,
		.preferred_until = seconds_from(client, client->last_sent, a->preferred),
		.valid_until = seconds_from(client, client->last_sent, a->valid),
	};
	unsigned int i;

	for (i = 0; i < client->n_addrs; i++)
		if (IN6_ARE_ADDR_EQUAL(&client->addrs[i].address, &a->address))
			break;
	if (a->valid == 0) {
		/* Withdrawn by the server. */
		if (i < client->n_addrs)
			client->addrs[i] = client->addrs[--client->n_addrs];
		return;
	}
	if (i == DHCP6_MAX_ADDRS)
		return;
	client->addrs[i] = entry;
	if (i == client->n_addrs)
		client->n_addrs++;
}

/* The delegated prefix the Reply gives: the one held while the server
 * still names it (a valid lifetime of 0 withdraws it), else the first it
 * gives; a held prefix the Reply does not name keeps its lifetimes
 * (RFC 8415 18.2.10.1). */
static void merge_prefix(struct dhcp6_client *client, const struct dhcp6_ia_pd *ia)
{
	const struct dhcp6_prefix *found = NULL;

	for (unsigned int i = 0; i < ia->n_prefixes && client->has_pd; i++)
		if (ia->prefixes[i].len == client->pd.len &&
		    IN6_ARE_ADDR_EQUAL(&ia->prefixes[i].prefix, &client->pd.prefix))
			found = &ia->prefixes[i];
	if (found && !found->valid) {
		client->has_pd = false;
		found = NULL;
	}
	for (unsigned int i = 0; i < ia->n_prefixes && !found && !client->has_pd; i++)
		if (ia->prefixes[i].valid)
			found = &ia->prefixes[i];
	if (!found)
		return;
	client->pd = (struct lease_prefix){
		.prefix = found->prefix, .len = found->len,
		.preferred_until = seconds_from(client, client->last_sent, found->preferred),
		.valid_until = seconds_from(client, client->last_sent, found->valid),
	};
	client->has_pd = true;
	client->pd_hint = held_prefix(client);
	client->has_pd_hint = true;
}

static uint32_t min_set(uint32_t a, uint32_t b)
{
	return !a ? b : !b ? a : a < b ? a : b;
}

/* RFC 8415 21.4 and 18.2.4: T1 and T2 0 are the client's to choose, 0.5 and
 * 0.8 of the shortest preferred lifetime; infinite ones mean no renewal.
 * Both IAs are renewed together, at the earlier of their times. */
static void set_timers(struct dhcp6_client *client, uint32_t t1, uint32_t t2)
{
	uint32_t shortest = DHCP6_INFINITY;
	uint64_t base = client->last_sent;

	for (unsigned int i = 0; i < client->n_addrs; i++) {
		uint32_t left = seconds_left(client, client->addrs[i].preferred_until, base);

		if (left < shortest)
			shortest = left;
	}
	if (client->has_pd && seconds_left(client, client->pd.preferred_until, base) < shortest)
		shortest = seconds_left(client, client->pd.preferred_until, base);
	if (!t1)
		t1 = shortest == DHCP6_INFINITY ? DHCP6_INFINITY : shortest / 2;
	if (!t2)
		t2 = shortest == DHCP6_INFINITY ? DHCP6_INFINITY : shortest / 5 * 4;
	if (t1 < MIN_T1_S)
		t1 = MIN_T1_S;
	if (t2 < t1)
		t2 = t1;
	client->t1_at = seconds_from(client, base, t1);
	client->t2_at = seconds_from(client, base, t2);
}

/* What was said about the exchange xid so far: each thing once per
 * exchange, so a server that repeats itself does not flood the log. */
static unsigned int logged_bits(struct dhcp6_client *client, uint32_t xid)
{
	if (client->logged_xid != xid) {
		client->logged_xid = xid;
		client->logged_bits = 0;
	}
	return client->logged_bits;
}

static void log_dropped(struct dhcp6_client *client, const struct dhcp6_reply *r)
{
	static const char *const what[] = {
		"malformed options", "an IA with T1 > T2", "unusable addresses",
		"entries beyond the limits", "servers that are no unicast hosts",
		"search domains that are no host names",
		"prefixes that cannot be delegated (not 1..64 bits long)",
	};

	unsigned int fresh = r->dropped & ~logged_bits(client, r->xid);

	client->logged_bits |= fresh;
	for (unsigned int i = 0; i < L_ARRAY_SIZE(what); i++)
		if (fresh & (1u << i))
			l_warn("%s: DHCPv6 %s ignored: %s", client->ifname,
			       dhcp6_msg_type_name(r->type), what[i]);
}

/* Said once per exchange, for a message of ours only: anybody may send
 * garbage to port 546. */
static void log_malformed(struct dhcp6_client *client, const uint8_t *msg, size_t len)
{
	uint32_t xid = len >= 4 ? (uint32_t)msg[1] << 16 | (uint32_t)msg[2] << 8 | msg[3] : 0;

	if (len < 4 || xid != client->xid || (logged_bits(client, xid) & LOGGED_MALFORMED)) {
		l_debug("%s: malformed DHCPv6 message (%zu octets) dropped", client->ifname, len);
		return;
	}
	client->logged_bits |= LOGGED_MALFORMED;
	l_warn("%s: malformed DHCPv6 message (%zu octets, an option runs past its end) dropped",
	       client->ifname, len);
}

/* What the Reply says of the IAs asked for: NoBinding if either IA says
 * it, else the IA_NA's status, else the IA_PD's. */
static uint16_t ia_status(const struct dhcp6_client *client, const struct dhcp6_reply *r)
{
	uint16_t na = asks_na(client) && r->has_ia_na ? r->ia_na.status : 0;
	uint16_t pd = asks_pd(client) && r->has_ia_pd ? r->ia_pd.status : 0;

	if (na == DHCP6_STATUS_NO_BINDING || pd == DHCP6_STATUS_NO_BINDING)
		return DHCP6_STATUS_NO_BINDING;
	return na ? na : pd;
}

/* The server forgot us: ask for the same addresses and prefix (18.2.10.1). */
static void request_again(struct dhcp6_client *client, const struct dhcp6_reply *r)
{
	client->server_id = r->server_id;
	lease_as_addresses(client, client->req_addrs);
	client->n_req_addrs = client->n_addrs;
	client->req_prefixes[0] = held_prefix(client);
	client->n_req_prefixes = client->has_pd;
	begin_exchange(client, STATE_REQUESTING, 0);
}

static void log_no_prefix(struct dhcp6_client *client, const struct dhcp6_reply *r)
{
	l_info("%s: DHCPv6 %s delegates no prefix: %s", client->ifname,
	       dhcp6_msg_type_name(message_type(client)),
	       r->has_ia_pd && r->ia_pd.status ? dhcp6_status_name(r->ia_pd.status) :
						 "no usable IA_PD");
}

/* A Reply to Request, Renew or Rebind (or to a Solicit with rapid commit). */
static void handle_reply(struct dhcp6_client *client, const struct dhcp6_reply *r)
{
	bool asked = client->state == STATE_REQUESTING || client->state == STATE_SOLICITING;
	bool na = !r->status && asks_na(client) && r->has_ia_na && !r->ia_na.status;
	bool pd = !r->status && asks_pd(client) && r->has_ia_pd && !r->ia_pd.status;
	uint16_t status = r->status ? r->status : ia_status(client, r);

	if (status == DHCP6_STATUS_UNSPEC_FAIL || status == DHCP6_STATUS_USE_MULTICAST)
		return;		/* retransmission goes on */
	if (status == DHCP6_STATUS_NOT_ON_LINK || (asked && !na && !pd)) {
		l_info("%s: DHCPv6 %s refused: %s", client->ifname,
		       dhcp6_msg_type_name(message_type(client)),
		       status ? dhcp6_status_name(status) : "no usable IA");
		restart_solicit(client);
		return;
	}
	if (status == DHCP6_STATUS_NO_BINDING) {
		request_again(client, r);
		return;
	}
	if (!na && !pd)
		return;		/* nothing for our IAs: Renew or Rebind again */
	for (unsigned int i = 0; na && i < r->ia_na.n_addrs; i++)
		merge_address(client, &r->ia_na.addrs[i]);
	if (pd)
		merge_prefix(client, &r->ia_pd);
	else if (asks_pd(client) && !client->has_pd)
		log_no_prefix(client, r);
	if (!has_binding(client)) {
		l_info("%s: DHCPv6 server left no address or prefix", client->ifname);
		restart_solicit(client);
		return;
	}
	client->lease_server = r->server_id;
	take_options(client, r);
	set_timers(client, min_set(na ? r->ia_na.t1 : 0, pd ? r->ia_pd.t1 : 0),
		   min_set(na ? r->ia_na.t2 : 0, pd ? r->ia_pd.t2 : 0));
	enter_bound(client);
}

static bool offers_prefix(const struct dhcp6_ia_pd *ia)
{
	for (unsigned int i = 0; i < ia->n_prefixes; i++)
		if (ia->prefixes[i].valid)
			return true;
	return false;
}

/* RFC 8415 18.2.9: an Advertise with no address nor prefix asked for is
 * ignored (nor one whose prefixes are all withdrawn already). */
static bool usable_advertise(const struct dhcp6_client *client, const struct dhcp6_reply *r)
{
	bool na = asks_na(client) && r->has_ia_na && !r->ia_na.status && r->ia_na.n_addrs;
	bool pd = asks_pd(client) && r->has_ia_pd && !r->ia_pd.status && offers_prefix(&r->ia_pd);

	return r->status == DHCP6_STATUS_SUCCESS && (na || pd);
}

static void handle_advertise(struct dhcp6_client *client, const struct dhcp6_reply *r)
{
	if (r->sol_max_rt)
		client->sol_max_rt = r->sol_max_rt;
	if (r->inf_max_rt)
		client->inf_max_rt = r->inf_max_rt;
	if (!usable_advertise(client, r))
		return;
	if (!client->have_advertise || r->preference > client->advertise.preference) {
		client->advertise = *r;
		client->have_advertise = true;
	}
	if (r->preference == 255 || client->tries > 1)
		request_advertised(client);
}

static void handle_confirm_reply(struct dhcp6_client *client, const struct dhcp6_reply *r)
{
	if (r->status == DHCP6_STATUS_SUCCESS) {
		client->lease_server = r->server_id;
		enter_bound(client);
	} else if (r->status == DHCP6_STATUS_NOT_ON_LINK) {
		l_info("%s: DHCPv6 lease not on this link any more", client->ifname);
		restart_solicit(client);
	}
}

static void handle_info_reply(struct dhcp6_client *client, const struct dhcp6_reply *r)
{
	uint32_t refresh = r->info_refresh ? r->info_refresh : IRT_DEFAULT_S;

	if (r->inf_max_rt)
		client->inf_max_rt = r->inf_max_rt;
	if (r->status != DHCP6_STATUS_SUCCESS)
		return;
	if (refresh < IRT_MINIMUM_S)
		refresh = IRT_MINIMUM_S;
	take_options(client, r);
	client->lease_server = r->server_id;
	client->t1_at = seconds_from(client, client->last_sent, refresh);
	enter_bound(client);
}

/* Whose Reply is taken: in Request and Renew, only the server asked (a
 * server that changed its ID mid-lease is not followed there); in Rebind,
 * Confirm and Information-request, any. */
static bool server_expected(const struct dhcp6_client *client, const struct dhcp6_reply *r)
{
	if (client->state != STATE_REQUESTING && client->state != STATE_RENEWING)
		return true;
	return dhcp6_duid_equal(&client->server_id, &r->server_id);
}

static void release_cb(struct l_timeout *timeout, void *user_data);

/* The Release of the prefix: sent, then retransmitted up to REL_MAX_RC
 * times (RFC 8415 18.2.7, 7.6) until a Reply comes. */
static void send_release(struct dhcp6_client *client)
{
	struct prefix_release *rel = &client->release;
	struct dhcp6_request req = {
		.type = DHCP6_RELEASE, .xid = rel->xid, .server_id = &rel->server_id,
		.ia_pd = true, .prefixes = &rel->prefix, .n_prefixes = 1,
	};

	if (rel->tries > REL_MAX_RC) {
		l_debug("%s: DHCPv6 Release unanswered", client->ifname);
		disarm(&rel->timer);
		return;
	}
	send_request(client, &req, &rel->start);
	rel->rt_ms = rel->tries++ ? jitter(2 * rel->rt_ms, -50, 50) :
				    jitter(REL_TIMEOUT, -100, 100);
	arm_us(client, &rel->timer, pms_to_us(client, rel->rt_ms), release_cb);
}

static void release_cb(struct l_timeout *timeout, void *user_data)
{
	send_release(user_data);
}

static void release_prefix(struct dhcp6_client *client)
{
	struct prefix_release *rel = &client->release;

	rel->xid = l_getrandom_uint32() & 0xffffff;
	rel->server_id = client->lease_server;
	rel->prefix = held_prefix(client);
	rel->start = 0;
	rel->tries = 0;
	send_release(client);
}

static bool release_answered(struct dhcp6_client *client, const struct dhcp6_reply *r)
{
	if (!client->release.timer || r->type != DHCP6_REPLY || r->xid != client->release.xid ||
	    !dhcp6_duid_equal(&r->client_id, &client->duid))
		return false;
	l_debug("%s: DHCPv6 Release of the prefix answered: %s", client->ifname,
		dhcp6_status_name(r->status));
	disarm(&client->release.timer);
	return true;
}

void dhcp6_client_receive(struct dhcp6_client *client, const uint8_t *msg, size_t len)
{
	struct dhcp6_reply r;

	if (len >= 4 && msg[0] == DHCP6_RECONFIGURE) {
		/* RFC 8415 18.2.11: only with a reconfigure key agreed, and we
		 * ask for none (no option 20), so none is authentic. */
		l_debug("%s: DHCPv6 Reconfigure ignored (no reconfigure key agreed)",
			client->ifname);
		return;
	}
	if (dhcp6_packet_parse(msg, len, client->iaid, &r) < 0) {
		log_malformed(client, msg, len);
		return;
	}
	if (release_answered(client, &r))
		return;
	/* Section 16.3 and 16.10: ours, with a server ID and our own client ID. */
	if (r.xid != client->xid || !r.server_id.len || !dhcp6_duid_equal(&r.client_id, &client->duid))
		return;
	l_debug("%s: DHCPv6 %s xid %06x in state %s", client->ifname,
		dhcp6_msg_type_name(r.type), r.xid, state_name(client->state));
	log_dropped(client, &r);
	if (r.type == DHCP6_REPLY && !server_expected(client, &r)) {
		l_debug("%s: DHCPv6 Reply from another server ignored", client->ifname);
		return;
	}
	switch (client->state) {
	case STATE_SOLICITING:
		if (r.type == DHCP6_ADVERTISE)
			handle_advertise(client, &r);
		else if (r.rapid_commit)
			handle_reply(client, &r);
		return;
	case STATE_REQUESTING:
	case STATE_RENEWING:
	case STATE_REBINDING:
		if (r.type == DHCP6_REPLY)
			handle_reply(client, &r);
		return;
	case STATE_CONFIRMING:
		if (r.type == DHCP6_REPLY)
			handle_confirm_reply(client, &r);
		return;
	case STATE_INFORMING:
		if (r.type == DHCP6_REPLY)
			handle_info_reply(client, &r);
		return;
	case STATE_STOPPED:
	case STATE_BOUND:
	case STATE_INFORMED:
		return;
	}
}

static void transport_rx(const uint8_t *msg, size_t len, void *user_data)
{
	dhcp6_client_receive(user_data, msg, len);
}

struct dhcp6_client *dhcp6_client_new(int ifindex, const char *ifname,
				      const struct dhcp6_duid *duid, uint32_t iaid,
				      dhcp6_event_cb_t cb, void *user_data)
{
	struct dhcp6_client *client;

	if (ifindex <= 0 || !ifname || strlen(ifname) >= IFNAMSIZ || !duid || !duid->len)
		return NULL;
	client = l_new(struct dhcp6_client, 1);
	client->ifindex = ifindex;
	l_strlcpy(client->ifname, ifname, sizeof(client->ifname));
	client->duid = *duid;
	client->iaid = iaid;
	client->cb = cb;
	client->user_data = user_data;
	client->ms_per_second = 1000;
	clear_lease(client);
	return client;
}

void dhcp6_client_set_transport(struct dhcp6_client *client,
				const struct dhcp6_transport_ops *ops, void *data)
{
	if (client->ops)
		client->ops->free(client->transport);
	client->ops = ops;
	client->transport = data;
}

void dhcp6_client_set_time_scale(struct dhcp6_client *client, unsigned int ms_per_second)
{
	client->ms_per_second = ms_per_second ? ms_per_second : 1;
}

/* A remembered lease, its lifetimes counted from now. */
static void take_previous(struct dhcp6_client *client, const struct dhcp6_lease *prev)
{
	uint64_t now = l_time_now();

	client->n_addrs = 0;
	for (unsigned int i = 0; asks_na(client) && i < prev->n_addrs && i < DHCP6_MAX_ADDRS; i++) {
		if (!prev->addrs[i].valid)
			continue;
		client->addrs[client->n_addrs].address = prev->addrs[i].address;
		client->addrs[client->n_addrs].preferred_until =
			seconds_from(client, now, prev->addrs[i].preferred);
		client->addrs[client->n_addrs++].valid_until =
			seconds_from(client, now, prev->addrs[i].valid);
	}
	if (prev->has_prefix && prev->prefix.valid && asks_pd(client)) {
		client->pd = (struct lease_prefix){
			.prefix = prev->prefix.prefix, .len = prev->prefix.len,
			.preferred_until = seconds_from(client, now, prev->prefix.preferred),
			.valid_until = seconds_from(client, now, prev->prefix.valid),
		};
		client->has_pd = true;
		client->pd_hint = prev->prefix;
		client->has_pd_hint = true;
	}
	client->lease_server = prev->server_id;
	client->t1_at = seconds_from(client, now, prev->t1);
	client->t2_at = seconds_from(client, now, prev->t2);
	memcpy(client->dns, prev->dns, sizeof(client->dns));
	client->n_dns = prev->n_dns < DHCP6_MAX_SERVERS ? prev->n_dns : DHCP6_MAX_SERVERS;
	memcpy(client->domains, prev->domains, sizeof(client->domains));
	client->n_domains = prev->n_domains < DHCP6_MAX_DOMAINS ? prev->n_domains :
								 DHCP6_MAX_DOMAINS;
	memcpy(client->ntp, prev->ntp, sizeof(client->ntp));
	client->n_ntp = prev->n_ntp < DHCP6_MAX_SERVERS ? prev->n_ntp : DHCP6_MAX_SERVERS;
}

int dhcp6_client_start(struct dhcp6_client *client, enum dhcp6_mode mode,
		       const struct dhcp6_lease *previous)
{
	int err;

	if (!client)
		return -EINVAL;
	if (client->state != STATE_STOPPED)
		return -EALREADY;
	if (!client->ops)
		dhcp6_client_set_transport(client, &dhcp6_transport_socket_ops,
					   dhcp6_transport_socket_new(client->ifindex,
								      client->ifname,
								      transport_rx, client));
	err = client->ops->open(client->transport);
	if (err < 0)
		return err;
	client->mode = mode;
	client->failures = 0;
	client->sol_max_rt = client->inf_max_rt = DEFAULT_MAX_RT_S;
	clear_lease(client);
	if (mode == DHCP6_MODE_STATELESS)
		begin_exchange(client, STATE_INFORMING, random_delay());
	else if (previous && (previous->n_addrs || previous->has_prefix)) {
		take_previous(client, previous);
		if (has_binding(client)) {
			/* A Confirm cannot carry prefixes; a requesting router
			 * rebinds what it has (18.2.2). */
			begin_exchange(client, asks_pd(client) ? STATE_REBINDING :
				       STATE_CONFIRMING, random_delay());
			arm_lease_timer(client);
		} else {
			clear_lease(client);
			begin_exchange(client, STATE_SOLICITING, random_delay());
		}
	} else {
		begin_exchange(client, STATE_SOLICITING, random_delay());
	}
	return 0;
}

int dhcp6_client_go_stateful(struct dhcp6_client *client)
{
	if (client->state == STATE_STOPPED)
		return -ENOTCONN;
	if (client->mode == DHCP6_MODE_STATEFUL)
		return -EALREADY;
	client->mode = DHCP6_MODE_STATEFUL;
	begin_exchange(client, STATE_SOLICITING, random_delay());
	arm_lease_timer(client);	/* a prefix held keeps expiring */
	return 0;
}

void dhcp6_client_want_prefix(struct dhcp6_client *client, bool want)
{
	if (client->want_pd == want)
		return;
	client->want_pd = want;
	/* Stopped: from the next start; prefix-only: the owner stops it. */
	if (client->state == STATE_STOPPED || client->mode != DHCP6_MODE_STATEFUL)
		return;
	if (want) {
		/* Bound: a Renew adds the IA_PD; any other exchange carries it
		 * in its next message. */
		if (client->state == STATE_BOUND) {
			client->server_id = client->lease_server;
			begin_exchange(client, STATE_RENEWING, 0);
			arm_lease_timer(client);
		}
		return;
	}
	client->has_pd_hint = false;
	if (!client->has_pd)
		return;
	release_prefix(client);
	client->has_pd = false;
	if (!has_binding(client)) {
		restart_solicit(client);
		return;
	}
	arm_lease_timer(client);
	notify(client, DHCP6_EVENT_BOUND);
}

int dhcp6_client_decline(struct dhcp6_client *client, const struct in6_addr *address)
{
	char text[INET6_ADDRSTRLEN];
	unsigned int i;

	for (i = 0; i < client->n_addrs; i++)
		if (IN6_ARE_ADDR_EQUAL(&client->addrs[i].address, address))
			break;
	if (i == client->n_addrs)
		return -ENOENT;
	l_warn("%s: DHCPv6 address %s in use on the link: declined", client->ifname,
	       inet_ntop(AF_INET6, address, text, sizeof(text)));
	/* Sent once: the server keeps the address from others either way,
	 * and a client that solicits again is not stopped by a lost Decline. */
	memset(client->req_addrs, 0, sizeof(client->req_addrs[0]));
	client->req_addrs[0].address = *address;
	client->n_req_addrs = 1;
	client->xid = l_getrandom_uint32() & 0xffffff;
	client->exchange_start = 0;
	client->server_id = client->lease_server;
	send_message(client, DHCP6_DECLINE);
	client->addrs[i] = client->addrs[--client->n_addrs];
	if (!has_binding(client)) {
		restart_solicit(client);
		return 0;
	}
	arm_lease_timer(client);
	notify(client, DHCP6_EVENT_BOUND);
	return 0;
}

void dhcp6_client_stop(struct dhcp6_client *client, bool release)
{
	if (!client || client->state == STATE_STOPPED)
		return;
	/* One Release, not retransmitted: the link goes down right after. */
	if (release && has_binding(client)) {
		client->xid = l_getrandom_uint32() & 0xffffff;
		client->exchange_start = 0;
		client->server_id = client->lease_server;
		send_message(client, DHCP6_RELEASE);
	}
	disarm(&client->resend_timer);
	disarm(&client->lease_timer);
	disarm(&client->release.timer);
	client->ops->close(client->transport);
	client->announced = false;
	clear_lease(client);
	set_state(client, STATE_STOPPED);
}

void dhcp6_client_free(struct dhcp6_client *client)
{
	if (!client)
		return;
	dhcp6_client_stop(client, false);
	if (client->ops)
		client->ops->free(client->transport);
	l_free(client);
}

bool dhcp6_client_running(const struct dhcp6_client *client)
{
	return client && client->state != STATE_STOPPED;
}

enum dhcp6_mode dhcp6_client_mode(const struct dhcp6_client *client)
{
	return client->mode;
}
