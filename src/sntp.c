#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <ell/ell.h>

#include "dns-query.h"
#include "dns-resolver.h"
#include "sntp.h"

enum step { RESOLVING, ASKING };

struct sntp {
	char **servers;
	char *resolver;
	unsigned int next, timeout_ms;
	const char *server;		/* the one being asked */
	enum step step;
	struct sockaddr_storage addr;	/* whom we expect the answer from */
	socklen_t addr_len;
	struct dns_resolver *dns;
	uint64_t nonce, sent_us;
	struct l_io *io;
	struct l_timeout *timeout;
	/* Sockets are closed outside their own handlers (ELL reads the io after). */
	struct l_idle *idle;
	int result_err;
	struct sntp_result result;
	sntp_done_fn done;
	void *data;
};

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static void close_socket(struct sntp *s)
{
	l_timeout_remove(s->timeout);
	s->timeout = NULL;
	l_io_destroy(s->io);
	s->io = NULL;
}

static void step(struct l_idle *idle, void *user_data);

/* Leaves the current handler: the next server, or the end, runs when idle. */
static void defer(struct sntp *s, int err)
{
	s->result_err = err;
	if (!s->idle)
		s->idle = l_idle_create(step, s, NULL);
}

static bool from_expected(const struct sntp *s, const struct sockaddr_storage *from,
			  socklen_t len)
{
	return len == s->addr_len && !memcmp(from, &s->addr, len);
}

static int send_to(struct sntp *s, const void *msg, size_t len, l_io_read_cb_t readable)
{
	int fd = socket(s->addr.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	s->io = l_io_new(fd);
	if (!s->io) {
		close(fd);
		return -EMFILE;
	}
	l_io_set_close_on_destroy(s->io, true);
	if (sendto(fd, msg, len, 0, (struct sockaddr *)&s->addr, s->addr_len) < 0)
		return -errno;
	l_io_set_read_handler(s->io, readable, s, NULL);
	return 0;
}

static bool ntp_readable(struct l_io *io, void *user_data)
{
	struct sntp *s = user_data;
	uint8_t buf[128];
	struct sockaddr_storage from;
	socklen_t from_len = sizeof(from);
	ssize_t n = recvfrom(l_io_get_fd(io), buf, sizeof(buf), 0, (struct sockaddr *)&from,
			     &from_len);
	uint64_t t4 = now_us();
	int err;

	if (n < 0)
		return true;
	if (!from_expected(s, &from, from_len)) {
		l_debug("sntp: dropped a reply from someone other than %s", s->server);
		return true;
	}
	err = sntp_reply_parse(buf, (size_t)n, s->nonce, s->sent_us, t4, &s->result);
	if (err == -EBADMSG) {
		l_debug("sntp: dropped a reply from %s that is not an answer to our request",
			s->server);
		return true;
	}
	if (err == -EAGAIN)
		l_info("sntp: %s is unsynchronised or refused us; trying the next", s->server);
	defer(s, err);
	return false;
}

static int ask(struct sntp *s)
{
	uint8_t msg[SNTP_PACKET_LEN];

	s->step = ASKING;
	/* The transmit timestamp is our nonce: random, so a reply cannot be guessed. */
	l_getrandom(&s->nonce, sizeof(s->nonce));
	sntp_request_build(s->nonce, msg);
	s->sent_us = now_us();
	return send_to(s, msg, sizeof(msg), ntp_readable);
}

static void set_address(struct sntp *s, int family, const void *ip, uint16_t port)
{
	memset(&s->addr, 0, sizeof(s->addr));
	if (family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&s->addr;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		memcpy(&a->sin6_addr, ip, sizeof(a->sin6_addr));
		s->addr_len = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&s->addr;

		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		memcpy(&a->sin_addr, ip, sizeof(a->sin_addr));
		s->addr_len = sizeof(*a);
	}
}

static void resolved(int result, const void *address, void *user_data)
{
	struct sntp *s = user_data;

	if (result == 0)
		l_info("sntp: %s has no address", s->server);
	else if (result == -ETIMEDOUT)
		l_info("sntp: %s did not answer in time", s->server);
	/* Asked from the idle step, as every other next move. */
	if (result == 1)
		set_address(s, AF_INET, address, 123);
	defer(s, result == 1 ? -EINPROGRESS : result == 0 ? -ENOENT : result);
}

/* A name is looked up (A) through the resolver given, which has timeout_ms
 * to answer. */
static int resolve(struct sntp *s)
{
	if (!s->resolver)
		return -ENOENT;
	s->step = RESOLVING;
	dns_resolver_lookup(s->dns, s->server, DNS_TYPE_A, (char *[]) { s->resolver, NULL },
			    s->timeout_ms, resolved, s, NULL);
	return 0;
}

static void timed_out(struct l_timeout *timeout, void *user_data)
{
	struct sntp *s = user_data;

	l_info("sntp: %s did not answer in time", s->server);
	defer(s, -ETIMEDOUT);
}

/* Starts on the next server; 0, or <0 when it could not be asked at all. */
static int start_server(struct sntp *s)
{
	struct in6_addr ip6;
	struct in_addr ip4;
	int err;

	s->server = s->servers[s->next++];
	if (inet_pton(AF_INET, s->server, &ip4) == 1) {
		set_address(s, AF_INET, &ip4, 123);
		err = ask(s);
	} else if (inet_pton(AF_INET6, s->server, &ip6) == 1) {
		set_address(s, AF_INET6, &ip6, 123);
		err = ask(s);
	} else {
		return resolve(s);
	}
	if (err == 0)
		s->timeout = l_timeout_create_ms(s->timeout_ms, timed_out, s, NULL);
	return err == 0 && !s->timeout ? -EMFILE : err;
}

static void step(struct l_idle *idle, void *user_data)
{
	struct sntp *s = user_data;
	sntp_done_fn done = s->done;
	bool resolved = s->step == RESOLVING && s->result_err == -EINPROGRESS;

	l_idle_remove(s->idle);
	s->idle = NULL;
	close_socket(s);
	if (s->step == ASKING && s->result_err == 0) {
		s->done = NULL;
		done(0, &s->result, s->server, s->data);
		return;
	}
	if (resolved && ask(s) == 0) {
		s->timeout = l_timeout_create_ms(s->timeout_ms, timed_out, s, NULL);
		if (s->timeout)
			return;
		/* A lost reply would hold the query for good: the next server. */
		l_warn("sntp: no timer for %s (out of file descriptors)", s->server);
	}
	close_socket(s);
	while (s->servers[s->next])
		if (start_server(s) == 0)
			return;
		else
			close_socket(s);
	s->done = NULL;
	done(-ETIMEDOUT, NULL, NULL, s->data);
}

struct sntp *sntp_start(char *const *servers, const char *resolver, unsigned int timeout_ms,
			sntp_done_fn done, void *data)
{
	struct sntp *s = l_new(struct sntp, 1);

	s->servers = l_strv_copy((char **)servers);
	if (!s->servers)
		s->servers = l_new(char *, 1);
	s->resolver = l_strdup(resolver);
	s->dns = dns_resolver_new(NULL, 0);
	s->timeout_ms = timeout_ms;
	s->done = done;
	s->data = data;
	defer(s, -ENOENT);
	return s;
}

void sntp_free(struct sntp *s)
{
	if (!s)
		return;
	close_socket(s);
	dns_resolver_free(s->dns);
	l_idle_remove(s->idle);
	l_strv_free(s->servers);
	l_free(s->resolver);
	l_free(s);
}
