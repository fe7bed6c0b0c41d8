#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <ell/ell.h>

#include "dns-forward.h"
#include "dns-query.h"
#include "dns-resolver.h"
#include "names.h"
#include "sntp.h"

#define NTP_PORT 123
#define MAX_ADDRESSES 2			/* a name's AAAA and A answers */

/* What the idle step does next. */
enum move { NEXT_SERVER, NEXT_ADDRESS, FINISH_ADDRESS };

/* What the one timer is waiting for. */
enum wait { WAIT_NONE, WAIT_REPLY, WAIT_GAP };

struct sntp {
	char **servers;
	char *resolver;
	unsigned int next, timeout_ms;
	const char *server;		/* the one being asked */
	struct dns_resolver *dns;
	unsigned int lookups;		/* AAAA and A queries still out */
	struct dns_server addrs[MAX_ADDRESSES];
	unsigned int n_addrs, next_addr;
	const struct dns_server *addr;	/* whom we expect the answer from */
	struct sntp_result samples[SNTP_SAMPLES];
	unsigned int n_samples, sent;
	uint64_t nonce, sent_us;
	struct l_io *io;
	struct l_timeout *timeout;
	enum wait wait;
	/* Sockets are closed outside their own handlers (ELL reads the io after). */
	struct l_idle *idle;
	enum move move;
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
	s->wait = WAIT_NONE;
	l_io_destroy(s->io);
	s->io = NULL;
}

static void step(struct l_idle *idle, void *user_data);

/* Leaves the current handler: the next move runs when idle. */
static void defer(struct sntp *s, enum move move)
{
	s->move = move;
	if (!s->idle)
		s->idle = l_idle_create(step, s, NULL);
}

/* Arms the one timer for what it waits for; false when no timer can be had
 * (out of descriptors). */
static bool wait_for(struct sntp *s, enum wait wait, unsigned int ms);

static bool from_expected(const struct sntp *s, const struct sockaddr_storage *from,
			  socklen_t len)
{
	const struct dns_server *a = s->addr;
	const struct sockaddr_in *in = (const struct sockaddr_in *)from;
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)from;

	if (from->ss_family != a->addr.sa.sa_family)
		return false;
	if (from->ss_family == AF_INET)
		return len >= sizeof(*in) && in->sin_port == a->addr.in.sin_port &&
		       in->sin_addr.s_addr == a->addr.in.sin_addr.s_addr;
	/* The scope counts for a link-local server only: the kernel reports 0 for others. */
	return len >= sizeof(*in6) && in6->sin6_port == a->addr.in6.sin6_port &&
	       !memcmp(&in6->sin6_addr, &a->addr.in6.sin6_addr, sizeof(in6->sin6_addr)) &&
	       (!IN6_IS_ADDR_LINKLOCAL(&in6->sin6_addr) ||
		in6->sin6_scope_id == a->addr.in6.sin6_scope_id);
}

static bool ntp_readable(struct l_io *io, void *user_data);

static int open_socket(struct sntp *s)
{
	int fd = socket(s->addr->addr.sa.sa_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			0);

	if (fd < 0)
		return -errno;
	s->io = l_io_new(fd);
	if (!s->io) {
		close(fd);
		return -EMFILE;
	}
	l_io_set_close_on_destroy(s->io, true);
	l_io_set_read_handler(s->io, ntp_readable, s, NULL);
	return 0;
}

/* Sends one request with a fresh nonce and waits for its reply. */
static int send_sample(struct sntp *s)
{
	uint8_t msg[SNTP_PACKET_LEN];

	/* The transmit timestamp is our nonce: random, so a reply cannot be guessed. */
	l_getrandom(&s->nonce, sizeof(s->nonce));
	sntp_request_build(s->nonce, msg);
	s->sent++;
	s->sent_us = now_us();
	if (sendto(l_io_get_fd(s->io), msg, sizeof(msg), 0, &s->addr->addr.sa,
		   s->addr->addr_len) < 0)
		return -errno;
	return wait_for(s, WAIT_REPLY, s->timeout_ms) ? 0 : -EMFILE;
}

/* A sample is in: the next one after the gap, or this address is done. */
static void sample_taken(struct sntp *s)
{
	const struct sntp_result *r = &s->samples[s->n_samples - 1];

	l_debug("sntp: %s sample %u: offset %+.6f s, delay %.6f s", s->addr->text, s->sent,
		r->offset_us / 1e6, r->delay_us / 1e6);
	if (s->sent >= SNTP_SAMPLES || !wait_for(s, WAIT_GAP, SNTP_SAMPLE_GAP_MS))
		defer(s, FINISH_ADDRESS);
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
	if (s->wait != WAIT_REPLY || !from_expected(s, &from, from_len)) {
		l_debug("sntp: dropped a reply from someone other than %s or out of turn",
			s->addr->text);
		return true;
	}
	err = sntp_reply_parse(buf, (size_t)n, s->nonce, s->sent_us, t4,
			       &s->samples[s->n_samples]);
	if (err == -EBADMSG) {
		l_debug("sntp: dropped a reply from %s that is not an answer to our request",
			s->server);
		return true;
	}
	s->wait = WAIT_NONE;		/* the timer, still armed, now means nothing */
	if (err == -EAGAIN) {
		/* RFC 4330, 8: a kiss-of-death means stop asking this server. */
		l_info("sntp: %s is unsynchronised or refused us; not asking it again",
		       s->addr->text);
		defer(s, FINISH_ADDRESS);
		return true;
	}
	s->n_samples++;
	sample_taken(s);
	return true;
}

static void timer_fired(struct l_timeout *timeout, void *user_data)
{
	struct sntp *s = user_data;
	enum wait was = s->wait;

	s->wait = WAIT_NONE;
	if (was == WAIT_NONE)
		return;
	if (was == WAIT_REPLY) {
		l_info("sntp: %s did not answer in time", s->addr->text);
		/* A silent server is left at once; a lost sample costs only itself. */
		if (s->n_samples == 0 || s->sent >= SNTP_SAMPLES) {
			defer(s, FINISH_ADDRESS);
			return;
		}
	}
	if (send_sample(s) < 0)
		defer(s, FINISH_ADDRESS);
}

static bool wait_for(struct sntp *s, enum wait wait, unsigned int ms)
{
	/* One timer for the whole round, re-armed: no descriptor churn per sample. */
	if (s->timeout)
		l_timeout_modify_ms(s->timeout, ms);
	else
		s->timeout = l_timeout_create_ms(ms, timer_fired, s, NULL);
	s->wait = s->timeout ? wait : WAIT_NONE;
	if (!s->timeout)
		l_warn("sntp: no timer for %s (out of file descriptors)", s->server);
	return s->timeout != NULL;
}

static void add_address(struct sntp *s, int family, const void *ip)
{
	struct dns_server *a = &s->addrs[s->n_addrs];
	char text[INET6_ADDRSTRLEN];

	if (s->n_addrs >= MAX_ADDRESSES || !inet_ntop(family, ip, text, sizeof(text)) ||
	    dns_server_parse(text, a) < 0)
		return;
	s->n_addrs++;
}

static void resolved(int result, const void *address, void *user_data, int family)
{
	struct sntp *s = user_data;
	const char *type = family == AF_INET6 ? "AAAA" : "A";

	if (result == 1)
		add_address(s, family, address);
	else if (result == 0)
		l_debug("sntp: %s has no %s record", s->server, type);
	else
		l_info("sntp: %s (%s) not resolved: %s", s->server, type, strerror(-result));
	if (--s->lookups > 0)
		return;
	/* IPv6 first, as getaddrinfo's default order has it. */
	if (s->n_addrs == 2 && s->addrs[0].addr.sa.sa_family == AF_INET) {
		struct dns_server v4 = s->addrs[0];

		s->addrs[0] = s->addrs[1];
		s->addrs[1] = v4;
	}
	if (!s->n_addrs)
		l_info("sntp: %s has no address", s->server);
	defer(s, NEXT_ADDRESS);
}

static void resolved_aaaa(int result, const void *address, void *user_data)
{
	resolved(result, address, user_data, AF_INET6);
}

static void resolved_a(int result, const void *address, void *user_data)
{
	resolved(result, address, user_data, AF_INET);
}

/* A name is looked up (AAAA and A at once) through the resolver given,
 * which has timeout_ms to answer each. */
static int resolve(struct sntp *s)
{
	char *nameservers[] = { s->resolver, NULL };

	if (!s->resolver)
		return -ENOENT;
	s->lookups = 2;
	dns_resolver_lookup(s->dns, s->server, DNS_TYPE_AAAA, nameservers, s->timeout_ms,
			    resolved_aaaa, s, NULL);
	dns_resolver_lookup(s->dns, s->server, DNS_TYPE_A, nameservers, s->timeout_ms,
			    resolved_a, s, NULL);
	return 0;
}

/* Starts sampling the server's next address; 0, or <0 when none is left. */
static int start_address(struct sntp *s)
{
	struct dns_server *a;
	int err;

	while (s->next_addr < s->n_addrs) {
		a = &s->addrs[s->next_addr++];
		if (a->addr.sa.sa_family == AF_INET6)
			a->addr.in6.sin6_port = htons(NTP_PORT);
		else
			a->addr.in.sin_port = htons(NTP_PORT);
		s->addr = a;
		s->n_samples = s->sent = 0;
		if (strcmp(s->server, a->text))
			l_info("sntp: asking %s at %s", s->server, a->text);
		err = open_socket(s);
		if (err == 0)
			err = send_sample(s);
		if (err == 0)
			return 0;
		l_info("sntp: cannot ask %s: %s", a->text, strerror(-err));
		close_socket(s);
	}
	return -ENOENT;
}

/* Starts on the next server; 0, or <0 when it cannot be asked at all. */
static int start_server(struct sntp *s)
{
	s->server = s->servers[s->next++];
	s->n_addrs = s->next_addr = 0;
	if (dns_server_parse(s->server, &s->addrs[0]) == 0) {
		s->n_addrs = 1;
		return start_address(s);
	}
	if (name_is_domain(s->server))
		return resolve(s);
	/* "fe80::1%eth9" while eth9 does not exist (yet). */
	l_info("sntp: %s is no usable address", s->server);
	return -EINVAL;
}

static void finish(struct sntp *s, int err, const struct sntp_result *result)
{
	sntp_done_fn done = s->done;

	s->done = NULL;
	done(err, result, err ? NULL : s->server, s->data);
}

static void step(struct l_idle *idle, void *user_data)
{
	struct sntp *s = user_data;
	enum move move = s->move;

	l_idle_remove(s->idle);
	s->idle = NULL;
	if (move == FINISH_ADDRESS) {
		close_socket(s);
		if (s->n_samples) {
			size_t best = sntp_best_sample(s->samples, s->n_samples);

			l_debug("sntp: %s: sample %zu of %u has the smallest delay",
				s->addr->text, best + 1, s->n_samples);
			finish(s, 0, &s->samples[best]);
			return;
		}
		move = NEXT_ADDRESS;
	}
	if (move == NEXT_ADDRESS && start_address(s) == 0)
		return;
	while (s->servers[s->next])
		if (start_server(s) == 0)
			return;
	finish(s, -ETIMEDOUT, NULL);
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
	defer(s, NEXT_SERVER);
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
