/* The tethering subnet: a /24 from candidate ranges that overlaps nothing in
 * use (addresses and routes on every link), picked deterministically from a
 * seed so that two devices are unlikely to choose the same one. Pure. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct ipv4_net {
	uint32_t address;	/* network byte order */
	uint8_t prefix_len;
};

/* Picks a /24 inside one of `ranges` (tried in order) that overlaps none of
 * `used`. Returns 0 and the subnet in *out, or -ENOSPC. */
int ippool_pick(const struct ipv4_net *ranges, unsigned int n_ranges,
		const struct ipv4_net *used, unsigned int n_used, uint32_t seed,
		struct ipv4_net *out);
/* ConnMan's ranges, in its order of preference: 192.168/16, 172.16/12, 10/8. */
#define IPPOOL_DEFAULT_RANGES 3
void ippool_default_ranges(struct ipv4_net ranges[IPPOOL_DEFAULT_RANGES]);

bool ipv4_net_overlaps(const struct ipv4_net *a, const struct ipv4_net *b);
