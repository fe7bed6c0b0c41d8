#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <ell/ell.h>

#include "marks.h"
#include "routing.h"
#include "rtnl.h"

/* Metrics leave room below for routes an administrator wants to win. */
#define DEFAULT_ROUTE_METRIC 100

/* What one slot's tables hold besides their unreachable defaults. */
struct slot_routes {
	bool used;
	bool retired;			/* its service went: rules and unreachable kept */
	bool ipv6;			/* its IPv6 unreachable default is in */
	bool rule, rule6;		/* its fwmark rules are in (routing_slot_rules_on) */
	/* Subnet, default, the service's others: allocated to their number,
	 * so that the slots, walked whole, stay small (even reading a page
	 * never written makes it resident here). */
	struct rtnl_route4 *routes;
	unsigned int n;
	struct rtnl_route6 routes6[2];	/* prefix and default */
	unsigned int n6;
};

struct routing {
	struct rtnl *rtnl;
	struct rtnl_route4 *installed;
	unsigned int n_installed;
	struct rtnl_route6 *installed6;
	unsigned int n_installed6;
	struct slot_routes slots[MARK_SLOT_MAX + 1];
	bool slot_rules;			/* wanted: sessions may mark sockets */
	bool slot_rules_missing;		/* one the kernel refused, tried again */
	bool unreachable_rule;
	bool unreachable_rule6;
	struct source_rule *source_rules;	/* installed for SourceIPRule sessions */
	unsigned int n_source_rules;
};

struct routing *routing_new(struct rtnl *rtnl)
{
	struct routing *routing = l_new(struct routing, 1);

	routing->rtnl = rtnl;
	return routing;
}

static void remove_slot(struct routing *routing, unsigned int slot);

void routing_free(struct routing *routing)
{
	if (!routing)
		return;
	routing_set_defaults(routing, NULL, 0);
	routing_set_defaults6(routing, NULL, 0);
	routing_set_source_rules(routing, NULL, 0);
	for (unsigned int slot = 1; slot <= MARK_SLOT_MAX; slot++)
		if (routing->slots[slot].used || routing->slots[slot].retired)
			remove_slot(routing, slot);
	if (routing->unreachable_rule)
		rtnl_rule_del(routing->rtnl, &(struct rtnl_rule) {
			.priority = RULE_PRIORITY_SESSION,
			.fwmark = MARK_FOR_SLOT(MARK_SLOT_UNREACHABLE), .fwmask = MARK_SLOT_MASK,
			.action = FR_ACT_UNREACHABLE,
		});
	if (routing->unreachable_rule6)
		rtnl_rule_del(routing->rtnl, &(struct rtnl_rule) {
			.family = AF_INET6, .priority = RULE_PRIORITY_SESSION,
			.fwmark = MARK_FOR_SLOT(MARK_SLOT_UNREACHABLE), .fwmask = MARK_SLOT_MASK,
			.action = FR_ACT_UNREACHABLE,
		});
	l_free(routing->source_rules);
	l_free(routing->installed);
	l_free(routing->installed6);
	l_free(routing);
}

/* Routes in every table and rules, so a crash leaves nothing that lasts. */
int routing_flush_stale(struct routing *routing)
{
	int routes = rtnl_route4_flush_proto(routing->rtnl, 0, RTNL_PROTO_CONND);
	int routes6 = rtnl_route6_flush_proto(routing->rtnl, RTNL_PROTO_CONND);
	int rules = rtnl_rule_flush_proto(routing->rtnl, RTNL_PROTO_CONND);

	if (routes < 0)
		return routes;
	/* A kernel without IPv6 has no IPv6 leftovers either. */
	if (routes6 < 0 && routes6 != -EAFNOSUPPORT)
		return routes6;
	if (rules < 0)
		return rules;
	/* The killed connd had rules, so sockets it marked may still be open:
	 * the slots' rules go in from the start rather than with the first
	 * session, so that those sockets' packets never take the main table. */
	if (rules > 0)
		routing_slot_rules_on(routing);
	return routes + (routes6 > 0 ? routes6 : 0) + rules;
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

static bool contains6(const struct rtnl_route6 *set, unsigned int n, const struct rtnl_route6 *r)
{
	for (unsigned int i = 0; i < n; i++)
		if (set[i].ifindex == r->ifindex && set[i].metric == r->metric &&
		    !memcmp(&set[i].gateway, &r->gateway, sizeof(r->gateway)))
			return true;
	return false;
}

int routing_set_defaults6(struct routing *routing, const struct default_route6 *routes,
			  unsigned int n)
{
	struct rtnl_route6 *want = l_new(struct rtnl_route6, n ? n : 1);
	unsigned int n_kept = 0;
	int err = 0;

	for (unsigned int i = 0; i < n; i++)
		want[i] = (struct rtnl_route6) {
			.ifindex = routes[i].ifindex,
			.table = RT_TABLE_MAIN,
			.gateway = routes[i].gateway,
			.metric = DEFAULT_ROUTE_METRIC + i,
			.protocol = RTNL_PROTO_CONND,
		};
	for (unsigned int i = 0; i < routing->n_installed6; i++) {
		const struct rtnl_route6 *r = &routing->installed6[i];

		/* Gone already when IPv6 went off on its link. */
		if (!contains6(want, n, r) && rtnl_route6_del(routing->rtnl, r) < 0)
			l_debug("IPv6 default route via ifindex %d was already gone", r->ifindex);
	}
	for (unsigned int i = 0; i < n; i++) {
		int ret = 0;

		if (!contains6(routing->installed6, routing->n_installed6, &want[i]))
			ret = rtnl_route6_add(routing->rtnl, &want[i]);
		if (ret < 0) {
			l_warn("cannot add IPv6 default route via ifindex %d: %s", want[i].ifindex,
			       strerror(-ret));
			err = ret;
			continue;
		}
		want[n_kept++] = want[i];
	}
	l_free(routing->installed6);
	routing->installed6 = want;
	routing->n_installed6 = n_kept;
	return err;
}

static struct rtnl_rule slot_rule(unsigned int slot, uint8_t family)
{
	return (struct rtnl_rule) {
		.family = family,
		.priority = RULE_PRIORITY_SESSION,
		.fwmark = MARK_FOR_SLOT(slot),
		.fwmask = MARK_SLOT_MASK,
		.table = ROUTE_TABLE_FOR_SLOT(slot),
		.action = FR_ACT_TO_TBL,
	};
}

static struct rtnl_route4 unreachable_default(unsigned int slot)
{
	return (struct rtnl_route4) {
		.table = ROUTE_TABLE_FOR_SLOT(slot),
		.metric = 0xffffffff,
		.protocol = RTNL_PROTO_CONND,
		.type = RTN_UNREACHABLE,
	};
}

static int ensure_unreachable_rule(struct routing *routing, uint8_t family)
{
	bool *done = family == AF_INET6 ? &routing->unreachable_rule6 : &routing->unreachable_rule;
	struct rtnl_rule rule = {
		.family = family,
		.priority = RULE_PRIORITY_SESSION,
		.fwmark = MARK_FOR_SLOT(MARK_SLOT_UNREACHABLE),
		.fwmask = MARK_SLOT_MASK,
		.action = FR_ACT_UNREACHABLE,
	};
	int err;

	if (*done)
		return 0;
	err = rtnl_rule_add(routing->rtnl, &rule);
	*done = err == 0 || err == -EEXIST;
	return *done ? 0 : err;
}

static struct rtnl_route6 unreachable_default6(unsigned int slot)
{
	return (struct rtnl_route6) {
		.table = ROUTE_TABLE_FOR_SLOT(slot),
		.metric = 0xffffffff,
		.protocol = RTNL_PROTO_CONND,
		.type = RTN_UNREACHABLE,
	};
}

static int add_slot_rule(struct routing *routing, unsigned int slot, uint8_t family)
{
	struct slot_routes *sr = &routing->slots[slot];
	bool *done = family == AF_INET6 ? &sr->rule6 : &sr->rule;
	struct rtnl_rule rule = slot_rule(slot, family);
	int err;

	if (*done)
		return 0;
	err = rtnl_rule_add(routing->rtnl, &rule);
	*done = err == 0 || err == -EEXIST;
	return *done ? 0 : err;
}

/* Sessions' IPv6 follows the same marks: without it a session's IPv6 would
 * take the main table, through any service. Best effort: a kernel without
 * IPv6 has nothing to leak. */
static int slot_add_ipv6(struct routing *routing, unsigned int slot)
{
	struct rtnl_route6 unreachable = unreachable_default6(slot);
	int err = rtnl_route6_add(routing->rtnl, &unreachable);

	if (!err && routing->slot_rules) {
		err = add_slot_rule(routing, slot, AF_INET6);
		if (err < 0)
			rtnl_route6_del(routing->rtnl, &unreachable);
	}
	if (err < 0)
		l_warn("slot %u: no IPv6 table for sessions: %s", slot, strerror(-err));
	return err;
}

int routing_slot_add(struct routing *routing, unsigned int slot)
{
	struct rtnl_route4 unreachable = unreachable_default(slot);
	int err;

	if (slot == 0 || slot > MARK_SLOT_MAX)
		return -EINVAL;
	if (routing->slots[slot].retired) {
		/* Its rules and unreachable defaults are in already. */
		routing->slots[slot].retired = false;
		routing->slots[slot].used = true;
		return 0;
	}
	err = rtnl_route4_add(routing->rtnl, &unreachable);
	if (err < 0)
		return err;
	if (routing->slot_rules) {
		err = add_slot_rule(routing, slot, AF_INET);
		if (err < 0) {
			rtnl_route4_del(routing->rtnl, &unreachable);
			return err;
		}
	}
	routing->slots[slot].used = true;
	routing->slots[slot].ipv6 = slot_add_ipv6(routing, slot) == 0;
	return 0;
}

/* Every rule a session's mark needs: the unreachable rule and each slot's,
 * IPv6 best effort as in slot_add_ipv6. */
static int add_all_rules(struct routing *routing)
{
	int err = ensure_unreachable_rule(routing, AF_INET), ret;

	ret = ensure_unreachable_rule(routing, AF_INET6);
	if (ret < 0)
		l_warn("sessions: no IPv6 unreachable rule: %s", strerror(-ret));
	for (unsigned int slot = 1; slot <= MARK_SLOT_MAX; slot++) {
		struct slot_routes *sr = &routing->slots[slot];

		if (!sr->used && !sr->retired)
			continue;
		ret = add_slot_rule(routing, slot, AF_INET);
		if (ret < 0) {
			l_warn("slot %u: cannot add its rule: %s", slot, strerror(-ret));
			err = err ? err : ret;
		}
		if (sr->ipv6 && add_slot_rule(routing, slot, AF_INET6) < 0)
			l_warn("slot %u: cannot add its IPv6 rule", slot);
	}
	return err;
}

int routing_slot_rules_on(struct routing *routing)
{
	int err;

	if (routing->slot_rules && !routing->slot_rules_missing)
		return 0;
	routing->slot_rules = true;
	err = add_all_rules(routing);
	routing->slot_rules_missing = err < 0;
	return err;
}

static void clear_slot_routes(struct routing *routing, unsigned int slot)
{
	struct slot_routes *sr = &routing->slots[slot];

	for (unsigned int i = 0; i < sr->n; i++)
		rtnl_route4_del(routing->rtnl, &sr->routes[i]);
	l_free(sr->routes);
	sr->routes = NULL;
	sr->n = 0;
}

int routing_slot_set(struct routing *routing, unsigned int slot, const struct default_route *route,
		     uint8_t prefix_len, const struct rtnl_route4 *extra, unsigned int n_extra)
{
	struct slot_routes *sr = &routing->slots[slot];
	uint32_t mask = prefix_len ? htonl(~0u << (32 - prefix_len)) : 0;
	struct rtnl_route4 want[2 + ROUTING_SLOT_EXTRA];
	unsigned int n = 0;
	int err = 0;

	if (slot == 0 || slot > MARK_SLOT_MAX || !sr->used || n_extra > ROUTING_SLOT_EXTRA)
		return -EINVAL;
	memset(want, 0, sizeof(want));	/* compared with memcmp below */
	if (route && prefix_len) {
		struct rtnl_route4 *r = &want[n++];

		r->ifindex = route->ifindex;
		r->table = ROUTE_TABLE_FOR_SLOT(slot);
		r->dst = route->source & mask;
		r->dst_len = prefix_len;
		r->prefsrc = route->source;
		r->protocol = RTNL_PROTO_CONND;
	}
	if (route && (route->gateway || route->via_link)) {
		struct rtnl_route4 *r = &want[n++];

		r->ifindex = route->ifindex;
		r->table = ROUTE_TABLE_FOR_SLOT(slot);
		r->gateway = route->gateway;
		r->prefsrc = route->source;
		r->protocol = RTNL_PROTO_CONND;
	}
	/* One service per table: the main table's per-link metric is not needed. */
	for (unsigned int i = 0; route && i < n_extra; i++) {
		want[n] = extra[i];
		want[n].table = ROUTE_TABLE_FOR_SLOT(slot);
		want[n++].metric = 0;
	}
	if (n == sr->n && (!n || !memcmp(want, sr->routes, n * sizeof(want[0]))))
		return 0;
	clear_slot_routes(routing, slot);
	sr->routes = n ? l_new(struct rtnl_route4, n) : NULL;
	for (unsigned int i = 0; i < n && err == 0; i++) {
		err = rtnl_route4_add(routing->rtnl, &want[i]);
		if (err == 0)
			sr->routes[sr->n++] = want[i];
	}
	return err;
}

static void clear_slot_routes6(struct routing *routing, unsigned int slot)
{
	struct slot_routes *sr = &routing->slots[slot];

	for (unsigned int i = 0; i < sr->n6; i++)
		rtnl_route6_del(routing->rtnl, &sr->routes6[i]);
	sr->n6 = 0;
}

static struct in6_addr prefix_of(const struct in6_addr *address, uint8_t prefix_len)
{
	struct in6_addr prefix = IN6ADDR_ANY_INIT;

	for (unsigned int bit = 0; bit < prefix_len && bit < 128; bit++)
		prefix.s6_addr[bit / 8] |= address->s6_addr[bit / 8] & (0x80 >> (bit % 8));
	return prefix;
}

int routing_slot_set6(struct routing *routing, unsigned int slot, const struct slot_route6 *route)
{
	struct slot_routes *sr = &routing->slots[slot];
	struct rtnl_route6 want[2];
	unsigned int n = 0;
	int err = 0;

	if (slot == 0 || slot > MARK_SLOT_MAX || !sr->used)
		return -EINVAL;
	if (!sr->ipv6)
		return 0;
	memset(want, 0, sizeof(want));	/* compared with memcmp below */
	if (route && route->prefix_len) {
		struct rtnl_route6 *r = &want[n++];

		r->ifindex = route->ifindex;
		r->table = ROUTE_TABLE_FOR_SLOT(slot);
		r->dst = prefix_of(&route->address, route->prefix_len);
		r->dst_len = route->prefix_len;
		r->protocol = RTNL_PROTO_CONND;
	}
	if (route && (!IN6_IS_ADDR_UNSPECIFIED(&route->gateway) || route->via_link)) {
		struct rtnl_route6 *r = &want[n++];

		r->ifindex = route->ifindex;
		r->table = ROUTE_TABLE_FOR_SLOT(slot);
		r->gateway = route->gateway;
		r->protocol = RTNL_PROTO_CONND;
	}
	if (n == sr->n6 && !memcmp(want, sr->routes6, n * sizeof(want[0])))
		return 0;
	clear_slot_routes6(routing, slot);
	for (unsigned int i = 0; i < n && err == 0; i++) {
		err = rtnl_route6_add(routing->rtnl, &want[i]);
		if (err == 0)
			sr->routes6[sr->n6++] = want[i];
	}
	return err;
}

static void remove_slot(struct routing *routing, unsigned int slot)
{
	struct slot_routes *sr = &routing->slots[slot];
	struct rtnl_route4 unreachable = unreachable_default(slot);
	struct rtnl_rule rule = slot_rule(slot, AF_INET);

	clear_slot_routes(routing, slot);
	if (sr->rule)
		rtnl_rule_del(routing->rtnl, &rule);
	rtnl_route4_del(routing->rtnl, &unreachable);
	if (sr->ipv6) {
		struct rtnl_route6 unreachable6 = unreachable_default6(slot);
		struct rtnl_rule rule6 = slot_rule(slot, AF_INET6);

		clear_slot_routes6(routing, slot);
		if (sr->rule6)
			rtnl_rule_del(routing->rtnl, &rule6);
		rtnl_route6_del(routing->rtnl, &unreachable6);
	}
	*sr = (struct slot_routes) { 0 };
}

/* Sockets marked for the slot may outlive its service (the BPF path marks
 * a socket once, when it is created): without its rule their packets would
 * take the main table and leave by any link. So the slot keeps its rules
 * and unreachable defaults, its routes go, until it is handed out again. */
void routing_slot_remove(struct routing *routing, unsigned int slot)
{
	if (slot == 0 || slot > MARK_SLOT_MAX || !routing->slots[slot].used)
		return;
	clear_slot_routes(routing, slot);
	if (routing->slots[slot].ipv6)
		clear_slot_routes6(routing, slot);
	routing->slots[slot].used = false;
	routing->slots[slot].retired = true;
}

static struct rtnl_rule source_rule_of(const struct source_rule *r)
{
	bool v6 = r->family == AF_INET6;

	return (struct rtnl_rule) {
		.family = v6 ? AF_INET6 : AF_INET,
		.priority = RULE_PRIORITY_SOURCE,
		.src = v6 ? 0 : r->address,
		.src6 = v6 ? r->address6 : (struct in6_addr) IN6ADDR_ANY_INIT,
		.src_len = v6 ? 128 : 32,
		.table = ROUTE_TABLE_FOR_SLOT(r->slot),
		.action = FR_ACT_TO_TBL,
	};
}

static bool same_source_rule(const struct source_rule *a, const struct source_rule *b)
{
	if (a->family != b->family || a->slot != b->slot)
		return false;
	return a->family == AF_INET6 ? !memcmp(&a->address6, &b->address6, sizeof(a->address6)) :
				       a->address == b->address;
}

static bool has_source_rule(const struct source_rule *set, unsigned int n,
			    const struct source_rule *r)
{
	for (unsigned int i = 0; i < n; i++)
		if (same_source_rule(&set[i], r))
			return true;
	return false;
}

int routing_set_source_rules(struct routing *routing, const struct source_rule *rules,
			     unsigned int n)
{
	struct source_rule *want = l_new(struct source_rule, n ? n : 1);
	unsigned int n_kept = 0;
	int err = 0;

	for (unsigned int i = 0; i < routing->n_source_rules; i++) {
		struct rtnl_rule rule = source_rule_of(&routing->source_rules[i]);

		if (!has_source_rule(rules, n, &routing->source_rules[i]))
			rtnl_rule_del(routing->rtnl, &rule);
	}
	for (unsigned int i = 0; i < n; i++) {
		struct rtnl_rule rule = source_rule_of(&rules[i]);
		int ret = 0;

		if (has_source_rule(want, n_kept, &rules[i]))
			continue;
		if (!has_source_rule(routing->source_rules, routing->n_source_rules, &rules[i]))
			ret = rtnl_rule_add(routing->rtnl, &rule);
		if (ret < 0 && ret != -EEXIST) {
			l_warn("cannot add the source rule of slot %u: %s", rules[i].slot,
			       strerror(-ret));
			err = ret;
			continue;
		}
		want[n_kept++] = rules[i];
	}
	l_free(routing->source_rules);
	routing->source_rules = want;
	routing->n_source_rules = n_kept;
	return err;
}
