/* The smallest DNS client the online check needs: an A query and a strict
 * reading of its answer. Pure functions over bytes, fuzzed. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Writes a recursive A query for `name`; returns its length or -EINVAL. */
int dns_query_build_a(uint16_t id, const char *name, uint8_t *buf, size_t len);
/* Reads an answer to that query: 1 and the first A record's address (network
 * order) when there is one, 0 when the name has no A record (NXDOMAIN, empty
 * answer), -EBADMSG for anything malformed or not an answer to this query. */
int dns_answer_parse_a(const uint8_t *msg, size_t len, uint16_t id, const char *name,
		       uint32_t *address);
