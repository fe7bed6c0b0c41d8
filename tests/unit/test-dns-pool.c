/* The DNS proxy's upstream socket pool, over loopback: queries share a
 * socket and get distinct IDs, replies reach the query with their ID and no
 * other, a socket is rotated after DNS_POOL_ROTATE_QUERIES and closed once
 * its last query is done, and the pool refuses rather than grows past its
 * bounds. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <ell/ell.h>

#include "check.h"
#include "dns-forward.h"
#include "dns-pool.h"

#define N (DNS_POOL_ROTATE_QUERIES + 44)

struct sent {
	struct dns_pool_query *q;
	uint16_t id;
	unsigned int replies;
	int err;		/* of a send the kernel refused */
};

static struct sent sent[DNS_POOL_MAX_SOCKETS * DNS_POOL_ROTATE_QUERIES + 1];

static bool take(int err, const uint8_t *buf, size_t len, const struct sockaddr *from,
		 socklen_t from_len, void *data)
{
	struct sent *s = data;

	s->q = NULL;
	if (err < 0) {
		s->err = err;
		return false;
	}
	s->replies++;
	return true;
}

/* An ID next to id that none of the first socket's queries has. */
static uint16_t unused_id(uint16_t id)
{
	for (;;) {
		bool taken = false;

		id++;
		for (int i = 0; i < DNS_POOL_ROTATE_QUERIES; i++)
			taken = taken || sent[i].id == id;
		if (!taken)
			return id;
	}
}

static void spin(void)
{
	for (int i = 0; i < 20; i++)
		l_main_iterate(10);
}

/* A server on 127.0.0.1, and the dns_server naming it. */
static int server_open(struct dns_server *server)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0), size = 1 << 20;

	/* Room for every query of a test; the default holds ~200. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));

	CHECK_INT(dns_server_parse("127.0.0.1", server), 0);
	server->addr.in.sin_port = 0;
	CHECK_INT(bind(fd, &server->addr.sa, server->addr_len), 0);
	getsockname(fd, &server->addr.sa, &server->addr_len);
	return fd;
}

static void test_share_and_rotate(void)
{
	struct dns_forward_counters counters = { 0 };
	struct dns_pool *pool = dns_pool_new(&counters);
	struct dns_server server;
	int fd = server_open(&server);
	uint8_t query[12] = { 0 }, buf[64];
	uint16_t ports[N];
	struct sockaddr_in from;
	socklen_t from_len;

	for (int i = 0; i < N; i++)
		CHECK_INT(dns_pool_send(pool, &server, 0, query, sizeof(query), &sent[i].id, take,
					&sent[i], &sent[i].q), 0);
	CHECK_INT(dns_pool_sockets(pool), 2);
	for (int i = 0; i < N; i++) {
		from_len = sizeof(from);
		CHECK_INT(recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &from_len), 12);
		CHECK_INT(buf[0] << 8 | buf[1], sent[i].id);
		ports[i] = ntohs(from.sin_port);
	}
	/* One port for the first ROTATE_QUERIES, distinct IDs on it, then another. */
	for (int i = 1; i < DNS_POOL_ROTATE_QUERIES; i++) {
		CHECK_INT(ports[i], ports[0]);
		for (int j = 0; j < i; j++)
			CHECK(sent[i].id != sent[j].id);
	}
	CHECK(ports[DNS_POOL_ROTATE_QUERIES] != ports[0]);
	CHECK_INT(ports[N - 1], ports[DNS_POOL_ROTATE_QUERIES]);

	/* A reply with an ID nobody on that port waits for reaches nobody. */
	from.sin_port = htons(ports[0]);
	buf[0] = unused_id(sent[0].id) >> 8;
	buf[1] = unused_id(sent[0].id) & 0xff;
	sendto(fd, buf, 12, 0, (struct sockaddr *)&from, sizeof(from));
	buf[0] = sent[0].id >> 8;
	buf[1] = sent[0].id & 0xff;
	sendto(fd, buf, 12, 0, (struct sockaddr *)&from, sizeof(from));
	spin();
	CHECK_INT(counters.spoofed_replies, 1);
	CHECK_INT(sent[0].replies, 1);
	for (int i = 1; i < N; i++)
		CHECK_INT(sent[i].replies, 0);

	/* The retired socket closes once its last query is done, not before. */
	for (int i = 1; i < DNS_POOL_ROTATE_QUERIES - 1; i++)
		dns_pool_cancel(sent[i].q);
	spin();
	CHECK_INT(dns_pool_sockets(pool), 2);
	dns_pool_cancel(sent[DNS_POOL_ROTATE_QUERIES - 1].q);
	spin();
	CHECK_INT(dns_pool_sockets(pool), 1);
	for (int i = DNS_POOL_ROTATE_QUERIES; i < N; i++)
		dns_pool_cancel(sent[i].q);
	dns_pool_free(pool);
	close(fd);
}

static void test_bounds(void)
{
	struct dns_forward_counters counters = { 0 };
	struct dns_pool *pool = dns_pool_new(&counters);
	struct dns_server server;
	int fd = server_open(&server), total = DNS_POOL_MAX_SOCKETS * DNS_POOL_ROTATE_QUERIES;
	uint8_t query[12] = { 0 };
	struct dns_pool_query *q = (void *)1;
	uint16_t id;

	for (int i = 0; i < total; i++)
		CHECK_INT(dns_pool_send(pool, &server, 0, query, sizeof(query), &sent[i].id, take,
					&sent[i], &sent[i].q), 0);
	CHECK_INT(dns_pool_sockets(pool), DNS_POOL_MAX_SOCKETS);
	CHECK_INT(dns_pool_send(pool, &server, 0, query, sizeof(query), &id, take, NULL, &q),
		  -EAGAIN);
	CHECK(q == NULL);
	for (int i = 0; i < DNS_POOL_MAX_TCP; i++)
		CHECK_INT(dns_pool_tcp_acquire(pool), 0);
	CHECK_INT(dns_pool_tcp_acquire(pool), -EAGAIN);
	dns_pool_tcp_release(pool);
	CHECK_INT(dns_pool_tcp_acquire(pool), 0);

	/* Once the first socket's queries are done, there is room again. */
	for (int i = 0; i < DNS_POOL_ROTATE_QUERIES; i++)
		dns_pool_cancel(sent[i].q);
	spin();
	CHECK_INT(dns_pool_send(pool, &server, 0, query, sizeof(query), &id, take, NULL, &q), 0);
	dns_pool_cancel(q);
	for (int i = DNS_POOL_ROTATE_QUERIES; i < total; i++)
		dns_pool_cancel(sent[i].q);
	dns_pool_free(pool);
	close(fd);
}

#ifndef SO_RCVMARK
#define SO_RCVMARK 75
#endif

/* The mark a datagram carried, or -1. */
static long recv_mark(int fd)
{
	uint8_t buf[64], control[CMSG_SPACE(sizeof(uint32_t))];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
			     .msg_controllen = sizeof(control) };
	uint32_t mark = 0;

	if (recvmsg(fd, &mh, MSG_DONTWAIT) < 0)
		return -1;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_MARK)
			memcpy(&mark, CMSG_DATA(c), sizeof(mark));
	return mark;
}

/* Queries with different marks (sessions' links) never share a socket, and
 * each leaves with its own mark; the same mark shares one again. */
static void test_marks(void)
{
	struct dns_forward_counters counters = { 0 };
	struct dns_pool *pool = dns_pool_new(&counters);
	struct dns_server server;
	int fd = server_open(&server), one = 1;
	uint8_t query[12] = { 0 };
	struct dns_pool_query *q[3];
	uint16_t id;
	int err;

	CHECK_INT(setsockopt(fd, SOL_SOCKET, SO_RCVMARK, &one, sizeof(one)), 0);
	CHECK_INT(dns_pool_send(pool, &server, 0, query, sizeof(query), &id, take, NULL, &q[0]), 0);
	err = dns_pool_send(pool, &server, 0x01234, query, sizeof(query), &id, take, NULL, &q[1]);
	if (err == -EPERM) {
		printf("# marks: SO_MARK needs CAP_NET_ADMIN; not checked\n");
		dns_pool_cancel(q[0]);
		dns_pool_free(pool);
		close(fd);
		return;
	}
	CHECK_INT(err, 0);
	CHECK_INT(dns_pool_send(pool, &server, 0x01234, query, sizeof(query), &id, take, NULL,
				&q[2]), 0);
	CHECK_INT(dns_pool_sockets(pool), 2);
	CHECK_INT(recv_mark(fd), 0);
	CHECK_INT(recv_mark(fd), 0x01234);
	CHECK_INT(recv_mark(fd), 0x01234);
	for (int i = 0; i < 3; i++)
		dns_pool_cancel(q[i]);
	dns_pool_free(pool);
	close(fd);
}

/* Corked queries stay in until the last uncork, then all leave, in order,
 * on the sockets they were given; one the kernel refuses is handed back to
 * its owner with the error and forgotten, and the others still leave. */
static void test_cork(void)
{
	struct dns_forward_counters counters = { 0 };
	struct dns_pool *pool = dns_pool_new(&counters);
	struct dns_server server, broadcast;
	int fd = server_open(&server);
	uint8_t query[4][12] = { { 0 } }, buf[64];

	memset(sent, 0, 4 * sizeof(sent[0]));
	/* No SO_BROADCAST on the pool's sockets: EACCES. */
	CHECK_INT(dns_server_parse("255.255.255.255", &broadcast), 0);
	dns_pool_cork(pool);
	dns_pool_cork(pool);
	for (int i = 0; i < 4; i++)
		CHECK_INT(dns_pool_send(pool, i == 2 ? &broadcast : &server, 0, query[i],
					sizeof(query[i]), &sent[i].id, take, &sent[i], &sent[i].q), 0);
	dns_pool_uncork(pool);
	CHECK_INT(recv(fd, buf, sizeof(buf), MSG_DONTWAIT), -1);
	dns_pool_uncork(pool);
	for (int i = 0; i < 4; i++) {
		if (i == 2)
			continue;
		CHECK_INT(recv(fd, buf, sizeof(buf), MSG_DONTWAIT), 12);
		CHECK_INT(buf[0] << 8 | buf[1], sent[i].id);
	}
	CHECK_INT(recv(fd, buf, sizeof(buf), MSG_DONTWAIT), -1);
	CHECK_INT(sent[2].err, -EACCES);
	CHECK(sent[2].q == NULL);
	CHECK_INT(sent[0].err, 0);
	/* A query cancelled before the uncork never leaves. */
	dns_pool_cancel(sent[0].q);
	dns_pool_cork(pool);
	CHECK_INT(dns_pool_send(pool, &server, 0, query[0], sizeof(query[0]), &sent[0].id, take,
				&sent[0], &sent[0].q), 0);
	dns_pool_cancel(sent[0].q);
	dns_pool_uncork(pool);
	CHECK_INT(recv(fd, buf, sizeof(buf), MSG_DONTWAIT), -1);
	for (int i = 1; i < 4; i++)
		dns_pool_cancel(sent[i].q);
	dns_pool_free(pool);
	close(fd);
}

int main(void)
{
	l_main_init();
	test_share_and_rotate();
	test_bounds();
	test_marks();
	test_cork();
	l_main_exit();
	CHECK_DONE();
}
