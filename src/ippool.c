#include <errno.h>
#include <arpa/inet.h>

#include "ippool.h"

void ippool_default_ranges(struct ipv4_net ranges[IPPOOL_DEFAULT_RANGES])
{
	ranges[0] = (struct ipv4_net) { htonl(0xc0a80000), 16 };	/* 192.168.0.0/16 */
	ranges[1] = (struct ipv4_net) { htonl(0xac100000), 12 };	/* 172.16.0.0/12 */
	ranges[2] = (struct ipv4_net) { htonl(0x0a000000), 8 };	/* 10.0.0.0/8 */
}

static uint32_t mask_of(uint8_t prefix_len)
{
	return prefix_len ? ~0u << (32 - prefix_len) : 0;
}

bool ipv4_net_overlaps(const struct ipv4_net *a, const struct ipv4_net *b)
{
	uint8_t shorter = a->prefix_len < b->prefix_len ? a->prefix_len : b->prefix_len;
	uint32_t mask = mask_of(shorter);

	return (ntohl(a->address) & mask) == (ntohl(b->address) & mask);
}

static bool is_free(const struct ipv4_net *candidate, const struct ipv4_net *used,
		    unsigned int n_used)
{
	for (unsigned int i = 0; i < n_used; i++)
		if (ipv4_net_overlaps(candidate, &used[i]))
			return false;
	return true;
}

/* Walks the range's /24s from a seed-chosen start, wrapping once. */
static int pick_in_range(const struct ipv4_net *range, const struct ipv4_net *used,
			 unsigned int n_used, uint32_t seed, struct ipv4_net *out)
{
	uint32_t base = ntohl(range->address) & mask_of(range->prefix_len);
	uint32_t count = range->prefix_len >= 24 ? 1 : 1u << (24 - range->prefix_len);

	for (uint32_t i = 0; i < count; i++) {
		struct ipv4_net candidate = {
			.address = htonl(base + (((seed + i) % count) << 8)),
			.prefix_len = 24,
		};

		if (is_free(&candidate, used, n_used)) {
			*out = candidate;
			return 0;
		}
	}
	return -ENOSPC;
}

int ippool_pick(const struct ipv4_net *ranges, unsigned int n_ranges,
		const struct ipv4_net *used, unsigned int n_used, uint32_t seed,
		struct ipv4_net *out)
{
	for (unsigned int r = 0; r < n_ranges; r++)
		if (pick_in_range(&ranges[r], used, n_used, seed, out) == 0)
			return 0;
	return -ENOSPC;
}
