#include <errno.h>
#include <string.h>
#include <ell/ell.h>

#include "ipv4-routes.h"
#include "ipv4-settings.h"

/* Two links may be given the same route (one LAN reached twice): a metric
 * per link keeps both, where one would replace the other. */
#define ROUTE_METRIC_BASE 1024u

static struct rtnl_route4 make_route(int ifindex, const struct dhcp_lease *lease,
				     const struct dhcp_route *r)
{
	return (struct rtnl_route4) {
		.ifindex = ifindex,
		.table = RT_TABLE_MAIN,
		.dst = r->dst,
		.dst_len = r->dst_len,
		.gateway = r->gateway,
		.prefsrc = lease->address,
		.metric = ROUTE_METRIC_BASE + (uint32_t)ifindex,
		.protocol = RTNL_PROTO_CONND,
	};
}

static bool same_route(const struct rtnl_route4 *a, const struct rtnl_route4 *b)
{
	return a->dst == b->dst && a->dst_len == b->dst_len && a->gateway == b->gateway &&
	       a->prefsrc == b->prefsrc && a->metric == b->metric;
}

static bool has_route(const struct rtnl_route4 *set, unsigned int n, const struct rtnl_route4 *r)
{
	for (unsigned int i = 0; i < n; i++)
		if (same_route(&set[i], r))
			return true;
	return false;
}

static void log_refused(const char *ifname, const struct rtnl_route4 *r, int err)
{
	char dst[16], gw[16];

	l_warn("%s: DHCP route to %s/%u via %s not added: %s", ifname, ipv4_ntop(r->dst, dst),
	       r->dst_len, r->gateway ? ipv4_ntop(r->gateway, gw) : "the link", strerror(-err));
}

void ipv4_routes_apply(struct ipv4_routes *routes, struct rtnl *rtnl, int ifindex,
		       const char *ifname, const struct dhcp_lease *lease)
{
	struct rtnl_route4 want[DHCP_MAX_ROUTES];
	unsigned int n_want = 0, kept = 0;

	for (unsigned int i = 0; lease && i < lease->n_routes; i++)
		want[n_want++] = make_route(ifindex, lease, &lease->routes[i]);
	/* Gone already when the address went: the kernel takes its routes along. */
	for (unsigned int i = 0; i < routes->n; i++)
		if (!has_route(want, n_want, &routes->installed[i]))
			rtnl_route4_del(rtnl, &routes->installed[i]);
	for (unsigned int i = 0; i < n_want; i++) {
		int err = 0;

		if (!has_route(routes->installed, routes->n, &want[i]))
			err = rtnl_route4_add(rtnl, &want[i]);
		if (err < 0) {
			log_refused(ifname, &want[i], err);
			continue;
		}
		want[kept++] = want[i];
	}
	memcpy(routes->installed, want, kept * sizeof(want[0]));
	routes->n = kept;
}
