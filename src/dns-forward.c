#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <ell/ell.h>

#include "dns-forward.h"
#include "dns-msg.h"
#include "dns-pool.h"

#define UDP_TIMEOUT_MS 1000
#define TCP_TIMEOUT_MS 3000
/* One lost datagram must not cost the client its answer: the servers that
 * did not answer over UDP are asked once more, waiting twice as long (one
 * server: SERVFAIL after 3 s, before a stub resolver's own 5 s retry). */
#define UDP_ROUNDS 2

struct dns_forward {
	struct dns_server *servers;
	unsigned int n_servers, tried, current, first;
	unsigned int round;		/* 0, then 1 when asking again */
	uint32_t silent;		/* servers (index < 32) that did not answer this round */
	uint32_t again;			/* those the current round asks again */
	uint8_t *query;
	size_t len;
	struct dns_msg question;
	uint16_t id;			/* the ID the server must echo */
	uint32_t mark;			/* SO_MARK of every socket it sends on */
	bool tcp;
	struct dns_pool *pool;
	struct dns_pool_query *pool_query;	/* waiting on a pooled UDP socket */
	struct l_io *io;			/* our own TCP connection */
	bool tcp_held;				/* counted by the pool */
	/* No timer of its own (one descriptor less per query): the proxy calls
	 * dns_forward_tick() often enough. */
	uint64_t deadline_us;
	uint8_t *tcp_buf;		/* length prefix + message, both ways */
	size_t tcp_have, tcp_sent;
	/* Sockets are closed from an idle callback, never inside their own
	 * handler (ELL's io callback still reads the io after the handler). */
	struct l_idle *idle;
	uint8_t *reply;			/* a matched reply waiting for the idle */
	size_t reply_len;
	/* Its parse, allocated with it: inline, it made the forward larger
	 * than malloc's small sizes, and each one cost a consolidation. */
	struct dns_msg *reply_msg;
	struct dns_forward_counters *counters;
	dns_forward_done_fn done;
	void *data;
};

static void try_next(struct dns_forward *f);

/* "fe80::1%eth0": a link-local server is reached through its link. */
static int parse_scoped_ipv6(const char *text, struct sockaddr_in6 *in6)
{
	const char *percent = strchr(text, '%');
	char address[INET6_ADDRSTRLEN];

	if (!percent)
		return inet_pton(AF_INET6, text, &in6->sin6_addr) == 1 ? 0 : -EINVAL;
	if ((size_t)(percent - text) >= sizeof(address))
		return -EINVAL;
	memcpy(address, text, percent - text);
	address[percent - text] = '\0';
	if (inet_pton(AF_INET6, address, &in6->sin6_addr) != 1 ||
	    !IN6_IS_ADDR_LINKLOCAL(&in6->sin6_addr))
		return -EINVAL;
	in6->sin6_scope_id = if_nametoindex(percent + 1);
	return in6->sin6_scope_id ? 0 : -ENODEV;
}

int dns_server_parse(const char *text, struct dns_server *server)
{
	memset(server, 0, sizeof(*server));
	if (strlen(text) >= sizeof(server->text))
		return -EINVAL;
	if (inet_pton(AF_INET, text, &server->addr.in.sin_addr) == 1) {
		server->addr.in.sin_family = AF_INET;
		server->addr.in.sin_port = htons(53);
		server->addr_len = sizeof(server->addr.in);
	} else if (parse_scoped_ipv6(text, &server->addr.in6) == 0) {
		server->addr.in6.sin6_family = AF_INET6;
		server->addr.in6.sin6_port = htons(53);
		server->addr_len = sizeof(server->addr.in6);
	} else {
		return -EINVAL;
	}
	l_strlcpy(server->text, text, sizeof(server->text));
	return 0;
}

static const struct dns_server *current_server(const struct dns_forward *f)
{
	return &f->servers[f->current];
}

static bool same_address(const struct dns_server *s, const struct sockaddr *sa, socklen_t len)
{
	return len == s->addr_len && !memcmp(sa, &s->addr, len);
}

static void step(struct l_idle *idle, void *user_data);

/* Leaves the handler; the next step (reply or next server) runs when idle. */
static void defer(struct dns_forward *f, const uint8_t *reply, size_t len,
		  const struct dns_msg *msg)
{
	if (reply) {
		f->reply = l_memdup(reply, len);
		f->reply_len = len;
		f->reply_msg = l_memdup(msg, sizeof(*msg));
	}
	if (!f->idle)
		f->idle = l_idle_create(step, f, NULL);
}

static void close_socket(struct dns_forward *f)
{
	f->deadline_us = 0;
	dns_pool_cancel(f->pool_query);
	f->pool_query = NULL;
	l_io_destroy(f->io);
	f->io = NULL;
	if (f->tcp_held)
		dns_pool_tcp_release(f->pool);
	f->tcp_held = false;
	l_free(f->tcp_buf);
	f->tcp_buf = NULL;
}

static void finish(struct dns_forward *f, int err, const uint8_t *reply, size_t len,
		   const struct dns_msg *msg)
{
	dns_forward_done_fn done = f->done;

	f->done = NULL;
	if (done)
		done(err, reply, len, msg, f->current, f->data);
}

/* Decides what a reply that matched our query means. */
static void take_reply(struct dns_forward *f, const uint8_t *buf, size_t len,
		       const struct dns_msg *msg)
{
	const char *server = current_server(f)->text;

	if (msg->rcode == DNS_RCODE_SERVFAIL || msg->rcode == DNS_RCODE_REFUSED ||
	    msg->rcode == DNS_RCODE_NOTIMP) {
		l_debug("dnsproxy: %s answered rcode %u; trying the next server", server,
			msg->rcode);
		f->counters->failovers++;
		try_next(f);
		return;
	}
	if (msg->truncated && !f->tcp) {
		l_debug("dnsproxy: %s truncated its answer; retrying over TCP", server);
		f->tcp = true;
		try_next(f);
		return;
	}
	close_socket(f);
	finish(f, 0, buf, len, msg);
}

/* 1 when the reply is ours, 0 when it was dropped (and counted). */
static int check_reply(struct dns_forward *f, const uint8_t *buf, size_t len, struct dns_msg *msg)
{
	const char *server = current_server(f)->text;

	if (dns_msg_parse(buf, len, msg) < 0) {
		f->counters->malformed_replies++;
		l_debug("dnsproxy: dropped a malformed reply from %s (%lu so far)", server,
			f->counters->malformed_replies);
		return 0;
	}
	if (!msg->response || msg->id != f->id || !dns_msg_same_question(msg, &f->question)) {
		f->counters->spoofed_replies++;
		l_debug("dnsproxy: dropped a reply from %s: %s (%lu spoofed so far)", server,
			msg->id != f->id ? "wrong ID" : "not our question",
			f->counters->spoofed_replies);
		return 0;
	}
	return 1;
}

/* A datagram with our ID on the pooled socket: true when it is our reply.
 * Or the pool could not send our query. */
static bool udp_reply(int err, const uint8_t *buf, size_t len, const struct sockaddr *from,
		      socklen_t from_len, void *user_data)
{
	struct dns_forward *f = user_data;
	struct dns_msg msg;

	if (err < 0) {
		f->pool_query = NULL;
		l_debug("dnsproxy: cannot send to %s: %s", current_server(f)->text,
			strerror(-err));
		/* A timeout already moves on from the main loop. */
		if (!f->idle)
			try_next(f);
		return false;
	}
	if (!same_address(current_server(f), from, from_len)) {
		char text[INET6_ADDRSTRLEN] = "?";
		const void *a = from->sa_family == AF_INET6 ?
			(const void *)&((const struct sockaddr_in6 *)from)->sin6_addr :
			(const void *)&((const struct sockaddr_in *)from)->sin_addr;

		inet_ntop(from->sa_family, a, text, sizeof(text));
		f->counters->spoofed_replies++;
		l_debug("dnsproxy: dropped a reply from %s: we asked %s (%lu spoofed so far)", text,
			current_server(f)->text, f->counters->spoofed_replies);
		return false;
	}
	if (!check_reply(f, buf, len, &msg))
		return false;
	/* The pool forgets the query once we take the reply. The pool's
	 * socket is not ours: no need to leave its handler first, and the
	 * reply is used where it lies. */
	f->pool_query = NULL;
	/* Unless its time ran out meanwhile: the reply then wins, as before. */
	if (f->idle)
		defer(f, buf, len, &msg);
	else
		take_reply(f, buf, len, &msg);
	return true;
}

void dns_forward_tick(struct dns_forward *f, uint64_t now_us)
{
	if (!f->deadline_us || now_us < f->deadline_us || f->idle)
		return;
	f->deadline_us = 0;
	f->counters->timeouts++;
	l_debug("dnsproxy: %s did not answer over %s in time", current_server(f)->text,
		f->tcp ? "TCP" : "UDP");
	if (!f->tcp && f->current < 32)
		f->silent |= 1u << f->current;
	f->tcp = false;
	defer(f, NULL, 0, NULL);
}

static void set_query_id(struct dns_forward *f)
{
	l_getrandom(&f->id, sizeof(f->id));
	f->query[0] = f->id >> 8;
	f->query[1] = f->id & 0xff;
}

/* Over a pooled socket, which also picks the query's ID. */
static int send_udp(struct dns_forward *f)
{
	int err = dns_pool_send(f->pool, current_server(f), f->mark, f->query, f->len, &f->id,
				udp_reply, f, &f->pool_query);

	if (err < 0)
		return err;
	f->counters->sent_udp++;
	f->deadline_us = l_time_now() + ((uint64_t)UDP_TIMEOUT_MS << f->round) * 1000ull;
	return 0;
}

static bool tcp_readable(struct l_io *io, void *user_data)
{
	struct dns_forward *f = user_data;
	size_t want = f->tcp_have < 2 ? 2 : 2 + (f->tcp_buf[0] << 8 | f->tcp_buf[1]);
	ssize_t n = read(l_io_get_fd(io), f->tcp_buf + f->tcp_have, want - f->tcp_have);
	struct dns_msg msg;

	if (n <= 0) {
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return true;
		l_debug("dnsproxy: %s closed the TCP connection", current_server(f)->text);
		f->tcp = false;
		defer(f, NULL, 0, NULL);
		return false;
	}
	f->tcp_have += (size_t)n;
	if (f->tcp_have < 2 || f->tcp_have < 2 + (size_t)(f->tcp_buf[0] << 8 | f->tcp_buf[1]))
		return true;
	if (check_reply(f, f->tcp_buf + 2, f->tcp_have - 2, &msg)) {
		defer(f, f->tcp_buf + 2, f->tcp_have - 2, &msg);
		return false;
	}
	/* On a stream nobody else can inject: a bad reply is the server's fault. */
	f->tcp = false;
	defer(f, NULL, 0, NULL);
	return false;
}

static bool tcp_writable(struct l_io *io, void *user_data)
{
	struct dns_forward *f = user_data;
	size_t total = 2 + f->len;
	ssize_t n = send(l_io_get_fd(io), f->tcp_buf + f->tcp_sent, total - f->tcp_sent,
			 MSG_NOSIGNAL);

	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR || errno == EINPROGRESS)
			return true;
		l_debug("dnsproxy: TCP to %s: %s", current_server(f)->text, strerror(errno));
		f->tcp = false;
		defer(f, NULL, 0, NULL);
		return false;
	}
	f->tcp_sent += (size_t)n;
	if (f->tcp_sent < total)
		return true;
	f->tcp_have = 0;
	l_io_set_read_handler(io, tcp_readable, f, NULL);
	return false;
}

static void tcp_disconnected(struct l_io *io, void *user_data)
{
	struct dns_forward *f = user_data;

	if (f->reply)
		return;
	l_debug("dnsproxy: TCP to %s failed or was closed", current_server(f)->text);
	f->tcp = false;
	defer(f, NULL, 0, NULL);
}

/* A connection of our own: the pool only counts them. */
static int send_tcp(struct dns_forward *f)
{
	const struct dns_server *s = current_server(f);
	int fd, err = dns_pool_tcp_acquire(f->pool);

	if (err < 0)
		return err;
	f->tcp_held = true;
	set_query_id(f);
	fd = socket(s->addr.sa.sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	f->io = l_io_new(fd);
	if (!f->io) {
		close(fd);
		return -EMFILE;
	}
	l_io_set_close_on_destroy(f->io, true);
	if (f->mark && setsockopt(fd, SOL_SOCKET, SO_MARK, &f->mark, sizeof(f->mark)) < 0)
		return -errno;
	if (connect(fd, &s->addr.sa, s->addr_len) < 0 && errno != EINPROGRESS)
		return -errno;
	f->tcp_buf = l_malloc(2 + DNS_MSG_MAX);
	f->tcp_buf[0] = f->len >> 8;
	f->tcp_buf[1] = f->len & 0xff;
	memcpy(f->tcp_buf + 2, f->query, f->len);
	f->tcp_sent = 0;
	f->counters->sent_tcp++;
	l_io_set_write_handler(f->io, tcp_writable, f, NULL);
	l_io_set_disconnect_handler(f->io, tcp_disconnected, f, NULL);
	f->deadline_us = l_time_now() + TCP_TIMEOUT_MS * 1000ull;
	return 0;
}

static void step(struct l_idle *idle, void *user_data)
{
	struct dns_forward *f = user_data;
	uint8_t *reply = f->reply;
	struct dns_msg *msg = f->reply_msg;

	l_idle_remove(f->idle);
	f->idle = NULL;
	f->reply = NULL;
	f->reply_msg = NULL;
	if (reply)
		take_reply(f, reply, f->reply_len, msg);
	else
		try_next(f);
	l_free(reply);
	l_free(msg);
}

/* Sends to the current server again (TCP after truncation) or to the next. */
/* The round's next server, in the list's order from the first one asked;
 * false when the round has asked them all. */
static bool next_in_round(struct dns_forward *f)
{
	while (f->tried < f->n_servers) {
		f->current = (f->current + (f->tried ? 1 : 0)) % f->n_servers;
		f->tried++;
		if (f->round == 0 || (f->current < 32 && (f->again & (1u << f->current))))
			return true;
	}
	return false;
}

/* Only the silent ones are asked again: one that answered SERVFAIL or
 * REFUSED would say so again. */
static bool next_round(struct dns_forward *f)
{
	if (f->round + 1 >= UDP_ROUNDS || !f->silent)
		return false;
	f->round++;
	f->again = f->silent;
	f->silent = 0;
	f->tried = 0;
	f->current = f->first;
	f->counters->retransmits++;
	return next_in_round(f);
}

static void try_next(struct dns_forward *f)
{
	int err;

	close_socket(f);
	for (;;) {
		if (!f->tcp && !next_in_round(f) && !next_round(f)) {
			finish(f, -ETIMEDOUT, NULL, 0, NULL);
			return;
		}
		err = f->tcp ? send_tcp(f) : send_udp(f);
		if (err == 0)
			return;
		close_socket(f);
		/* Every upstream socket the pool may have is busy: no other
		 * server would fare better, so give up at once (SERVFAIL). */
		if (err == -EAGAIN) {
			f->counters->pool_full++;
			l_debug("dnsproxy: no upstream socket free for %s (%lu queries refused so "
				"far)", current_server(f)->text, f->counters->pool_full);
			finish(f, -EAGAIN, NULL, 0, NULL);
			return;
		}
		l_debug("dnsproxy: cannot send to %s: %s", current_server(f)->text, strerror(-err));
		f->tcp = false;
	}
}

struct dns_forward *dns_forward_new(const struct dns_server *servers, unsigned int n_servers,
				    unsigned int first, uint32_t mark,
				    const uint8_t *query, size_t len,
				    const struct dns_msg *query_msg, struct dns_pool *pool,
				    struct dns_forward_counters *counters,
				    dns_forward_done_fn done, void *data)
{
	struct dns_forward *f;

	if (!n_servers)
		return NULL;
	f = l_new(struct dns_forward, 1);
	f->servers = l_memdup(servers, n_servers * sizeof(*servers));
	f->n_servers = n_servers;
	f->current = first % n_servers;
	f->first = f->current;
	f->mark = mark;
	f->query = l_memdup(query, len);
	f->len = len;
	f->question = *query_msg;
	f->pool = pool;
	f->counters = counters;
	f->done = done;
	f->data = data;
	/* The first query leaves at once. If it cannot, the rest (another
	 * server, SERVFAIL) happens from the main loop, so done never runs
	 * before we return. */
	f->tried = 1;
	if (send_udp(f) == 0)
		return f;
	close_socket(f);
	f->tried = 0;
	defer(f, NULL, 0, NULL);
	return f;
}

void dns_forward_free(struct dns_forward *f)
{
	if (!f)
		return;
	close_socket(f);
	l_idle_remove(f->idle);
	l_free(f->reply);
	l_free(f->reply_msg);
	l_free(f->servers);
	l_free(f->query);
	l_free(f);
}
