/* The routes a VPN connection wants in its own table (routing-vpn.h), made
 * of what its tunnel carries and what the user asked for: the default
 * route unless SplitRouting (for a tunnel that offers only its routes,
 * WireGuard's AllowedIPs, only when one is a /0), the tunnel's routes
 * (ServerRoutes), UserRoutes,
 * all through the tunnel's link, and the host route to the server on the
 * uplink of its family. Without a tunnel the table is emptied. */
#pragma once

#include <stdbool.h>

struct ipv4_settings;
struct ipv6_status;
struct vpn_env;
struct vpn_route;
struct vpn_table;

struct vpn_routes_in {
	const struct vpn_env *env;	/* NULL: no tunnel */
	int ifindex;			/* the tunnel's link */
	bool split_routing;
	const struct vpn_route *user_routes;
	unsigned int n_user_routes;
	/* The best connected non-VPN service with an address of the family;
	 * 0: none. */
	int uplink_ifindex;
	const struct ipv4_settings *uplink;
	int uplink6_ifindex;
	const struct ipv6_status *uplink6;
};

/* Whether the VPN carries the default route: not with SplitRouting; with a
 * tunnel that offers only its routes, when one of them is a /0. */
bool vpn_routes_carry_default(const struct vpn_env *env, bool split_routing);
/* vpn_table_set's result. */
int vpn_routes_apply(struct vpn_table *table, const struct vpn_routes_in *in);
