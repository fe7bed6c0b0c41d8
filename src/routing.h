/* Owner of the routes connd installs. Callers describe the default routes they
 * want; routing diffs that against what it installed and changes only the
 * difference, so a reorder of services costs a few route replacements. */
#pragma once

#include <stdint.h>

struct rtnl;
struct routing;

struct default_route {
	int ifindex;
	uint32_t gateway;	/* network byte order */
	uint32_t source;	/* preferred source address */
};

struct routing *routing_new(struct rtnl *rtnl);
/* Removes every route it installed. Accepts NULL. */
void routing_free(struct routing *routing);
/* Removes routes a previous connd left behind (it crashed or was killed). */
int routing_flush_stale(struct routing *routing);
/* routes[0] is the preferred default; later ones get higher metrics. */
int routing_set_defaults(struct routing *routing, const struct default_route *routes, unsigned int n);
