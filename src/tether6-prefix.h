/* Which /64 the tethering bridge takes (pure functions, no I/O).
 *
 * With a prefix delegated to the uplink, the bridge takes the /64 of it
 * numbered TETHER6_SUBNET_ID: the same delegation gives the same /64 after a
 * restart or a renewal, so clients keep their addresses. A /64 delegation is
 * that /64 itself.
 *
 * Without one, a unique local /64 (RFC 4193): fd00::/8, a 40-bit random
 * global ID made once and kept in the settings file (so the LAN keeps its
 * prefix across restarts), subnet ID 0. The bridge's own address is ::1 of
 * the /64 it takes. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "ipv6-prefix.h"

#define TETHER6_SUBNET_ID 1
#define TETHER6_ULA_ID_LEN 5
/* Ten hex digits and the terminating NUL. */
#define TETHER6_ULA_ID_TEXT (2 * TETHER6_ULA_ID_LEN + 1)

/* The /64 of `delegated` numbered `subnet_id` (its bits beyond the
 * delegation's are ignored). Returns 0, or -EINVAL for a delegation
 * longer than /64 or of length 0. */
int tether6_subnet(const struct ipv6_prefix *delegated, uint16_t subnet_id, struct in6_addr *out);

/* fdXX:XXXX:XXXX::/64 from a 40-bit global ID. */
void tether6_ula(const uint8_t id[TETHER6_ULA_ID_LEN], struct in6_addr *out);

/* The global ID as ten lowercase hex digits, and back: 0 or -EINVAL for
 * anything else (length, digits); `id` is untouched on failure. */
void tether6_ula_id_format(const uint8_t id[TETHER6_ULA_ID_LEN], char text[TETHER6_ULA_ID_TEXT]);
int tether6_ula_id_parse(const char *text, uint8_t id[TETHER6_ULA_ID_LEN]);

/* ::1 of a /64: the bridge's address. */
void tether6_router_address(const struct in6_addr *subnet, struct in6_addr *out);
