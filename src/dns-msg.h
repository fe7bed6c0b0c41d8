/* DNS messages as the proxy sees them: the question, the flags, EDNS0, where
 * every TTL sits and how long an answer may be cached. Pure functions over
 * bytes from the network, fuzzed. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns-name.h"

#define DNS_HEADER_LEN 12
#define DNS_UDP_MIN 512		/* what a client without EDNS0 accepts */
#define DNS_MSG_MAX 65535
/* An answer with more records than this is passed on but not cached. */
#define DNS_MAX_TTLS 96
/* Nothing is cached longer than a day, whatever the TTL says. */
#define DNS_CACHE_TTL_MAX 86400

enum dns_rcode {
	DNS_RCODE_NOERROR = 0,
	DNS_RCODE_FORMERR = 1,
	DNS_RCODE_SERVFAIL = 2,
	DNS_RCODE_NXDOMAIN = 3,
	DNS_RCODE_NOTIMP = 4,
	DNS_RCODE_REFUSED = 5,
};

struct dns_msg {
	uint16_t id;
	bool response, truncated, recursion_desired, checking_disabled;
	uint8_t opcode, rcode;
	/* The one question: its name in wire form, lowercased for matching. */
	uint8_t qname[DNS_NAME_MAX];
	uint8_t qname_len;
	uint16_t qtype, qclass;
	size_t question_end;	/* offset just past the question */
	size_t end;		/* offset just past the last record */
	bool edns, dnssec_ok;
	uint16_t udp_size;	/* the OPT record's payload size, when edns */
	uint16_t ancount;
	uint32_t min_ttl;	/* over every record but OPT; has_ttl says if any */
	bool has_ttl;
	uint32_t soa_ttl;	/* min(TTL, MINIMUM) of an SOA in the authority section */
	bool has_soa;
	uint16_t ttl_offsets[DNS_MAX_TTLS];
	unsigned int n_ttls;
	bool too_many_records;
};

/* Reads a message with exactly one question; 0, or -EBADMSG for anything
 * malformed (bounds, compression loops, labels, a second OPT record). */
int dns_msg_parse(const uint8_t *buf, size_t len, struct dns_msg *msg);
/* Same name (case-insensitively), type and class. */
bool dns_msg_same_question(const struct dns_msg *a, const struct dns_msg *b);
/* Seconds an answer may be cached: the smallest TTL of a positive answer,
 * the SOA's for a negative one (NXDOMAIN or no data); 0 when it must not be. */
uint32_t dns_msg_cache_ttl(const struct dns_msg *msg);
/* The largest UDP reply the sender of this query accepts. */
size_t dns_msg_udp_limit(const struct dns_msg *query);
/* Writes into out (at least msg->question_end bytes) a reply carrying only
 * the header and question of buf: with rcode, and the TC bit when truncated.
 * Returns its length. */
size_t dns_msg_short_reply(const uint8_t *buf, const struct dns_msg *msg, uint8_t rcode,
			   bool truncated, uint8_t *out);
