/* VPN connections provisioned by *.config files in ConnMan's VPN format
 * (vpn-config.h) from a directory of their own (--vpn-config-dir): each
 * [provider_*] group is a connection, Immutable over D-Bus and never saved
 * as the user's; it appears, changes (removed and created again, as
 * ConnMan does) and disappears as its file is added, changed or removed.
 * A bad group is logged with its file and line and creates nothing. */
#pragma once

struct vpn;
struct vpn_provision;

struct vpn_provision *vpn_provision_new(struct vpn *vpn, const char *dir);
/* Leaves the connections to vpn (they go with it). Accepts NULL. */
void vpn_provision_free(struct vpn_provision *vp);
