/* IPv6 on the tethering bridge: a /64 on it, router advertisements from
 * connd (ra-sender), a stateless DHCPv6 server, and the prefix followed as
 * the uplink changes.
 *
 * The /64 is one of the prefix delegated to the uplink (tether6-prefix.h),
 * or, with no delegation, the fallback: a unique local /64 (RFC 4193) that
 * the firewall masquerades out of the uplink (NAT66). Why not an ND proxy of
 * the uplink's /64: it needs the uplink to have a /64 on its link, and an
 * uplink that has only a /128 (a DHCPv6 IA_NA lease) or no IPv6 address at
 * all — a mobile network, most enterprise ones — has none to share; a ULA
 * works behind any uplink, IPv4-only ones included (clients keep local IPv6
 * and reach the DNS proxy over it; the router lifetime then says 0).
 *
 * A replaced /64 (a delegation came, went, or moved to another uplink's) is
 * announced deprecated — preferred lifetime 0, valid TETHER6_OLD_VALID_S —
 * for that long, then left out; the bridge's address moves at once. RAs
 * come from fe80::1, the same after every restart. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include "ipv6-prefix.h"
#include "tether6-prefix.h"
#include "tether6-ra.h"

struct rtnl;
struct tether6;

/* 3 x MaxRtrAdvInterval (600 s), RFC 4861 6.2.1's default. */
#define TETHER6_ROUTER_LIFETIME_S 1800
#define TETHER6_DNS_LIFETIME_S 1800

/* What the uplink offers now. */
struct tether6_uplink {
	const struct ipv6_prefix *delegated;	/* NULL: the ULA fallback */
	bool has_router;		/* an uplink with an IPv6 default route */
	bool dns;			/* connd's DNS proxy answers on the bridge */
	char **domains;			/* its search domains, for DNSSL and DHCPv6 */
	const char *ifname;		/* the uplink's link, for its MTU; NULL: none */
};

/* On the bridge `bridge` (ifindex), with the ULA's global ID. Returns NULL
 * and *err on failure. */
struct tether6 *tether6_start(struct rtnl *rtnl, int bridge, const uint8_t ula_id[TETHER6_ULA_ID_LEN],
			      const struct tether6_uplink *uplink, int *err);
/* Follows the uplink: re-addresses and re-announces when the /64 changes,
 * re-announces when anything announced changes. Returns 1 when the /64
 * changed (the NAT rule must follow), 0 when not, or -errno. */
int tether6_update(struct tether6 *t, const struct tether6_uplink *uplink);
/* A link joined the bridge: its hosts solicited before it did (it joins
 * once its DHCP gives up), so the RAs start over at once, fast initial
 * ones included. */
void tether6_link_joined(struct tether6 *t);
/* The final RAs (router and every prefix withdrawn), the server and the
 * address go. Accepts NULL. */
void tether6_stop(struct tether6 *t);

/* The bridge's address (::1 of the /64). */
const struct in6_addr *tether6_address(const struct tether6 *t);
/* "fdXX:...::/64" while the ULA fallback is in use (the firewall
 * masquerades it out of the uplink), NULL with a delegated prefix. */
const char *tether6_nat_subnet(const struct tether6 *t);
