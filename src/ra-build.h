/* Router advertisements as a router sends them (RFC 4861, 4.2), and the
 * check of the router solicitations it answers (4.1, 6.1.1). Pure functions
 * over caller-owned buffers: every write is bounded by the buffer's size, so
 * a content that does not fit fails whole instead of being cut.
 *
 * The options built are, in this order: Source Link-Layer Address, MTU,
 * Prefix Information (one per prefix), RDNSS and DNSSL (RFC 8106). The
 * checksum is left 0: the kernel fills it in for ICMPv6 raw sockets. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "dns-name.h"

#define RA_MAX_PREFIXES 4
#define RA_MAX_SERVERS 4
#define RA_MAX_DOMAINS 4
#define RA_HEADER_LEN 16
/* Room for the largest content this module builds: 16 + 8 + 8 + 4 * 32
 * + (8 + 4 * 16) + (8 + 4 * 255), padded. It is over what a link of the
 * minimum IPv6 MTU carries only with four 253-character domains. */
#define RA_MAX_LEN 1264

struct ra_prefix {
	struct in6_addr prefix;		/* bits past len are sent as zeros */
	uint8_t len;
	bool on_link;			/* L flag */
	bool autonomous;		/* A flag: hosts may make SLAAC addresses */
	uint32_t valid;			/* seconds; 0 withdraws the prefix */
	uint32_t preferred;		/* seconds, at most valid */
};

struct ra_content {
	uint8_t cur_hop_limit;		/* 0: unspecified */
	bool managed;			/* M flag: addresses from DHCPv6 */
	bool other;			/* O flag: other settings from DHCPv6 */
	uint16_t router_lifetime;	/* seconds; 0: "I am no longer a router" */
	uint32_t reachable_ms;		/* 0: unspecified */
	uint32_t retrans_ms;		/* 0: unspecified */
	bool has_lladdr;
	uint8_t lladdr[6];		/* the sender's Ethernet address */
	uint32_t mtu;			/* 0: no MTU option */
	struct ra_prefix prefixes[RA_MAX_PREFIXES];
	unsigned int n_prefixes;
	struct in6_addr servers[RA_MAX_SERVERS];
	unsigned int n_servers;
	uint32_t dns_lifetime;		/* of both RDNSS and DNSSL */
	char domains[RA_MAX_DOMAINS][DNS_NAME_TEXT_MAX];	/* "example.com" */
	unsigned int n_domains;
};

/* Writes the RA for `ra` into buf. Returns its length, -EINVAL for a
 * content no host may be sent (too many entries, a prefix length over 128,
 * preferred over valid lifetime, a domain that is no DNS name), or -ENOSPC
 * when it does not fit in `size`; buf's contents are then unspecified. */
int ra_build(const struct ra_content *ra, uint8_t *buf, size_t size);

/* Turns `ra` into its own withdrawal (RFC 4861, 6.2.5): router lifetime 0,
 * every prefix's lifetimes 0, RDNSS and DNSSL lifetimes 0. */
void ra_withdraw(struct ra_content *ra);

/* Whether an ICMPv6 message (from its type octet, as a raw socket reads
 * it) is a valid router solicitation per RFC 4861, 6.1.1, minus the hop
 * limit and checksum the caller and the kernel check: code 0, at least 8
 * octets, every option of non-zero length within the message, and no
 * Source Link-Layer Address option when the source was the unspecified
 * address. Returns 0 or -EBADMSG. */
int ra_check_solicit(const uint8_t *msg, size_t len, bool from_unspecified);
