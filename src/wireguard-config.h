/* A WireGuard connection's settings, ConnMan's provider keys read into what
 * the kernel is told: WireGuard.PrivateKey, .PublicKey (the peer's),
 * .PresharedKey (base64 of 32 bytes, strictly: 44 characters, canonical),
 * .Address (one IPv4 and/or one IPv6 ADDR[/PREFIX]), .AllowedIPs
 * (NET/PREFIX, ...), .EndpointPort (default 51820), .ListenPort,
 * .PersistentKeepalive (seconds), .DNS (addresses); lists separated by
 * commas and/or spaces. Pure: the values come from D-Bus and files, so
 * each is checked and counts are bounded. Never logs (keys are secrets). */
#pragma once

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#define WG_KEY_BYTES 32
#define WG_MAX_ALLOWED_IPS 64
#define WG_MAX_DNS 8
#define WG_DEFAULT_PORT 51820

struct wg_allowed_ip {
	uint16_t family;	/* AF_INET, AF_INET6 */
	uint8_t addr[16];	/* masked to cidr */
	uint8_t cidr;
};

struct wg_config {
	uint8_t private_key[WG_KEY_BYTES];
	uint8_t public_key[WG_KEY_BYTES];
	uint8_t preshared_key[WG_KEY_BYTES];
	bool has_preshared_key;
	uint16_t listen_port;		/* 0: the kernel chooses */
	uint16_t keepalive;		/* 0: off */
	uint32_t fwmark;		/* set by the caller */
	union {
		struct sockaddr_in v4;
		struct sockaddr_in6 v6;
	} endpoint;			/* family AF_INET or AF_INET6 */
	struct wg_allowed_ip allowed[WG_MAX_ALLOWED_IPS];
	unsigned int n_allowed;
	uint32_t address;		/* network byte order; 0: none */
	uint8_t prefix_len;
	struct in6_addr address6;	/* unspecified: none */
	uint8_t prefix_len6;
	char dns[WG_MAX_DNS][INET6_ADDRSTRLEN];
	unsigned int n_dns;
};

/* 0, or -EINVAL unless `text` is the base64 of exactly 32 bytes. */
int wg_key_parse(const char *text, uint8_t key[WG_KEY_BYTES]);
/* Whether `key` is one of the provider keys above, and its value valid. */
bool wg_key_known(const char *key);
bool wg_value_valid(const char *key, const char *value);
/* The secret ones, kept but never shown: PrivateKey, PresharedKey. */
bool wg_key_secret(const char *key);
/* From "WireGuard.X", value, ... pairs and the endpoint's address (Host):
 * 0, or -EINVAL with *why naming the missing or bad key. Clears the keys'
 * copies it made on the way. */
int wg_config_parse(char **keys, const char *host, struct wg_config *cfg, const char **why);
/* Zeroes the keys. */
void wg_config_clear(struct wg_config *cfg);
