/* Provisioning files in ConnMan's .config format, for ethernet and Wi-Fi
 * services: [service_NAME] groups with Type = ethernet (MAC and/or
 * DeviceName pick the link) or Type = wifi (the network by Name or SSID and
 * its security, see provision-wifi.h; MAC and DeviceName narrow it to a
 * device), IPv4 (off, dhcp, ADDR/NETMASK[/GATEWAY]), IPv6 (off, auto,
 * ADDR/PREFIXLEN[/GATEWAY]), IPv6.Privacy, Nameservers, SearchDomains,
 * Timeservers. A group with a bad value is ignored whole, with a warning
 * naming file and line. Pure: parsing touches nothing. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipv4-settings.h"
#include "ipv6-settings.h"
#include "provision-wifi.h"

enum provision_type {
	PROVISION_NONE,		/* no (known) Type yet */
	PROVISION_ETHERNET,
	PROVISION_WIFI,
};

struct provision {
	char *file;		/* the .config file it came from */
	char *name;		/* the group, "service_office" */
	enum provision_type type;
	struct provision_wifi wifi;	/* Type = wifi's network */
	uint8_t mac[6];
	bool has_mac;
	char *device_name;	/* NULL when matched by MAC only */
	bool has_ipv4;
	struct ipv4_settings ipv4;
	struct ipv6_settings ipv6;	/* all zero (auto, no privacy) unless given */
	char **nameservers, **search_domains, **timeservers;
};

typedef void (*provision_warn_fn)(const char *file, unsigned int line, const char *why,
				  void *data);

/* Appends the valid groups of one file to *list (struct provision *,
 * NULL-terminated, grown with l_realloc); returns how many it added. */
unsigned int provision_parse(const char *file, const char *text, size_t len,
			     struct provision ***list, provision_warn_fn warn, void *data);
void provision_free(struct provision *p);
void provision_list_free(struct provision **list);
/* The first ethernet entry for this link: by MAC when the entry has one,
 * and by name when it has one (both must match when both are given). */
const struct provision *provision_find(struct provision *const *list, const uint8_t mac[6],
				       const char *ifname);
/* The first Wi-Fi entry for the service `id` (ConnMan's
 * wifi_<mac>_<ssid hex>_managed_<security>) on the link `mac`/`ifname`. */
const struct provision *provision_find_wifi(struct provision *const *list, const char *id,
					    const uint8_t mac[6], const char *ifname);
