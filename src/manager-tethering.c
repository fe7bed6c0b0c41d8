/* The manager's side of tethering: which links go into the bridge, what the
 * pool must avoid, and the uplink's nameserver for the clients' DNS. */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include <ell/ell.h>

#include "config.h"
#include "dhcp-server.h"
#include "manager.h"
#include "manager-dns.h"
#include "manager-private.h"
#include "rtnl.h"
#include "technology.h"
#include "tethering.h"
#include "technology-dbus.h"

#define MAX_SUBNETS 64

/* The first nameserver of the default service, if it is connected, for
 * clients' DNS to be redirected to; none when our proxy answers them. */
static char *uplink_dns(const struct manager *m)
{
	struct service *first = l_queue_peek_head(m->services);
	char **servers, *dns = NULL;

	if (manager_dns_proxy_running(m->dns) || !first || !service_state_is_connected(service_get_state(first)))
		return NULL;
	servers = service_nameservers(first);
	/* Clients are redirected over IPv4: the first IPv4 server. */
	for (char **s = servers; s && *s && !dns; s++)
		if (!strchr(*s, ':'))
			dns = l_strdup(*s);
	l_strv_free(servers);
	return dns;
}

static unsigned int used_subnets(struct manager *m, struct ipv4_net *used)
{
	struct rtnl_addr_info addrs[MAX_SUBNETS];
	int n = rtnl_addr4_list(m->rtnl, addrs, MAX_SUBNETS);

	for (int i = 0; i < n; i++)
		used[i] = (struct ipv4_net) { addrs[i].address, addrs[i].prefix_len };
	return n > 0 ? n : 0;
}

static bool listed(char *const *patterns, const char *ifname)
{
	for (char *const *p = patterns; p && *p; p++)
		if (fnmatch(*p, ifname, 0) == 0)
			return true;
	return false;
}

/* Every managed link that is not a connected uplink (ones still looking
 * for a DHCP server are lines to tether, not uplinks), and among them only
 * those TetheringInterfaces names when it names any — or, when tethering
 * comes back after a restart, the links it bridged before (at start no
 * uplink is connected yet, so the rule above would take them all). */
static unsigned int pick_links(struct manager *m, int *ifindexes, unsigned int max)
{
	char *const *wanted = m->config->tethering_interfaces;
	unsigned int n = 0;

	for (const struct l_queue_entry *e = l_queue_get_entries(m->services); e && n < max;
	     e = e->next) {
		bool pick = m->tethered_saved ?
			l_strv_contains(m->tethered_saved, service_id(e->data)) :
			!service_state_is_connected(service_get_state(e->data)) &&
			(!wanted || !wanted[0] || listed(wanted, service_ifname(e->data)));

		if (pick)
			ifindexes[n++] = service_ifindex(e->data);
	}
	return n;
}

static void set_tethered(struct manager *m, const int *ifindexes, unsigned int n, bool on)
{
	unsigned int count;
	struct service **all = manager_services_snapshot(m, &count);

	for (unsigned int s = 0; s < count; s++)
		for (unsigned int i = 0; i < n; i++)
			if (service_ifindex(all[s]) == ifindexes[i])
				service_set_tethered(all[s], on);
	l_free(all);
}

static int start(struct manager *m)
{
	int ifindexes[16];
	struct ipv4_net used[MAX_SUBNETS];
	unsigned int n = pick_links(m, ifindexes, L_ARRAY_SIZE(ifindexes)), n_used;
	char *dns;
	int err;

	if (!n)
		return -ENODEV;
	set_tethered(m, ifindexes, n, true);
	n_used = used_subnets(m, used);
	dns = uplink_dns(m);
	m->tethering = tethering_start(m->rtnl, m->firewall, ifindexes, n, used, n_used,
				       m->tether_subnet.prefix_len ? &m->tether_subnet : NULL, dns, &err);
	l_free(dns);
	if (!m->tethering) {
		set_tethered(m, ifindexes, n, false);
		return err;
	}
	m->tether_subnet = *tethering_subnet(m->tethering);
	if (m->forwarding_before)
		tethering_set_forwarding_before(m->tethering, m->forwarding_before);
	else
		m->forwarding_before = tethering_forwarding_before(m->tethering);
	l_info("tethering on %u link(s)", n);
	return 0;
}

void manager_stop_tethering(struct manager *m)
{
	unsigned int n;
	struct service **all;

	if (!m->tethering)
		return;
	tethering_stop(m->tethering);
	m->tethering = NULL;
	m->forwarding_before = 0;
	all = manager_services_snapshot(m, &n);
	for (unsigned int i = 0; i < n; i++)
		service_set_tethered(all[i], false);
	l_free(all);
	l_info("tethering off");
	manager_update_dns(m);
}

int manager_set_tethering(struct manager *m, struct technology *tech, bool on)
{
	int err = 0;

	if (technology_tethering(tech) == on)
		return -EALREADY;
	if (on)
		err = start(m);
	else
		manager_stop_tethering(m);
	if (err < 0)
		return err;
	technology_set_tethering(tech, on);
	technology_dbus_emit(m->dbus, tech, "Tethering");
	manager_update_dns(m);
	manager_save_global_settings(m);
	return 0;
}

/* Tethering was on when connd last saved its settings: on again, on the
 * same links, once they are known. */
void manager_restore_tethering(struct manager *m)
{
	struct technology *ethernet = manager_technology_of_type(m, "ethernet");
	int err;

	if (!m->tethering_saved || !ethernet || !technology_powered(ethernet) || m->offline_mode)
		goto out;
	err = manager_set_tethering(m, ethernet, true);
	if (err < 0 && err != -EALREADY)
		l_warn("tethering: cannot restore it: %s", strerror(-err));
	else
		l_info("tethering restored");
out:
	if (!m->tethering && m->forwarding_before) {
		/* It was on when connd died and does not come back. */
		tethering_restore_forwarding(m->forwarding_before);
		l_info("tethering: IPv4 forwarding set back to %c", m->forwarding_before);
		m->forwarding_before = 0;
		manager_save_global_settings(m);
	}
	l_strv_free(m->tethered_saved);
	m->tethered_saved = NULL;
}

/* The uplink may have changed: the clients' DNS follows it. */
/* An address appeared somewhere: if it takes our subnet, tethering moves. */
void manager_tethering_address_added(struct manager *m)
{
	struct ipv4_net used[MAX_SUBNETS];
	unsigned int n;

	if (!m->tethering)
		return;
	n = used_subnets(m, used);
	if (tethering_avoid(m->tethering, used, n) < 0)
		l_warn("tethering: no free subnet to move to");
	if (m->tether_subnet.address != tethering_subnet(m->tethering)->address) {
		m->tether_subnet = *tethering_subnet(m->tethering);
		manager_save_global_settings(m);
	}
	manager_update_dns(m);
}

void manager_update_tethering(struct manager *m)
{
	char *dns;

	if (!m->tethering)
		return;
	dns = uplink_dns(m);
	tethering_set_dns(m->tethering, dns);
	l_free(dns);
}

static void add_mac(const struct dhcp_server_lease *lease, void *data)
{
	char ***macs = data, mac[18];

	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", lease->mac[0], lease->mac[1],
		 lease->mac[2], lease->mac[3], lease->mac[4], lease->mac[5]);
	*macs = l_strv_append(*macs, mac);
}

char **manager_tethering_clients(const struct manager *m)
{
	char **macs = NULL;

	if (m->tethering)
		dhcp_server_foreach_lease(tethering_dhcp(m->tethering), add_mac, &macs);
	return macs;
}

void manager_foreach_tethering_lease(const struct manager *m,
				     void (*fn)(const struct dhcp_server_lease *lease, void *data),
				     void *data)
{
	if (m->tethering)
		dhcp_server_foreach_lease(tethering_dhcp(m->tethering), fn, data);
}
