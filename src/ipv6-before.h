/* The IPv6 sysctls of a service's link as they were before connd, kept in
 * STATE_DIR/<service id>/ipv6-before from the moment connd first changes
 * them until it puts them back. Without it a kill -9 made the next run read
 * connd's own values (accept_ra=2, disable_ipv6=1) as the link's and
 * "restore" those at its clean stop. Keyed by service id, as the values
 * belong to the device: its id follows it across a rename, where an
 * interface name may come back on another device. */
#pragma once

#include "ipv6-link.h"

/* What the link had before connd: the saved values when a run that did not
 * stop cleanly left some (returns 1), else the link's current ones, which
 * are then saved (returns 0). Negative errno when neither can be had. */
int ipv6_before_take(const char *state_dir, const char *id, const char *ifname,
		     struct ipv6_link_saved *saved);
/* Writes them back to the link and forgets the saved copy, also when the
 * link is gone (-ENOENT: nothing left to restore). */
int ipv6_before_give_back(const char *state_dir, const char *id, const char *ifname,
			  const struct ipv6_link_saved *saved);
