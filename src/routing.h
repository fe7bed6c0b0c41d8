/* Owner of the routes connd installs. Callers describe the default routes they
 * want; routing diffs that against what it installed and changes only the
 * difference, so a reorder of services costs a few route replacements. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

struct rtnl;
struct rtnl_route4;
struct routing;

struct default_route {
	int ifindex;
	uint32_t gateway;	/* network byte order */
	uint32_t source;	/* preferred source address */
	bool via_link;		/* no gateway: the link is the way (a tun); slots only */
};

struct routing *routing_new(struct rtnl *rtnl);
/* Removes every route it installed. Accepts NULL. */
void routing_free(struct routing *routing);
/* Removes routes a previous connd left behind (it crashed or was killed). */
int routing_flush_stale(struct routing *routing);
/* routes[0] is the preferred default; later ones get higher metrics. */
int routing_set_defaults(struct routing *routing, const struct default_route *routes, unsigned int n);

/* The IPv6 default routes connd adds itself (manual IPv6; SLAAC's come
 * from the kernel), in the main table, diffed like the IPv4 ones. */
struct default_route6 {
	int ifindex;
	struct in6_addr gateway;
};
int routing_set_defaults6(struct routing *routing, const struct default_route6 *routes,
			  unsigned int n);

/* Per-service tables for sessions (see marks.h). A slot's table always ends
 * in an unreachable default, so marked traffic never falls through to main. */
int routing_slot_add(struct routing *routing, unsigned int slot);
/* The fwmark rules that send marked traffic to the slots' tables go in with
 * the first session (or at start when a killed connd left rules, and so
 * maybe marked sockets): the kernel gives up its fast route lookup in a
 * namespace for good once any rule is added, and an idle connd should
 * cost packets nothing. From then on every slot's rules stay until
 * routing_free. Cheap when they are all in; a refused rule is tried again. */
int routing_slot_rules_on(struct routing *routing);
/* route NULL: only the unreachable default stays. `prefix_len` adds the
 * service's own subnet so on-link peers are reached directly. The default
 * goes via the gateway, or with via_link through the link itself (a VPN's
 * tun: a session bound to the VPN sends everything into the tunnel, split
 * routing or not); with neither, the slot has no default. `extra` (n_extra,
 * at most ROUTING_SLOT_EXTRA) are the service's other routes (DHCP option
 * 121's), given as they are in the main table: the slot's table gets them
 * too, or a session would reach those networks through its default. */
#define ROUTING_SLOT_EXTRA 16
int routing_slot_set(struct routing *routing, unsigned int slot, const struct default_route *route,
		     uint8_t prefix_len, const struct rtnl_route4 *extra, unsigned int n_extra);
/* The IPv6 side of a slot: route NULL leaves only the unreachable default. */
struct slot_route6 {
	int ifindex;
	struct in6_addr address;	/* the service's, with its prefix for the on-link route */
	uint8_t prefix_len;
	struct in6_addr gateway;	/* the router; all zero: none */
	bool via_link;			/* no gateway: the link is the way (a tun) */
};
int routing_slot_set6(struct routing *routing, unsigned int slot, const struct slot_route6 *route);
/* The slot's service is gone: its routes go, but its rules stay and answer
 * unreachable until routing_slot_add hands it out again (sockets marked
 * for it must not fall through to the main table); routing_free removes
 * all. */
void routing_slot_remove(struct routing *routing, unsigned int slot);
/* SourceIPRule: "from ADDR lookup TABLE" rules, one per address and slot,
 * IPv4 and IPv6 (the slot's IPv6 table). Callers give the whole set they
 * want; routing adds what is missing and removes what is no longer wanted
 * (duplicates count once). A rule the kernel refused is tried again on the
 * next call. */
struct source_rule {
	uint8_t family;		/* AF_INET or AF_INET6 */
	uint32_t address;	/* IPv4, network byte order */
	struct in6_addr address6;
	unsigned int slot;
};
int routing_set_source_rules(struct routing *routing, const struct source_rule *rules,
			     unsigned int n);
