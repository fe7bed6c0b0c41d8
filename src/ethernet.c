#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <ell/ell.h>

#include "ethernet.h"
#include "manager.h"
#include "rtnl.h"
#include "service.h"
#include "technology.h"

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000	/* linux/if.h, which clashes with net/if.h */
#endif

struct ethernet {
	struct manager *manager;
	struct technology *tech;	/* NULL while no link is managed */
	struct l_queue *services;	/* ours, each on its own link */
};

static bool has_ifindex(const void *svc, const void *ifindex)
{
	return service_ifindex(svc) == L_PTR_TO_INT(ifindex);
}

static bool links_should_be_up(const struct ethernet *eth)
{
	return eth->tech && technology_powered(eth->tech) && !manager_offline_mode(eth->manager);
}

/* Powering the technology down takes its links down, as ConnMan does; the
 * services then lose carrier and go idle through the usual path. */
static void set_powered(struct technology *tech, bool on, void *data)
{
	struct ethernet *eth = data;
	struct rtnl *rtnl = manager_rtnl(eth->manager);

	for (const struct l_queue_entry *e = l_queue_get_entries(eth->services); e; e = e->next)
		rtnl_link_set_up(rtnl, service_ifindex(e->data), on);
}

static const struct technology_driver ethernet_driver = {
	.type = "ethernet",
	.name = "Wired",
	.set_powered = set_powered,
};

static bool is_ethernet(const struct rtnl_link_info *link)
{
	return link->type == ARPHRD_ETHER && link->has_mac && strcmp(link->ifname, "lo");
}

/* A radio's link is the Wi-Fi bearer's (iwd drives it), even with -i. */
static bool is_wireless(const char *ifname)
{
	char path[64];

	snprintf(path, sizeof(path), "/sys/class/net/%s/phy80211", ifname);
	if (access(path, F_OK) == 0)
		return true;
	snprintf(path, sizeof(path), "/sys/class/net/%s/wireless", ifname);
	return access(path, F_OK) == 0;
}

/* Without -i, bridges and tun devices are someone else's (ours included). */
static bool is_managed(const struct ethernet *eth, const struct rtnl_link_info *link)
{
	if (!is_ethernet(link) || is_wireless(link->ifname))
		return false;
	if (!manager_names_devices(eth->manager) &&
	    (!strcmp(link->kind, "bridge") || !strcmp(link->kind, "tun")))
		return false;
	return manager_may_manage(eth->manager, link->ifname);
}

static void add_service(struct ethernet *eth, const struct rtnl_link_info *link)
{
	const uint8_t *m = link->mac;
	char id[64];
	struct service_desc desc = {
		.type = "ethernet",
		.id = id,
		.name = "Wired",
		.favorite = true,
		.link = link,
		.order = manager_device_rank(eth->manager, link->ifname),
	};
	struct service *svc;
	bool up;

	snprintf(id, sizeof(id), "ethernet_%02x%02x%02x%02x%02x%02x_cable",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
	if (!eth->tech)
		eth->tech = manager_add_technology(eth->manager, &ethernet_driver, eth);
	svc = manager_add_service(eth->manager, &desc);
	l_queue_push_tail(eth->services, svc);
	up = links_should_be_up(eth);
	if (up != !!(link->flags & IFF_UP))
		rtnl_link_set_up(manager_rtnl(eth->manager), link->ifindex, up);
	service_update_link(svc, link);
	service_set_available(svc, (link->flags & IFF_UP) && (link->flags & IFF_LOWER_UP));
}

static void link_changed(void *data, const struct rtnl_link_info *link)
{
	struct ethernet *eth = data;
	struct service *svc = l_queue_find(eth->services, has_ifindex,
					   L_INT_TO_PTR(link->ifindex));

	if (!svc) {
		if (is_managed(eth, link))
			add_service(eth, link);
		return;
	}
	service_update_link(svc, link);
	service_set_available(svc, (link->flags & IFF_UP) && (link->flags & IFF_LOWER_UP));
}

static void link_removed(void *data, const struct rtnl_link_info *link)
{
	struct ethernet *eth = data;
	struct service *svc = l_queue_remove_if(eth->services, has_ifindex,
						L_INT_TO_PTR(link->ifindex));

	if (!svc)
		return;
	manager_remove_service(eth->manager, svc);
	if (l_queue_isempty(eth->services) && eth->tech) {
		manager_remove_technology(eth->manager, eth->tech);
		eth->tech = NULL;
	}
}

static void *ethernet_new(struct manager *manager)
{
	struct ethernet *eth = l_new(struct ethernet, 1);

	eth->manager = manager;
	eth->services = l_queue_new();
	return eth;
}

/* The manager tears the services and technologies down itself. */
static void ethernet_free(void *data)
{
	struct ethernet *eth = data;

	if (!eth)
		return;
	l_queue_destroy(eth->services, NULL);
	l_free(eth);
}

const struct bearer_module ethernet_bearer = {
	.name = "ethernet",
	.init = ethernet_new,
	.exit = ethernet_free,
	.link_changed = link_changed,
	.link_removed = link_removed,
};
