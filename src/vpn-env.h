/* What OpenVPN tells its --up script in the environment (the pushed
 * address, routes and DNS), read into a typed configuration. Pure: the
 * text comes from outside (the server pushes it), so every value is
 * checked, the counts bounded, and anything malformed left out with a
 * reason rather than trusted. */
#pragma once

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#define VPN_ENV_MAX_ROUTES 64
#define VPN_ENV_MAX_DNS 8

struct vpn_env_route4 {
	uint32_t network;	/* network byte order */
	uint8_t prefix_len;
	uint32_t gateway;	/* route_gateway_N; 0: none named */
};

struct vpn_env_route6 {
	struct in6_addr network;
	uint8_t prefix_len;
	struct in6_addr gateway;	/* route_ipv6_gateway_N; unspecified: none */
};

struct vpn_env {
	char dev[IF_NAMESIZE];
	uint32_t address;		/* ifconfig_local; 0: none */
	uint8_t prefix_len;		/* from ifconfig_netmask; 32 on a point-to-point link */
	uint32_t peer;			/* ifconfig_remote (net30, p2p); 0: none */
	uint32_t server;		/* trusted_ip: the server openvpn reached */
	/* dev_type "tap": an Ethernet link, where routes need a gateway to
	 * reach beyond the link's own subnet (a tun needs none). */
	bool link_layer;
	uint32_t vpn_gateway;		/* route_vpn_gateway; 0: none */
	struct in6_addr peer6;		/* ifconfig_ipv6_remote; unspecified: none */
	struct in6_addr address6;	/* ifconfig_ipv6_local; unspecified: none */
	uint8_t prefix_len6;
	struct in6_addr server6;	/* trusted_ip6 */
	struct vpn_env_route4 routes[VPN_ENV_MAX_ROUTES];
	unsigned int n_routes;
	struct vpn_env_route6 routes6[VPN_ENV_MAX_ROUTES];
	unsigned int n_routes6;
	/* Only these routes go through the tunnel: no default route unless
	 * one of them is a /0 (WireGuard's AllowedIPs); false for OpenVPN. */
	bool routes_only;
	char **nameservers;		/* dhcp-option DNS/DNS6, NULL when none */
	char **domains;			/* dhcp-option DOMAIN/DOMAIN-SEARCH */
};

/* Reads "KEY=VALUE" entries (vars[n]); keys it does not know are ignored.
 * -EINVAL when no device is named or nothing usable came (neither an IPv4
 * nor an IPv6 address). */
int vpn_env_parse(char *const *vars, unsigned int n, struct vpn_env *env);
void vpn_env_clear(struct vpn_env *env);
/* Whether a key is one the parser reads: the helper forwards only these,
 * so nothing else of openvpn's environment reaches connd. */
bool vpn_env_wanted(const char *key, size_t len);
