/* IPv4 link-local addresses (RFC 3927) for a link where DHCP finds no
 * server — two machines on one cable, say: an address in 169.254.1.0 to
 * 169.254.254.255, the first one derived from the MAC so a machine keeps it
 * across restarts, probed and then defended with ELL's address conflict
 * detection; a conflict moves to another one. */
#pragma once

#include <stdint.h>

struct ipv4ll;

/* address: network order, 0 when the held address was lost to a conflict. */
typedef void (*ipv4ll_cb_t)(uint32_t address, void *user_data);

/* Returns NULL when the link cannot probe (no packet socket). */
struct ipv4ll *ipv4ll_start(int ifindex, const uint8_t mac[6], ipv4ll_cb_t cb, void *user_data);
void ipv4ll_stop(struct ipv4ll *ll);		/* accepts NULL */

/* The address for a 32-bit value: pure, for the first pick and the tests. */
uint32_t ipv4ll_address(uint32_t value);
/* A MAC's own value: FNV-1a over its six octets. */
uint32_t ipv4ll_seed(const uint8_t mac[6]);
