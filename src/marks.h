/* How connd uses packet and conntrack marks, and its routing tables.
 *
 * A session's packets carry the routing slot of the service they must leave
 * through in MARK_SLOT bits; one `ip rule fwmark SLOT/MASK lookup TABLE` per
 * service sends them to that service's table (from the first session on:
 * routing_slot_rules_on). MARK_SLOT_UNREACHABLE means no
 * allowed service is up: the rule answers unreachable, so traffic never leaks
 * onto a service the session may not use. IPv6 has the same rules and
 * tables. The session's id lives in the
 * conntrack mark's MARK_SESSION bits for counting. Bits outside both masks are
 * left to other software.
 */
#pragma once

#define MARK_SLOT_SHIFT		20
#define MARK_SLOT_MASK		0x0ff00000u
#define MARK_SLOT_MAX		254u		/* slots 1..254 name services */
#define MARK_SLOT_UNREACHABLE	255u
#define MARK_SESSION_MASK	0x0007ffffu	/* session ids 1..524287 */
/* Set (SO_MARK) on connd's own sockets: its DHCP, DNS and online-check
 * traffic must leave where it was bound, whatever sessions exist. */
#define MARK_OWN		0x00080000u

#define MARK_FOR_SLOT(slot)	((unsigned int)(slot) << MARK_SLOT_SHIFT)

#define ROUTE_TABLE_BASE	0x636f0000u	/* "co" + slot: far from common table numbers */
#define ROUTE_TABLE_FOR_SLOT(slot) (ROUTE_TABLE_BASE + (slot))
#define RULE_PRIORITY_SESSION	9000u		/* before main (32766) */
#define RULE_PRIORITY_SOURCE	8900u		/* SourceIPRule "from ADDR" rules */
