/* Nameservers and search domains from router advertisements (RFC 8106),
 * and the Captive-Portal API URI (RFC 8910): the RDNSS, DNSSL and Captive
 * Portal options the kernel passes on as RTM_NEWNDUSEROPT.
 * The options come from the network: every length is checked. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define ND_OPT_RDNSS 25
#define ND_OPT_DNSSL 31
#define ND_OPT_CAPTIVE_PORTAL 37
#define ND_MAX_SERVERS 8
#define ND_MAX_DOMAINS 8

struct nd_dns_info {
	struct in6_addr servers[ND_MAX_SERVERS];
	uint32_t server_lifetime[ND_MAX_SERVERS];	/* seconds; 0: withdraw it */
	unsigned int n_servers;
	char domains[ND_MAX_DOMAINS][254];		/* dotted, no final dot */
	uint32_t domain_lifetime[ND_MAX_DOMAINS];
	unsigned int n_domains;
	bool truncated;		/* entries beyond the limits were dropped */
	/* printable ASCII without spaces; "" when absent, too long or malformed */
	char captive_portal[256];
};

/* Parses a run of ND options (type, length in units of 8 octets, data).
 * Appends what RDNSS and DNSSL carry to `info` (beyond the limits, entries
 * are dropped and `truncated` set), keeps the last Captive Portal option's URI, and skips every
 * other option. Returns 0, or -EBADMSG when
 * an option's length runs past the data or is zero; what was parsed before
 * stays. */
int nd_parse_dns_options(const uint8_t *data, size_t len, struct nd_dns_info *info);
