#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <ell/ell.h>

#include "dns-cache.h"
#include "dns-forward.h"
#include "dns-msg.h"
#include "dns-name.h"
#include "dns-pool.h"
#include "dnsproxy.h"
#include "marks.h"

#ifndef SO_RCVMARK
#define SO_RCVMARK 75		/* Linux 5.19; older C libraries lack the name */
#endif

/* ELL's main loop serves file descriptors below 128 only, for the whole
 * daemon: queries upstream share the pool's sockets (at most
 * DNS_POOL_MAX_SOCKETS + DNS_POOL_MAX_TCP, whatever the rate; timeouts come
 * from one shared tick), each TCP client holds two. Identical questions in
 * flight to the same upstream share one query upstream. Beyond MAX_FORWARDS
 * queries upstream the others wait their turn; beyond MAX_PENDING clients
 * waiting they are dropped; a query the pool has no socket for gets SERVFAIL. */
#define MAX_FORWARDS 512
#define MAX_PENDING 1024
#define MAX_TCP_CLIENTS 8
#define TCP_IDLE_SECONDS 10
#define TCP_OUT_MAX (256 * 1024)
/* Queries read per wake-up of a UDP listener, all of them by one
 * recvmmsg() and their cache hits answered by one sendmmsg(): on a busy
 * proxy a system call costs as much as a few queries' own work, and with 16
 * a call connd spent a fifth more CPU per cache hit (bench/dns, dns-flood).
 * The buffers are touched only as deep as a burst goes. */
#define UDP_BATCH 64
#define UDP_MMSG 64
/* A larger UDP query (none fits a datagram without IP fragments) is
 * dropped as malformed. */
#define UDP_QUERY_MAX 4096
#define CACHE_ENTRIES 8192
#define CACHE_BYTES (4 * 1024 * 1024)
/* Each session link's own cache: smaller, there may be several. */
#define SLOT_CACHE_ENTRIES 2048
#define SLOT_CACHE_BYTES (1024 * 1024)
/* Room for a burst of a few thousand queries: the default holds ~200. */
#define UDP_RCVBUF (1024 * 1024)

/* Where recvmmsg() puts a batch of queries: one for every listener, reused
 * (a query is copied before it waits for an upstream). The replies the
 * batch gets at once (cache hits, errors), and the answers a burst of
 * upstream replies makes, leave together by sendmmsg(). */
struct udp_batch {
	struct mmsghdr msgs[UDP_MMSG];
	struct iovec iov[UDP_MMSG];
	struct sockaddr_storage from[UDP_MMSG];
	uint8_t control[UDP_MMSG][CMSG_SPACE(sizeof(uint32_t))];
	uint8_t buf[UDP_MMSG][UDP_QUERY_MAX];
	unsigned int open;		/* replies collect (nested batches) */
	struct listener *listener;	/* whose replies are in out */
	unsigned int n_out;
	struct mmsghdr out[UDP_MMSG];
	struct iovec out_iov[UDP_MMSG];
	struct sockaddr_storage to[UDP_MMSG];
	uint8_t out_buf[UDP_MMSG][UDP_QUERY_MAX];	/* longer replies go alone */
	struct l_timeout *release;	/* after a burst: its buffers' pages go back */
	bool watching;			/* release is armed */
	bool burst;			/* one came since it was */
};

/* A burst leaves up to ~530 KB of the buffers resident for good; they
 * are only scratch, rewritten before every read, so once the queries have
 * been quiet for a whole period (10 to 20 s after the last burst) their
 * pages go back to the kernel (zero pages when touched again). */
#define BATCH_RELEASE_SECONDS 10

struct listener {
	struct dnsproxy *p;
	char address[INET6_ADDRSTRLEN];
	struct l_io *udp, *tcp;
};

struct tcp_client {
	struct dnsproxy *p;
	struct l_io *io;
	struct l_timeout *idle;
	uint8_t *in, *out;
	size_t in_len, out_len;
	uint32_t mark;		/* its SYN's (net.ipv4.tcp_fwmark_accept) */
	bool closing;
};

/* Where a reply goes: a UDP client of a listener, or a TCP client. */
struct client {
	struct listener *listener;
	struct tcp_client *tcp;
	struct sockaddr_storage addr;
	socklen_t addr_len;
};

struct upstream {
	uint8_t **domains;	/* wire form, lowercased */
	unsigned int n_domains;
	struct dns_server *servers;
	unsigned int n_servers;
	unsigned int preferred;	/* the last server that answered */
	/* A service's servers for its sessions' queries: asked through its
	 * link (mark) and cached apart, so an answer got through one link is
	 * never served to a session on another. The default and per-domain
	 * upstreams have slot 0, mark 0 and use the proxy's cache. */
	unsigned int slot;
	uint32_t mark;
	char *id;		/* the service's */
	char *joined;		/* its servers, to keep the cache while they stay */
	struct dns_cache *cache;	/* made on first use */
};

/* A client waiting for an answer from upstream. */
struct waiter {
	struct client client;
	uint8_t *query;
	size_t len;
	struct dns_msg msg;
};

/* What makes two queries in flight share one query upstream: the cache's
 * key (name, type, class, EDNS0, DO, CD), RD, and the upstream they go to. */
struct flight_key {
	const struct upstream *upstream;
	unsigned int generation;
	uint16_t len;
	uint8_t bytes[DNS_NAME_MAX + 5];
};

/* One query upstream and the clients it answers, the first one's query sent. */
struct flight {
	struct dnsproxy *p;
	struct dns_forward *forward;
	struct upstream *upstream;
	unsigned int generation;
	unsigned int slot;		/* a session's query: its service's slot */
	struct flight_key key;
	bool joinable;			/* in p->flights */
	struct l_queue *waiters;
};

struct dnsproxy {
	uint16_t port;
	struct l_queue *listeners;
	struct udp_batch *batch;
	struct l_queue *upstreams;	/* per-domain */
	struct upstream *def;
	struct l_queue *slots;		/* each connected service's, for sessions */
	dnsproxy_mark_fn mark_fn;
	void *mark_data;
	char *default_id;
	char *default_servers;		/* joined, to notice a change */
	unsigned int generation;
	struct dns_cache *cache;
	struct l_queue *pending;	/* every flight waiting for an upstream */
	struct l_queue *waiting;	/* those not sent yet (MAX_FORWARDS) */
	struct l_hashmap *flights;	/* struct flight_key * → joinable flight */
	unsigned int forwarding, n_waiters;
	struct dns_pool *pool;
	struct l_timeout *tick;		/* runs while queries are upstream */
	struct l_queue *tcp_clients;
	struct l_idle *reaper;		/* frees closed TCP clients */
	struct dns_forward_counters counters;
	unsigned long malformed_queries, dropped_queries, coalesced_queries;
	unsigned long session_queries, session_refused;
};

static void client_text(const struct client *c, char *out, size_t len)
{
	const struct sockaddr_storage *a = &c->addr;
	const void *ip = a->ss_family == AF_INET6 ?
		(const void *)&((const struct sockaddr_in6 *)a)->sin6_addr :
		(const void *)&((const struct sockaddr_in *)a)->sin_addr;

	if (!inet_ntop(a->ss_family, ip, out, len))
		l_strlcpy(out, "?", len);
}

/* ---- upstreams ---- */

/* A search domain in lowercased wire form; NULL for the root or a malformed one. */
static uint8_t *domain_to_wire(const char *domain)
{
	uint8_t wire[DNS_NAME_MAX];
	int len = dns_name_from_text(domain, wire);

	if (len <= 1)
		return NULL;
	dns_name_lower(wire);
	return l_memdup(wire, (size_t)len);
}

static void upstream_free(void *data)
{
	struct upstream *u = data;

	if (!u)
		return;
	for (unsigned int i = 0; i < u->n_domains; i++)
		l_free(u->domains[i]);
	l_free(u->domains);
	l_free(u->servers);
	l_free(u->id);
	l_free(u->joined);
	dns_cache_free(u->cache);
	l_free(u);
}

static struct upstream *upstream_new(char **domains, char **servers)
{
	struct upstream *u = l_new(struct upstream, 1);
	unsigned int n = servers ? l_strv_length(servers) : 0;

	u->servers = l_new(struct dns_server, n ? n : 1);
	for (unsigned int i = 0; i < n; i++)
		if (dns_server_parse(servers[i], &u->servers[u->n_servers]) == 0)
			u->n_servers++;
	n = domains ? l_strv_length(domains) : 0;
	u->domains = l_new(uint8_t *, n ? n : 1);
	for (unsigned int i = 0; i < n; i++) {
		uint8_t *wire = domain_to_wire(domains[i]);

		if (wire)
			u->domains[u->n_domains++] = wire;
	}
	return u;
}

/* The length of the longest of u's domains that the name falls under. */
static size_t domain_match(const struct upstream *u, const struct dns_msg *q)
{
	size_t best = 0;

	for (unsigned int d = 0; d < u->n_domains; d++) {
		size_t dlen = dns_name_len(u->domains[d]);

		if (dlen > best && dns_name_under(q->qname, u->domains[d]))
			best = dlen;
	}
	return best;
}

static struct upstream *route(const struct dnsproxy *p, const struct dns_msg *q)
{
	struct upstream *best = p->def;
	size_t best_len = 0;

	for (const struct l_queue_entry *e = l_queue_get_entries(p->upstreams); e; e = e->next) {
		size_t len = domain_match(e->data, q);

		if (len > best_len && ((struct upstream *)e->data)->n_servers) {
			best = e->data;
			best_len = len;
		}
	}
	return best && best->n_servers ? best : NULL;
}

static bool has_slot(const void *data, const void *user_data)
{
	return ((const struct upstream *)data)->slot == L_PTR_TO_UINT(user_data);
}

/* The servers of the service in that slot, NULL when it has none. */
static struct upstream *slot_upstream(const struct dnsproxy *p, unsigned int slot)
{
	struct upstream *u = l_queue_find(p->slots, has_slot, L_UINT_TO_PTR(slot));

	return u && u->n_servers ? u : NULL;
}

/* A service's upstream for its sessions, keeping the cache of the one it
 * replaces when the service and its servers are the same. */
static struct upstream *slot_upstream_new(const struct dns_route *r, struct l_queue *old)
{
	struct upstream *u = upstream_new(NULL, r->servers);
	struct upstream *was = l_queue_find(old, has_slot, L_UINT_TO_PTR(r->slot));

	u->slot = r->slot;
	u->mark = MARK_FOR_SLOT(r->slot) | MARK_OWN;
	u->id = l_strdup(r->id);
	u->joined = r->servers ? l_strjoinv(r->servers, ' ') : l_strdup("");
	if (was && l_streq0(was->id, u->id) && !strcmp(was->joined, u->joined)) {
		u->cache = was->cache;
		u->preferred = was->preferred;
		was->cache = NULL;
	}
	return u;
}

static void set_slot_upstreams(struct dnsproxy *p, const struct dns_route *routes,
			       unsigned int n_routes)
{
	struct l_queue *old = p->slots;

	p->slots = l_queue_new();
	for (unsigned int i = 0; i < n_routes; i++)
		if (routes[i].slot)
			l_queue_push_tail(p->slots, slot_upstream_new(&routes[i], old));
	l_queue_destroy(old, upstream_free);
}

void dnsproxy_set_upstreams(struct dnsproxy *p, const char *default_id, char **default_servers,
			    const struct dns_route *routes, unsigned int n_routes)
{
	char *joined = default_servers ? l_strjoinv(default_servers, ' ') : l_strdup("");

	if (strcmp(joined, p->default_servers) || !l_streq0(default_id, p->default_id)) {
		l_info("dnsproxy: upstream %s%s%s; cache flushed", *joined ? joined : "none",
		       default_id ? " of " : "", default_id ? default_id : "");
		dns_cache_flush(p->cache);
	}
	l_free(p->default_servers);
	p->default_servers = joined;
	l_free(p->default_id);
	p->default_id = l_strdup(default_id);
	upstream_free(p->def);
	p->def = upstream_new(NULL, default_servers);
	l_queue_clear(p->upstreams, upstream_free);
	for (unsigned int i = 0; i < n_routes; i++)
		if (routes[i].domains && routes[i].domains[0])
			l_queue_push_tail(p->upstreams, upstream_new(routes[i].domains,
								     routes[i].servers));
	set_slot_upstreams(p, routes, n_routes);
	p->generation++;
}

/* Where a query goes: its session's service's servers, else by its name. */
static struct upstream *route_query(const struct dnsproxy *p, const struct dns_msg *q,
				    unsigned int slot)
{
	return slot ? slot_upstream(p, slot) : route(p, q);
}

static struct dns_cache *upstream_cache(struct upstream *u)
{
	if (!u->cache)
		u->cache = dns_cache_new(SLOT_CACHE_ENTRIES, SLOT_CACHE_BYTES);
	return u->cache;
}

/* ---- replies ---- */

static void tcp_client_close_later(struct tcp_client *c);
static void tcp_flush(struct tcp_client *c);

static void tcp_send(struct tcp_client *c, const uint8_t *msg, size_t len)
{
	if (c->closing)
		return;
	if (c->out_len + 2 + len > TCP_OUT_MAX) {
		l_debug("dnsproxy: TCP client not reading its answers; closing");
		tcp_client_close_later(c);
		return;
	}
	c->out = l_realloc(c->out, c->out_len + 2 + len);
	c->out[c->out_len] = (uint8_t)(len >> 8);
	c->out[c->out_len + 1] = len & 0xff;
	memcpy(c->out + c->out_len + 2, msg, len);
	c->out_len += 2 + len;
	tcp_flush(c);
}

/* The whole pages inside [start, start + len). */
static void release_pages(void *start, size_t len)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t from = ((uintptr_t)start + page - 1) & ~(page - 1);
	uintptr_t to = ((uintptr_t)start + len) & ~(page - 1);

	if (to > from)
		madvise((void *)from, to - from, MADV_DONTNEED);
}

static void batch_release(struct l_timeout *timeout, void *user_data)
{
	struct udp_batch *b = user_data;

	if (b->burst) {
		b->burst = false;
		l_timeout_modify(b->release, BATCH_RELEASE_SECONDS);
		return;
	}
	b->watching = false;
	release_pages(b->buf, sizeof(b->buf));
	release_pages(b->out_buf, sizeof(b->out_buf));
}

/* More than one buffer used: a burst, whose pages go back once it is over.
 * A flag, not a timer re-armed per burst: that was a syscall every ~55
 * queries under load. */
static void batch_burst(struct udp_batch *b)
{
	if (b->watching) {
		b->burst = true;
		return;
	}
	b->watching = true;
	if (b->release)
		l_timeout_modify(b->release, BATCH_RELEASE_SECONDS);
	else
		b->release = l_timeout_create(BATCH_RELEASE_SECONDS, batch_release, b, NULL);
}

static void flush_replies(struct udp_batch *b)
{
	unsigned int sent = 0;

	if (!b->n_out)
		return;
	while (sent < b->n_out) {
		int n = sendmmsg(l_io_get_fd(b->listener->udp), b->out + sent, b->n_out - sent,
				 MSG_DONTWAIT);

		/* A full socket buffer drops the rest, as sendto() would. */
		if (n <= 0)
			break;
		sent += (unsigned int)n;
	}
	if (b->n_out > 1)
		batch_burst(b);
	b->n_out = 0;
}

/* Adds a reply to the batch being answered; false when it must go alone. */
static bool batch_reply(const struct client *c, const uint8_t *msg, size_t len)
{
	struct udp_batch *b = c->listener->p->batch;
	unsigned int i;

	if (!b->open || len > sizeof(b->out_buf[0]))
		return false;
	if (b->n_out == UDP_MMSG || (b->n_out && b->listener != c->listener))
		flush_replies(b);
	b->listener = c->listener;
	i = b->n_out++;
	memcpy(b->out_buf[i], msg, len);
	memcpy(&b->to[i], &c->addr, sizeof(b->to[i]));
	b->out_iov[i] = (struct iovec) { b->out_buf[i], len };
	b->out[i] = (struct mmsghdr) { .msg_hdr = {
		.msg_name = &b->to[i], .msg_namelen = c->addr_len,
		.msg_iov = &b->out_iov[i], .msg_iovlen = 1,
	} };
	return true;
}

/* msg may be rewritten in place (truncation). */
static void send_reply(const struct client *c, const struct dns_msg *query, uint8_t *msg,
		       size_t len)
{
	if (c->tcp) {
		tcp_send(c->tcp, msg, len);
		return;
	}
	if (!c->listener)
		return;
	if (len > dns_msg_udp_limit(query))
		len = dns_msg_short_reply(msg, query, msg[3] & 0x0f, true, msg);
	if (batch_reply(c, msg, len))
		return;
	sendto(l_io_get_fd(c->listener->udp), msg, len, MSG_DONTWAIT, (struct sockaddr *)&c->addr,
	       c->addr_len);
}

static void send_error(const struct client *c, const uint8_t *query, const struct dns_msg *q,
		       uint8_t rcode)
{
	uint8_t out[DNS_MSG_MAX];
	size_t len = dns_msg_short_reply(query, q, rcode, false, out);

	send_reply(c, q, out, len);
}

/* ---- forwarding ---- */

static void make_flight_key(const struct upstream *u, unsigned int generation,
			    const struct dns_msg *q, struct flight_key *key)
{
	uint8_t *b = key->bytes;

	memset(key, 0, sizeof(*key));
	key->upstream = u;
	key->generation = generation;
	memcpy(b, q->qname, q->qname_len);
	b += q->qname_len;
	*b++ = q->qtype >> 8;
	*b++ = q->qtype & 0xff;
	*b++ = q->qclass >> 8;
	*b++ = q->qclass & 0xff;
	*b++ = (uint8_t)(q->edns << 0 | q->dnssec_ok << 1 | q->checking_disabled << 2 |
			 q->recursion_desired << 3);
	key->len = (uint16_t)(b - key->bytes);
}

static unsigned int flight_key_hash(const void *p)
{
	const struct flight_key *key = p;
	uint32_t h = 2166136261u ^ key->generation;

	h = (h ^ (uint32_t)(uintptr_t)key->upstream) * 16777619u;
	for (uint16_t i = 0; i < key->len; i++)
		h = (h ^ key->bytes[i]) * 16777619u;
	return h;
}

static int flight_key_compare(const void *a, const void *b)
{
	const struct flight_key *x = a, *y = b;

	if (x->upstream != y->upstream)
		return x->upstream < y->upstream ? -1 : 1;
	if (x->generation != y->generation)
		return x->generation < y->generation ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return memcmp(x->bytes, y->bytes, x->len);
}

static void waiter_free(void *data)
{
	struct waiter *w = data;

	l_free(w->query);
	l_free(w);
}

/* No new client joins it: it is answered, or routed anew. */
static void flight_close(struct flight *fl)
{
	if (fl->joinable)
		l_hashmap_remove(fl->p->flights, &fl->key);
	fl->joinable = false;
}

static void flight_free(void *data)
{
	struct flight *fl = data;

	flight_close(fl);
	dns_forward_free(fl->forward);
	fl->p->n_waiters -= l_queue_length(fl->waiters);
	l_queue_destroy(fl->waiters, waiter_free);
	l_free(fl);
}

static void start_waiting(struct dnsproxy *p);

/* The reply with this waiter's ID and RD bit, and its spelling of the question. */
static void answer_waiter(const struct waiter *w, const uint8_t *reply, size_t len)
{
	uint8_t out[DNS_MSG_MAX];

	memcpy(out, reply, len);
	memcpy(out, w->query, 2);
	out[2] = (uint8_t)((out[2] & ~0x01) | (w->query[2] & 0x01));
	memcpy(out + DNS_HEADER_LEN, w->query + DNS_HEADER_LEN,
	       w->msg.question_end - DNS_HEADER_LEN);
	send_reply(&w->client, &w->msg, out, len);
}

static void forwarded(int err, const uint8_t *reply, size_t len, const struct dns_msg *msg,
		      unsigned int server, void *data)
{
	struct flight *fl = data;
	struct dnsproxy *p = fl->p;
	const struct waiter *first = l_queue_peek_head(fl->waiters);

	/* flight_free() below frees the forward too: it allows that from here. */
	if (err == 0 && fl->generation == p->generation)
		fl->upstream->preferred = server;
	/* A session's answer only into its link's cache, and only while that
	 * link's upstream is the one asked. */
	if (err == 0 && !fl->slot)
		dns_cache_put(p->cache, &first->msg, reply, msg, l_time_now());
	else if (err == 0 && fl->generation == p->generation)
		dns_cache_put(upstream_cache(fl->upstream), &first->msg, reply, msg, l_time_now());
	for (const struct l_queue_entry *e = l_queue_get_entries(fl->waiters); e; e = e->next) {
		const struct waiter *w = e->data;

		if (err < 0)
			send_error(&w->client, w->query, &w->msg, DNS_RCODE_SERVFAIL);
		else
			answer_waiter(w, reply, len);
	}
	l_queue_remove(p->pending, fl);
	flight_free(fl);
	p->forwarding--;
	start_waiting(p);
}

static struct waiter *waiter_new(const uint8_t *query, size_t len, const struct dns_msg *q,
				 const struct client *c)
{
	struct waiter *w = l_new(struct waiter, 1);

	w->client = *c;
	w->query = l_memdup(query, len);
	w->len = len;
	w->msg = *q;
	return w;
}

static void forward(struct dnsproxy *p, const uint8_t *query, size_t len, const struct dns_msg *q,
		    const struct client *c, unsigned int slot)
{
	struct upstream *u = route_query(p, q, slot);
	struct flight_key key;
	struct flight *fl;

	if (!u) {
		send_error(c, query, q, DNS_RCODE_SERVFAIL);
		return;
	}
	if (p->n_waiters >= MAX_PENDING) {
		p->dropped_queries++;
		l_debug("dnsproxy: %u queries already waiting; dropped one (%lu so far)",
			MAX_PENDING, p->dropped_queries);
		return;
	}
	make_flight_key(u, p->generation, q, &key);
	fl = l_hashmap_lookup(p->flights, &key);
	p->n_waiters++;
	if (fl) {
		p->coalesced_queries++;
		l_queue_push_tail(fl->waiters, waiter_new(query, len, q, c));
		return;
	}
	fl = l_new(struct flight, 1);
	fl->p = p;
	fl->upstream = u;
	fl->generation = p->generation;
	fl->slot = slot;
	fl->key = key;
	fl->waiters = l_queue_new();
	l_queue_push_tail(fl->waiters, waiter_new(query, len, q, c));
	fl->joinable = true;
	l_hashmap_insert(p->flights, &fl->key, fl);
	l_queue_push_tail(p->pending, fl);
	l_queue_push_tail(p->waiting, fl);
	start_waiting(p);
}

static void tick(struct l_timeout *timeout, void *user_data)
{
	struct dnsproxy *p = user_data;
	uint64_t now = l_time_now();

	for (const struct l_queue_entry *e = l_queue_get_entries(p->pending); e; e = e->next) {
		struct flight *fl = e->data;

		if (fl->forward)
			dns_forward_tick(fl->forward, now);
	}
	if (p->forwarding)
		l_timeout_modify_ms(p->tick, DNS_FORWARD_TICK_MS);
}

/* The tick exists from the first listener on (dnsproxy_listen). */
static void start_tick(struct dnsproxy *p)
{
	if (p->forwarding == 1)
		l_timeout_modify_ms(p->tick, DNS_FORWARD_TICK_MS);
}

static void fail_flight(struct dnsproxy *p, struct flight *fl)
{
	for (const struct l_queue_entry *e = l_queue_get_entries(fl->waiters); e; e = e->next) {
		const struct waiter *w = e->data;

		send_error(&w->client, w->query, &w->msg, DNS_RCODE_SERVFAIL);
	}
	l_queue_remove(p->pending, fl);
	flight_free(fl);
}

static void start_waiting(struct dnsproxy *p)
{
	struct flight *fl;

	while (p->forwarding < MAX_FORWARDS && (fl = l_queue_pop_head(p->waiting))) {
		const struct waiter *first = l_queue_peek_head(fl->waiters);
		struct upstream *u = fl->generation == p->generation ? fl->upstream :
			route_query(p, &first->msg, fl->slot);

		/* The upstreams changed while it waited: its key is stale. */
		if (fl->generation != p->generation)
			flight_close(fl);
		/* And none is left for it. */
		if (!u) {
			fail_flight(p, fl);
			continue;
		}
		fl->upstream = u;
		fl->generation = p->generation;
		fl->forward = dns_forward_new(u->servers, u->n_servers, u->preferred, u->mark,
					      first->query, first->len, &first->msg, p->pool,
					      &p->counters, forwarded, fl);
		p->forwarding++;
		start_tick(p);
	}
}

/* 0 for a query from no session; for a session's, the slot of the service
 * it rides now, or a negative errno when it may use none. */
static int query_slot(struct dnsproxy *p, uint32_t mark)
{
	int slot;

	if (!mark || !p->mark_fn)
		return 0;
	slot = p->mark_fn(mark, p->mark_data);
	if (slot)
		p->session_queries++;
	return slot;
}

/* The cache for the query's upstream; NULL when it has none yet. */
static struct dns_cache *query_cache(const struct dnsproxy *p, unsigned int slot)
{
	struct upstream *u;

	if (!slot)
		return p->cache;
	u = slot_upstream(p, slot);
	return u ? u->cache : NULL;
}

static void handle_query(struct dnsproxy *p, const uint8_t *buf, size_t len,
			 const struct client *c, uint32_t mark)
{
	struct dns_msg q;
	uint8_t out[DNS_MSG_MAX];
	struct dns_cache *cache;
	int n, slot;

	if (dns_msg_parse(buf, len, &q) < 0 || q.response) {
		char from[INET6_ADDRSTRLEN];

		p->malformed_queries++;
		client_text(c, from, sizeof(from));
		l_debug("dnsproxy: dropped a malformed query from %s (%lu so far)", from,
			p->malformed_queries);
		return;
	}
	if (q.opcode != 0) {
		send_error(c, buf, &q, DNS_RCODE_NOTIMP);
		return;
	}
	slot = query_slot(p, mark);
	if (slot < 0) {
		/* Its session may use no service: never the default's servers. */
		p->session_refused++;
		l_debug("dnsproxy: mark 0x%x: its session has no service; refused (%lu so far)",
			mark, p->session_refused);
		send_error(c, buf, &q, DNS_RCODE_REFUSED);
		return;
	}
	cache = query_cache(p, (unsigned int)slot);
	n = cache ? dns_cache_get(cache, buf, &q, l_time_now(), out, sizeof(out)) : 0;
	if (n > 0)
		send_reply(c, &q, out, (size_t)n);
	else
		forward(p, buf, len, &q, c, (unsigned int)slot);
}

/* ---- UDP ---- */

/* The packet's mark (SO_RCVMARK), 0 when it had none. */
static uint32_t cmsg_mark(struct msghdr *mh)
{
	uint32_t mark = 0;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_MARK &&
		    c->cmsg_len >= CMSG_LEN(sizeof(mark)))
			memcpy(&mark, CMSG_DATA(c), sizeof(mark));
	return mark;
}

static void udp_batch_reset(struct udp_batch *b)
{
	for (unsigned int i = 0; i < UDP_MMSG; i++) {
		struct msghdr *mh = &b->msgs[i].msg_hdr;

		b->iov[i].iov_base = b->buf[i];
		b->iov[i].iov_len = sizeof(b->buf[i]);
		*mh = (struct msghdr) {
			.msg_name = &b->from[i], .msg_namelen = sizeof(b->from[i]),
			.msg_iov = &b->iov[i], .msg_iovlen = 1,
			.msg_control = b->control[i], .msg_controllen = sizeof(b->control[i]),
		};
	}
}

/* One recvmmsg() for up to UDP_MMSG queries: a syscall per batch, not per
 * query. Returns how many were read. */
static int udp_read_batch(struct listener *l)
{
	struct udp_batch *b = l->p->batch;
	int n;

	udp_batch_reset(b);
	n = recvmmsg(l_io_get_fd(l->udp), b->msgs, UDP_MMSG, MSG_DONTWAIT, NULL);
	b->open++;
	/* The batch's queries upstream leave together too. */
	dns_pool_cork(l->p->pool);
	for (int i = 0; i < n; i++) {
		struct msghdr *mh = &b->msgs[i].msg_hdr;
		struct client c = { .listener = l, .addr_len = mh->msg_namelen };

		memcpy(&c.addr, &b->from[i], sizeof(c.addr));
		if (mh->msg_flags & MSG_TRUNC) {
			l->p->malformed_queries++;
			continue;
		}
		handle_query(l->p, b->buf[i], b->msgs[i].msg_len, &c, cmsg_mark(mh));
	}
	dns_pool_uncork(l->p->pool);
	flush_replies(b);
	b->open--;
	return n;
}

static bool udp_readable(struct l_io *io, void *user_data)
{
	struct listener *l = user_data;
	int read = 0;

	/* At most UDP_BATCH per wake-up: the other listeners get their turn. */
	while (read < UDP_BATCH) {
		int n = udp_read_batch(l);

		read += n > 0 ? n : 0;
		if (n < UDP_MMSG)
			break;
	}
	if (read > 1)
		batch_burst(l->p->batch);
	return true;
}

/* The answers a burst of upstream replies makes leave together. */
static void upstream_burst(bool start, void *user_data)
{
	struct udp_batch *b = user_data;

	if (start) {
		b->open++;
		return;
	}
	flush_replies(b);
	b->open--;
}

/* ---- TCP ---- */

static void detach_client(struct dnsproxy *p, const struct listener *l,
			  const struct tcp_client *c)
{
	for (const struct l_queue_entry *e = l_queue_get_entries(p->pending); e; e = e->next) {
		struct flight *fl = e->data;

		for (const struct l_queue_entry *w = l_queue_get_entries(fl->waiters); w;
		     w = w->next) {
			struct waiter *wt = w->data;

			if (l && wt->client.listener == l)
				wt->client.listener = NULL;
			if (c && wt->client.tcp == c)
				wt->client.tcp = NULL;
		}
	}
}

static void tcp_client_free(void *data)
{
	struct tcp_client *c = data;

	detach_client(c->p, NULL, c);
	l_timeout_remove(c->idle);
	l_io_destroy(c->io);
	l_free(c->in);
	l_free(c->out);
	l_free(c);
}

static bool is_closing(const void *data, const void *user_data)
{
	return ((const struct tcp_client *)data)->closing;
}

static void reap(struct l_idle *idle, void *user_data)
{
	struct dnsproxy *p = user_data;
	struct tcp_client *c;

	l_idle_remove(p->reaper);
	p->reaper = NULL;
	while ((c = l_queue_remove_if(p->tcp_clients, is_closing, NULL)))
		tcp_client_free(c);
}

/* Never inside the client's own io or timeout callback: those still use them. */
static void tcp_client_close_later(struct tcp_client *c)
{
	c->closing = true;
	if (!c->p->reaper)
		c->p->reaper = l_idle_create(reap, c->p, NULL);
}

static bool tcp_writable(struct l_io *io, void *user_data)
{
	struct tcp_client *c = user_data;

	tcp_flush(c);
	return c->out_len > 0 && !c->closing;
}

static void tcp_flush(struct tcp_client *c)
{
	ssize_t n = send(l_io_get_fd(c->io), c->out, c->out_len, MSG_NOSIGNAL | MSG_DONTWAIT);

	if (n < 0 && errno != EAGAIN && errno != EINTR) {
		tcp_client_close_later(c);
		return;
	}
	if (n > 0) {
		memmove(c->out, c->out + n, c->out_len - (size_t)n);
		c->out_len -= (size_t)n;
	}
	if (c->out_len)
		l_io_set_write_handler(c->io, tcp_writable, c, NULL);
}

static void tcp_handle_frames(struct tcp_client *c)
{
	size_t used = 0;

	while (!c->closing && c->in_len - used >= 2) {
		size_t len = (size_t)(c->in[used] << 8 | c->in[used + 1]);
		struct client from = { .tcp = c };

		if (c->in_len - used < 2 + len)
			break;
		from.addr_len = sizeof(from.addr);
		getpeername(l_io_get_fd(c->io), (struct sockaddr *)&from.addr, &from.addr_len);
		handle_query(c->p, c->in + used + 2, len, &from, c->mark);
		used += 2 + len;
	}
	memmove(c->in, c->in + used, c->in_len - used);
	c->in_len -= used;
}

static bool tcp_readable(struct l_io *io, void *user_data)
{
	struct tcp_client *c = user_data;
	ssize_t n = recv(l_io_get_fd(io), c->in + c->in_len, 2 + DNS_MSG_MAX - c->in_len,
			 MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return true;
	if (n <= 0) {
		tcp_client_close_later(c);
		return false;
	}
	c->in_len += (size_t)n;
	l_timeout_modify(c->idle, TCP_IDLE_SECONDS);
	tcp_handle_frames(c);
	return !c->closing;
}

static void tcp_idle(struct l_timeout *timeout, void *user_data)
{
	tcp_client_close_later(user_data);
}

/* With net.ipv4.tcp_fwmark_accept on (manager-dns.c sets it), an accepted
 * socket carries the mark of the SYN that opened it: the session's. TCP has
 * no SO_RCVMARK of its own. */
static uint32_t accepted_mark(int fd)
{
	uint32_t mark = 0;
	socklen_t len = sizeof(mark);

	if (getsockopt(fd, SOL_SOCKET, SO_MARK, &mark, &len) < 0)
		return 0;
	return mark;
}

static bool tcp_acceptable(struct l_io *io, void *user_data)
{
	struct listener *l = user_data;
	struct tcp_client *c;
	int fd = accept4(l_io_get_fd(io), NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd < 0)
		return true;
	if (l_queue_length(l->p->tcp_clients) >= MAX_TCP_CLIENTS) {
		l_debug("dnsproxy: %u TCP clients already; refused one", MAX_TCP_CLIENTS);
		close(fd);
		return true;
	}
	c = l_new(struct tcp_client, 1);
	c->p = l->p;
	c->mark = accepted_mark(fd);
	c->io = l_io_new(fd);
	c->idle = l_timeout_create(TCP_IDLE_SECONDS, tcp_idle, c, NULL);
	if (!c->io || !c->idle) {
		l_warn("dnsproxy: out of file descriptors for a TCP client");
		if (!c->io)
			close(fd);
		l_io_destroy(c->io);
		l_timeout_remove(c->idle);
		l_free(c);
		return true;
	}
	l_io_set_close_on_destroy(c->io, true);
	c->in = l_malloc(2 + DNS_MSG_MAX);
	l_io_set_read_handler(c->io, tcp_readable, c, NULL);
	l_queue_push_tail(l->p->tcp_clients, c);
	return true;
}

/* ---- listeners ---- */

static int open_socket(const char *address, const char *ifname, uint16_t port, int type)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *in = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	int family = strchr(address, ':') ? AF_INET6 : AF_INET, one = 1, fd, err;

	if (family == AF_INET ? inet_pton(AF_INET, address, &in->sin_addr) != 1 :
				inet_pton(AF_INET6, address, &in6->sin6_addr) != 1)
		return -EINVAL;
	in->sin_family = (sa_family_t)family;
	in->sin_port = htons(port);	/* same offset in sockaddr_in6 */
	fd = socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* Loopback or the bridge may not be up yet; bind anyway. */
	if (family == AF_INET6) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		setsockopt(fd, IPPROTO_IPV6, IPV6_FREEBIND, &one, sizeof(one));
	} else {
		setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &one, sizeof(one));
	}
	if (type == SOCK_DGRAM) {
		int size = UDP_RCVBUF;

		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
			setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
		/* Each query's mark says which session (if any) asks. Before
		 * 5.19 queries look session-less: the default's servers. */
		if (setsockopt(fd, SOL_SOCKET, SO_RCVMARK, &one, sizeof(one)) < 0)
			l_warn("dnsproxy: no SO_RCVMARK (%s): sessions resolve through the "
			       "default service", strerror(errno));
	}
	if (ifname && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, strlen(ifname)) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	if (bind(fd, (struct sockaddr *)&ss, family == AF_INET6 ? sizeof(*in6) : sizeof(*in)) < 0 ||
	    (type == SOCK_STREAM && listen(fd, 64) < 0)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

static void listener_free(void *data)
{
	struct listener *l = data;

	detach_client(l->p, l, NULL);
	l_io_destroy(l->udp);
	l_io_destroy(l->tcp);
	l_free(l);
}

static struct l_io *new_io(int fd)
{
	struct l_io *io = l_io_new(fd);

	if (io)
		l_io_set_close_on_destroy(io, true);
	return io;
}

int dnsproxy_listen(struct dnsproxy *p, const char *address, const char *ifname)
{
	struct listener *l;
	int udp, tcp;

	/* Made with the first listener, where a failure is still clean:
	 * forwarding a query can then never lack its retransmission timer. */
	if (!p->tick) {
		p->tick = l_timeout_create_ms(0, tick, p, NULL);
		if (!p->tick)
			return -EMFILE;
	}
	udp = open_socket(address, ifname, p->port, SOCK_DGRAM);
	if (udp < 0)
		return udp;
	tcp = open_socket(address, ifname, p->port, SOCK_STREAM);
	if (tcp < 0) {
		close(udp);
		return tcp;
	}
	l = l_new(struct listener, 1);
	l->p = p;
	l_strlcpy(l->address, address, sizeof(l->address));
	l->udp = new_io(udp);
	l->tcp = new_io(tcp);
	if (!l->udp || !l->tcp) {
		if (!l->udp)
			close(udp);
		if (!l->tcp)
			close(tcp);
		l_io_destroy(l->udp);
		l_io_destroy(l->tcp);
		l_free(l);
		return -EMFILE;
	}
	l_io_set_read_handler(l->udp, udp_readable, l, NULL);
	l_io_set_read_handler(l->tcp, tcp_acceptable, l, NULL);
	l_queue_push_tail(p->listeners, l);
	l_info("dnsproxy: listening on %s port %u%s%s", address, p->port, ifname ? " of " : "",
	       ifname ? ifname : "");
	return 0;
}

static bool listener_has_address(const void *data, const void *user_data)
{
	return !strcmp(((const struct listener *)data)->address, user_data);
}

void dnsproxy_unlisten(struct dnsproxy *p, const char *address)
{
	struct listener *l = l_queue_remove_if(p->listeners, listener_has_address, address);

	if (l)
		l_info("dnsproxy: no longer listening on %s", address);
	if (l)
		listener_free(l);
}

void dnsproxy_set_mark_hook(struct dnsproxy *p, dnsproxy_mark_fn fn, void *data)
{
	p->mark_fn = fn;
	p->mark_data = data;
}

/* calloc, not l_new: l_new's memset would make the batch's 136 KiB of
 * buffers resident at start in a daemon that may never proxy a query.
 * glibc maps a block this large freshly (zero pages from the kernel, which
 * calloc does not clear again), so a page becomes resident when a burst of
 * queries or replies first reaches it. Aborts as l_new does. */
static struct udp_batch *new_batch(void)
{
	struct udp_batch *b = calloc(1, sizeof(*b));

	if (!b)
		abort();
	return b;
}

struct dnsproxy *dnsproxy_new(uint16_t port)
{
	struct dnsproxy *p = l_new(struct dnsproxy, 1);

	p->port = port;
	p->listeners = l_queue_new();
	p->upstreams = l_queue_new();
	p->slots = l_queue_new();
	p->pending = l_queue_new();
	p->waiting = l_queue_new();
	p->flights = l_hashmap_new();
	l_hashmap_set_hash_function(p->flights, flight_key_hash);
	l_hashmap_set_compare_function(p->flights, flight_key_compare);
	p->pool = dns_pool_new(&p->counters);
	p->tcp_clients = l_queue_new();
	p->default_servers = l_strdup("");
	p->cache = dns_cache_new(CACHE_ENTRIES, CACHE_BYTES);
	p->batch = new_batch();
	dns_pool_set_burst_hook(p->pool, upstream_burst, p->batch);
	return p;
}

void dnsproxy_free(struct dnsproxy *p)
{
	struct dns_cache_stats s;

	if (!p)
		return;
	dns_cache_get_stats(p->cache, &s);
	l_debug("dnsproxy: cache %lu hits, %lu misses; %lu sent over UDP, %lu over TCP, "
		"%lu timeouts, %lu failovers, %lu asked again, %lu coalesced; dropped %lu malformed queries, "
		"%lu malformed and %lu spoofed replies; %lu refused for want of a socket; "
		"%lu from sessions, %lu of them refused (no service)",
		s.hits, s.misses, p->counters.sent_udp, p->counters.sent_tcp, p->counters.timeouts,
		p->counters.failovers, p->counters.retransmits, p->coalesced_queries, p->malformed_queries,
		p->counters.malformed_replies, p->counters.spoofed_replies, p->counters.pool_full,
		p->session_queries, p->session_refused);
	/* Clients and listeners first: freeing them walks the pending queries. */
	l_queue_destroy(p->tcp_clients, tcp_client_free);
	l_queue_destroy(p->listeners, listener_free);
	l_queue_destroy(p->waiting, NULL);
	l_queue_destroy(p->pending, flight_free);
	l_hashmap_destroy(p->flights, NULL);
	dns_pool_free(p->pool);
	l_queue_destroy(p->upstreams, upstream_free);
	l_queue_destroy(p->slots, upstream_free);
	upstream_free(p->def);
	l_idle_remove(p->reaper);
	l_timeout_remove(p->tick);
	dns_cache_free(p->cache);
	l_timeout_remove(p->batch->release);
	l_free(p->batch);
	l_free(p->default_id);
	l_free(p->default_servers);
	l_free(p);
}
