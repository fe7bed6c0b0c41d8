#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <ell/ell.h>

#include "dhcp.h"
#include "ipv4-link.h"
#include "ipv4-routes.h"
#include "ipv4ll.h"
#include "rtnl.h"

#define ADD_RETRY_S 10	/* DHCP again after an address the kernel refused */
/* DHCP again after a lease whose subnet overlaps another link's: 10 s, then
 * twice as long each time the next one overlaps too, up to 10 minutes. */
#define OVERLAP_RETRY_S 10
#define OVERLAP_RETRY_MAX_S 600
#define MAX_ADDRS 64	/* addresses of other links compared with a lease */

struct ipv4_link {
	struct rtnl *rtnl;
	int ifindex;
	char *ifname;
	uint8_t mac[6];
	ipv4_link_cb_t cb;
	void *user_data;
	ipv4_link_claim_fn claim;	/* makes room for an address, or NULL */
	void *claim_data;
	struct dhcp_client *dhcp;
	struct l_timeout *dhcp_retry;	/* restarts dhcp, stopped after a refused address */
	unsigned int overlaps;		/* leases refused in a row for overlapping */
	struct ipv4ll *ll;		/* looking for or holding a link-local address */
	struct ipv4_settings current;
	bool leased;			/* a DHCP lease came since the start */
	bool no_server;			/* DHCP found no server, and no lease came */
	char **nameservers;
	char **timeservers;
	char **domains;
	char *hostname;			/* the lease's option 12 */
	char *pac_url;			/* the lease's option 252 */
	char *captive_portal;		/* the lease's option 114 (RFC 8910) */
	struct ipv4_routes routes;	/* the lease's option 121 */
};

struct ipv4_link *ipv4_link_new(struct rtnl *rtnl, int ifindex, const char *ifname,
			      const uint8_t mac[6], ipv4_link_cb_t cb, void *user_data)
{
	struct ipv4_link *ipc = l_new(struct ipv4_link, 1);

	ipc->rtnl = rtnl;
	ipc->ifindex = ifindex;
	ipc->ifname = l_strdup(ifname);
	memcpy(ipc->mac, mac, 6);
	ipc->cb = cb;
	ipc->user_data = user_data;
	return ipc;
}

void ipv4_link_set_claim(struct ipv4_link *ipc, ipv4_link_claim_fn fn, void *data)
{
	ipc->claim = fn;
	ipc->claim_data = data;
}

void ipv4_link_set_link(struct ipv4_link *ipc, const char *ifname, const uint8_t mac[6])
{
	if (!ipc)
		return;
	l_free(ipc->ifname);
	ipc->ifname = l_strdup(ifname);
	memcpy(ipc->mac, mac, 6);
}

static void clear_servers(struct ipv4_link *ipc)
{
	l_strv_free(ipc->nameservers);
	l_strv_free(ipc->timeservers);
	l_strv_free(ipc->domains);
	ipc->nameservers = ipc->timeservers = ipc->domains = NULL;
	l_free(ipc->hostname);
	ipc->hostname = NULL;
	l_free(ipc->pac_url);
	ipc->pac_url = NULL;
	l_free(ipc->captive_portal);
	ipc->captive_portal = NULL;
}

void ipv4_link_free(struct ipv4_link *ipc)
{
	if (!ipc)
		return;
	ipv4_link_stop(ipc, false);
	l_free(ipc->ifname);
	l_free(ipc);
}

static void remove_address(struct ipv4_link *ipc)
{
	char buf[16];
	int err;

	if (!ipc->current.address)
		return;
	ipv4_routes_apply(&ipc->routes, ipc->rtnl, ipc->ifindex, ipc->ifname, NULL);
	err = rtnl_addr4_del(ipc->rtnl, ipc->ifindex, ipc->current.address, ipc->current.prefix_len);
	if (err < 0 && err != -EADDRNOTAVAIL)
		l_warn("%s: cannot remove %s: %s", ipc->ifname, ipv4_ntop(ipc->current.address, buf),
		       strerror(-err));
	ipc->current.address = 0;
	ipc->current.gateway = 0;
}

/* current claims the address only once the kernel took it. */
static int apply_address(struct ipv4_link *ipc, uint32_t address, uint8_t prefix_len)
{
	int err;

	if (ipc->current.address &&
	    (ipc->current.address != address || ipc->current.prefix_len != prefix_len))
		remove_address(ipc);
	err = rtnl_addr4_add(ipc->rtnl, ipc->ifindex, address, prefix_len);
	if (err < 0)
		return err;
	ipc->current.address = address;
	ipc->current.prefix_len = prefix_len;
	return 0;
}

static char **servers_strv(const uint32_t *addrs, unsigned int n)
{
	char **strv = NULL;
	char buf[16];

	for (unsigned int i = 0; i < n; i++)
		strv = l_strv_append(strv, ipv4_ntop(addrs[i], buf));
	return strv;
}

/* Returns true when anything the service shows changed. */
static bool take_lease_options(struct ipv4_link *ipc, const struct dhcp_lease *lease)
{
	char **dns = servers_strv(lease->dns, lease->n_dns);
	char **ntp = servers_strv(lease->ntp, lease->n_ntp);
	char **domains = lease->domain[0] ? l_strv_append(NULL, lease->domain) : NULL;
	bool changed = ipc->current.gateway != lease->router ||
		       !l_strv_eq(dns, ipc->nameservers) || !l_strv_eq(ntp, ipc->timeservers) ||
		       !l_strv_eq(domains, ipc->domains) ||
		       !l_streq0(lease->hostname[0] ? lease->hostname : NULL, ipc->hostname) ||
		       !l_streq0(lease->pac_url[0] ? lease->pac_url : NULL, ipc->pac_url) ||
		       !l_streq0(lease->captive_portal[0] ? lease->captive_portal : NULL,
				 ipc->captive_portal);

	clear_servers(ipc);
	ipc->nameservers = dns;
	ipc->timeservers = ntp;
	ipc->domains = domains;
	ipc->hostname = lease->hostname[0] ? l_strdup(lease->hostname) : NULL;
	ipc->pac_url = lease->pac_url[0] ? l_strdup(lease->pac_url) : NULL;
	ipc->captive_portal = lease->captive_portal[0] ? l_strdup(lease->captive_portal) : NULL;
	ipc->current.gateway = lease->router;
	return changed;
}

static void stop_ipv4ll(struct ipv4_link *ipc)
{
	ipv4ll_stop(ipc->ll);
	ipc->ll = NULL;
	if (ipc->current.method == IPV4_METHOD_AUTO)
		ipc->current.method = IPV4_METHOD_DHCP;
}

/* A link-local address stands in until DHCP finds a server; its lease
 * replaces it. */
static void ipv4ll_event(uint32_t address, void *user_data)
{
	struct ipv4_link *ipc = user_data;
	char buf[16];
	int err;

	if (!address) {
		l_info("%s: link-local address lost to a conflict", ipc->ifname);
		remove_address(ipc);
		ipc->cb(ipc, IPV4_LINK_LOST, ipc->user_data);
		return;
	}
	err = apply_address(ipc, address, 16);
	if (err < 0) {
		l_warn("%s: cannot add link-local %s: %s; link-local addressing stopped",
		       ipc->ifname, ipv4_ntop(address, buf), strerror(-err));
		stop_ipv4ll(ipc);
		ipc->cb(ipc, IPV4_LINK_ADD_FAILED, ipc->user_data);
		return;
	}
	l_info("%s: link-local address %s", ipc->ifname, ipv4_ntop(address, buf));
	ipc->current.method = IPV4_METHOD_AUTO;
	ipc->current.gateway = 0;
	ipc->cb(ipc, IPV4_LINK_BOUND, ipc->user_data);
}

/* A server that answered before and is silent now (a lease lost, a
 * rediscovery unanswered) does not make the link one without DHCP. */
static void no_dhcp_server(struct ipv4_link *ipc)
{
	ipc->no_server = !ipc->leased;
	if (!ipc->ll)
		ipc->ll = ipv4ll_start(ipc->ifindex, ipc->mac, ipv4ll_event, ipc);
	if (!ipc->ll) {
		ipc->cb(ipc, IPV4_LINK_FAILED, ipc->user_data);
		return;
	}
	l_info("%s: no DHCP server; looking for a link-local address meanwhile", ipc->ifname);
	ipc->cb(ipc, IPV4_LINK_NO_SERVER, ipc->user_data);
}

static void dhcp_retry_expired(struct l_timeout *timeout, void *user_data)
{
	struct ipv4_link *ipc = user_data;
	int err;

	l_timeout_remove(ipc->dhcp_retry);
	ipc->dhcp_retry = NULL;
	err = dhcp_client_start(ipc->dhcp, 0);
	if (err < 0)
		l_warn("%s: cannot restart DHCP: %s", ipc->ifname, strerror(-err));
}

/* The lease goes back to the server and DHCP starts over `seconds` later
 * (the cause may pass; an immediate retry would spin on one that does not). */
static void release_and_retry(struct ipv4_link *ipc, unsigned int seconds)
{
	clear_servers(ipc);
	ipc->current.gateway = 0;
	dhcp_client_stop(ipc->dhcp, true);
	l_timeout_remove(ipc->dhcp_retry);
	ipc->dhcp_retry = l_timeout_create(seconds, dhcp_retry_expired, ipc, NULL);
	if (!ipc->dhcp_retry)
		l_warn("%s: no timer for the DHCP retry (out of file descriptors)", ipc->ifname);
}

/* The kernel refused the leased address: nothing may claim it. */
static void lease_refused(struct ipv4_link *ipc, const struct dhcp_lease *lease, int err)
{
	char buf[16];

	l_warn("%s: cannot add leased address %s/%u: %s; lease released, DHCP again in %us",
	       ipc->ifname, ipv4_ntop(lease->address, buf), lease->prefix_len, strerror(-err),
	       ADD_RETRY_S);
	release_and_retry(ipc, ADD_RETRY_S);
	ipc->cb(ipc, IPV4_LINK_ADD_FAILED, ipc->user_data);
}

static bool subnets_overlap(uint32_t a, uint8_t a_len, uint32_t b, uint8_t b_len)
{
	uint8_t len = a_len < b_len ? a_len : b_len;
	uint32_t mask = len ? htonl(~0u << (32 - len)) : 0;

	return ((a ^ b) & mask) == 0;
}

/* A leased subnet that partly overlaps another link's (inside a larger one,
 * or containing it) would take that link's traffic or lose its own: such a
 * lease cannot work here. The very same subnet is the same LAN reached twice
 * (a cable and Wi-Fi to one router) and works: each link keeps its route.
 * Tethering's bridge is no such LAN, but it has moved away by now (claim()).
 * Returns the other link's address, or 0. */
static uint32_t overlapping_address(struct ipv4_link *ipc, const struct dhcp_lease *lease)
{
	struct rtnl_addr_info addrs[MAX_ADDRS];
	int n = rtnl_addr4_list(ipc->rtnl, addrs, MAX_ADDRS);

	for (int i = 0; i < n; i++) {
		if (addrs[i].ifindex == ipc->ifindex ||
		    !subnets_overlap(addrs[i].address, addrs[i].prefix_len,
				     lease->address, lease->prefix_len))
			continue;
		if (addrs[i].prefix_len != lease->prefix_len)
			return addrs[i].address;
	}
	return 0;
}

static unsigned int overlap_retry_s(unsigned int refused)
{
	unsigned int s = OVERLAP_RETRY_S;

	while (refused-- > 0 && s < OVERLAP_RETRY_MAX_S)
		s *= 2;
	return s < OVERLAP_RETRY_MAX_S ? s : OVERLAP_RETRY_MAX_S;
}

/* Not a DHCPDECLINE (RFC 2131 3.1.5 keeps that for an address someone
 * else holds): the address is fine, the subnet is not, and a declined
 * address is held back by the server, so each retry cost the ISP's pool one
 * address. A release gives it back; the retries slow down while the
 * overlap lasts. */
static bool lease_overlaps(struct ipv4_link *ipc, const struct dhcp_lease *lease)
{
	uint32_t other = overlapping_address(ipc, lease);
	unsigned int wait;
	char a[16], b[16];

	if (!other)
		return false;
	wait = overlap_retry_s(ipc->overlaps++);
	l_warn("%s: DHCP address %s/%u refused: its subnet overlaps %s of another link; "
	       "lease released, DHCP again in %us", ipc->ifname, ipv4_ntop(lease->address, a),
	       lease->prefix_len, ipv4_ntop(other, b), wait);
	release_and_retry(ipc, wait);
	return true;
}

/* Subnets that give way to a link's address (tethering's) move first. */
static void claim(struct ipv4_link *ipc, uint32_t address, uint8_t prefix_len)
{
	if (ipc->claim)
		ipc->claim(ipc->ifindex, address, prefix_len, ipc->claim_data);
}

static void dhcp_event(struct dhcp_client *client, enum dhcp_event event,
		       const struct dhcp_lease *lease, void *user_data)
{
	struct ipv4_link *ipc = user_data;
	bool changed;
	int err;

	switch (event) {
	case DHCP_EVENT_BOUND:
		claim(ipc, lease->address, lease->prefix_len);
		if (lease_overlaps(ipc, lease))
			break;
		ipc->overlaps = 0;
		stop_ipv4ll(ipc);
		err = apply_address(ipc, lease->address, lease->prefix_len);
		if (err < 0) {
			lease_refused(ipc, lease, err);
			break;
		}
		ipc->leased = true;
		ipc->no_server = false;
		take_lease_options(ipc, lease);
		ipv4_routes_apply(&ipc->routes, ipc->rtnl, ipc->ifindex, ipc->ifname, lease);
		ipc->cb(ipc, IPV4_LINK_BOUND, ipc->user_data);
		break;
	case DHCP_EVENT_RENEWED:
		ipv4_routes_apply(&ipc->routes, ipc->rtnl, ipc->ifindex, ipc->ifname, lease);
		changed = take_lease_options(ipc, lease);
		if (changed)
			ipc->cb(ipc, IPV4_LINK_UPDATED, ipc->user_data);
		break;
	case DHCP_EVENT_LOST:
		remove_address(ipc);
		clear_servers(ipc);
		ipc->cb(ipc, IPV4_LINK_LOST, ipc->user_data);
		break;
	case DHCP_EVENT_NO_SERVER:
		no_dhcp_server(ipc);
		break;
	}
}

static int start_dhcp(struct ipv4_link *ipc, uint32_t previous_address)
{
	int err;

	ipc->dhcp = dhcp_client_new(ipc->ifindex, ipc->ifname, ipc->mac, dhcp_event, ipc);
	if (!ipc->dhcp)
		return -ENOMEM;
	err = dhcp_client_start(ipc->dhcp, previous_address);
	if (err < 0) {
		dhcp_client_free(ipc->dhcp);
		ipc->dhcp = NULL;
	}
	return err;
}

int ipv4_link_start(struct ipv4_link *ipc, const struct ipv4_settings *settings,
		   uint32_t previous_address)
{
	int err;

	ipv4_link_stop(ipc, false);
	ipc->current.method = settings->method;
	switch (settings->method) {
	case IPV4_METHOD_OFF:
	case IPV4_METHOD_AUTO:
		return 0;
	case IPV4_METHOD_DHCP:
		return start_dhcp(ipc, previous_address);
	case IPV4_METHOD_FIXED:
		/* The bearer's own (a VPN's pushed address); none: nothing to do. */
		if (!settings->address)
			return 0;
		/* fall through */
	case IPV4_METHOD_MANUAL:
		claim(ipc, settings->address, settings->prefix_len);
		err = apply_address(ipc, settings->address, settings->prefix_len);
		if (err < 0)
			return err;
		ipc->current.gateway = settings->gateway;
		ipc->cb(ipc, IPV4_LINK_BOUND, ipc->user_data);
		return 0;
	}
	return -EINVAL;
}

void ipv4_link_stop(struct ipv4_link *ipc, bool release)
{
	stop_ipv4ll(ipc);
	l_timeout_remove(ipc->dhcp_retry);
	ipc->dhcp_retry = NULL;
	if (ipc->dhcp) {
		dhcp_client_stop(ipc->dhcp, release);
		dhcp_client_free(ipc->dhcp);
		ipc->dhcp = NULL;
	}
	remove_address(ipc);
	clear_servers(ipc);
	ipc->leased = ipc->no_server = false;
	ipc->overlaps = 0;
}

const struct ipv4_settings *ipv4_link_current(const struct ipv4_link *ipc)
{
	return &ipc->current;
}

bool ipv4_link_dhcp_found_no_server(const struct ipv4_link *ipc)
{
	return ipc->no_server;
}

char **ipv4_link_nameservers(const struct ipv4_link *ipc)
{
	return ipc->nameservers;
}

char **ipv4_link_timeservers(const struct ipv4_link *ipc)
{
	return ipc->timeservers;
}

char **ipv4_link_domains(const struct ipv4_link *ipc)
{
	return ipc->domains;
}

const char *ipv4_link_hostname(const struct ipv4_link *ipc)
{
	return ipc->hostname;
}

const struct ipv4_routes *ipv4_link_routes(const struct ipv4_link *ipc)
{
	return &ipc->routes;
}

const char *ipv4_link_pac_url(const struct ipv4_link *ipc)
{
	return ipc->pac_url;
}

const char *ipv4_link_captive_portal(const struct ipv4_link *ipc)
{
	return ipc->captive_portal;
}
