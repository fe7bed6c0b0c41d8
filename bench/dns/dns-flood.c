/* dns-flood: a light DNS load generator for bench/dns, so that what limits
 * queries/s there is the server, not the tool (dnsperf took 1.4 CPUs of the
 * machine's two to drive 165k q/s).
 *
 * Reads the query list dnsperf reads ("name TYPE" a line), keeps a bounded
 * window of queries in flight over a few connected UDP sockets, sends them
 * with sendmmsg() and reads the answers with recvmmsg(), a batch per system
 * call, from one thread. An answer counts when it matches a query in flight
 * on its socket (same ID, same question, byte for byte) and is a response
 * with the expected RCODE; a query with no answer within the timeout is
 * lost, one that the socket would not take (an ICMP error pending) unsent. Prints queries/s, the counts, latency percentiles and its own CPU
 * time per answer, one "key value" a line.
 *
 *   dns-flood -s SERVER [-p 53] -d FILE [-q 200] [-S 2] [-B 32]
 *             [-l SECONDS | -n PASSES | -N QUERIES] [-t 2] [-r NOERROR]
 * -n: that many times through the list; -N: that many queries, the list
 * over and over.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>

#define MAX_SOCKETS 64
#define MAX_BATCH 256
#define ANSWER_MAX 4096
#define QUERY_MAX (12 + 255 + 4)
#define SCAN_NS 50000000ll		/* how often queries in flight are checked for timeouts */
#define LATENCY_BUCKETS 1000000		/* 1 us each; the last one holds everything slower */

struct query {
	uint32_t offset;	/* in the encoded queries; ID left 0 */
	uint16_t len;
};

struct slot {
	int64_t sent_ns;
	uint32_t query;
	uint16_t id;
	bool used;
};

struct sock {
	int fd;
	unsigned int window, in_flight;
	struct slot *slots;
	unsigned int *free_slots, n_free;
	int32_t *slot_of_id;	/* 65536 of them, -1 when that ID is not in flight */
	uint16_t next_id;
};

struct counts {
	unsigned long sent, unsent, answered, other, unmatched, lost;
};

struct flood {
	uint8_t *wire;
	struct query *queries;
	size_t n_queries, next_query;
	unsigned long passes_done, issued, max_queries;
	struct sock socks[MAX_SOCKETS];
	unsigned int n_socks, batch;
	int rcode;
	int64_t timeout_ns;
	struct counts c;
	uint32_t *latency;
	/* One batch's room, reused by every socket. */
	struct mmsghdr msgs[MAX_BATCH];
	struct iovec iov[MAX_BATCH][2];
	uint8_t ids[MAX_BATCH][2];
	uint8_t answers[MAX_BATCH][ANSWER_MAX];
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static const struct {
	const char *name;
	int value;
} types[] = {
	{ "A", 1 }, { "NS", 2 }, { "CNAME", 5 }, { "SOA", 6 }, { "PTR", 12 }, { "MX", 15 },
	{ "TXT", 16 }, { "AAAA", 28 }, { "SRV", 33 }, { "DS", 43 }, { "DNSKEY", 48 },
	{ "HTTPS", 65 }, { "ANY", 255 },
}, rcodes[] = {
	{ "NOERROR", 0 }, { "FORMERR", 1 }, { "SERVFAIL", 2 }, { "NXDOMAIN", 3 },
	{ "NOTIMP", 4 }, { "REFUSED", 5 },
};

static int lookup(const char *name, const void *table, size_t n)
{
	const typeof(types[0]) *t = table;

	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(t[i].name, name))
			return t[i].value;
	if (!strncasecmp(name, "TYPE", 4))
		return atoi(name + 4);
	return -1;
}

/* "www.example.com" to wire form at out; its length, or -1. */
static int encode_name(const char *text, uint8_t *out)
{
	size_t o = 0;

	while (*text) {
		size_t n = strcspn(text, ".");

		if (n == 0 || n > 63 || o + n + 2 > 255)
			return -1;
		out[o++] = (uint8_t)n;
		memcpy(out + o, text, n);
		o += n;
		text += n;
		if (*text == '.')
			text++;
	}
	out[o++] = 0;
	return (int)o;
}

/* A query with RD set and no EDNS, as dnsperf sends by default. */
static int encode_query(const char *name, int type, uint8_t *out)
{
	static const uint8_t header[12] = { 0, 0, 0x01, 0, 0, 1, 0, 0, 0, 0, 0, 0 };
	int n = encode_name(name, out + 12);

	if (n < 0 || type < 0 || type > 65535)
		return -1;
	memcpy(out, header, sizeof(header));
	out[12 + n] = (uint8_t)(type >> 8);
	out[13 + n] = type & 0xff;
	out[14 + n] = 0;
	out[15 + n] = 1;		/* IN */
	return 12 + n + 4;
}

static void read_queries(struct flood *f, const char *path)
{
	FILE *in = fopen(path, "r");
	char line[1024], name[300], type[32];
	size_t cap = 0, used = 0;

	if (!in)
		die(path);
	while (fgets(line, sizeof(line), in)) {
		int len;

		if (sscanf(line, "%299s %31s", name, type) != 2 || name[0] == '#')
			continue;
		if (f->n_queries == cap) {
			cap = cap ? cap * 2 : 1024;
			f->queries = realloc(f->queries, cap * sizeof(*f->queries));
			f->wire = realloc(f->wire, cap * QUERY_MAX);
			if (!f->queries || !f->wire)
				die("realloc");
		}
		len = encode_query(name, lookup(type, types, sizeof(types) / sizeof(types[0])),
				   f->wire + used);
		if (len < 0) {
			fprintf(stderr, "dns-flood: skipped %s %s\n", name, type);
			continue;
		}
		f->queries[f->n_queries++] = (struct query) { (uint32_t)used, (uint16_t)len };
		used += (size_t)len;
	}
	fclose(in);
	if (!f->n_queries) {
		fprintf(stderr, "dns-flood: no query in %s\n", path);
		exit(1);
	}
}

static void open_socket(struct sock *s, const struct sockaddr_storage *to, socklen_t to_len,
			unsigned int window)
{
	int size = 4 * 1024 * 1024;

	s->fd = socket(to->ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0)
		die("socket");
	/* Room for a whole window of answers arriving at once. */
	if (setsockopt(s->fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	/* Connected: no address per datagram either way, the route looked up once. */
	if (connect(s->fd, (const struct sockaddr *)to, to_len) < 0)
		die("connect");
	s->window = window;
	s->slots = calloc(window, sizeof(*s->slots));
	s->free_slots = malloc(window * sizeof(*s->free_slots));
	s->slot_of_id = malloc(65536 * sizeof(*s->slot_of_id));
	if (!s->slots || !s->free_slots || !s->slot_of_id)
		die("malloc");
	for (unsigned int i = 0; i < window; i++)
		s->free_slots[s->n_free++] = window - 1 - i;
	memset(s->slot_of_id, 0xff, 65536 * sizeof(*s->slot_of_id));
	s->next_id = (uint16_t)random();
}

/* The next query of the list; false when the passes asked for are done. */
static bool next_query(struct flood *f, unsigned long passes, uint32_t *q)
{
	if (f->next_query == f->n_queries) {
		f->passes_done++;
		f->next_query = 0;
	}
	if ((passes && f->passes_done >= passes) || (f->max_queries && f->issued >= f->max_queries))
		return false;
	f->issued++;
	*q = (uint32_t)f->next_query++;
	return true;
}

static void release(struct sock *s, struct slot *slot)
{
	slot->used = false;
	s->slot_of_id[slot->id] = -1;
	s->free_slots[s->n_free++] = (unsigned int)(slot - s->slots);
	s->in_flight--;
}

/* Fills the socket's window, a sendmmsg() per batch. Returns false once the
 * query list is exhausted. */
static bool fill(struct flood *f, struct sock *s, unsigned long passes)
{
	bool more = true;

	while (more && s->n_free) {
		unsigned int n = 0, sent;
		int64_t t = now_ns();
		int r;

		while (n < f->batch && s->n_free) {
			unsigned int i = s->free_slots[--s->n_free];
			struct slot *slot = &s->slots[i];
			const struct query *q;
			uint32_t qi;

			if (!(more = next_query(f, passes, &qi))) {
				s->n_free++;
				break;
			}
			while (s->slot_of_id[s->next_id] >= 0)
				s->next_id++;
			*slot = (struct slot) { .sent_ns = t, .query = qi, .id = s->next_id++, .used = true };
			s->slot_of_id[slot->id] = (int32_t)i;
			s->in_flight++;
			q = &f->queries[qi];
			f->ids[n][0] = slot->id >> 8;
			f->ids[n][1] = slot->id & 0xff;
			f->iov[n][0] = (struct iovec) { f->ids[n], 2 };
			f->iov[n][1] = (struct iovec) { f->wire + q->offset + 2, q->len - 2u };
			f->msgs[n].msg_hdr = (struct msghdr) { .msg_iov = f->iov[n], .msg_iovlen = 2 };
			n++;
		}
		for (sent = 0; sent < n; sent += (unsigned int)r) {
			r = sendmmsg(s->fd, f->msgs + sent, n - sent, 0);
			if (r < 0 && errno == EINTR)
				r = 0;
			else if (r <= 0)
				break;
		}
		f->c.sent += sent;
		f->c.unsent += n - sent;
		/* What the socket would not take is not in flight: counted apart. */
		for (unsigned int k = sent; k < n; k++) {
			uint16_t id = (uint16_t)(f->ids[k][0] << 8 | f->ids[k][1]);

			release(s, &s->slots[s->slot_of_id[id]]);
		}
		if (sent < n)
			break;
	}
	return more;
}

static void note_latency(struct flood *f, int64_t ns)
{
	int64_t us = ns / 1000;

	f->latency[us < LATENCY_BUCKETS - 1 ? us : LATENCY_BUCKETS - 1]++;
}

static void answer(struct flood *f, struct sock *s, const uint8_t *a, size_t len, bool trunc,
		   int64_t t)
{
	const struct query *q;
	struct slot *slot;
	int32_t i;

	if (len < 12 || (i = s->slot_of_id[a[0] << 8 | a[1]]) < 0) {
		f->c.unmatched++;
		return;
	}
	slot = &s->slots[i];
	q = &f->queries[slot->query];
	/* The question as sent: the same name (its case too), type and class. */
	if (len < q->len || memcmp(a + 4, f->wire + q->offset + 4, 2) ||
	    memcmp(a + 12, f->wire + q->offset + 12, q->len - 12u)) {
		f->c.unmatched++;
		return;
	}
	if (!trunc && a[2] & 0x80 && !(a[2] & 0x7a) && (a[3] & 0x0f) == f->rcode)
		f->c.answered++;
	else
		f->c.other++;
	note_latency(f, t - slot->sent_ns);
	release(s, slot);
}

/* Reads what the socket holds, a recvmmsg() per batch. */
static void drain(struct flood *f, struct sock *s)
{
	for (int round = 0; round < 64; round++) {
		int n;
		int64_t t;

		for (unsigned int i = 0; i < f->batch; i++) {
			f->iov[i][0] = (struct iovec) { f->answers[i], ANSWER_MAX };
			f->msgs[i].msg_hdr = (struct msghdr) { .msg_iov = f->iov[i], .msg_iovlen = 1 };
		}
		n = recvmmsg(s->fd, f->msgs, f->batch, MSG_DONTWAIT, NULL);
		if (n <= 0)
			return;
		t = now_ns();
		for (int i = 0; i < n; i++)
			answer(f, s, f->answers[i], f->msgs[i].msg_len,
			       f->msgs[i].msg_hdr.msg_flags & MSG_TRUNC, t);
		if ((unsigned int)n < f->batch)
			return;
	}
}

static void expire(struct flood *f, int64_t t)
{
	for (unsigned int k = 0; k < f->n_socks; k++) {
		struct sock *s = &f->socks[k];

		for (unsigned int i = 0; i < s->window && s->in_flight; i++)
			if (s->slots[i].used && t - s->slots[i].sent_ns >= f->timeout_ns) {
				release(s, &s->slots[i]);
				f->c.lost++;
			}
	}
}

static unsigned int in_flight(const struct flood *f)
{
	unsigned int n = 0;

	for (unsigned int k = 0; k < f->n_socks; k++)
		n += f->socks[k].in_flight;
	return n;
}

static int64_t percentile(const struct flood *f, double p)
{
	unsigned long n = f->c.answered + f->c.other, want = (unsigned long)(n * p), seen = 0;

	if (!n)
		return -1;
	for (int64_t us = 0; us < LATENCY_BUCKETS; us++)
		if ((seen += f->latency[us]) > want || seen == n)
			return us;
	return LATENCY_BUCKETS - 1;
}

/* Sends and reads until the time or the passes are over, then waits for the
 * answers still due. Returns the run's length in ns. */
static int64_t run(struct flood *f, double seconds, unsigned long passes)
{
	struct pollfd pfd[MAX_SOCKETS];
	int64_t start = now_ns(), end = start + (int64_t)(seconds * 1e9), last_scan = start, t;
	int64_t last_answer = start;
	bool sending = true;

	for (unsigned int k = 0; k < f->n_socks; k++)
		pfd[k] = (struct pollfd) { .fd = f->socks[k].fd, .events = POLLIN };
	for (t = start;; t = now_ns()) {
		unsigned long done = f->c.answered + f->c.other;
		int wait;

		if (sending && seconds > 0 && t >= end)
			sending = false;
		for (unsigned int k = 0; sending && k < f->n_socks; k++)
			sending = fill(f, &f->socks[k], passes);
		if (t - last_scan >= SCAN_NS) {
			expire(f, t);
			last_scan = t;
		}
		if (!sending && !in_flight(f))
			break;
		wait = (int)((last_scan + SCAN_NS - t) / 1000000) + 1;
		if (sending && seconds > 0 && (end - t) / 1000000 + 1 < wait)
			wait = (int)((end - t) / 1000000) + 1;
		if (poll(pfd, f->n_socks, wait) < 0 && errno != EINTR)
			die("poll");
		for (unsigned int k = 0; k < f->n_socks; k++)
			/* A read also takes a pending error (ICMP unreachable). */
			if (pfd[k].revents & (POLLIN | POLLERR))
				drain(f, &f->socks[k]);
		if (f->c.answered + f->c.other != done)
			last_answer = now_ns();
	}
	/* Up to the last answer: the wait for the lost ones is no work done. */
	return (f->c.lost ? last_answer : now_ns()) - start;
}

static void parse_server(const char *addr, int port, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		*len = sizeof(*in);
	} else if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*in6);
	} else {
		fprintf(stderr, "dns-flood: %s is not an IP address\n", addr);
		exit(1);
	}
}

static double cpu_s(const struct timeval *tv)
{
	return (double)tv->tv_sec + tv->tv_usec / 1e6;
}

static void report(const struct flood *f, int64_t ns, const struct rusage *ru)
{
	double secs = ns / 1e9, user = cpu_s(&ru->ru_utime), sys = cpu_s(&ru->ru_stime);
	unsigned long done = f->c.answered + f->c.other;

	printf("sent %lu\n", f->c.sent);
	printf("unsent %lu\n", f->c.unsent);
	printf("answered %lu\n", f->c.answered);
	printf("other %lu\n", f->c.other);
	printf("unmatched %lu\n", f->c.unmatched);
	printf("lost %lu\n", f->c.lost);
	printf("seconds %.3f\n", secs);
	printf("qps %.0f\n", secs > 0 ? f->c.answered / secs : 0);
	printf("p50_us %lld\n", (long long)percentile(f, 0.50));
	printf("p99_us %lld\n", (long long)percentile(f, 0.99));
	printf("cpu_user_s %.3f\n", user);
	printf("cpu_sys_s %.3f\n", sys);
	printf("cpu_us_per_query %.2f\n", done ? (user + sys) * 1e6 / done : 0);
}

static void usage(void)
{
	fprintf(stderr, "usage: dns-flood -s SERVER [-p PORT] -d FILE [-q WINDOW] [-S SOCKETS] "
			"[-B BATCH] [-l SECONDS | -n PASSES | -N QUERIES] [-t TIMEOUT] [-r RCODE]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static struct flood f;
	const char *server = NULL, *file = NULL;
	unsigned int window = 200;
	unsigned long passes = 0;
	double seconds = 0, timeout = 2;
	int port = 53, opt;
	struct sockaddr_storage to;
	socklen_t to_len;
	struct rusage ru0, ru;
	int64_t ns;

	f.n_socks = 2;
	f.batch = 32;
	while ((opt = getopt(argc, argv, "s:p:d:q:S:B:l:n:N:t:r:")) != -1) {
		switch (opt) {
		case 's': server = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 'd': file = optarg; break;
		case 'q': window = (unsigned int)atoi(optarg); break;
		case 'S': f.n_socks = (unsigned int)atoi(optarg); break;
		case 'B': f.batch = (unsigned int)atoi(optarg); break;
		case 'l': seconds = atof(optarg); break;
		case 'n': passes = strtoul(optarg, NULL, 10); break;
		case 'N': f.max_queries = strtoul(optarg, NULL, 10); break;
		case 't': timeout = atof(optarg); break;
		case 'r': f.rcode = lookup(optarg, rcodes, sizeof(rcodes) / sizeof(rcodes[0])); break;
		default: usage();
		}
	}
	if (!server || !file || f.n_socks < 1 || f.n_socks > MAX_SOCKETS || f.batch < 1 ||
	    f.batch > MAX_BATCH || window < f.n_socks || window / f.n_socks > 32768 ||
	    f.rcode < 0 || timeout <= 0 || (seconds > 0) + !!passes + !!f.max_queries != 1)
		usage();
	f.timeout_ns = (int64_t)(timeout * 1e9);
	f.latency = calloc(LATENCY_BUCKETS, sizeof(*f.latency));
	if (!f.latency)
		die("calloc");
	read_queries(&f, file);
	parse_server(server, port, &to, &to_len);
	srandom((unsigned int)now_ns());
	for (unsigned int k = 0; k < f.n_socks; k++)
		open_socket(&f.socks[k], &to, to_len,
			    window / f.n_socks + (k < window % f.n_socks));
	getrusage(RUSAGE_SELF, &ru0);
	ns = run(&f, seconds, passes);
	getrusage(RUSAGE_SELF, &ru);
	timersub(&ru.ru_utime, &ru0.ru_utime, &ru.ru_utime);
	timersub(&ru.ru_stime, &ru0.ru_stime, &ru.ru_stime);
	report(&f, ns, &ru);
	return 0;
}
