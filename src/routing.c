#include <errno.h>
#include <string.h>
#include <linux/rtnetlink.h>
#include <ell/ell.h>

#include "routing.h"
#include "rtnl.h"

/* Metrics leave room below for routes an administrator wants to win. */
#define DEFAULT_ROUTE_METRIC 100

struct routing {
	struct rtnl *rtnl;
	struct rtnl_route4 *installed;
	unsigned int n_installed;
};

struct routing *routing_new(struct rtnl *rtnl)
{
	struct routing *routing = l_new(struct routing, 1);

	routing->rtnl = rtnl;
	return routing;
}

void routing_free(struct routing *routing)
{
	if (!routing)
		return;
	routing_set_defaults(routing, NULL, 0);
	l_free(routing->installed);
	l_free(routing);
}

int routing_flush_stale(struct routing *routing)
{
	return rtnl_route4_flush_proto(routing->rtnl, RT_TABLE_MAIN, RTNL_PROTO_CONND);
}

static struct rtnl_route4 make_default(const struct default_route *want, unsigned int rank)
{
	return (struct rtnl_route4) {
		.ifindex = want->ifindex,
		.table = RT_TABLE_MAIN,
		.gateway = want->gateway,
		.prefsrc = want->source,
		.metric = DEFAULT_ROUTE_METRIC + rank,
		.protocol = RTNL_PROTO_CONND,
	};
}

static bool same_route(const struct rtnl_route4 *a, const struct rtnl_route4 *b)
{
	return a->ifindex == b->ifindex && a->gateway == b->gateway &&
	       a->metric == b->metric && a->prefsrc == b->prefsrc;
}

static bool contains(const struct rtnl_route4 *set, unsigned int n, const struct rtnl_route4 *r)
{
	for (unsigned int i = 0; i < n; i++)
		if (same_route(&set[i], r))
			return true;
	return false;
}

int routing_set_defaults(struct routing *routing, const struct default_route *routes, unsigned int n)
{
	struct rtnl_route4 *want = l_new(struct rtnl_route4, n ? n : 1);
	unsigned int n_kept = 0;
	int err = 0;

	/* Delete first: a reordered route reappears with a new metric. */
	for (unsigned int i = 0; i < n; i++)
		want[i] = make_default(&routes[i], i);
	for (unsigned int i = 0; i < routing->n_installed; i++) {
		const struct rtnl_route4 *r = &routing->installed[i];

		if (!contains(want, n, r) && rtnl_route4_del(routing->rtnl, r) < 0)
			l_debug("default route via ifindex %d was already gone", r->ifindex);
	}
	/* Only what the kernel took counts as installed, so a failed add is retried next time. */
	for (unsigned int i = 0; i < n; i++) {
		int ret = 0;

		if (!contains(routing->installed, routing->n_installed, &want[i]))
			ret = rtnl_route4_add(routing->rtnl, &want[i]);
		if (ret < 0) {
			l_warn("cannot add default route via ifindex %d: %s", want[i].ifindex,
			       strerror(-ret));
			err = ret;
			continue;
		}
		want[n_kept++] = want[i];
	}
	l_free(routing->installed);
	routing->installed = want;
	routing->n_installed = n_kept;
	return err;
}
