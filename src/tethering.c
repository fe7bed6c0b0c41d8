#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <ell/ell.h>

#include "dhcp-server.h"
#include "firewall.h"
#include "ipv4-settings.h"
#include "rtnl.h"
#include "sysctl.h"
#include "tether6.h"
#include "tethering.h"

#define FORWARD_SYSCTL "/proc/sys/net/ipv4/ip_forward"
/* All links' switch, as IPv4's is global. Uplinks keep learning their
 * router from RAs: connd sets their accept_ra to 2 (ipv6-link.c), which
 * the kernel honours on a forwarding link. */
#define FORWARD6_SYSCTL "/proc/sys/net/ipv6/conf/all/forwarding"

struct tethering {
	struct rtnl *rtnl;
	struct firewall *fw;
	int bridge;
	int *members;
	unsigned int n_members;
	struct ipv4_net subnet;
	uint32_t address;
	uint32_t previous_address;	/* the bridge's before the last move, 0: none */
	uint8_t previous_prefix_len;
	struct dhcp_server *dhcp;
	char saved_forward;
	char saved_forward6;		/* 0 while IPv6 is not on */
	struct tether6 *v6;		/* NULL while IPv6 is not on */
	char *dns;
	void (*lease_watch)(void *data);
	void *lease_watch_data;
};

/* Our own namespace's forwarding switch: read the old value, set the new. */
static char set_switch(const char *path, char value)
{
	char old[8] = "0", text[2] = { value, '\0' };
	int err;

	if (sysctl_read(path, old, sizeof(old)) < 0 || !old[0])
		old[0] = '0';
	err = sysctl_write(path, text);
	if (err < 0)
		l_warn("cannot set %s: %s", path, strerror(-err));
	return old[0];
}

static char set_forwarding(char value)
{
	return set_switch(FORWARD_SYSCTL, value);
}

static int apply_rules(struct tethering *t)
{
	char subnet[24], address[16], net[16];
	struct firewall_tether rules = {
		.bridge = TETHER_BRIDGE, .subnet = subnet, .address = address, .dns = t->dns,
		.subnet6 = t->v6 ? tether6_nat_subnet(t->v6) : NULL,
	};

	snprintf(subnet, sizeof(subnet), "%s/%u", ipv4_ntop(t->subnet.address, net),
		 t->subnet.prefix_len);
	ipv4_ntop(t->address, address);
	return firewall_tether_set(t->fw, &rules);
}

static void lease_changed(const struct dhcp_server_lease *lease, bool added, void *user_data)
{
	struct tethering *t = user_data;

	if (t->lease_watch)
		t->lease_watch(t->lease_watch_data);
}

static int start_dhcp(struct tethering *t)
{
	uint32_t base = ntohl(t->subnet.address);
	struct dhcp_server_config c = {
		.address = t->address, .prefix_len = t->subnet.prefix_len,
		.range_start = htonl(base | 100), .range_end = htonl(base | 199),
		.lease_time = 3600, .router = t->address, .dns = { t->address }, .n_dns = 1,
		.previous_address = t->previous_address,
		.previous_prefix_len = t->previous_prefix_len,
	};

	t->dhcp = dhcp_server_new(&c, lease_changed, t);
	return dhcp_server_start(t->dhcp, TETHER_BRIDGE);
}

static bool subnet_free(const struct ipv4_net *subnet, const struct ipv4_net *used,
			unsigned int n_used)
{
	for (unsigned int i = 0; i < n_used; i++)
		if (ipv4_net_overlaps(subnet, &used[i]))
			return false;
	return true;
}

static int pick_subnet(struct tethering *t, const struct ipv4_net *used, unsigned int n_used)
{
	struct ipv4_net ranges[IPPOOL_DEFAULT_RANGES];
	uint8_t seed[4];
	int err;

	/* The subnet of before a restart, so that clients keep their addresses. */
	if (t->subnet.prefix_len == 24 && subnet_free(&t->subnet, used, n_used)) {
		t->address = htonl(ntohl(t->subnet.address) | 1);
		return 0;
	}
	ippool_default_ranges(ranges);
	l_getrandom(seed, sizeof(seed));
	err = ippool_pick(ranges, IPPOOL_DEFAULT_RANGES, used, n_used,
			  seed[0] | seed[1] << 8, &t->subnet);
	if (err == 0)
		t->address = htonl(ntohl(t->subnet.address) | 1);
	return err;
}

/* Hosts know a router by its link-local address (RFC 4861, 6.2.8): one
 * made from the bridge's MAC address, which follows its ports, would change
 * across restarts and leave clients a dead default router. tether6 gives the
 * bridge a fixed one instead; the kernel must make none when it comes up. */
static void no_generated_link_local(void)
{
	int err = sysctl_write("/proc/sys/net/ipv6/conf/" TETHER_BRIDGE "/addr_gen_mode", "1");

	if (err < 0)
		l_warn("cannot set %s's addr_gen_mode: %s", TETHER_BRIDGE, strerror(-err));
}

static int enslave(struct tethering *t, int ifindex)
{
	int err = rtnl_link_set_master(t->rtnl, ifindex, t->bridge);

	if (err == 0)
		rtnl_link_set_up(t->rtnl, ifindex, true);
	return err;
}

static int build(struct tethering *t, const struct ipv4_net *used, unsigned int n_used)
{
	int err = pick_subnet(t, used, n_used);

	if (err < 0)
		return err;
	t->bridge = rtnl_bridge_add(t->rtnl, TETHER_BRIDGE);
	if (t->bridge < 0)
		return t->bridge;
	no_generated_link_local();
	for (unsigned int i = 0; i < t->n_members; i++) {
		err = enslave(t, t->members[i]);
		if (err < 0)
			return err;
	}
	err = rtnl_addr4_add(t->rtnl, t->bridge, t->address, t->subnet.prefix_len);
	if (err == 0)
		err = rtnl_link_set_up(t->rtnl, t->bridge, true);
	if (err == 0)
		err = apply_rules(t);
	if (err == 0)
		err = start_dhcp(t);
	return err;
}

struct tethering *tethering_start(struct rtnl *rtnl, struct firewall *fw,
				  const int *ifindexes, unsigned int n,
				  const struct ipv4_net *used, unsigned int n_used,
				  const struct ipv4_net *preferred, const char *dns, int *err)
{
	struct tethering *t = l_new(struct tethering, 1);

	if (preferred)
		t->subnet = *preferred;
	t->rtnl = rtnl;
	t->fw = fw;
	t->bridge = -1;
	t->members = n ? l_memdup(ifindexes, n * sizeof(int)) : NULL;
	t->n_members = n;
	t->dns = l_strdup(dns);
	t->saved_forward = set_forwarding('1');
	*err = fw ? build(t, used, n_used) : -EOPNOTSUPP;
	if (*err < 0) {
		tethering_stop(t);
		return NULL;
	}
	return t;
}

void tethering_stop(struct tethering *t)
{
	if (!t)
		return;
	tether6_stop(t->v6);	/* its final RAs go out while the bridge is there */
	dhcp_server_free(t->dhcp);
	if (t->fw)
		firewall_tether_set(t->fw, NULL);
	for (unsigned int i = 0; i < t->n_members; i++)
		rtnl_link_set_master(t->rtnl, t->members[i], 0);
	if (t->bridge > 0)
		rtnl_link_del(t->rtnl, t->bridge);
	set_forwarding(t->saved_forward);
	if (t->saved_forward6)
		set_switch(FORWARD6_SYSCTL, t->saved_forward6);
	l_free(t->members);
	l_free(t->dns);
	l_free(t);
}

int tethering_add_link(struct tethering *t, int ifindex)
{
	int err = enslave(t, ifindex);

	if (err < 0)
		return err;
	t->members = l_realloc(t->members, (t->n_members + 1) * sizeof(int));
	t->members[t->n_members++] = ifindex;
	if (t->v6)
		tether6_link_joined(t->v6);
	return 0;
}

int tethering_remove_link(struct tethering *t, int ifindex)
{
	if (!tethering_has_link(t, ifindex))
		return -ENOENT;
	tethering_forget_link(t, ifindex);
	return rtnl_link_set_master(t->rtnl, ifindex, 0);
}

void tethering_forget_link(struct tethering *t, int ifindex)
{
	for (unsigned int i = 0; i < t->n_members; i++)
		if (t->members[i] == ifindex) {
			t->members[i] = t->members[--t->n_members];
			return;
		}
}

bool tethering_has_link(const struct tethering *t, int ifindex)
{
	for (unsigned int i = 0; i < t->n_members; i++)
		if (t->members[i] == ifindex)
			return true;
	return false;
}

const int *tethering_links(const struct tethering *t, unsigned int *n)
{
	*n = t->n_members;
	return t->members;
}

char tethering_forwarding_before(const struct tethering *t)
{
	return t->saved_forward;
}

void tethering_set_forwarding_before(struct tethering *t, char value)
{
	t->saved_forward = value;
}

void tethering_restore_forwarding(char value)
{
	set_forwarding(value);
}

int tethering_avoid(struct tethering *t, const struct ipv4_net *used, unsigned int n_used)
{
	struct ipv4_net old = t->subnet;
	uint32_t old_address = t->address;
	int err;

	if (subnet_free(&t->subnet, used, n_used))
		return 0;
	err = pick_subnet(t, used, n_used);
	if (err < 0)
		return err;
	/* The new server forgets the old leases: a client rebinding one of
	 * the old subnet is told no (a DHCPNAK in the old server's name) and
	 * starts over in the new one. */
	dhcp_server_free(t->dhcp);
	t->dhcp = NULL;
	t->previous_address = old_address;
	t->previous_prefix_len = old.prefix_len;
	rtnl_addr4_del(t->rtnl, t->bridge, old_address, old.prefix_len);
	err = rtnl_addr4_add(t->rtnl, t->bridge, t->address, t->subnet.prefix_len);
	if (err == 0)
		err = apply_rules(t);
	if (err == 0)
		err = start_dhcp(t);
	return err < 0 ? err : 1;
}

int tethering_set_dns(struct tethering *t, const char *dns)
{
	if ((!dns && !t->dns) || (dns && t->dns && !strcmp(dns, t->dns)))
		return 0;
	l_free(t->dns);
	t->dns = l_strdup(dns);
	return apply_rules(t);
}

int tethering_ifindex(const struct tethering *t)
{
	return t->bridge;
}

uint32_t tethering_address(const struct tethering *t)
{
	return t->address;
}

const struct ipv4_net *tethering_subnet(const struct tethering *t)
{
	return &t->subnet;
}

void tethering_set_lease_watch(struct tethering *t, void (*fn)(void *data), void *data)
{
	t->lease_watch = fn;
	t->lease_watch_data = data;
}

struct dhcp_server *tethering_dhcp(const struct tethering *t)
{
	return t->dhcp;
}

int tethering_start_ipv6(struct tethering *t, const uint8_t ula_id[TETHER6_ULA_ID_LEN],
			 const struct tether6_uplink *uplink)
{
	int err;

	if (t->v6)
		return -EALREADY;
	t->saved_forward6 = set_switch(FORWARD6_SYSCTL, '1');
	t->v6 = tether6_start(t->rtnl, t->bridge, ula_id, uplink, &err);
	if (!t->v6)
		return err;
	return apply_rules(t);
}

int tethering_set_ipv6(struct tethering *t, const struct tether6_uplink *uplink)
{
	int moved;

	if (!t->v6)
		return -ENOENT;
	moved = tether6_update(t->v6, uplink);
	return moved > 0 ? apply_rules(t) : moved;
}

const struct in6_addr *tethering_address6(const struct tethering *t)
{
	return t->v6 ? tether6_address(t->v6) : NULL;
}

char tethering_forwarding6_before(const struct tethering *t)
{
	return t->saved_forward6;
}

void tethering_set_forwarding6_before(struct tethering *t, char value)
{
	if (t->saved_forward6)
		t->saved_forward6 = value;
}

void tethering_restore_forwarding6(char value)
{
	set_switch(FORWARD6_SYSCTL, value);
}
