/* IPv4 configuration of a service as ConnMan's API carries it
 * (Method/Address/Netmask/Gateway), parsed and validated without side effects. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ipv4_method {
	IPV4_METHOD_OFF,
	IPV4_METHOD_DHCP,
	IPV4_METHOD_MANUAL,
	IPV4_METHOD_FIXED,
	IPV4_METHOD_AUTO,	/* a link-local address: shown, never asked for */
};

/* Addresses in network byte order. */
struct ipv4_settings {
	enum ipv4_method method;
	uint32_t address;
	uint8_t prefix_len;
	uint32_t gateway;
};

const char *ipv4_method_name(enum ipv4_method method);
/* Only the methods a client may ask for: dhcp, manual, off; -ENOTSUP for
 * auto (IPv6's, as ConnMan answers it), -EINVAL for anything else. */
int ipv4_method_parse(const char *name, enum ipv4_method *method);

int ipv4_parse_address(const char *text, uint32_t *address);
/* Accepts a dotted netmask ("255.255.255.0") or a prefix length ("24"). */
int ipv4_parse_netmask(const char *text, uint8_t *prefix_len);
uint32_t ipv4_prefix_to_mask(uint8_t prefix_len);

/* Checks a manual configuration: unicast address, not the network or broadcast
 * address of its subnet, gateway (if any) a unicast address inside the subnet,
 * neither the address itself nor the subnet's network or broadcast address. Returns 0 or
 * -EINVAL with a readable reason in `why`. */
int ipv4_settings_validate(const struct ipv4_settings *s, char *why, size_t why_len);

/* Dotted-quad text of a network-order address into buf (16 bytes). */
const char *ipv4_ntop(uint32_t address, char *buf);
