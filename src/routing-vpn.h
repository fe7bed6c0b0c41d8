/* A VPN's own routing table, part of routing (the owner of routes): the
 * VPN's routes (its default or split routes, UserRoutes, ServerRoutes) and
 * the host route to its server through the bearer beneath, in a table of
 * the VPN's, looked up by one rule per family after the sessions' rules
 * (a session bound to another service keeps its way) and before main. A
 * lookup that finds nothing there falls through to main, so a split VPN
 * takes only its own destinations. The caller gives the whole set of
 * routes it wants; what changed is replaced, the rest left alone. */
#pragma once

#include <stdint.h>

struct rtnl;
struct rtnl_route4;
struct rtnl_route6;
struct vpn_table;

#define ROUTE_TABLE_VPN_BASE	0x636f1000u	/* beside the slots' tables (marks.h) */
#define RULE_PRIORITY_VPN	9500u		/* after sessions (9000), before main */

/* id 1..4095 names the table; nothing is installed until the first set. */
struct vpn_table *vpn_table_new(struct rtnl *rtnl, unsigned int id);
/* Removes its routes and rules. Accepts NULL. */
void vpn_table_free(struct vpn_table *t);
uint32_t vpn_table_number(const struct vpn_table *t);
/* The routes wanted now (their table and protocol are set here); no route
 * of a family removes that family's rule too. An IPv4 default without an
 * IPv6 one (an IPv4-only VPN carrying the default route) adds an
 * unreachable IPv6 default, so IPv6 never leaves by the uplink beside the
 * tunnel. Returns the first error; a
 * route the kernel refused is tried again on the next call. */
int vpn_table_set(struct vpn_table *t, const struct rtnl_route4 *v4, unsigned int n4,
		  const struct rtnl_route6 *v6, unsigned int n6);
