/* The prefixes IPv6 tethering announces, as the /64 moves (pure functions
 * over the caller's state and clock, for tests): the current /64 with
 * RFC 9096's lifetimes within the delegation's own, and each /64 it
 * replaced deprecated — preferred lifetime 0, valid TETHER6_OLD_VALID_S —
 * until that runs out; the oldest goes first when there is no room. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include "ra-build.h"

/* RFC 9096's ND_PREFERRED_LIMIT and ND_VALID_LIMIT. */
#define TETHER6_PREFERRED_S 2700
#define TETHER6_VALID_S 5400
#define TETHER6_OLD_VALID_S 120
#define TETHER6_MAX_OLD (RA_MAX_PREFIXES - 1)

struct tether6_prefixes {
	struct in6_addr current;		/* a /64 */
	uint64_t preferred_until;		/* l_time_now() µs; UINT64_MAX: for ever */
	uint64_t valid_until;
	struct {
		struct in6_addr prefix;
		uint64_t until;
	} old[TETHER6_MAX_OLD];
	unsigned int n_old;
};

/* The /64 becomes `next` at `now` (µs): the current one is retired, and
 * `next`, if it was retired before, is current again. */
void tether6_prefixes_move(struct tether6_prefixes *p, const struct in6_addr *next,
			   uint64_t preferred_until, uint64_t valid_until, uint64_t now);
/* Leaves out the retired /64s whose time ran out. Returns whether any did,
 * and in *next the time of the next one to go (UINT64_MAX: none). */
bool tether6_prefixes_expire(struct tether6_prefixes *p, uint64_t now, uint64_t *next);
/* Writes the Prefix Information of `p` at `now` into ra (its prefixes
 * replaced): the current /64 first, on-link and autonomous. */
void tether6_prefixes_announce(const struct tether6_prefixes *p, uint64_t now,
			       struct ra_content *ra);
