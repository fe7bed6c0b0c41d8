/* The proxy's answer cache: whole reply messages keyed by their question
 * (and the EDNS0/DO/CD bits that change an answer), served with TTLs aged by
 * the time spent in the cache, bounded in entries and bytes with
 * least-recently-used eviction. Time is passed in, so tests control it. */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct dns_cache;
struct dns_msg;

struct dns_cache_stats {
	unsigned long hits, misses, stored, evicted, expired;
	unsigned int entries;
	size_t bytes;
};

struct dns_cache *dns_cache_new(unsigned int max_entries, size_t max_bytes);
void dns_cache_free(struct dns_cache *cache);
void dns_cache_flush(struct dns_cache *cache);
/* Stores a reply to a query for as long as dns_msg_cache_ttl() allows;
 * returns 1 when stored, 0 when the reply may not be cached. */
int dns_cache_put(struct dns_cache *cache, const struct dns_msg *query, const uint8_t *reply,
		  const struct dns_msg *reply_msg, uint64_t now_us);
/* Writes the cached reply to a query into out, with the query's ID, its
 * question as the client spelled it and aged TTLs. Returns its length, 0 on
 * a miss, -ENOSPC when out is too small. */
int dns_cache_get(struct dns_cache *cache, const uint8_t *query, const struct dns_msg *query_msg,
		  uint64_t now_us, uint8_t *out, size_t out_size);
void dns_cache_get_stats(const struct dns_cache *cache, struct dns_cache_stats *stats);
