#include <errno.h>
#include <string.h>
#include <net/if.h>
#include <ell/ell.h>

#include "marks.h"
#include "rtnl.h"
#include "vpn-env.h"
#include "vpn-provider.h"
#include "vpn-wireguard.h"
#include "wireguard-config.h"
#include "wireguard-genl.h"

struct vpn_tunnel {
	struct rtnl *rtnl;
	int ifindex;
	const struct vpn_tunnel_ops *ops;
	void *data;
	struct vpn_env env;
	struct l_idle *up;
};

static int available(const char **why)
{
	if (wireguard_probe() == 0)
		return 0;
	*why = "WireGuard is not available: the kernel has no 'wireguard' generic netlink "
	       "family (module not loaded or not built)";
	return -EOPNOTSUPP;
}

/* What the connection applies: the link's addresses, the allowed IPs as
 * its only routes, the endpoint as the server to keep on the uplink. */
static void fill_env(struct vpn_env *env, const char *ifname, const struct wg_config *cfg)
{
	memset(env, 0, sizeof(*env));
	l_strlcpy(env->dev, ifname, sizeof(env->dev));
	env->address = cfg->address;
	env->prefix_len = cfg->prefix_len;
	env->address6 = cfg->address6;
	env->prefix_len6 = cfg->prefix_len6;
	if (cfg->endpoint.v4.sin_family == AF_INET)
		env->server = cfg->endpoint.v4.sin_addr.s_addr;
	else
		env->server6 = cfg->endpoint.v6.sin6_addr;
	for (unsigned int i = 0; i < cfg->n_allowed; i++) {
		const struct wg_allowed_ip *a = &cfg->allowed[i];

		if (a->family == AF_INET) {
			memcpy(&env->routes[env->n_routes].network, a->addr, 4);
			env->routes[env->n_routes++].prefix_len = a->cidr;
		} else {
			memcpy(&env->routes6[env->n_routes6].network, a->addr, 16);
			env->routes6[env->n_routes6++].prefix_len = a->cidr;
		}
	}
	env->routes_only = true;
	for (unsigned int i = 0; i < cfg->n_dns; i++)
		env->nameservers = l_strv_append(env->nameservers, cfg->dns[i]);
}

static void report_up(struct l_idle *idle, void *data)
{
	struct vpn_tunnel *t = data;

	l_idle_remove(t->up);
	t->up = NULL;
	t->ops->up(&t->env, t->data);
}

/* A link of that name left by a connd killed before it could delete it. */
static int create_link(struct rtnl *rtnl, const char *ifname)
{
	int ifindex = rtnl_link_add(rtnl, ifname, "wireguard"), old;

	if (ifindex != -EEXIST)
		return ifindex;
	old = if_nametoindex(ifname);
	if (old > 0)
		rtnl_link_del(rtnl, old);
	return rtnl_link_add(rtnl, ifname, "wireguard");
}

/* The link, then its configuration; nothing is left on failure. */
static int configure(const struct vpn_start_params *p, const struct wg_config *cfg,
		     int *ifindex)
{
	int err;

	*ifindex = err = create_link(p->rtnl, p->ifname);
	if (err < 0) {
		l_error("vpn %s: cannot create the WireGuard link %s: %s", p->ident, p->ifname,
			strerror(-err));
		return err;
	}
	err = wireguard_set_device(p->ifname, cfg);
	if (err < 0) {
		l_error("vpn %s: the kernel refused the WireGuard configuration of %s: %s",
			p->ident, p->ifname, strerror(-err));
		rtnl_link_del(p->rtnl, *ifindex);
	}
	return err;
}

static int start(const struct vpn_start_params *p, const struct vpn_tunnel_ops *ops, void *data,
		 struct vpn_tunnel **out)
{
	struct wg_config *cfg = l_new(struct wg_config, 1);
	struct vpn_tunnel *t = NULL;
	const char *why = NULL;
	int ifindex = 0, err = wg_config_parse(p->keys, p->host, cfg, &why);

	if (err < 0)
		l_error("vpn %s: %s", p->ident, why);
	/* connd's own mark: sessions and a kill switch leave the tunnel's own
	 * packets alone. */
	cfg->fwmark = MARK_OWN;
	if (err == 0)
		err = configure(p, cfg, &ifindex);
	if (err == 0) {
		t = l_new(struct vpn_tunnel, 1);
		t->rtnl = p->rtnl;
		t->ifindex = ifindex;
		t->ops = ops;
		t->data = data;
		fill_env(&t->env, p->ifname, cfg);
		l_info("vpn %s: WireGuard link %s configured", p->ident, p->ifname);
		t->up = l_idle_create(report_up, t, NULL);
		*out = t;
	}
	wg_config_clear(cfg);
	l_free(cfg);
	return err;
}

static void stop(struct vpn_tunnel *t)
{
	if (!t)
		return;
	l_idle_remove(t->up);
	rtnl_link_del(t->rtnl, t->ifindex);
	vpn_env_clear(&t->env);
	l_free(t);
}

const struct vpn_provider vpn_wireguard_provider = {
	.type = "wireguard",
	.ifname_prefix = "cwg",
	.stale_kind = "wireguard",
	.available = available,
	.key_known = wg_key_known,
	.value_valid = wg_value_valid,
	.key_secret = wg_key_secret,
	.auth_error_limit = 1,
	.start = start,
	.stop = stop,
};
