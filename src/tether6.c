#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <ell/ell.h>

#include "dhcp6-server.h"
#include "dns-name.h"
#include "ra-sender.h"
#include "rtnl.h"
#include "sysctl.h"
#include "tether6-ra.h"
#include "tether6.h"

/* The bridge's link-local address, the same after every restart: hosts
 * know their router by it (tethering.c keeps the kernel from making one). */
static const struct in6_addr router_link_local = {
	{ { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } }
};

struct tether6 {
	struct rtnl *rtnl;
	int bridge;
	char ifname[IF_NAMESIZE];
	uint8_t ula_id[TETHER6_ULA_ID_LEN];
	struct tether6_prefixes prefixes;	/* the /64 on the bridge now, and old ones */
	struct in6_addr address;	/* ::1 of it */
	char nat[INET6_ADDRSTRLEN + 4];	/* "fd..::/64" or "" */
	struct ra_content content;	/* as announced */
	struct ra_sender *ra;
	struct dhcp6_server *dhcp;
	struct dhcp6_server_config dhcp_config;
	struct l_timeout *expiry;	/* the first old prefix to leave out */
	/* The uplink as last told, for re-announcing when an old prefix ends. */
	bool has_router, dns;
	char **domains;
	char *uplink_ifname;
};

/* The link's MTU, 0 when it cannot be read. */
static uint32_t link_mtu(const char *ifname)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	uint32_t mtu = 0;

	if (fd < 0)
		return 0;
	l_strlcpy(ifr.ifr_name, ifname, sizeof(ifr.ifr_name));
	if (ioctl(fd, SIOCGIFMTU, &ifr) == 0 && ifr.ifr_mtu > 0)
		mtu = ifr.ifr_mtu;
	close(fd);
	return mtu;
}

static int link_mac(const char *ifname, uint8_t mac[6])
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;

	if (fd < 0)
		return -errno;
	l_strlcpy(ifr.ifr_name, ifname, sizeof(ifr.ifr_name));
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		err = -errno;
	else
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(fd);
	return err;
}

static void bridge_sysctl(const struct tether6 *t, const char *key, const char *value)
{
	char path[96];
	int err;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/%s", t->ifname, key);
	err = sysctl_write(path, value);
	if (err < 0)
		l_warn("tethering: cannot set %s: %s", path, strerror(-err));
}

/* DNSSL and the DHCPv6 domain list: the uplink's, those that are DNS names. */
static void add_domains(struct tether6 *t, struct ra_content *ra, char **domains)
{
	struct dhcp6_server_config *c = &t->dhcp_config;

	for (char **d = domains; d && *d; d++) {
		uint8_t wire[DNS_NAME_MAX];

		if (strlen(*d) >= DNS_NAME_TEXT_MAX || dns_name_from_text(*d, wire) < 0)
			continue;
		if (ra->n_domains < RA_MAX_DOMAINS)
			l_strlcpy(ra->domains[ra->n_domains++], *d, DNS_NAME_TEXT_MAX);
		if (c->n_domains < DHCP6_MAX_DOMAINS)
			l_strlcpy(c->domains[c->n_domains++], *d, sizeof(c->domains[0]));
	}
}

static uint32_t announced_mtu(const struct tether6 *t, const struct tether6_uplink *u)
{
	uint32_t mtu = link_mtu(t->ifname), up = u->ifname ? link_mtu(u->ifname) : 0;

	return up && (!mtu || up < mtu) ? up : mtu;
}

/* What the RAs and the DHCPv6 server say for the uplink `u` now. */
static void build_content(struct tether6 *t, const struct tether6_uplink *u, struct ra_content *ra)
{
	uint64_t now = l_time_now();

	memset(ra, 0, sizeof(*ra));
	memset(&t->dhcp_config.dns, 0, sizeof(t->dhcp_config.dns));
	memset(&t->dhcp_config.domains, 0, sizeof(t->dhcp_config.domains));
	t->dhcp_config.n_dns = 0;
	t->dhcp_config.n_domains = 0;
	ra->cur_hop_limit = 64;
	ra->other = true;		/* the stateless DHCPv6 server */
	ra->router_lifetime = u->has_router ? TETHER6_ROUTER_LIFETIME_S : 0;
	ra->mtu = announced_mtu(t, u);
	tether6_prefixes_announce(&t->prefixes, now, ra);
	if (u->dns) {
		ra->servers[ra->n_servers++] = t->address;
		t->dhcp_config.dns[t->dhcp_config.n_dns++] = t->address;
	}
	add_domains(t, ra, u->domains);
	ra->dns_lifetime = TETHER6_DNS_LIFETIME_S;
}

/* The /64 the uplink `u` gives, and until when. */
static bool wanted_subnet(const struct tether6 *t, const struct tether6_uplink *u,
			  struct in6_addr *subnet, uint64_t *preferred_until, uint64_t *valid_until)
{
	bool delegated = u->delegated &&
			 tether6_subnet(u->delegated, TETHER6_SUBNET_ID, subnet) == 0;

	*preferred_until = delegated ? u->delegated->preferred_until : UINT64_MAX;
	*valid_until = delegated ? u->delegated->valid_until : UINT64_MAX;
	if (!delegated)
		tether6_ula(t->ula_id, subnet);
	return delegated;
}

/* The bridge's address and the NAT66 subnet follow the current /64. */
static void follow_subnet(struct tether6 *t, bool delegated)
{
	char text[INET6_ADDRSTRLEN];
	const struct in6_addr *subnet = &t->prefixes.current;

	tether6_router_address(subnet, &t->address);
	inet_ntop(AF_INET6, subnet, text, sizeof(text));
	if (delegated)
		t->nat[0] = '\0';
	else
		snprintf(t->nat, sizeof(t->nat), "%s/64", text);
	l_info("tethering: IPv6 %s/64 on %s (%s)", text, t->ifname,
	       delegated ? "delegated prefix" : "unique local, NAT66 out of the uplink");
}

static void expiry_cb(struct l_timeout *timeout, void *data);

/* Old prefixes past their time are left out; the timer waits for the next. */
static bool drop_expired(struct tether6 *t)
{
	uint64_t now = l_time_now(), first;
	bool dropped = tether6_prefixes_expire(&t->prefixes, now, &first);

	l_timeout_remove(t->expiry);
	t->expiry = NULL;
	if (first != UINT64_MAX)
		t->expiry = l_timeout_create_ms((first - now) / 1000 + 1, expiry_cb, t, NULL);
	return dropped;
}

/* Lifetimes counted down from a delegation's end differ at every second:
 * that alone is no reason to announce (each update restarts the fast
 * initial RAs). They are announced anew when the prefixes change or the
 * delegation is renewed, which comes well before they run out. */
static bool same_but_lifetimes(const struct ra_content *a, const struct ra_content *b)
{
	struct ra_content x = *a, y = *b;

	for (unsigned int i = 0; i < RA_MAX_PREFIXES; i++) {
		x.prefixes[i].valid = x.prefixes[i].preferred = 0;
		y.prefixes[i].valid = y.prefixes[i].preferred = 0;
	}
	return !memcmp(&x, &y, sizeof(x));
}

/* force: the prefixes or their lifetimes changed. */
static int announce(struct tether6 *t, const struct tether6_uplink *u, bool force)
{
	struct ra_content ra;
	int err = 0;

	build_content(t, u, &ra);
	if (t->dhcp)
		dhcp6_server_set(t->dhcp, &t->dhcp_config);
	if (force ? memcmp(&ra, &t->content, sizeof(ra)) : !same_but_lifetimes(&ra, &t->content)) {
		t->content = ra;
		err = t->ra ? ra_sender_update(t->ra, &ra) : 0;
	}
	return err;
}

static void expiry_cb(struct l_timeout *timeout, void *data)
{
	struct tether6 *t = data;
	struct tether6_uplink u = {
		.has_router = t->has_router, .dns = t->dns, .domains = t->domains,
		.ifname = t->uplink_ifname,
	};

	if (drop_expired(t))
		announce(t, &u, true);
}

static void remember(struct tether6 *t, const struct tether6_uplink *u)
{
	t->has_router = u->has_router;
	t->dns = u->dns;
	l_strv_free(t->domains);
	t->domains = l_strv_copy(u->domains);
	l_free(t->uplink_ifname);
	t->uplink_ifname = l_strdup(u->ifname);
}

static int readdress(struct tether6 *t, bool delegated)
{
	int err;

	rtnl_addr6_del(t->rtnl, t->bridge, &t->address, 64);
	follow_subnet(t, delegated);
	err = rtnl_addr6_add(t->rtnl, t->bridge, &t->address, 64);
	if (err < 0)
		l_warn("tethering: cannot add %s's IPv6 address: %s", t->ifname, strerror(-err));
	return err;
}

int tether6_update(struct tether6 *t, const struct tether6_uplink *u)
{
	struct in6_addr subnet;
	uint64_t preferred, valid;
	bool delegated, moved, renewed, expired;
	int err = 0;

	remember(t, u);
	delegated = wanted_subnet(t, u, &subnet, &preferred, &valid);
	moved = !IN6_ARE_ADDR_EQUAL(&subnet, &t->prefixes.current);
	renewed = preferred != t->prefixes.preferred_until || valid != t->prefixes.valid_until;
	tether6_prefixes_move(&t->prefixes, &subnet, preferred, valid, l_time_now());
	if (moved)
		err = readdress(t, delegated);
	expired = drop_expired(t);
	if (err == 0)
		err = announce(t, u, moved || renewed || expired);
	return err < 0 ? err : moved;
}

void tether6_link_joined(struct tether6 *t)
{
	int err = t->ra ? ra_sender_update(t->ra, &t->content) : 0;

	if (err < 0)
		l_debug("%s: no RA for the new link: %s", t->ifname, strerror(-err));
}

static int start_servers(struct tether6 *t, const struct tether6_uplink *u)
{
	uint8_t mac[6] = { 0 };
	struct ra_content ra;
	int err = link_mac(t->ifname, mac);

	if (err < 0)
		return err;
	dhcp6_duid_from_mac(&t->dhcp_config.server_id, mac);
	build_content(t, u, &ra);
	t->dhcp = dhcp6_server_start(t->bridge, &t->dhcp_config, &err);
	if (!t->dhcp)
		return err;
	err = ra_sender_start(t->bridge, &ra, NULL, &t->ra);
	if (err == 0)
		t->content = ra;
	return err;
}

struct tether6 *tether6_start(struct rtnl *rtnl, int bridge, const uint8_t ula_id[TETHER6_ULA_ID_LEN],
			      const struct tether6_uplink *u, int *err)
{
	struct tether6 *t = l_new(struct tether6, 1);
	struct tether6_prefixes *p = &t->prefixes;
	bool delegated;

	t->rtnl = rtnl;
	t->bridge = bridge;
	memcpy(t->ula_id, ula_id, TETHER6_ULA_ID_LEN);
	if (!if_indextoname(bridge, t->ifname)) {
		*err = -ENODEV;
		l_free(t);
		return NULL;
	}
	/* The bridge is the router of its link: it learns nothing from RAs
	 * there, and its link-local address is where ours come from. */
	bridge_sysctl(t, "accept_ra", "0");
	bridge_sysctl(t, "autoconf", "0");
	bridge_sysctl(t, "disable_ipv6", "0");
	remember(t, u);
	delegated = wanted_subnet(t, u, &p->current, &p->preferred_until, &p->valid_until);
	follow_subnet(t, delegated);
	*err = rtnl_addr6_add(rtnl, bridge, &router_link_local, 64);
	if (*err == 0)
		*err = rtnl_addr6_add(rtnl, bridge, &t->address, 64);
	if (*err == 0)
		*err = start_servers(t, u);
	if (*err < 0) {
		tether6_stop(t);
		return NULL;
	}
	return t;
}

void tether6_stop(struct tether6 *t)
{
	if (!t)
		return;
	ra_sender_stop(t->ra);		/* the final RAs withdraw every prefix */
	dhcp6_server_free(t->dhcp);
	l_timeout_remove(t->expiry);
	rtnl_addr6_del(t->rtnl, t->bridge, &t->address, 64);
	l_strv_free(t->domains);
	l_free(t->uplink_ifname);
	l_free(t);
}

const struct in6_addr *tether6_address(const struct tether6 *t)
{
	return &t->address;
}

const char *tether6_nat_subnet(const struct tether6 *t)
{
	return t->nat[0] ? t->nat : NULL;
}
