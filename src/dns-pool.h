/* The DNS proxy's upstream UDP sockets: a small pool shared by every query
 * in flight, instead of a socket per query.
 *
 * Why: a socket per query cost a socket(), an l_io and a close() per cache
 * miss, and one of ELL's 128 watched descriptors per query in flight. The
 * pool bounds the descriptors whatever the query rate (DNS_POOL_MAX_SOCKETS
 * UDP sockets plus DNS_POOL_MAX_TCP TCP connections for truncated answers);
 * past that a query cannot be sent and the proxy answers SERVFAIL.
 *
 * What replaces "a fresh random port per query" against off-path spoofing:
 * - each socket is bound to a port drawn at random (not the kernel's next
 *   ephemeral one), per family and link (IPv6 scope);
 * - each query gets a random 16-bit ID, unique among the queries in flight on
 *   its socket, so a reply is matched by (socket, ID) and then by the server
 *   address and the question as before: a reply with an ID nobody waits for,
 *   or from another address, or for another question, is dropped and counted
 *   and leaves the waiting query alone;
 * - a socket takes at most DNS_POOL_ROTATE_QUERIES queries and is used for at
 *   most DNS_POOL_ROTATE_MS; then it is retired (no new query; closed once
 *   its last reply is in or timed out) and a fresh socket on a new random
 *   port takes over.
 * The price of sharing: a forger who knows a live port hits one of up to 256
 * live IDs with a datagram, not the one ID of a per-query port (and must still
 * come from the server's address with the right question). What keeps the
 * port unknown is its short life: it carries 256 queries or 2 s, then a new
 * random port is used, while finding a UDP port by probing (SAD DNS's ICMP
 * side channel) takes tens of seconds. 2 s also bounds how long a port
 * stays open with nothing in flight. A reply that comes after its query was
 * given up (timeout, failover) now meets an open socket: it is dropped and
 * counted with the forgeries. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define DNS_POOL_MAX_SOCKETS 16
#define DNS_POOL_MAX_TCP 16
#define DNS_POOL_ROTATE_QUERIES 256
#define DNS_POOL_ROTATE_MS 2000

struct dns_server;
struct dns_forward_counters;
struct dns_pool;
struct dns_pool_query;

/* err 0: a datagram on the query's socket carrying its ID, from anywhere:
 * return true to take it (the query is then done with the pool), false to
 * drop it (it was counted by the callee) and keep waiting. err < 0: a
 * corked query the kernel refused to send (buf NULL); the pool forgot it. */
typedef bool (*dns_pool_reply_fn)(int err, const uint8_t *buf, size_t len,
				  const struct sockaddr *from, socklen_t from_len, void *data);
/* Called with true before the replies of a burst are delivered and false
 * after, so what they set off can leave together. */
typedef void (*dns_pool_burst_fn)(bool start, void *data);

/* counters is the proxy's; replies with an ID nobody waits for count there. */
struct dns_pool *dns_pool_new(struct dns_forward_counters *counters);
/* Every query must have been cancelled or answered. */
void dns_pool_free(struct dns_pool *pool);

/* Sends query (len bytes; its first two bytes are overwritten with the ID
 * chosen, also stored in *id) to server, from a socket whose SO_MARK is mark
 * (0: none), so it leaves by the link that mark routes to (marks.h): sockets
 * are shared only by queries of the same family, link and mark. *q is the
 * handle to cancel it, or NULL with a negative errno: -EAGAIN when the pool
 * is full. While the pool is corked, query and server are only queued: they
 * must stay as they are until the reply or the cancel. */
int dns_pool_send(struct dns_pool *pool, const struct dns_server *server, uint32_t mark,
		  uint8_t *query, size_t len, uint16_t *id, dns_pool_reply_fn reply, void *data,
		  struct dns_pool_query **q);
/* Stops waiting for its reply; the ID is free again. NULL is fine. */
void dns_pool_cancel(struct dns_pool_query *q);

/* Between cork and uncork (nested: the last uncork counts), queries queue
 * and then leave together, one sendmmsg() per run of queries on a socket,
 * instead of a sendto() each: the server is woken once per batch, not per
 * query (bench/dns, cache misses). The pool corks itself while it delivers
 * a burst of replies. */
void dns_pool_cork(struct dns_pool *pool);
void dns_pool_uncork(struct dns_pool *pool);
void dns_pool_set_burst_hook(struct dns_pool *pool, dns_pool_burst_fn fn, void *data);

/* A TCP connection for a truncated answer counts against DNS_POOL_MAX_TCP:
 * 0 when one may be opened (release it after), -EAGAIN when not. */
int dns_pool_tcp_acquire(struct dns_pool *pool);
void dns_pool_tcp_release(struct dns_pool *pool);

/* Sockets open now, for tests and the proxy's statistics. */
unsigned int dns_pool_sockets(const struct dns_pool *pool);
