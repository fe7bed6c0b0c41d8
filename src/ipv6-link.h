/* IPv6 on a service's link. With method auto the kernel does SLAAC
 * (addresses and the default route from router advertisements); with manual
 * it takes no router advertisements and connd adds the address (and routing
 * the default route). connd switches IPv6 on while the service is connecting
 * or connected and off otherwise, chooses privacy addresses, and puts the
 * link's sysctls back as they were before connd. */
#pragma once

#include <stdbool.h>

#include "ipv6-settings.h"

/* The link's sysctls (disable_ipv6, accept_ra, autoconf, use_tempaddr) as
 * they were before connd, to put back at exit. */
struct ipv6_link_saved {
	char values[4][8];
	bool valid;
};

int ipv6_link_save(const char *ifname, struct ipv6_link_saved *saved);
int ipv6_link_restore(const char *ifname, const struct ipv6_link_saved *saved);
/* As keys of group, one per sysctl; -EINVAL (saved untouched) when one is
 * missing or not a small integer. */
struct l_settings;
void ipv6_link_saved_to_settings(const struct ipv6_link_saved *saved, struct l_settings *s,
				 const char *group);
int ipv6_link_saved_from_settings(struct ipv6_link_saved *saved, const struct l_settings *s,
				  const char *group);
/* On: router advertisements accepted even when forwarding, SLAAC, the
 * privacy mode; a link that was off starts over with a router solicitation.
 * restart: also cycle it when it was on (privacy applies to new addresses). */
int ipv6_link_enable(const char *ifname, enum ipv6_privacy privacy, bool restart);
/* On for a manual address: no router advertisements, no SLAAC (the
 * link-local address stays, for neighbour discovery). */
int ipv6_link_enable_manual(const char *ifname, bool restart);
/* Off: the kernel drops every IPv6 address and route of the link. */
int ipv6_link_disable(const char *ifname);
