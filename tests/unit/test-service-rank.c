/* ConnMan's ranking of services, rule by rule. */
#include "check.h"
#include "service-rank.h"

#define S(x) SERVICE_STATE_##x

static struct service_rank_key key(enum service_state state, const char *type, const char *id)
{
	return (struct service_rank_key) {
		.state = state, .favorite = 1, .type = type, .preferred = -1, .user = -1, .id = id,
	};
}

static int cmp(struct service_rank_key a, struct service_rank_key b)
{
	int ab = service_rank_compare(&a, &b), ba = service_rank_compare(&b, &a);

	/* Antisymmetric, or the sort would depend on insertion order. */
	CHECK((ab < 0 && ba > 0) || (ab > 0 && ba < 0) || (ab == 0 && ba == 0));
	return ab < 0 ? -1 : ab > 0;
}

static void test_states(void)
{
	CHECK_INT(cmp(key(S(READY), "wifi", "b"), key(S(IDLE), "ethernet", "a")), -1);
	CHECK_INT(cmp(key(S(ONLINE), "wifi", "b"), key(S(READY), "ethernet", "a")), -1);
	CHECK_INT(cmp(key(S(CONFIGURATION), "wifi", "b"), key(S(FAILURE), "ethernet", "a")), -1);
	CHECK_INT(cmp(key(S(ASSOCIATION), "wifi", "b"), key(S(CONFIGURATION), "ethernet", "a")),
		  1);
	CHECK_INT(cmp(key(S(IDLE), "ethernet", "a"), key(S(DISCONNECT), "ethernet", "b")), -1);
}

/* A ready service without a default route never goes before one with. */
static void test_unrouted(void)
{
	struct service_rank_key eth = key(S(READY), "ethernet", "a");
	struct service_rank_key wifi = key(S(READY), "wifi", "b");

	eth.unrouted = 1;
	CHECK_INT(cmp(wifi, eth), -1);
	wifi.unrouted = 1;
	CHECK_INT(cmp(eth, wifi), -1);
	/* Online still wins: it was checked through a route. */
	eth.state = S(ONLINE);
	eth.unrouted = 0;
	wifi.unrouted = 0;
	CHECK_INT(cmp(eth, wifi), -1);
}

static void test_types_and_preferred(void)
{
	struct service_rank_key eth = key(S(READY), "ethernet", "e");
	struct service_rank_key wifi = key(S(READY), "wifi", "w");
	struct service_rank_key vpn = key(S(READY), "vpn", "v");

	/* ConnMan's order of types when nothing else decides. */
	CHECK_INT(cmp(eth, wifi), -1);
	CHECK_INT(cmp(wifi, vpn), -1);
	CHECK_INT(cmp(key(S(READY), "gadget", "g"), key(S(READY), "p2p", "p")), -1);
	/* PreferredTechnologies = wifi: a ready wifi beats a ready ethernet... */
	wifi.preferred = 0;
	CHECK_INT(cmp(wifi, eth), -1);
	/* ...but not an online one: ready and online are states, and state first. */
	eth.state = S(ONLINE);
	CHECK_INT(cmp(wifi, eth), 1);
	wifi.state = S(ONLINE);
	CHECK_INT(cmp(wifi, eth), -1);
	/* Earlier in the list beats later. */
	eth.preferred = 1;
	CHECK_INT(cmp(wifi, eth), -1);
}

static void test_user_order(void)
{
	struct service_rank_key a = key(S(READY), "ethernet", "a");
	struct service_rank_key b = key(S(READY), "ethernet", "b");

	CHECK_INT(cmp(a, b), -1);
	b.user = 0;
	CHECK_INT(cmp(a, b), 1);
	a.user = 1;
	CHECK_INT(cmp(a, b), 1);
	a.user = 0;
	b.user = 1;
	CHECK_INT(cmp(a, b), -1);
	/* The user's order does not beat PreferredTechnologies. */
	a = key(S(READY), "ethernet", "a");
	b = key(S(READY), "wifi", "b");
	a.user = 0;
	b.preferred = 0;
	CHECK_INT(cmp(a, b), 1);
}

static void test_tie_breaks(void)
{
	struct service_rank_key a = key(S(IDLE), "wifi", "a");
	struct service_rank_key b = key(S(IDLE), "wifi", "b");

	b.favorite = 0;
	CHECK_INT(cmp(a, b), -1);
	b.favorite = 1;
	a.order = 2;
	b.order = 1;
	CHECK_INT(cmp(a, b), 1);
	a.order = b.order = 0;
	a.strength = 40;
	b.strength = 70;
	CHECK_INT(cmp(a, b), 1);
	b.strength = 40;
	CHECK_INT(cmp(a, b), -1);
	CHECK_INT(cmp(a, a), 0);
}

static void test_index(void)
{
	char *list[] = { "wifi", "ethernet", NULL };

	CHECK_INT(service_rank_index(list, "ethernet"), 1);
	CHECK_INT(service_rank_index(list, "vpn"), -1);
	CHECK_INT(service_rank_index(NULL, "vpn"), -1);
	CHECK_INT(service_rank_class(S(ONLINE)), 0);
	CHECK_INT(service_rank_class(S(ASSOCIATION)), 1);
	CHECK_INT(service_rank_class(S(FAILURE)), 2);
}

/* A VPN carrying the default route is the default service, as in ConnMan:
 * before an online uplink, though it has no gateway of its own; a split
 * one, or one not connected, stays after it. */
static void test_vpn_default(void)
{
	struct service_rank_key eth = key(S(ONLINE), "ethernet", "a");
	struct service_rank_key vpn = key(S(READY), "vpn", "b");

	vpn.unrouted = 1;
	CHECK_INT(cmp(vpn, eth), 1);
	vpn.carries_default = 1;
	CHECK_INT(cmp(vpn, eth), -1);
	vpn.state = S(CONFIGURATION);
	CHECK_INT(cmp(vpn, eth), 1);
}

int main(void)
{
	test_states();
	test_unrouted();
	test_vpn_default();
	test_types_and_preferred();
	test_user_order();
	test_tie_breaks();
	test_index();
	CHECK_DONE();
}
