/* The order of services, as ConnMan ranks them: the first connected one is
 * the default service. Pure, so every rule is unit-tested: the manager fills
 * a key per service and sorts by service_rank_compare(). */
#pragma once

#include <stdint.h>

#include "service-state.h"

struct service_rank_key {
	enum service_state state;
	int carries_default;		/* 1: a connected VPN without split routing */
	int unrouted;			/* 1: neither an IPv4 gateway nor an IPv6 router */
	int favorite;			/* 0 or 1 */
	const char *type;		/* "ethernet", "wifi", ... */
	int preferred;			/* index in PreferredTechnologies; -1: not listed */
	int user;			/* position the user gave (MoveBefore/After); -1: none */
	unsigned int order;		/* the bearer's tie-break (the -i pattern's position) */
	uint8_t strength;
	const char *id;
};

/* <0 when a goes before b. In turn: connected before connecting before the
 * rest, a VPN carrying the default route first (as ConnMan's), online before ready; a service with a default route before one
 * without (it cannot carry traffic beyond its link); favorites first; PreferredTechnologies in its
 * order; the user's order; ConnMan's order of types (ethernet, wifi,
 * cellular, bluetooth, vpn, gadget); the bearer's order; the stronger
 * signal; the identifier. */
int service_rank_compare(const struct service_rank_key *a, const struct service_rank_key *b);

/* Which rank class a state is in: 0 connected, 1 connecting, 2 the rest. */
int service_rank_class(enum service_state state);

/* Position of `type` in `list` (NULL-terminated), -1 when absent. */
int service_rank_index(char *const *list, const char *type);
