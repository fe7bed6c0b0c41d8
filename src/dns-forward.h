/* One client query on its way upstream: sent over the pool's UDP sockets
 * (dns-pool.h: random port per socket, rotated often) with a new random ID to
 * each server in turn, failing
 * over on timeout, SERVFAIL, REFUSED or NOTIMP, retried over TCP when the
 * UDP reply is truncated. A reply must come from the server asked and carry
 * our ID and the question asked; anything else is dropped and counted. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <netinet/in.h>

struct dns_msg;
struct dns_pool;

struct dns_server {
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	} addr;
	socklen_t addr_len;
	char text[64];		/* "192.0.2.1", "2001:db8::1" or "fe80::1%eth0" */
};

struct dns_forward_counters {
	unsigned long sent_udp, sent_tcp, timeouts, failovers;
	unsigned long retransmits;	/* queries asked again after every server was silent */
	unsigned long spoofed_replies, malformed_replies;
	unsigned long pool_full;	/* queries refused: no upstream socket free */
};

/* Fills a server from a dotted or colon address (port 53); -EINVAL if neither. */
int dns_server_parse(const char *text, struct dns_server *server);

/* err: 0 with the reply (whose ID is ours, not the client's) and the index of
 * the server that gave it, -ETIMEDOUT when every server failed, -EAGAIN when
 * the pool had no socket free for it. */
typedef void (*dns_forward_done_fn)(int err, const uint8_t *reply, size_t len,
				    const struct dns_msg *msg, unsigned int server, void *data);

struct dns_forward;

/* Starts with servers[first] and goes round the list; those silent over UDP
 * are asked once more, after the round (UDP_ROUNDS in dns-forward.c). The query and
 * servers are copied. pool and counters are the proxy's and must outlive
 * the forward. Its UDP and TCP sockets carry mark (SO_MARK; 0: none), which
 * decides the link they leave by. */
struct dns_forward *dns_forward_new(const struct dns_server *servers, unsigned int n_servers,
				    unsigned int first, uint32_t mark,
				    const uint8_t *query, size_t len,
				    const struct dns_msg *query_msg, struct dns_pool *pool,
				    struct dns_forward_counters *counters,
				    dns_forward_done_fn done, void *data);
/* Gives up on the server asked when its time is up (1 s over UDP, 2 s when
 * asked again, 3 s over TCP); the caller calls this at least every DNS_FORWARD_TICK_MS. */
#define DNS_FORWARD_TICK_MS 100
void dns_forward_tick(struct dns_forward *f, uint64_t now_us);
/* Cancels it; done is not called. May be called from done itself. */
void dns_forward_free(struct dns_forward *f);
