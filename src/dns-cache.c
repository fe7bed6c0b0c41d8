#include <errno.h>
#include <string.h>
#include <ell/ell.h>

#include "dns-cache.h"
#include "dns-msg.h"

#define KEY_MAX (DNS_NAME_MAX + 5)
#define US_PER_S 1000000ull

struct key {
	uint16_t len;
	uint8_t bytes[KEY_MAX];
};

struct entry {
	struct key key;
	struct entry *newer, *older;	/* the LRU list */
	struct entry *next;		/* in its bucket */
	uint64_t stored_us, expires_us;
	/* Both in the entry's own allocation, after it: one malloc and one
	 * free per answer instead of three (a full cache evicts one entry per
	 * answer stored). */
	uint16_t *ttl_offsets;
	uint8_t *msg;
	size_t len;
	unsigned int n_ttls;
};

struct dns_cache {
	/* Our own table, sized to max_entries: ELL's l_hashmap has a fixed
	 * 127 buckets, so a full cache scanned chains of ~64 keys per lookup
	 * (a fifth of the proxy's time on cache misses). */
	struct entry **buckets;
	unsigned int mask;
	struct entry *newest, *oldest;
	unsigned int max_entries;
	size_t max_bytes;
	struct dns_cache_stats stats;
};

/* What makes two queries get the same answer. */
static void make_key(const struct dns_msg *q, struct key *key)
{
	uint8_t *p = key->bytes;

	memcpy(p, q->qname, q->qname_len);
	p += q->qname_len;
	*p++ = q->qtype >> 8;
	*p++ = q->qtype & 0xff;
	*p++ = q->qclass >> 8;
	*p++ = q->qclass & 0xff;
	*p++ = (uint8_t)(q->edns << 0 | q->dnssec_ok << 1 | q->checking_disabled << 2);
	key->len = (uint16_t)(p - key->bytes);
}

static unsigned int key_hash(const struct key *key)
{
	uint32_t h = 2166136261u;

	for (uint16_t i = 0; i < key->len; i++)
		h = (h ^ key->bytes[i]) * 16777619u;
	return h;
}

static struct entry **bucket(const struct dns_cache *cache, const struct key *key)
{
	return &cache->buckets[key_hash(key) & cache->mask];
}

static struct entry *lookup(const struct dns_cache *cache, const struct key *key)
{
	for (struct entry *e = *bucket(cache, key); e; e = e->next)
		if (e->key.len == key->len && !memcmp(e->key.bytes, key->bytes, key->len))
			return e;
	return NULL;
}

static void unhash(struct dns_cache *cache, const struct entry *e)
{
	struct entry **link = bucket(cache, &e->key);

	while (*link != e)
		link = &(*link)->next;
	*link = e->next;
}

static size_t entry_bytes(const struct entry *e)
{
	return sizeof(*e) + e->len + e->n_ttls * sizeof(uint16_t);
}

static void unlink_entry(struct dns_cache *cache, struct entry *e)
{
	if (e->newer)
		e->newer->older = e->older;
	else
		cache->newest = e->older;
	if (e->older)
		e->older->newer = e->newer;
	else
		cache->oldest = e->newer;
	e->newer = e->older = NULL;
}

static void push_newest(struct dns_cache *cache, struct entry *e)
{
	e->older = cache->newest;
	e->newer = NULL;
	if (cache->newest)
		cache->newest->newer = e;
	cache->newest = e;
	if (!cache->oldest)
		cache->oldest = e;
}

static void remove_entry(struct dns_cache *cache, struct entry *e)
{
	unhash(cache, e);
	unlink_entry(cache, e);
	cache->stats.entries--;
	cache->stats.bytes -= entry_bytes(e);
	l_free(e);
}

struct dns_cache *dns_cache_new(unsigned int max_entries, size_t max_bytes)
{
	struct dns_cache *cache = l_new(struct dns_cache, 1);
	unsigned int n = 16;

	while (n < max_entries && n < (1u << 24))
		n <<= 1;
	cache->buckets = l_new(struct entry *, n);
	cache->mask = n - 1;
	cache->max_entries = max_entries;
	cache->max_bytes = max_bytes;
	return cache;
}

void dns_cache_flush(struct dns_cache *cache)
{
	while (cache->oldest)
		remove_entry(cache, cache->oldest);
}

void dns_cache_free(struct dns_cache *cache)
{
	if (!cache)
		return;
	dns_cache_flush(cache);
	l_free(cache->buckets);
	l_free(cache);
}

static void make_room(struct dns_cache *cache, size_t bytes)
{
	while (cache->oldest && (cache->stats.entries + 1 > cache->max_entries ||
				 cache->stats.bytes + bytes > cache->max_bytes)) {
		remove_entry(cache, cache->oldest);
		cache->stats.evicted++;
	}
}

int dns_cache_put(struct dns_cache *cache, const struct dns_msg *query, const uint8_t *reply,
		  const struct dns_msg *reply_msg, uint64_t now_us)
{
	uint32_t ttl = dns_msg_cache_ttl(reply_msg);
	struct entry *e, *old;

	if (ttl == 0 || !dns_msg_same_question(query, reply_msg) ||
	    reply_msg->question_end != query->question_end)
		return 0;
	e = l_malloc(sizeof(*e) + reply_msg->n_ttls * sizeof(uint16_t) + reply_msg->end);
	memset(e, 0, sizeof(*e));
	make_key(query, &e->key);
	e->len = reply_msg->end;
	e->n_ttls = reply_msg->n_ttls;
	e->ttl_offsets = (uint16_t *)(e + 1);
	memcpy(e->ttl_offsets, reply_msg->ttl_offsets, e->n_ttls * sizeof(uint16_t));
	e->msg = (uint8_t *)(e->ttl_offsets + e->n_ttls);
	memcpy(e->msg, reply, e->len);
	e->stored_us = now_us;
	e->expires_us = now_us + ttl * US_PER_S;
	old = lookup(cache, &e->key);
	if (old)
		remove_entry(cache, old);
	make_room(cache, entry_bytes(e));
	if (entry_bytes(e) > cache->max_bytes || !cache->max_entries) {
		l_free(e);
		return 0;
	}
	e->next = *bucket(cache, &e->key);
	*bucket(cache, &e->key) = e;
	push_newest(cache, e);
	cache->stats.entries++;
	cache->stats.bytes += entry_bytes(e);
	cache->stats.stored++;
	return 1;
}

static void age_ttls(uint8_t *msg, const struct entry *e, uint32_t age)
{
	for (unsigned int i = 0; i < e->n_ttls; i++) {
		uint8_t *p = msg + e->ttl_offsets[i];
		uint32_t ttl = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];

		ttl = ttl & 0x80000000u || ttl <= age ? 0 : ttl - age;
		p[0] = ttl >> 24;
		p[1] = (ttl >> 16) & 0xff;
		p[2] = (ttl >> 8) & 0xff;
		p[3] = ttl & 0xff;
	}
}

int dns_cache_get(struct dns_cache *cache, const uint8_t *query, const struct dns_msg *query_msg,
		  uint64_t now_us, uint8_t *out, size_t out_size)
{
	struct key key;
	struct entry *e;

	make_key(query_msg, &key);
	e = lookup(cache, &key);
	if (e && now_us >= e->expires_us) {
		remove_entry(cache, e);
		cache->stats.expired++;
		e = NULL;
	}
	if (!e) {
		cache->stats.misses++;
		return 0;
	}
	if (out_size < e->len)
		return -ENOSPC;
	memcpy(out, e->msg, e->len);
	/* The client's ID, RD bit and spelling of the name (0x20 randomisation). */
	memcpy(out, query, 2);
	out[2] = (uint8_t)((out[2] & ~0x01) | (query[2] & 0x01));
	memcpy(out + DNS_HEADER_LEN, query + DNS_HEADER_LEN, query_msg->question_end - DNS_HEADER_LEN);
	age_ttls(out, e, (uint32_t)((now_us - e->stored_us) / US_PER_S));
	unlink_entry(cache, e);
	push_newest(cache, e);
	cache->stats.hits++;
	return (int)e->len;
}

void dns_cache_get_stats(const struct dns_cache *cache, struct dns_cache_stats *stats)
{
	*stats = cache->stats;
}
