/* The stub resolver against fake nameservers on loopback (127.0.0.1 and
 * 127.0.0.2, one free port): answers, failover, timeouts, replies from
 * strangers, cancellation, and the resolver freed from its own callback. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <ell/ell.h>

#include "check.h"
#include "dns-query.h"
#include "dns-resolver.h"

#define TRY_MS 100

enum behaviour { SILENT, ANSWER, NXDOMAIN, STRANGER_FIRST };

struct server {
	int fd;
	struct l_io *io;
	enum behaviour behaviour;
	unsigned int queries;
};

struct outcome {
	int result;
	uint32_t address;
	unsigned int calls, destroys;
	struct dns_resolver *free_in_callback;
};

static struct server servers[2];
static uint16_t port;

/* The query turned into an answer: flags, one A record pointing at the question. */
static size_t make_answer(uint8_t *buf, size_t len, enum behaviour b)
{
	const uint8_t rr[] = { 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 7 };

	buf[2] |= 0x80;
	buf[3] = 0x80 | (b == NXDOMAIN ? 3 : 0);
	if (b == NXDOMAIN)
		return len;
	buf[7] = 1;
	memcpy(buf + len, rr, sizeof(rr));
	return len + sizeof(rr);
}

/* Someone at another port of the same address answers first: the
 * resolver's socket is connected to the server, so it never sees it. */
static void stranger_answers(const uint8_t *answer, size_t len, const struct sockaddr_in *to)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in from = { .sin_family = AF_INET, .sin_addr = to->sin_addr };

	if (fd < 0 || bind(fd, (struct sockaddr *)&from, sizeof(from)) < 0 ||
	    sendto(fd, answer, len, 0, (const struct sockaddr *)to, sizeof(*to)) < 0)
		CHECK(!"stranger could not send");
	if (fd >= 0)
		close(fd);
}

static bool server_readable(struct l_io *io, void *user_data)
{
	struct server *s = user_data;
	uint8_t buf[600];
	struct sockaddr_in from;
	socklen_t from_len = sizeof(from);
	ssize_t n = recvfrom(s->fd, buf, 300, 0, (struct sockaddr *)&from, &from_len);
	size_t len;

	if (n <= 0)
		return true;
	s->queries++;
	if (s->behaviour == SILENT)
		return true;
	len = make_answer(buf, (size_t)n, s->behaviour);
	if (s->behaviour == STRANGER_FIRST) {
		buf[len - 1] = 66;
		stranger_answers(buf, len, &from);
		buf[len - 1] = 7;
		/* A reply with a wrong ID from the server itself is dropped too. */
		buf[0] ^= 0xff;
		sendto(s->fd, buf, len, 0, (struct sockaddr *)&from, from_len);
		buf[0] ^= 0xff;
	}
	sendto(s->fd, buf, len, 0, (struct sockaddr *)&from, from_len);
	return true;
}

static int open_server(struct server *s, const char *address)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	socklen_t len = sizeof(a);

	inet_pton(AF_INET, address, &a.sin_addr);
	s->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(s->fd, (struct sockaddr *)&a, &len) < 0)
		return -errno;
	port = ntohs(a.sin_port);
	s->io = l_io_new(s->fd);
	l_io_set_close_on_destroy(s->io, true);
	l_io_set_read_handler(s->io, server_readable, s, NULL);
	return 0;
}

static void done(int result, const void *address, void *user_data)
{
	struct outcome *o = user_data;

	o->result = result;
	o->calls++;
	if (address)
		memcpy(&o->address, address, 4);
	if (o->free_in_callback)
		dns_resolver_free(o->free_in_callback);
}

static void destroyed(void *user_data)
{
	((struct outcome *)user_data)->destroys++;
}

static void give_up(struct l_timeout *timeout, void *user_data)
{
	*(bool *)user_data = true;
}

/* One lookup of isp.lab through these nameservers, run to its end. */
static struct outcome run(char *const *nameservers, const char *name, bool free_in_callback)
{
	struct dns_resolver *r = dns_resolver_new(NULL, 0);
	struct outcome o = { .result = 99 };
	bool too_long = false;
	struct l_timeout *guard = l_timeout_create(5, give_up, &too_long, NULL);

	dns_resolver_set_port(r, port);
	if (free_in_callback)
		o.free_in_callback = r;
	servers[0].queries = servers[1].queries = 0;
	CHECK(dns_resolver_lookup(r, name, DNS_TYPE_A, nameservers, TRY_MS, done, &o,
				  destroyed) != 0);
	CHECK_INT(o.calls, 0);		/* never from inside the call */
	while (!o.calls && !too_long)
		l_main_iterate(l_main_prepare());
	CHECK(!too_long);
	l_timeout_remove(guard);
	if (!free_in_callback)
		dns_resolver_free(r);
	CHECK_INT(o.calls, 1);
	CHECK_INT(o.destroys, 1);
	return o;
}

static void test_lookups(void)
{
	char *both[] = { "127.0.0.1", "127.0.0.2", NULL };
	char *second[] = { "not-an-address", "127.0.0.2", NULL };
	char *none[] = { NULL };
	struct outcome o;

	servers[0].behaviour = ANSWER;
	o = run(both, "isp.lab", false);
	CHECK_INT(o.result, 1);
	CHECK_INT(o.address, inet_addr("192.0.2.7"));
	CHECK_INT(servers[1].queries, 0);

	servers[0].behaviour = SILENT;
	servers[1].behaviour = ANSWER;
	o = run(both, "isp.lab", true);
	CHECK_INT(o.result, 1);
	CHECK_INT(servers[0].queries, 1);
	CHECK_INT(servers[1].queries, 1);

	servers[1].behaviour = SILENT;
	o = run(both, "isp.lab", false);
	CHECK_INT(o.result, -ETIMEDOUT);
	CHECK_INT(servers[1].queries, 1);

	servers[1].behaviour = NXDOMAIN;
	o = run(second, "isp.lab", false);
	CHECK_INT(o.result, 0);

	servers[1].behaviour = STRANGER_FIRST;
	o = run(second, "isp.lab", false);
	CHECK_INT(o.result, 1);
	CHECK_INT(o.address, inet_addr("192.0.2.7"));

	o = run(none, "isp.lab", false);
	CHECK_INT(o.result, -ENXIO);
	o = run(NULL, "isp.lab", false);
	CHECK_INT(o.result, -ENXIO);
	o = run(both, "a..b", false);
	CHECK_INT(o.result, -EINVAL);
}

static void test_cancel(void)
{
	char *both[] = { "127.0.0.1", "127.0.0.2", NULL };
	struct dns_resolver *r = dns_resolver_new(NULL, 0);
	struct outcome a = { 0 }, b = { 0 };
	unsigned int id;

	servers[0].behaviour = SILENT;
	dns_resolver_set_port(r, port);
	id = dns_resolver_lookup(r, "isp.lab", DNS_TYPE_A, both, TRY_MS, done, &a, destroyed);
	dns_resolver_lookup(r, "isp.lab", DNS_TYPE_AAAA, both, TRY_MS, done, &b, destroyed);
	CHECK(dns_resolver_cancel(r, id));
	CHECK(!dns_resolver_cancel(r, id));
	CHECK_INT(a.destroys, 1);
	/* Its owner goes: what is pending goes with it. */
	dns_resolver_free(r);
	CHECK_INT(b.destroys, 1);
	CHECK_INT(a.calls + b.calls, 0);
}

int main(void)
{
	if (!l_main_init())
		return 1;
	if (open_server(&servers[0], "127.0.0.1") < 0 || open_server(&servers[1], "127.0.0.2") < 0) {
		fprintf(stderr, "no loopback sockets: %s\n", strerror(errno));
		return 77;
	}
	test_lookups();
	test_cancel();
	l_io_destroy(servers[0].io);
	l_io_destroy(servers[1].io);
	l_main_exit();
	CHECK_DONE();
}
