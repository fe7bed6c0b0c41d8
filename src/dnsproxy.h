/* The DNS proxy: answers on the addresses it is told to listen on (UDP and
 * TCP), from its cache when it can, else forwards to the right upstream —
 * the servers of a service whose search domain the name falls under, or the
 * default service's. Binds only to the given addresses, never to an uplink. */
#pragma once

#include <stdint.h>

struct dnsproxy;

/* Names under one of domains go to servers (dotted or colon addresses). */
struct dns_route {
	char **domains;
	char **servers;
};

struct dnsproxy *dnsproxy_new(uint16_t port);
void dnsproxy_free(struct dnsproxy *p);
/* Opens UDP and TCP sockets on address (IPv4 or IPv6 literal); with ifname,
 * only for packets that arrive on that interface (the bridge: the kernel
 * would otherwise accept its address on an uplink too). */
int dnsproxy_listen(struct dnsproxy *p, const char *address, const char *ifname);
void dnsproxy_unlisten(struct dnsproxy *p, const char *address);
/* default_id names the default service (NULL when none); when it or its
 * servers change the cache is flushed. routes may list per-domain servers. */
void dnsproxy_set_upstreams(struct dnsproxy *p, const char *default_id, char **default_servers,
			    const struct dns_route *routes, unsigned int n_routes);
