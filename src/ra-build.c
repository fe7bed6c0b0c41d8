#include <errno.h>
#include <string.h>

#include "ra-build.h"

#define ND_ROUTER_SOLICIT 133
#define ND_ROUTER_ADVERT 134
#define OPT_SOURCE_LLADDR 1
#define OPT_PREFIX_INFO 3
#define OPT_MTU 5
#define OPT_RDNSS 25
#define OPT_DNSSL 31

/* A bounded writer: once a write does not fit, err sticks and nothing more
 * is written, so the builders below check room once, at the end. */
struct out {
	uint8_t *buf;
	size_t size;
	size_t off;
	int err;
};

static void put(struct out *o, const void *data, size_t len)
{
	if (o->err)
		return;
	if (len > o->size - o->off) {
		o->err = -ENOSPC;
		return;
	}
	memcpy(o->buf + o->off, data, len);
	o->off += len;
}

static void put_u8(struct out *o, uint8_t v)
{
	put(o, &v, 1);
}

static void put_u16(struct out *o, uint16_t v)
{
	uint8_t b[2] = { v >> 8, v };

	put(o, b, sizeof(b));
}

static void put_u32(struct out *o, uint32_t v)
{
	uint8_t b[4] = { v >> 24, v >> 16, v >> 8, v };

	put(o, b, sizeof(b));
}

static void put_zeros(struct out *o, size_t n)
{
	static const uint8_t zeros[8];

	while (n && !o->err) {
		size_t chunk = n < sizeof(zeros) ? n : sizeof(zeros);

		put(o, zeros, chunk);
		n -= chunk;
	}
}

static void put_header(struct out *o, const struct ra_content *ra)
{
	put_u8(o, ND_ROUTER_ADVERT);
	put_u8(o, 0);
	put_u16(o, 0);		/* checksum: the kernel's */
	put_u8(o, ra->cur_hop_limit);
	put_u8(o, (ra->managed ? 0x80 : 0) | (ra->other ? 0x40 : 0));
	put_u16(o, ra->router_lifetime);
	put_u32(o, ra->reachable_ms);
	put_u32(o, ra->retrans_ms);
}

static void put_prefix(struct out *o, const struct ra_prefix *p)
{
	uint8_t prefix[16] = { 0 };

	/* Only the prefix's own bits: the rest are reserved (RFC 4861, 4.6.2). */
	memcpy(prefix, &p->prefix, p->len / 8);
	if (p->len % 8)
		prefix[p->len / 8] = p->prefix.s6_addr[p->len / 8] & (uint8_t)(0xff << (8 - p->len % 8));
	put_u8(o, OPT_PREFIX_INFO);
	put_u8(o, 4);
	put_u8(o, p->len);
	put_u8(o, (p->on_link ? 0x80 : 0) | (p->autonomous ? 0x40 : 0));
	put_u32(o, p->valid);
	put_u32(o, p->preferred);
	put_u32(o, 0);
	put(o, prefix, sizeof(prefix));
}

static void put_rdnss(struct out *o, const struct ra_content *ra)
{
	put_u8(o, OPT_RDNSS);
	put_u8(o, 1 + 2 * ra->n_servers);
	put_u16(o, 0);
	put_u32(o, ra->dns_lifetime);
	put(o, ra->servers, sizeof(ra->servers[0]) * ra->n_servers);
}

/* The names in wire form after each other, zero-padded to 8 octets. */
static int put_dnssl(struct out *o, const struct ra_content *ra)
{
	uint8_t names[RA_MAX_DOMAINS * DNS_NAME_MAX];
	size_t len = 0, padded;

	for (unsigned int i = 0; i < ra->n_domains; i++) {
		int n = dns_name_from_text(ra->domains[i], names + len);

		/* The root is no search domain, and would read as padding. */
		if (n < 0 || n == 1)
			return -EINVAL;
		len += n;
	}
	padded = (8 + len + 7) / 8 * 8;
	put_u8(o, OPT_DNSSL);
	put_u8(o, padded / 8);
	put_u16(o, 0);
	put_u32(o, ra->dns_lifetime);
	put(o, names, len);
	put_zeros(o, padded - 8 - len);
	return 0;
}

static int check_content(const struct ra_content *ra)
{
	if (ra->n_prefixes > RA_MAX_PREFIXES || ra->n_servers > RA_MAX_SERVERS ||
	    ra->n_domains > RA_MAX_DOMAINS)
		return -EINVAL;
	for (unsigned int i = 0; i < ra->n_prefixes; i++)
		if (ra->prefixes[i].len > 128 ||
		    ra->prefixes[i].preferred > ra->prefixes[i].valid)
			return -EINVAL;
	return 0;
}

int ra_build(const struct ra_content *ra, uint8_t *buf, size_t size)
{
	struct out o = { .buf = buf, .size = size };
	int err = check_content(ra);

	if (err < 0)
		return err;
	put_header(&o, ra);
	if (ra->has_lladdr) {
		put_u8(&o, OPT_SOURCE_LLADDR);
		put_u8(&o, 1);
		put(&o, ra->lladdr, sizeof(ra->lladdr));
	}
	if (ra->mtu) {
		put_u8(&o, OPT_MTU);
		put_u8(&o, 1);
		put_u16(&o, 0);
		put_u32(&o, ra->mtu);
	}
	for (unsigned int i = 0; i < ra->n_prefixes; i++)
		put_prefix(&o, &ra->prefixes[i]);
	if (ra->n_servers)
		put_rdnss(&o, ra);
	if (ra->n_domains && (err = put_dnssl(&o, ra)) < 0)
		return err;
	return o.err ? o.err : (int)o.off;
}

void ra_withdraw(struct ra_content *ra)
{
	ra->router_lifetime = 0;
	for (unsigned int i = 0; i < ra->n_prefixes && i < RA_MAX_PREFIXES; i++) {
		ra->prefixes[i].valid = 0;
		ra->prefixes[i].preferred = 0;
	}
	ra->dns_lifetime = 0;
}

int ra_check_solicit(const uint8_t *msg, size_t len, bool from_unspecified)
{
	size_t off = 8;		/* type, code, checksum, 4 reserved octets */

	if (len < 8 || msg[0] != ND_ROUTER_SOLICIT || msg[1] != 0)
		return -EBADMSG;
	while (off < len) {
		size_t opt_len;

		if (len - off < 2)
			return -EBADMSG;
		opt_len = (size_t)msg[off + 1] * 8;
		if (opt_len == 0 || opt_len > len - off)
			return -EBADMSG;
		if (msg[off] == OPT_SOURCE_LLADDR && from_unspecified)
			return -EBADMSG;
		off += opt_len;
	}
	return 0;
}
