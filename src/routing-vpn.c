#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <ell/ell.h>

#include "routing-vpn.h"
#include "rtnl.h"

struct vpn_table {
	struct rtnl *rtnl;
	uint32_t table;
	struct rtnl_route4 *v4;		/* installed */
	unsigned int n4;
	struct rtnl_route6 *v6;
	unsigned int n6;
	bool rule4, rule6;
};

struct vpn_table *vpn_table_new(struct rtnl *rtnl, unsigned int id)
{
	struct vpn_table *t;

	if (id == 0 || id > 4095)
		return NULL;
	t = l_new(struct vpn_table, 1);
	t->rtnl = rtnl;
	t->table = ROUTE_TABLE_VPN_BASE + id;
	return t;
}

uint32_t vpn_table_number(const struct vpn_table *t)
{
	return t->table;
}

static struct rtnl_rule table_rule(const struct vpn_table *t, uint8_t family)
{
	return (struct rtnl_rule) {
		.family = family,
		.priority = RULE_PRIORITY_VPN,
		.table = t->table,
		.action = FR_ACT_TO_TBL,
	};
}

/* ip rule priority 9500 lookup TABLE, present exactly while routes are. */
static int set_rule(struct vpn_table *t, uint8_t family, bool want)
{
	bool *have = family == AF_INET6 ? &t->rule6 : &t->rule4;
	struct rtnl_rule rule = table_rule(t, family);
	int err;

	if (want == *have)
		return 0;
	if (!want) {
		rtnl_rule_del(t->rtnl, &rule);
		*have = false;
		return 0;
	}
	err = rtnl_rule_add(t->rtnl, &rule);
	if (err < 0 && err != -EEXIST)
		return err;
	*have = true;
	return 0;
}

static bool has4(const struct rtnl_route4 *set, unsigned int n, const struct rtnl_route4 *r)
{
	for (unsigned int i = 0; i < n; i++)
		if (!memcmp(&set[i], r, sizeof(*r)))
			return true;
	return false;
}

static bool has6(const struct rtnl_route6 *set, unsigned int n, const struct rtnl_route6 *r)
{
	for (unsigned int i = 0; i < n; i++)
		if (!memcmp(&set[i], r, sizeof(*r)))
			return true;
	return false;
}

static int set4(struct vpn_table *t, const struct rtnl_route4 *routes, unsigned int n)
{
	struct rtnl_route4 *want = l_new(struct rtnl_route4, n ? n : 1);
	unsigned int kept = 0;
	int err = 0;

	for (unsigned int i = 0; i < n; i++) {
		memcpy(&want[i], &routes[i], sizeof(want[i]));	/* padding too: compared whole */
		want[i].table = t->table;
		want[i].protocol = RTNL_PROTO_CONND;
	}
	for (unsigned int i = 0; i < t->n4; i++)
		if (!has4(want, n, &t->v4[i]))
			rtnl_route4_del(t->rtnl, &t->v4[i]);
	for (unsigned int i = 0; i < n; i++) {
		int ret = 0;

		if (has4(want, kept, &want[i]))
			continue;	/* asked twice */
		if (!has4(t->v4, t->n4, &want[i]))
			ret = rtnl_route4_add(t->rtnl, &want[i]);
		if (ret < 0 && ret != -EEXIST) {
			err = err ? err : ret;
			continue;
		}
		want[kept++] = want[i];
	}
	l_free(t->v4);
	t->v4 = want;
	t->n4 = kept;
	return err;
}

static int set6(struct vpn_table *t, const struct rtnl_route6 *routes, unsigned int n)
{
	struct rtnl_route6 *want = l_new(struct rtnl_route6, n ? n : 1);
	unsigned int kept = 0;
	int err = 0;

	for (unsigned int i = 0; i < n; i++) {
		memcpy(&want[i], &routes[i], sizeof(want[i]));
		want[i].table = t->table;
		want[i].protocol = RTNL_PROTO_CONND;
	}
	for (unsigned int i = 0; i < t->n6; i++)
		if (!has6(want, n, &t->v6[i]))
			rtnl_route6_del(t->rtnl, &t->v6[i]);
	for (unsigned int i = 0; i < n; i++) {
		int ret = 0;

		if (has6(want, kept, &want[i]))
			continue;
		if (!has6(t->v6, t->n6, &want[i]))
			ret = rtnl_route6_add(t->rtnl, &want[i]);
		if (ret < 0 && ret != -EEXIST) {
			err = err ? err : ret;
			continue;
		}
		want[kept++] = want[i];
	}
	l_free(t->v6);
	t->v6 = want;
	t->n6 = kept;
	return err;
}

static bool has_default4(const struct rtnl_route4 *v4, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (!v4[i].dst_len)
			return true;
	return false;
}

static bool has_default6(const struct rtnl_route6 *v6, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (!v6[i].dst_len)
			return true;
	return false;
}

/* The IPv6 routes wanted, with an unreachable default when the table holds
 * the IPv4 default and no IPv6 one: else an application's IPv6 would leave
 * by the uplink while its IPv4 goes through the tunnel. Traffic bound to a
 * link (connd's own, on the uplink) passes an unreachable route: only what
 * follows the routing tables is held. Caller frees. */
static struct rtnl_route6 *routes6_wanted(const struct rtnl_route4 *v4, unsigned int n4,
					  const struct rtnl_route6 *v6, unsigned int *n6)
{
	struct rtnl_route6 *want = l_new(struct rtnl_route6, *n6 + 1);

	if (*n6)
		memcpy(want, v6, *n6 * sizeof(*v6));
	if (has_default4(v4, n4) && !has_default6(v6, *n6)) {
		memset(&want[*n6], 0, sizeof(want[*n6]));
		want[*n6].metric = 0xffffffff;
		want[(*n6)++].type = RTN_UNREACHABLE;
	}
	return want;
}

int vpn_table_set(struct vpn_table *t, const struct rtnl_route4 *v4, unsigned int n4,
		  const struct rtnl_route6 *v6, unsigned int n6)
{
	struct rtnl_route6 *want6 = routes6_wanted(v4, n4, v6, &n6);
	int err4, err6, rule4, rule6;

	/* Routes before the rule: the rule never sends lookups to a half-filled table. */
	err4 = set4(t, v4, n4);
	err6 = set6(t, want6, n6);
	l_free(want6);
	rule4 = set_rule(t, AF_INET, t->n4 > 0);
	rule6 = set_rule(t, AF_INET6, t->n6 > 0);
	if (err4 < 0)
		return err4;
	if (err6 < 0)
		return err6;
	return rule4 < 0 ? rule4 : rule6;
}

void vpn_table_free(struct vpn_table *t)
{
	if (!t)
		return;
	/* The rule first: no lookup meets the table while it empties. */
	set_rule(t, AF_INET, false);
	set_rule(t, AF_INET6, false);
	set4(t, NULL, 0);
	set6(t, NULL, 0);
	l_free(t->v4);
	l_free(t->v6);
	l_free(t);
}
