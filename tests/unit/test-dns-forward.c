/* One query's way upstream, against servers on loopback that stay silent or
 * answer as the test says: a lost datagram is asked again (one more round,
 * only of the silent servers), an answer ends it, SERVFAIL is not asked
 * again. Time is the test's: dns_forward_tick() is given "later". */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <ell/ell.h>

#include "check.h"
#include "dns-forward.h"
#include "dns-msg.h"
#include "dns-pool.h"

/* foo.lab IN A, recursion desired. */
static const uint8_t query[] = {
	0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
	3, 'f', 'o', 'o', 3, 'l', 'a', 'b', 0, 0, 1, 0, 1,
};

struct result {
	bool done;
	int err;
	unsigned int server;
};

static void done(int err, const uint8_t *reply, size_t len, const struct dns_msg *msg,
		 unsigned int server, void *data)
{
	struct result *r = data;

	r->done = true;
	r->err = err;
	r->server = server;
}

static void spin(void)
{
	for (int i = 0; i < 10; i++)
		l_main_iterate(10);
}

static int server_open(struct dns_server *server)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);

	CHECK_INT(dns_server_parse("127.0.0.1", server), 0);
	server->addr.in.sin_port = 0;
	CHECK_INT(bind(fd, &server->addr.sa, server->addr_len), 0);
	getsockname(fd, &server->addr.sa, &server->addr_len);
	return fd;
}

/* Queries waiting at fd; each one answered with rcode (-1: none). */
static int serve(int fd, int rcode)
{
	uint8_t buf[512];
	struct sockaddr_in from;
	socklen_t from_len = sizeof(from);
	ssize_t n;
	int count = 0;

	while ((n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &from_len)) > 0) {
		count++;
		if (rcode < 0)
			continue;
		buf[2] |= 0x80;				/* a response */
		buf[3] = (buf[3] & 0xf0) | rcode;
		sendto(fd, buf, n, 0, (struct sockaddr *)&from, from_len);
		from_len = sizeof(from);
	}
	return count;
}

/* "later": past any deadline the forward may have set. */
static void time_passes(struct dns_forward *f, unsigned int seconds)
{
	dns_forward_tick(f, l_time_now() + seconds * 1000000ull);
	spin();
}

/* One query forwarded to n servers on loopback. */
struct bench {
	struct dns_forward_counters counters;
	struct dns_pool *pool;
	struct dns_server servers[2];
	int fds[2];
	struct result r;
	struct dns_forward *f;
};

static void start(struct bench *b, unsigned int n)
{
	struct dns_msg msg;

	memset(b, 0, sizeof(*b));
	b->pool = dns_pool_new(&b->counters);
	for (unsigned int i = 0; i < n; i++)
		b->fds[i] = server_open(&b->servers[i]);
	CHECK_INT(dns_msg_parse(query, sizeof(query), &msg), 0);
	b->f = dns_forward_new(b->servers, n, 0, 0, query, sizeof(query), &msg, b->pool,
			       &b->counters, done, &b->r);
	spin();
}

static void finish(struct bench *b, unsigned int n)
{
	dns_forward_free(b->f);
	dns_pool_free(b->pool);
	for (unsigned int i = 0; i < n; i++)
		close(b->fds[i]);
}

static void test_lost_once(void)
{
	struct bench b;

	start(&b, 1);
	CHECK_INT(serve(b.fds[0], -1), 1);		/* lost */
	time_passes(b.f, 1);
	CHECK(!b.r.done);
	CHECK_INT(serve(b.fds[0], 0), 1);		/* asked again: answered */
	spin();
	CHECK(b.r.done);
	CHECK_INT(b.r.err, 0);
	CHECK_INT(b.counters.timeouts, 1);
	CHECK_INT(b.counters.retransmits, 1);
	finish(&b, 1);
}

static void test_silent_twice(void)
{
	struct bench b;

	start(&b, 1);
	CHECK_INT(serve(b.fds[0], -1), 1);
	time_passes(b.f, 1);
	CHECK_INT(serve(b.fds[0], -1), 1);
	/* The second wait is longer: 1.5 s is not its end yet. */
	dns_forward_tick(b.f, l_time_now() + 1500000);
	spin();
	CHECK(!b.r.done);
	time_passes(b.f, 3);
	CHECK(b.r.done);
	CHECK_INT(b.r.err, -ETIMEDOUT);
	CHECK_INT(serve(b.fds[0], -1), 0);		/* no third time */
	finish(&b, 1);
}

/* One server silent, the other answering SERVFAIL: only the silent one is
 * asked again, and its answer wins. */
static void test_only_silent_again(void)
{
	struct bench b;

	start(&b, 2);
	CHECK_INT(serve(b.fds[0], -1), 1);
	time_passes(b.f, 1);
	CHECK_INT(serve(b.fds[1], DNS_RCODE_SERVFAIL), 1);
	spin();
	CHECK(!b.r.done);
	CHECK_INT(serve(b.fds[1], -1), 0);
	CHECK_INT(serve(b.fds[0], 0), 1);
	spin();
	CHECK(b.r.done);
	CHECK_INT(b.r.err, 0);
	CHECK_INT(b.r.server, 0);
	finish(&b, 2);
}

static void test_servfail_not_again(void)
{
	struct bench b;

	start(&b, 1);
	CHECK_INT(serve(b.fds[0], DNS_RCODE_SERVFAIL), 1);
	spin();
	CHECK(b.r.done);
	CHECK_INT(b.r.err, -ETIMEDOUT);
	CHECK_INT(b.counters.retransmits, 0);
	CHECK_INT(serve(b.fds[0], -1), 0);
	finish(&b, 1);
}

int main(void)
{
	l_main_init();
	test_lost_once();
	test_silent_twice();
	test_only_silent_again();
	test_servfail_not_again();
	l_main_exit();
	CHECK_DONE();
}
