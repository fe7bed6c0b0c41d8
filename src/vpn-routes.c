#include <string.h>
#include <netinet/in.h>
#include <ell/ell.h>

#include "ipv4-settings.h"
#include "ipv6-settings.h"
#include "routing-vpn.h"
#include "rtnl.h"
#include "vpn.h"
#include "vpn-env.h"
#include "vpn-routes.h"

static void add4(struct rtnl_route4 *set, unsigned int *n, uint32_t dst, uint8_t len,
		 int ifindex, uint32_t gateway)
{
	struct rtnl_route4 *r = &set[(*n)++];

	memset(r, 0, sizeof(*r));
	r->dst = dst;
	r->dst_len = len;
	r->ifindex = ifindex;
	r->gateway = gateway;
}

/* `gateway`: NULL for an on-link route. */
static void add6(struct rtnl_route6 *set, unsigned int *n, const void *dst, uint8_t len,
		 int ifindex, const struct in6_addr *gateway)
{
	struct rtnl_route6 *r = &set[(*n)++];

	memset(r, 0, sizeof(*r));
	memcpy(&r->dst, dst, 16);
	r->dst_len = len;
	r->ifindex = ifindex;
	if (gateway)
		r->gateway = *gateway;
}

/* A tun carries IP alone: its routes are "dev LINK", whatever gateway they
 * name. A tap is an Ethernet link: beyond its subnet a route goes through
 * a gateway, the route's own or else the VPN's (route_vpn_gateway,
 * ifconfig_ipv6_remote); without one known it stays on-link. */
static uint32_t gateway4(const struct vpn_env *env, uint32_t own)
{
	if (!env->link_layer)
		return 0;
	return own ? own : env->vpn_gateway;
}

static const struct in6_addr *gateway6(const struct vpn_env *env, const struct in6_addr *own)
{
	if (!env->link_layer)
		return NULL;
	if (own && !IN6_IS_ADDR_UNSPECIFIED(own))
		return own;
	return IN6_IS_ADDR_UNSPECIFIED(&env->peer6) ? NULL : &env->peer6;
}

/* The host route to the server keeps the tunnel's own packets on the bearer
 * beneath: on-link when the server is in its subnet, else via its gateway. */
static void add_server_route(const struct vpn_routes_in *in, struct rtnl_route4 *set,
			     unsigned int *n)
{
	const struct ipv4_settings *ip = in->uplink;
	uint32_t server = in->env->server, mask;

	if (!in->uplink_ifindex || !ip || !server)
		return;
	mask = ipv4_prefix_to_mask(ip->prefix_len);
	if ((server & mask) == (ip->address & mask))
		add4(set, n, server, 32, in->uplink_ifindex, 0);
	else if (ip->gateway)
		add4(set, n, server, 32, in->uplink_ifindex, ip->gateway);
}

static bool same_prefix6(const struct in6_addr *a, const struct in6_addr *b, unsigned int len)
{
	for (unsigned int i = 0; i < len && i < 128; i++) {
		uint8_t bit = 0x80 >> (i % 8);

		if ((a->s6_addr[i / 8] & bit) != (b->s6_addr[i / 8] & bit))
			return false;
	}
	return true;
}

/* The same for a server reached over IPv6 (openvpn's trusted_ip6): without
 * it, the tunnel's IPv6 default route would take the tunnel's own packets. */
static void add_server_route6(const struct vpn_routes_in *in, struct rtnl_route6 *set,
			      unsigned int *n)
{
	const struct ipv6_status *ip = in->uplink6;
	const struct in6_addr *server = &in->env->server6;

	if (!in->uplink6_ifindex || !ip || IN6_IS_ADDR_UNSPECIFIED(server))
		return;
	if (same_prefix6(server, &ip->address, ip->prefix_len))
		add6(set, n, server, 128, in->uplink6_ifindex, NULL);
	else if (!IN6_IS_ADDR_UNSPECIFIED(&ip->gateway))
		add6(set, n, server, 128, in->uplink6_ifindex, &ip->gateway);
}

static void add_user_routes(const struct vpn_routes_in *in, struct rtnl_route4 *v4,
			    unsigned int *n4, struct rtnl_route6 *v6, unsigned int *n6)
{
	for (unsigned int i = 0; i < in->n_user_routes; i++) {
		const struct vpn_route *r = &in->user_routes[i];
		struct in6_addr gw6 = IN6ADDR_ANY_INIT;
		uint32_t net4, gw4 = 0;

		if (r->has_gateway && r->family == AF_INET)
			memcpy(&gw4, r->gateway, 4);
		else if (r->has_gateway)
			memcpy(&gw6, r->gateway, 16);
		memcpy(&net4, r->network, 4);
		if (r->family == AF_INET)
			add4(v4, n4, net4, r->prefix_len, in->ifindex, gateway4(in->env, gw4));
		else
			add6(v6, n6, r->network, r->prefix_len, in->ifindex, gateway6(in->env, &gw6));
	}
}

bool vpn_routes_carry_default(const struct vpn_env *env, bool split_routing)
{
	if (!env || split_routing)
		return false;
	if (!env->routes_only)
		return true;
	for (unsigned int i = 0; i < env->n_routes; i++)
		if (env->routes[i].prefix_len == 0)
			return true;
	for (unsigned int i = 0; i < env->n_routes6; i++)
		if (env->routes6[i].prefix_len == 0)
			return true;
	return false;
}

/* The tunnel's own routes; with SplitRouting, none of them is a default. */
static void add_tunnel_routes(const struct vpn_routes_in *in, struct rtnl_route4 *v4,
			      unsigned int *n4, struct rtnl_route6 *v6, unsigned int *n6)
{
	const struct vpn_env *env = in->env;
	static const struct in6_addr any6 = IN6ADDR_ANY_INIT;

	if (!in->split_routing && !env->routes_only && env->address)
		add4(v4, n4, 0, 0, in->ifindex, gateway4(env, 0));
	if (!in->split_routing && !env->routes_only && !IN6_IS_ADDR_UNSPECIFIED(&env->address6))
		add6(v6, n6, &any6, 0, in->ifindex, gateway6(env, NULL));
	for (unsigned int i = 0; i < env->n_routes; i++) {
		const struct vpn_env_route4 *r = &env->routes[i];

		if (r->prefix_len || !in->split_routing)
			add4(v4, n4, r->network, r->prefix_len, in->ifindex,
			     gateway4(env, r->gateway));
	}
	for (unsigned int i = 0; i < env->n_routes6; i++) {
		const struct vpn_env_route6 *r = &env->routes6[i];

		if (r->prefix_len || !in->split_routing)
			add6(v6, n6, &r->network, r->prefix_len, in->ifindex,
			     gateway6(env, &r->gateway));
	}
}

int vpn_routes_apply(struct vpn_table *table, const struct vpn_routes_in *in)
{
	unsigned int n4 = 0, n6 = 0, max = VPN_ENV_MAX_ROUTES + in->n_user_routes + 2;
	struct rtnl_route4 *v4 = l_new(struct rtnl_route4, max);
	struct rtnl_route6 *v6 = l_new(struct rtnl_route6, max);
	const struct vpn_env *env = in->env;
	int err;

	if (env && in->ifindex) {
		add_tunnel_routes(in, v4, &n4, v6, &n6);
		add_user_routes(in, v4, &n4, v6, &n6);
		if (n4)
			add_server_route(in, v4, &n4);
		if (n6)
			add_server_route6(in, v6, &n6);
	}
	err = vpn_table_set(table, v4, n4, v6, n6);
	l_free(v4);
	l_free(v6);
	return err;
}
