/* The messages of the stub resolver (dns-resolver): an A or AAAA query and
 * a strict reading of its answer. Pure functions over bytes, fuzzed. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define DNS_TYPE_A 1
#define DNS_TYPE_AAAA 28

/* Writes a recursive query of `type` for `name`; returns its length or -EINVAL. */
int dns_query_build(uint16_t id, const char *name, uint16_t type, uint8_t *buf, size_t len);
/* Reads an answer to that query: 1 and the first record's address (4 octets
 * for A, 16 for AAAA, network order) when there is one, 0 when the name has
 * none (NXDOMAIN, empty answer), -EBADMSG for anything malformed or not an
 * answer to this query. */
int dns_answer_parse(const uint8_t *msg, size_t len, uint16_t id, const char *name,
		     uint16_t type, void *address);
