/* The DNS proxy's pure parts: reading messages (questions, TTLs, EDNS0,
 * SOA) and the cache (aging, negative answers, keys, bounds, eviction). */
#include <errno.h>
#include <string.h>
#include <ell/ell.h>

#include "check.h"
#include "dns-cache.h"
#include "dns-msg.h"

#define SEC 1000000ull

struct builder {
	uint8_t buf[1024];
	size_t len;
};

static void put(struct builder *b, const void *data, size_t n)
{
	memcpy(b->buf + b->len, data, n);
	b->len += n;
}

static void put16(struct builder *b, uint16_t v)
{
	uint8_t x[2] = { v >> 8, v & 0xff };

	put(b, x, 2);
}

static void put32(struct builder *b, uint32_t v)
{
	put16(b, v >> 16);
	put16(b, v & 0xffff);
}

/* Header and question ("Who.Example" in the spelling given). */
static void start(struct builder *b, uint16_t id, uint16_t flags, const char *label1,
		  uint16_t type, uint16_t an, uint16_t ns, uint16_t ar)
{
	b->len = 0;
	put16(b, id);
	put16(b, flags);
	put16(b, 1);
	put16(b, an);
	put16(b, ns);
	put16(b, ar);
	b->buf[b->len++] = (uint8_t)strlen(label1);
	put(b, label1, strlen(label1));
	put(b, "\x07" "example", 8);
	b->buf[b->len++] = 0;
	put16(b, type);
	put16(b, 1);
}

static void a_record(struct builder *b, uint32_t ttl, uint8_t last)
{
	put16(b, 0xc00c);
	put16(b, 1);
	put16(b, 1);
	put32(b, ttl);
	put16(b, 4);
	put(b, (uint8_t[]) { 192, 0, 2, last }, 4);
}

static void soa_record(struct builder *b, uint32_t ttl, uint32_t minimum)
{
	put16(b, 0xc00c);
	put16(b, 6);
	put16(b, 1);
	put32(b, ttl);
	put16(b, 2 + 2 + 20);
	put(b, "\x00\x00", 2);	/* mname, rname: the root, for brevity */
	put(b, "\x00\x00", 2);
	put32(b, 1);
	put32(b, 2);
	put32(b, 3);
	put32(b, 4);
	put32(b, minimum);
}

static void opt_record(struct builder *b, uint16_t size, bool dnssec_ok)
{
	b->buf[b->len++] = 0;
	put16(b, 41);
	put16(b, size);
	put32(b, dnssec_ok ? 0x8000 : 0);
	put16(b, 0);
}

static uint32_t ttl_at(const uint8_t *msg, size_t off)
{
	return (uint32_t)msg[off] << 24 | msg[off + 1] << 16 | msg[off + 2] << 8 | msg[off + 3];
}

static void test_parse(void)
{
	struct builder b;
	struct dns_msg m;
	char text[64];

	start(&b, 0x1234, 0x0100, "Who", 1, 0, 0, 1);
	opt_record(&b, 4096, true);
	CHECK_INT(dns_msg_parse(b.buf, b.len, &m), 0);
	CHECK(!m.response);
	CHECK(m.recursion_desired);
	CHECK(m.edns && m.dnssec_ok);
	CHECK_INT(m.udp_size, 4096);
	CHECK_INT(dns_msg_udp_limit(&m), 4096);
	CHECK_INT(m.qname_len, 13);
	CHECK(!memcmp(m.qname, "\x03who\x07" "example\x00", 13));
	dns_name_to_text(m.qname, text, sizeof(text));
	CHECK_STR(text, "who.example");

	start(&b, 1, 0x8180, "www", 1, 2, 0, 0);
	a_record(&b, 300, 1);
	a_record(&b, 60, 2);
	CHECK_INT(dns_msg_parse(b.buf, b.len, &m), 0);
	CHECK(m.response);
	CHECK_INT(m.n_ttls, 2);
	CHECK_INT(dns_msg_cache_ttl(&m), 60);
	CHECK_INT(dns_msg_udp_limit(&m), 512);

	/* Truncated, cut short, a second question, a pointer loop, a forward pointer. */
	CHECK_INT(dns_msg_parse(b.buf, b.len - 1, &m), -EBADMSG);
	CHECK_INT(dns_msg_parse(b.buf, 11, &m), -EBADMSG);
	b.buf[5] = 2;
	CHECK_INT(dns_msg_parse(b.buf, b.len, &m), -EBADMSG);
	b.buf[5] = 1;
	b.buf[b.len - 16] = 0xc0;
	b.buf[b.len - 15] = (uint8_t)(b.len - 16);
	CHECK_INT(dns_msg_parse(b.buf, b.len, &m), -EBADMSG);
	b.buf[b.len - 15] = 0xff;
	CHECK_INT(dns_msg_parse(b.buf, b.len, &m), -EBADMSG);
	/* Two OPT records. */
	start(&b, 1, 0x0100, "a", 1, 0, 0, 2);
	opt_record(&b, 1232, false);
	opt_record(&b, 1232, false);
	CHECK_INT(dns_msg_parse(b.buf, b.len, &m), -EBADMSG);
}

static void test_negative_ttl(void)
{
	struct builder b;
	struct dns_msg m;

	/* NXDOMAIN: the smaller of the SOA's TTL and its MINIMUM. */
	start(&b, 1, 0x8183, "nope", 1, 0, 1, 0);
	soa_record(&b, 900, 120);
	CHECK_INT(dns_msg_parse(b.buf, b.len, &m), 0);
	CHECK_INT(dns_msg_cache_ttl(&m), 120);
	start(&b, 1, 0x8183, "nope", 1, 0, 1, 0);
	soa_record(&b, 30, 120);
	dns_msg_parse(b.buf, b.len, &m);
	CHECK_INT(dns_msg_cache_ttl(&m), 30);
	/* No SOA: not cacheable. SERVFAIL and truncated answers never are. */
	start(&b, 1, 0x8183, "nope", 1, 0, 0, 0);
	dns_msg_parse(b.buf, b.len, &m);
	CHECK_INT(dns_msg_cache_ttl(&m), 0);
	start(&b, 1, 0x8182, "www", 1, 1, 0, 0);
	a_record(&b, 300, 1);
	dns_msg_parse(b.buf, b.len, &m);
	CHECK_INT(dns_msg_cache_ttl(&m), 0);
	start(&b, 1, 0x8380, "www", 1, 1, 0, 0);
	a_record(&b, 300, 1);
	dns_msg_parse(b.buf, b.len, &m);
	CHECK_INT(dns_msg_cache_ttl(&m), 0);
	/* A TTL with the top bit set counts as zero. */
	start(&b, 1, 0x8180, "www", 1, 1, 0, 0);
	a_record(&b, 0x80000010, 1);
	dns_msg_parse(b.buf, b.len, &m);
	CHECK_INT(dns_msg_cache_ttl(&m), 0);
}

static void test_cache(void)
{
	struct dns_cache *cache = dns_cache_new(100, 1 << 20);
	struct builder q, r;
	struct dns_msg qm, rm;
	uint8_t out[1024];
	size_t ttl_off;
	int n;

	start(&q, 0x1111, 0x0100, "www", 1, 0, 0, 0);
	dns_msg_parse(q.buf, q.len, &qm);
	start(&r, 0x9999, 0x8180, "www", 1, 1, 0, 0);
	ttl_off = r.len + 6;
	a_record(&r, 100, 7);
	dns_msg_parse(r.buf, r.len, &rm);
	CHECK_INT(dns_cache_get(cache, q.buf, &qm, 0, out, sizeof(out)), 0);
	CHECK_INT(dns_cache_put(cache, &qm, r.buf, &rm, 10 * SEC), 1);

	/* Another client asks later in other letters: its ID, its spelling, aged TTL. */
	start(&q, 0x2222, 0x0100, "WwW", 1, 0, 0, 0);
	dns_msg_parse(q.buf, q.len, &qm);
	n = dns_cache_get(cache, q.buf, &qm, 40 * SEC + 500000, out, sizeof(out));
	CHECK_INT(n, (int)r.len);
	CHECK_INT(out[0] << 8 | out[1], 0x2222);
	CHECK(!memcmp(out + 12, "\x03WwW", 4));
	CHECK_INT(ttl_at(out, ttl_off), 70);
	CHECK_INT(out[r.len - 1], 7);
	CHECK_INT(dns_cache_get(cache, q.buf, &qm, 40 * SEC, out, 10), -ENOSPC);
	/* Expired at its TTL. */
	CHECK_INT(dns_cache_get(cache, q.buf, &qm, 110 * SEC, out, sizeof(out)), 0);

	/* An EDNS0 query is another key: it must not get an answer made without OPT. */
	CHECK_INT(dns_cache_put(cache, &qm, r.buf, &rm, 0), 1);
	start(&q, 0x3333, 0x0100, "www", 1, 0, 0, 1);
	opt_record(&q, 1232, false);
	dns_msg_parse(q.buf, q.len, &qm);
	CHECK_INT(dns_cache_get(cache, q.buf, &qm, 0, out, sizeof(out)), 0);
	/* Nor does an answer to another question get stored under this one. */
	start(&q, 0x1111, 0x0100, "ftp", 1, 0, 0, 0);
	dns_msg_parse(q.buf, q.len, &qm);
	CHECK_INT(dns_cache_put(cache, &qm, r.buf, &rm, 0), 0);

	dns_cache_flush(cache);
	start(&q, 0x1111, 0x0100, "www", 1, 0, 0, 0);
	dns_msg_parse(q.buf, q.len, &qm);
	CHECK_INT(dns_cache_get(cache, q.buf, &qm, 0, out, sizeof(out)), 0);
	dns_cache_free(cache);
}

static void test_eviction(void)
{
	struct dns_cache *cache = dns_cache_new(3, 1 << 20);
	struct dns_cache_stats stats;
	const char *names[] = { "a", "b", "c", "d" };
	struct builder q[4], r;
	struct dns_msg qm[4], rm;
	uint8_t out[1024];

	for (int i = 0; i < 4; i++) {
		start(&q[i], 1, 0x0100, names[i], 1, 0, 0, 0);
		dns_msg_parse(q[i].buf, q[i].len, &qm[i]);
		start(&r, 1, 0x8180, names[i], 1, 1, 0, 0);
		a_record(&r, 100, (uint8_t)i);
		dns_msg_parse(r.buf, r.len, &rm);
		dns_cache_put(cache, &qm[i], r.buf, &rm, 0);
		/* "a" is used again before "d" arrives: "b" is the least recently used. */
		if (i == 2)
			CHECK(dns_cache_get(cache, q[0].buf, &qm[0], 0, out, sizeof(out)) > 0);
	}
	CHECK(dns_cache_get(cache, q[0].buf, &qm[0], 0, out, sizeof(out)) > 0);
	CHECK_INT(dns_cache_get(cache, q[1].buf, &qm[1], 0, out, sizeof(out)), 0);
	CHECK(dns_cache_get(cache, q[3].buf, &qm[3], 0, out, sizeof(out)) > 0);
	dns_cache_get_stats(cache, &stats);
	CHECK_INT(stats.entries, 3);
	CHECK_INT(stats.evicted, 1);
	dns_cache_free(cache);

	/* A byte bound too small for any entry stores nothing. */
	cache = dns_cache_new(10, 16);
	CHECK_INT(dns_cache_put(cache, &qm[0], r.buf, &rm, 0), 0);
	dns_cache_free(cache);
}

static void test_short_reply(void)
{
	struct builder q;
	struct dns_msg qm, rm;
	uint8_t out[512];
	size_t n;

	start(&q, 0x4242, 0x0100, "www", 1, 0, 0, 1);
	opt_record(&q, 1232, false);
	dns_msg_parse(q.buf, q.len, &qm);
	n = dns_msg_short_reply(q.buf, &qm, DNS_RCODE_SERVFAIL, true, out);
	CHECK_INT(n, qm.question_end);
	CHECK_INT(dns_msg_parse(out, n, &rm), 0);
	CHECK(rm.response && rm.truncated && rm.recursion_desired);
	CHECK_INT(rm.rcode, DNS_RCODE_SERVFAIL);
	CHECK_INT(rm.id, 0x4242);
	CHECK(dns_msg_same_question(&qm, &rm));
}

int main(void)
{
	test_parse();
	test_negative_ttl();
	test_cache();
	test_eviction();
	test_short_reply();
	CHECK_DONE();
}
