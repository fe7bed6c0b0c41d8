/* The DNS proxy: answers on the addresses it is told to listen on (UDP and
 * TCP), from its cache when it can, else forwards to the right upstream —
 * for a query of an application in a session, the servers of the service
 * that session rides (through its link, with a cache apart); for any other,
 * the servers of a service whose search domain the name falls under, or the
 * default service's. Binds only to the given addresses, never to an uplink. */
#pragma once

#include <stdint.h>

struct dnsproxy;

/* Names under one of domains go to servers (dotted or colon addresses).
 * A route with a slot is also the service's for its sessions' queries. */
struct dns_route {
	char **domains;
	char **servers;
	const char *id;		/* the service's; NULL for none */
	unsigned int slot;	/* its routing slot (marks.h); 0 when none */
};

struct dnsproxy *dnsproxy_new(uint16_t port);
void dnsproxy_free(struct dnsproxy *p);
/* Opens UDP and TCP sockets on address (IPv4 or IPv6 literal); with ifname,
 * only for packets that arrive on that interface (the bridge: the kernel
 * would otherwise accept its address on an uplink too). */
int dnsproxy_listen(struct dnsproxy *p, const char *address, const char *ifname);
void dnsproxy_unlisten(struct dnsproxy *p, const char *address);
/* A query that follows its session (issue 15): the mark the query arrived
 * with (SO_RCVMARK for UDP, the accepted socket's for TCP) → 0 for a query
 * of no session (forwarded as any), the slot of the service its session
 * rides now (forwarded to that service's servers only, through its link,
 * with a cache of its own), or a negative errno when its session may use no
 * service now (answered REFUSED, never through the default service). */
typedef int (*dnsproxy_mark_fn)(uint32_t mark, void *data);
void dnsproxy_set_mark_hook(struct dnsproxy *p, dnsproxy_mark_fn fn, void *data);
/* default_id names the default service (NULL when none); when it or its
 * servers change the cache is flushed. routes may list per-domain servers. */
void dnsproxy_set_upstreams(struct dnsproxy *p, const char *default_id, char **default_servers,
			    const struct dns_route *routes, unsigned int n_routes);
