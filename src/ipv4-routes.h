/* The routes a DHCP lease's option 121 (RFC 3442) gives one link, kept in
 * the main table from the lease's binding to its loss. Its default route is
 * the lease's router, which the manager routes as any gateway. */
#pragma once

#include "dhcp.h"
#include "rtnl.h"

struct ipv4_routes {
	struct rtnl_route4 installed[DHCP_MAX_ROUTES];
	unsigned int n;
};

/* Makes the link's routes those of `lease` (NULL: none), taking out what
 * went and adding what came; a route the kernel refuses is logged and left
 * out (tried again at the next renewal). */
void ipv4_routes_apply(struct ipv4_routes *routes, struct rtnl *rtnl, int ifindex,
		       const char *ifname, const struct dhcp_lease *lease);
