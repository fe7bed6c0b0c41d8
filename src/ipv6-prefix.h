/* A prefix delegated to a link by DHCPv6 (IA_PD): what the uplink's DHCPv6
 * client hands to IPv6 tethering, which announces a /64 of it on the bridge. */
#pragma once

#include <netinet/in.h>
#include <stdint.h>

struct ipv6_prefix {
	struct in6_addr prefix;		/* host bits zero */
	uint8_t len;			/* 1..64: a /64 must fit in it */
	/* When the lifetimes run out, in l_time_now() microseconds;
	 * UINT64_MAX: infinite. */
	uint64_t preferred_until;
	uint64_t valid_until;
};
