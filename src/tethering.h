/* Tethering: a bridge `tether` holding the tethered links, a subnet from the
 * pool on it, the DHCP server, IPv4 forwarding, and NAT out of any uplink
 * through the firewall owner; and IPv6 on the bridge (tether6.h) with IPv6
 * forwarding. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ippool.h"
#include "tether6.h"

struct firewall;
struct rtnl;
struct tethering;

#define TETHER_BRIDGE "tether"

/* used: subnets in use elsewhere (the pool avoids them); preferred: a /24
 * to take if it is free (the one of before a restart), or NULL; dns: the
 * uplink's nameserver (dotted) to redirect clients' DNS to, NULL for none. */
struct tethering *tethering_start(struct rtnl *rtnl, struct firewall *fw,
				  const int *ifindexes, unsigned int n,
				  const struct ipv4_net *used, unsigned int n_used,
				  const struct ipv4_net *preferred, const char *dns, int *err);
/* A link joins the bridge (tethering already on). */
int tethering_add_link(struct tethering *t, int ifindex);
/* A link leaves the bridge (its technology stopped tethering). */
int tethering_remove_link(struct tethering *t, int ifindex);
/* A bridged link is gone from the kernel: no longer ours to release. */
void tethering_forget_link(struct tethering *t, int ifindex);
bool tethering_has_link(const struct tethering *t, int ifindex);
const int *tethering_links(const struct tethering *t, unsigned int *n);
/* Removes the bridge, the server and the rules; restores forwarding. */
void tethering_stop(struct tethering *t);
/* IPv4 forwarding as it was before tethering turned it on, '0' or '1'. The
 * manager keeps it in its settings: after a crash the switch is still on,
 * and the value from before the first start is the one to restore. */
char tethering_forwarding_before(const struct tethering *t);
void tethering_set_forwarding_before(struct tethering *t, char value);
/* Sets our namespace's forwarding switch back when tethering does not come
 * back after a crash. */
void tethering_restore_forwarding(char value);
/* used: subnets in use elsewhere (not the bridge's own). When one overlaps
 * ours, move to one that overlaps none (bridge address, a new DHCP server
 * without the old leases, rules); clients learn it when they renew or
 * rebind (a DHCPNAK) or their lease runs out. Returns 1 when it moved, 0
 * when there was no conflict, -ENOSPC when no subnet is free. */
int tethering_avoid(struct tethering *t, const struct ipv4_net *used, unsigned int n_used);

/* The uplink's nameserver changed (failover, renumbering upstream). */
int tethering_set_dns(struct tethering *t, const char *dns);
const struct ipv4_net *tethering_subnet(const struct tethering *t);
uint32_t tethering_address(const struct tethering *t);
int tethering_ifindex(const struct tethering *t);	/* the bridge's */	/* the bridge's, network order */
struct dhcp_server *tethering_dhcp(const struct tethering *t);
/* fn is called when the DHCP server binds or releases a lease (not when one
 * expires: nothing happens then). */
void tethering_set_lease_watch(struct tethering *t, void (*fn)(void *data), void *data);

/* IPv6 on the bridge (tether6.h) and IPv6 forwarding on; a failure leaves
 * IPv4 tethering as it is. */
int tethering_start_ipv6(struct tethering *t, const uint8_t ula_id[TETHER6_ULA_ID_LEN],
			 const struct tether6_uplink *uplink);
/* The uplink changed: the /64, the RAs and the NAT66 rule follow. */
int tethering_set_ipv6(struct tethering *t, const struct tether6_uplink *uplink);
/* The bridge's IPv6 address, NULL while IPv6 is not on. */
const struct in6_addr *tethering_address6(const struct tethering *t);
/* IPv6 forwarding (conf/all/forwarding) before tethering set it, as for
 * IPv4 above; 0 while IPv6 is not on. */
char tethering_forwarding6_before(const struct tethering *t);
void tethering_set_forwarding6_before(struct tethering *t, char value);
void tethering_restore_forwarding6(char value);
