/* What DHCPv6 keeps across restarts under the state directory: the device's
 * DUID (one for every link, RFC 8415 11), so that it keeps its identity and
 * its servers give it the same addresses, and each service's lease with the
 * wall-clock time it was saved, so that a restart confirms the addresses it
 * had (or rebinds them with the delegated prefix, which is asked for again)
 * with the lifetimes they have left. */
#pragma once

#include <stdint.h>

#include "dhcp6.h"

struct l_settings;

/* The DUID from DIR/dhcp6-duid; when there is none (or it is unreadable), a
 * DUID-LL from mac, written there. Returns 1 when read, 0 when made. */
int dhcp6_store_duid(const char *state_dir, const uint8_t mac[6], struct dhcp6_duid *duid);

/* The lease as settings, saved at now (seconds of the wall clock). */
void dhcp6_lease_to_settings(const struct dhcp6_lease *lease, uint64_t saved_at,
			     struct l_settings *s);
/* The lease as it stands at now: lifetimes and timers less the time since it
 * was saved (none when the clock went back), expired addresses and prefix
 * left out. Returns the number of addresses and prefixes left, or -EINVAL
 * when malformed. */
int dhcp6_lease_from_settings(const struct l_settings *s, uint64_t now,
			      struct dhcp6_lease *lease);

/* DIR/ID/dhcp6-lease. load returns what dhcp6_lease_from_settings does, or
 * -ENOENT. */
int dhcp6_store_save_lease(const char *state_dir, const char *id, const struct dhcp6_lease *lease);
int dhcp6_store_load_lease(const char *state_dir, const char *id, struct dhcp6_lease *lease);
void dhcp6_store_forget_lease(const char *state_dir, const char *id);
