#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <ell/ell.h>

#include "dns-forward.h"
#include "dns-msg.h"
#include "dns-pool.h"

#define PORT_MIN 1024
#define PORT_TRIES 8
#define RECV_BATCH 64		/* replies read per wake-up of a socket */
#define RECV_MMSG 16		/* of them per recvmmsg() */
#define SEND_MMSG 64		/* queries per sendmmsg() */
#define RANDOM_IDS 256
/* Replies to hundreds of queries in flight on one socket come back in a
 * burst: the default buffer holds ~200 and would drop the rest. */
#define RCVBUF (1024 * 1024)

struct pool_socket {
	struct dns_pool *pool;
	struct l_io *io;
	int family;
	uint32_t scope;		/* an IPv6 link-local server's link */
	uint32_t mark;		/* SO_MARK: which link its queries leave by */
	uint16_t port;
	unsigned int sent;
	uint64_t born_us;
	bool retired;		/* takes no new query; closed once empty */
	struct l_hashmap *waiting;	/* ID + 1 → struct dns_pool_query */
};

struct dns_pool_query {
	struct pool_socket *sock;
	uint16_t id;
	bool queued;		/* corked: in pool->out, not sent yet */
	const uint8_t *query;	/* the caller's, while queued */
	size_t len;
	const struct dns_server *server;
	dns_pool_reply_fn reply;
	void *data;
};

/* Where recvmmsg() puts a burst of replies; made on the first one. */
struct recv_batch {
	struct mmsghdr msgs[RECV_MMSG];
	struct iovec iov[RECV_MMSG];
	struct sockaddr_storage from[RECV_MMSG];
	uint8_t buf[RECV_MMSG][DNS_MSG_MAX];
};

struct dns_pool {
	struct l_queue *sockets;
	/* Sockets are closed from an idle callback, never inside their own
	 * handler (ELL's io callback still reads the io after the handler). */
	struct l_idle *reaper;
	unsigned int tcp;
	struct dns_forward_counters *counters;
	/* Query IDs drawn ahead from the kernel's CSPRNG, one getrandom() per
	 * RANDOM_IDS queries instead of one per query: as unpredictable, and
	 * kept nowhere but here. */
	uint16_t ids[RANDOM_IDS];
	unsigned int ids_left;
	/* Corked (dns_pool_cork): queries wait here and leave together, one
	 * sendmmsg() per socket, instead of a sendto() and a wake-up of the
	 * server each. */
	unsigned int corked;
	struct dns_pool_query **out;
	unsigned int n_out, out_size;
	struct dns_pool_query **sending;	/* the batch being flushed */
	unsigned int n_sending;
	struct recv_batch *in;
	dns_pool_burst_fn burst;
	void *burst_data;
};

static void *id_key(uint16_t id)
{
	return L_UINT_TO_PTR((unsigned int)id + 1);
}

static void socket_free(void *data)
{
	struct pool_socket *s = data;

	l_io_destroy(s->io);
	l_hashmap_destroy(s->waiting, NULL);
	l_free(s);
}

static bool reapable(const void *data, const void *user_data)
{
	const struct pool_socket *s = data;

	return s->retired && l_hashmap_isempty(s->waiting);
}

static void reap(struct l_idle *idle, void *user_data)
{
	struct dns_pool *pool = user_data;
	struct pool_socket *s;

	l_idle_remove(pool->reaper);
	pool->reaper = NULL;
	while ((s = l_queue_remove_if(pool->sockets, reapable, NULL))) {
		l_debug("dnsproxy: upstream socket on port %u retired after %u queries", s->port,
			s->sent);
		socket_free(s);
	}
}

static void reap_later(struct pool_socket *s)
{
	if (reapable(s, NULL) && !s->pool->reaper)
		s->pool->reaper = l_idle_create(reap, s->pool, NULL);
}

static void from_text(const struct sockaddr_storage *from, char *out, size_t len)
{
	const void *a = from->ss_family == AF_INET6 ?
		(const void *)&((const struct sockaddr_in6 *)from)->sin6_addr :
		(const void *)&((const struct sockaddr_in *)from)->sin_addr;

	if (!inet_ntop(from->ss_family, a, out, len))
		l_strlcpy(out, "?", len);
}

/* A datagram for nobody: a late reply to a query given up, or a forgery. */
static void drop_unknown(struct pool_socket *s, const struct sockaddr_storage *from)
{
	char text[INET6_ADDRSTRLEN];

	from_text(from, text, sizeof(text));
	s->pool->counters->spoofed_replies++;
	l_debug("dnsproxy: dropped a reply from %s on port %u: wrong ID (%lu spoofed so far)",
		text, s->port, s->pool->counters->spoofed_replies);
}

static void deliver(struct pool_socket *s, const uint8_t *buf, size_t len,
		    const struct sockaddr_storage *from, socklen_t from_len)
{
	struct dns_pool_query *q;

	if (len < 2) {
		s->pool->counters->malformed_replies++;
		return;
	}
	q = l_hashmap_lookup(s->waiting, id_key((uint16_t)(buf[0] << 8 | buf[1])));
	if (!q) {
		drop_unknown(s, from);
		return;
	}
	if (!q->reply(0, buf, len, (const struct sockaddr *)from, from_len, q->data))
		return;
	l_hashmap_remove(s->waiting, id_key(q->id));
	l_free(q);
	reap_later(s);
}

/* One recvmmsg() for up to RECV_MMSG replies; returns how many were read. */
static int read_batch(struct pool_socket *s, int fd)
{
	struct recv_batch *b = s->pool->in;
	int n;

	for (unsigned int i = 0; i < RECV_MMSG; i++) {
		b->iov[i] = (struct iovec) { b->buf[i], sizeof(b->buf[i]) };
		b->msgs[i].msg_hdr = (struct msghdr) {
			.msg_name = &b->from[i], .msg_namelen = sizeof(b->from[i]),
			.msg_iov = &b->iov[i], .msg_iovlen = 1,
		};
	}
	n = recvmmsg(fd, b->msgs, RECV_MMSG, MSG_DONTWAIT, NULL);
	for (int i = 0; i < n; i++)
		deliver(s, b->buf[i], b->msgs[i].msg_len, &b->from[i],
			b->msgs[i].msg_hdr.msg_namelen);
	return n;
}

static bool readable(struct l_io *io, void *user_data)
{
	struct pool_socket *s = user_data;
	struct dns_pool *pool = s->pool;
	int fd = l_io_get_fd(io);

	if (!pool->in)
		pool->in = l_malloc(sizeof(*pool->in));
	/* What the replies set off (failovers, queries that waited their
	 * turn, answers to clients) leaves together after the burst. */
	if (pool->burst)
		pool->burst(true, pool->burst_data);
	dns_pool_cork(pool);
	for (int read = 0; read < RECV_BATCH;) {
		int n = read_batch(s, fd);

		if (n < RECV_MMSG)
			break;
		read += n;
	}
	dns_pool_uncork(pool);
	if (pool->burst)
		pool->burst(false, pool->burst_data);
	return true;
}

/* Binds to a port drawn at random; the kernel's own choice if every try is taken. */
static int bind_random_port(int fd, int family, uint16_t *port)
{
	struct sockaddr_storage ss = { .ss_family = (sa_family_t)family };
	struct sockaddr_in *in = (struct sockaddr_in *)&ss;
	socklen_t len = family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(*in);

	for (int i = 0; i <= PORT_TRIES; i++) {
		uint16_t r = 0;

		if (i < PORT_TRIES) {
			l_getrandom(&r, sizeof(r));
			r = (uint16_t)(PORT_MIN + r % (65536 - PORT_MIN));
		}
		in->sin_port = htons(r);	/* same offset in sockaddr_in6 */
		if (bind(fd, (struct sockaddr *)&ss, len) == 0)
			break;
		if (errno != EADDRINUSE || i == PORT_TRIES)
			return -errno;
	}
	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		return -errno;
	*port = ntohs(in->sin_port);
	return 0;
}

static int socket_new(struct dns_pool *pool, int family, uint32_t scope, uint32_t mark,
		      struct pool_socket **out)
{
	struct pool_socket *s;
	int one = 1, size = RCVBUF, err;
	int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	/* Before bind: the mark picks the route, and so the source address. */
	if (mark && setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	s = l_new(struct pool_socket, 1);
	err = bind_random_port(fd, family, &s->port);
	if (err == 0 && !(s->io = l_io_new(fd)))
		err = -EMFILE;
	if (err < 0) {
		close(fd);
		l_free(s);
		return err;
	}
	l_io_set_close_on_destroy(s->io, true);
	l_io_set_read_handler(s->io, readable, s, NULL);
	s->pool = pool;
	s->family = family;
	s->scope = scope;
	s->mark = mark;
	s->born_us = l_time_now();
	s->waiting = l_hashmap_new();
	l_queue_push_tail(pool->sockets, s);
	l_debug("dnsproxy: new upstream socket on port %u, mark 0x%x", s->port, mark);
	*out = s;
	return 0;
}

static bool worn_out(const struct pool_socket *s, uint64_t now)
{
	return s->sent >= DNS_POOL_ROTATE_QUERIES ||
	       now - s->born_us >= DNS_POOL_ROTATE_MS * 1000ull;
}

/* The socket in use for this family, link and mark, retiring it if its
 * time is up. */
static int pick_socket(struct dns_pool *pool, int family, uint32_t scope, uint32_t mark,
		       struct pool_socket **out)
{
	uint64_t now = l_time_now();

	for (const struct l_queue_entry *e = l_queue_get_entries(pool->sockets); e; e = e->next) {
		struct pool_socket *s = e->data;

		if (s->retired || s->family != family || s->scope != scope || s->mark != mark)
			continue;
		if (!worn_out(s, now)) {
			*out = s;
			return 0;
		}
		s->retired = true;
		reap_later(s);
	}
	if (l_queue_length(pool->sockets) >= DNS_POOL_MAX_SOCKETS)
		return -EAGAIN;
	return socket_new(pool, family, scope, mark, out);
}

static uint16_t random_id(struct dns_pool *pool)
{
	if (!pool->ids_left) {
		l_getrandom(pool->ids, sizeof(pool->ids));
		pool->ids_left = RANDOM_IDS;
	}
	return pool->ids[--pool->ids_left];
}

static uint16_t fresh_id(struct pool_socket *s)
{
	uint16_t id;

	/* At most DNS_POOL_ROTATE_QUERIES of 65536 are taken: a few draws at most. */
	do
		id = random_id(s->pool);
	while (l_hashmap_lookup(s->waiting, id_key(id)));
	return id;
}

static void queue_query(struct dns_pool *pool, struct dns_pool_query *q)
{
	if (pool->n_out == pool->out_size) {
		pool->out_size = pool->out_size ? 2 * pool->out_size : SEND_MMSG;
		pool->out = l_realloc(pool->out, pool->out_size * sizeof(*pool->out));
	}
	q->queued = true;
	pool->out[pool->n_out++] = q;
}

int dns_pool_send(struct dns_pool *pool, const struct dns_server *server, uint32_t mark,
		  uint8_t *query, size_t len, uint16_t *id, dns_pool_reply_fn reply, void *data,
		  struct dns_pool_query **out)
{
	uint32_t scope = server->addr.sa.sa_family == AF_INET6 ? server->addr.in6.sin6_scope_id : 0;
	struct pool_socket *s = NULL;
	struct dns_pool_query *q;
	int err = pick_socket(pool, server->addr.sa.sa_family, scope, mark, &s);

	*out = NULL;
	if (err < 0)
		return err;
	q = l_new(struct dns_pool_query, 1);
	q->sock = s;
	q->id = fresh_id(s);
	q->reply = reply;
	q->data = data;
	query[0] = q->id >> 8;
	query[1] = q->id & 0xff;
	s->sent++;
	if (pool->corked) {
		q->query = query;
		q->len = len;
		q->server = server;
		queue_query(pool, q);
	} else if (sendto(l_io_get_fd(s->io), query, len, 0, &server->addr.sa,
			  server->addr_len) < 0) {
		err = -errno;
		l_free(q);
		return err;
	}
	l_hashmap_insert(s->waiting, id_key(q->id), q);
	*id = q->id;
	*out = q;
	return 0;
}

void dns_pool_cancel(struct dns_pool_query *q)
{
	struct pool_socket *s;

	if (!q)
		return;
	s = q->sock;
	/* Rare (a query given up in the batch that sent it): a scan is fine. */
	for (unsigned int i = 0; q->queued && i < s->pool->n_out; i++)
		if (s->pool->out[i] == q)
			s->pool->out[i] = NULL;
	for (unsigned int i = 0; q->queued && i < s->pool->n_sending; i++)
		if (s->pool->sending[i] == q)
			s->pool->sending[i] = NULL;
	l_hashmap_remove(s->waiting, id_key(q->id));
	l_free(q);
	reap_later(s);
}

void dns_pool_cork(struct dns_pool *pool)
{
	pool->corked++;
}

/* A query the kernel refused: the pool forgets it and tells its owner. */
static void send_failed(struct dns_pool_query *q, int err)
{
	struct pool_socket *s = q->sock;

	l_hashmap_remove(s->waiting, id_key(q->id));
	q->reply(err, NULL, 0, NULL, 0, q->data);
	l_free(q);
	reap_later(s);
}

/* Sends out[0..n), all on socket s; returns how many are done with,
 * counting one the kernel refused (its owner was told). */
static unsigned int send_some(struct pool_socket *s, struct dns_pool_query **out, unsigned int n)
{
	struct mmsghdr msgs[SEND_MMSG];
	struct iovec iov[SEND_MMSG];
	int sent;

	for (unsigned int i = 0; i < n; i++) {
		iov[i] = (struct iovec) { (void *)out[i]->query, out[i]->len };
		msgs[i].msg_hdr = (struct msghdr) {
			.msg_name = (void *)&out[i]->server->addr,
			.msg_namelen = out[i]->server->addr_len,
			.msg_iov = &iov[i], .msg_iovlen = 1,
		};
	}
	sent = sendmmsg(l_io_get_fd(s->io), msgs, n, 0);
	for (int i = 0; i < sent; i++)
		out[i]->queued = false;
	if (sent > 0)
		return (unsigned int)sent;
	out[0]->queued = false;
	send_failed(out[0], -errno);
	return 1;
}

/* The queued queries in the order they were sent: each run of queries on
 * one socket leaves by one sendmmsg(). A refusal calls its owner back, who
 * may send again (at once: the pool is uncorked) or cancel. */
static void flush(struct dns_pool *pool)
{
	struct dns_pool_query **out = pool->out;
	unsigned int n = pool->n_out, size = pool->out_size, done = 0;

	pool->out = NULL;
	pool->n_out = pool->out_size = 0;
	pool->sending = out;
	pool->n_sending = n;
	while (done < n) {
		unsigned int run = 1;

		if (!out[done]) {
			done++;
			continue;
		}
		while (done + run < n && run < SEND_MMSG && out[done + run] &&
		       out[done + run]->sock == out[done]->sock)
			run++;
		done += send_some(out[done]->sock, out + done, run);
	}
	pool->sending = NULL;
	pool->n_sending = 0;
	if (pool->out) {
		l_free(out);
		return;
	}
	pool->out = out;
	pool->out_size = size;
}

void dns_pool_uncork(struct dns_pool *pool)
{
	if (!pool->corked || --pool->corked || !pool->n_out)
		return;
	flush(pool);
}

void dns_pool_set_burst_hook(struct dns_pool *pool, dns_pool_burst_fn fn, void *data)
{
	pool->burst = fn;
	pool->burst_data = data;
}

int dns_pool_tcp_acquire(struct dns_pool *pool)
{
	if (pool->tcp >= DNS_POOL_MAX_TCP)
		return -EAGAIN;
	pool->tcp++;
	return 0;
}

void dns_pool_tcp_release(struct dns_pool *pool)
{
	if (pool->tcp)
		pool->tcp--;
}

unsigned int dns_pool_sockets(const struct dns_pool *pool)
{
	return l_queue_length(pool->sockets);
}

struct dns_pool *dns_pool_new(struct dns_forward_counters *counters)
{
	struct dns_pool *pool = l_new(struct dns_pool, 1);

	pool->sockets = l_queue_new();
	pool->counters = counters;
	return pool;
}

void dns_pool_free(struct dns_pool *pool)
{
	if (!pool)
		return;
	l_idle_remove(pool->reaper);
	l_queue_destroy(pool->sockets, socket_free);
	l_free(pool->out);
	l_free(pool->in);
	l_free(pool);
}
