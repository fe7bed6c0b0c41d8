// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Rule builder: an ordered list of native expressions plus an accumulator
 * (the register holding the last loaded value, its length and byte order).
 * Matches that depend on the table's family (the "meta nfproto ipv4" that
 * guards "ip saddr" in an inet table, reject's ICMP flavour) are resolved
 * when the rule is queued, when the family is known.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "internal.h"

enum dep { DEP_NONE, DEP_IPV4, DEP_IPV6, DEP_REJECT };

struct item {
	struct nftnl_expr *e;
	enum dep dep;
	bool in_concat;	/* its dependency must not clobber the accumulator */
};

struct nftkit_rule {
	struct item *items;
	size_t n, cap;
	int err;
	uint32_t len;		/* accumulator length in bytes; starts at NFT_REG32_00 */
	bool host;		/* accumulator byte order */
	bool concat;		/* next load appends */
	bool str;		/* accumulator holds an interface name */
	char *comment;
};

struct nftkit_rule *nftkit_rule_new(void)
{
	return calloc(1, sizeof(struct nftkit_rule));
}

void nftkit_rule_free(struct nftkit_rule *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n; i++)
		nftnl_expr_free(r->items[i].e);
	free(r->items);
	free(r->comment);
	free(r);
}

int nftkit_rule_error(const struct nftkit_rule *r)
{
	return r ? r->err : -EINVAL;
}

static void set_err(struct nftkit_rule *r, int err)
{
	if (!r->err)
		r->err = err;
}

int nftkit_rule_comment(struct nftkit_rule *r, const char *comment)
{
	char *c;

	if (!r || !comment || strlen(comment) > 128)
		return -EINVAL;
	c = strdup(comment);
	if (!c)
		return -ENOMEM;
	free(r->comment);
	r->comment = c;
	return 0;
}

/* Allocates an expression and appends it; NULL (error recorded) on failure. */
static struct nftnl_expr *add(struct nftkit_rule *r, const char *name, enum dep dep)
{
	struct nftnl_expr *e;

	if (r->err)
		return NULL;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 8;
		struct item *p = realloc(r->items, cap * sizeof(*p));

		if (!p) {
			set_err(r, -ENOMEM);
			return NULL;
		}
		r->items = p;
		r->cap = cap;
	}
	e = nftnl_expr_alloc(name);
	if (!e) {
		set_err(r, -ENOMEM);
		return NULL;
	}
	r->items[r->n++] = (struct item){ e, dep, r->concat && r->len };
	return e;
}

/* Returns the register for a new load of len bytes into the accumulator. */
static uint32_t load_reg(struct nftkit_rule *r, uint32_t len, bool host)
{
	uint32_t reg = NFT_REG32_00;

	if (r->concat && r->len) {
		reg += (uint32_t)nk_round4(r->len) / 4;
		r->len = (uint32_t)nk_round4(r->len) + len;
		if (reg + (len + 3) / 4 > NFT_REG32_15 + 1)
			set_err(r, -ENOSPC);
	} else {
		r->len = len;
	}
	r->concat = false;
	r->host = host;
	r->str = false;
	return reg;
}

static void meta_info(enum nftkit_meta key, uint32_t *len, bool *host)
{
	*host = true;
	switch (key) {
	case NFTKIT_META_IIFNAME:
	case NFTKIT_META_OIFNAME:
		*len = IFNAMSIZ;
		*host = false;
		break;
	case NFTKIT_META_NFPROTO:
	case NFTKIT_META_L4PROTO:
		*len = 1;
		break;
	case NFTKIT_META_PROTOCOL:
		*len = 2;
		*host = false;
		break;
	default:
		*len = 4;
	}
}

void nftkit_meta(struct nftkit_rule *r, enum nftkit_meta key)
{
	struct nftnl_expr *e = add(r, "meta", DEP_NONE);
	uint32_t len;
	bool host;

	if (!e)
		return;
	meta_info(key, &len, &host);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, load_reg(r, len, host));
	r->str = key == NFTKIT_META_IIFNAME || key == NFTKIT_META_OIFNAME;
}

void nftkit_ct(struct nftkit_rule *r, enum nftkit_ct key)
{
	struct nftnl_expr *e = add(r, "ct", DEP_NONE);

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, key);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_DREG,
			   load_reg(r, key == NFTKIT_CT_DIRECTION ? 1 : 4, true));
}

struct field_info {
	uint32_t base, offset, len;
	enum dep dep;
	uint8_t l4;	/* required meta l4proto, 0 = none */
};

static const struct field_info fields[] = {
	[NFTKIT_IP_SADDR] = { NFT_PAYLOAD_NETWORK_HEADER, 12, 4, DEP_IPV4, 0 },
	[NFTKIT_IP_DADDR] = { NFT_PAYLOAD_NETWORK_HEADER, 16, 4, DEP_IPV4, 0 },
	[NFTKIT_IP_PROTOCOL] = { NFT_PAYLOAD_NETWORK_HEADER, 9, 1, DEP_IPV4, 0 },
	[NFTKIT_IP6_SADDR] = { NFT_PAYLOAD_NETWORK_HEADER, 8, 16, DEP_IPV6, 0 },
	[NFTKIT_IP6_DADDR] = { NFT_PAYLOAD_NETWORK_HEADER, 24, 16, DEP_IPV6, 0 },
	[NFTKIT_IP6_NEXTHDR] = { NFT_PAYLOAD_NETWORK_HEADER, 6, 1, DEP_IPV6, 0 },
	[NFTKIT_TCP_SPORT] = { NFT_PAYLOAD_TRANSPORT_HEADER, 0, 2, DEP_NONE, IPPROTO_TCP },
	[NFTKIT_TCP_DPORT] = { NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, DEP_NONE, IPPROTO_TCP },
	[NFTKIT_UDP_SPORT] = { NFT_PAYLOAD_TRANSPORT_HEADER, 0, 2, DEP_NONE, IPPROTO_UDP },
	[NFTKIT_UDP_DPORT] = { NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, DEP_NONE, IPPROTO_UDP },
	[NFTKIT_TH_SPORT] = { NFT_PAYLOAD_TRANSPORT_HEADER, 0, 2, DEP_NONE, 0 },
	[NFTKIT_TH_DPORT] = { NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, DEP_NONE, 0 },
};

void nftkit_payload(struct nftkit_rule *r, enum nftkit_field field)
{
	const struct field_info *f;
	struct nftnl_expr *e;
	bool concat = r->concat;

	if ((unsigned int)field >= sizeof(fields) / sizeof(fields[0]) || !fields[field].len) {
		set_err(r, -EINVAL);
		return;
	}
	f = &fields[field];
	if (f->l4) {
		/* the dependency uses the accumulator, so it cannot sit inside a concatenation */
		if (concat) {
			set_err(r, -EINVAL);
			return;
		}
		nftkit_match_meta(r, NFTKIT_META_L4PROTO, f->l4);
	}
	e = add(r, "payload", f->dep);
	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, f->base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, f->offset);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, f->len);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, load_reg(r, f->len, false));
}

void nftkit_socket_cgroupv2(struct nftkit_rule *r, unsigned int level)
{
	struct nftnl_expr *e = add(r, "socket", DEP_NONE);

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_SOCKET_KEY, NFT_SOCKET_CGROUPV2);
	nftnl_expr_set_u32(e, NFTNL_EXPR_SOCKET_LEVEL, level);
	nftnl_expr_set_u32(e, NFTNL_EXPR_SOCKET_DREG, load_reg(r, 8, true));
}

void nftkit_fib(struct nftkit_rule *r, uint32_t flags, uint32_t result)
{
	struct nftnl_expr *e = add(r, "fib", DEP_NONE);

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_FLAGS, flags);
	nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_RESULT, result);
	nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_DREG, load_reg(r, 4, true));
}

void nftkit_concat(struct nftkit_rule *r)
{
	if (!r->len)
		set_err(r, -EINVAL);
	r->concat = true;
}

/* ---- matches ---- */

void nftkit_cmp_data(struct nftkit_rule *r, enum nftkit_cmp op, const void *data, size_t len)
{
	struct nftnl_expr *e;

	if (!len || len > r->len || op > NFTKIT_GTE) {
		set_err(r, -EINVAL);
		return;
	}
	e = add(r, "cmp", DEP_NONE);
	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG32_00);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, op);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, (uint32_t)len);
}

/* Writes v in the accumulator's length and byte order. */
static int acc_value(const struct nftkit_rule *r, uint64_t v, uint8_t *out)
{
	uint32_t i, len = r->len;

	if (!len || len > 8 || (len < 8 && v >> (8 * len)))
		return -ERANGE;
	for (i = 0; i < len; i++) {
		uint32_t shift = r->host && __BYTE_ORDER == __LITTLE_ENDIAN ? i : len - 1 - i;

		out[i] = (uint8_t)(v >> (8 * shift));
	}
	return (int)len;
}

void nftkit_cmp(struct nftkit_rule *r, enum nftkit_cmp op, uint64_t value)
{
	uint8_t buf[8];
	int len = acc_value(r, value, buf);

	if (len < 0) {
		set_err(r, len);
		return;
	}
	nftkit_cmp_data(r, op, buf, (size_t)len);
}

static void bitwise_data(struct nftkit_rule *r, const uint8_t *mask, const uint8_t *xor_)
{
	struct nftnl_expr *e = add(r, "bitwise", DEP_NONE);

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, NFT_REG32_00);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, NFT_REG32_00);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, r->len);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, mask, r->len);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, xor_, r->len);
}

void nftkit_cmp_str(struct nftkit_rule *r, enum nftkit_cmp op, const char *text)
{
	uint8_t addr[16], mask[16] = { 0 };
	size_t len;
	int af, prefix, i;

	if (!text) {
		set_err(r, -EINVAL);
		return;
	}
	if (r->str) {	/* interface name, "wl*" for a prefix */
		char name[IFNAMSIZ] = { 0 };

		len = strlen(text);
		if (len >= IFNAMSIZ || !len) {
			set_err(r, -EINVAL);
			return;
		}
		memcpy(name, text, len);
		if (text[len - 1] == '*')
			nftkit_cmp_data(r, op, name, len - 1);
		else
			nftkit_cmp_data(r, op, name, IFNAMSIZ);
		return;
	}
	if (nk_parse_addr(text, &af, addr, &prefix) || r->len != (af == AF_INET ? 4u : 16u)) {
		set_err(r, -EINVAL);
		return;
	}
	if (prefix < (int)r->len * 8) {
		uint8_t zero[16] = { 0 };

		for (i = 0; i < (int)r->len; i++) {
			int bits = prefix - 8 * i;

			mask[i] = bits >= 8 ? 0xff : bits <= 0 ? 0 : (uint8_t)(0xff << (8 - bits));
			addr[i] &= mask[i];
		}
		bitwise_data(r, mask, zero);
	}
	nftkit_cmp_data(r, op, addr, r->len);
}

void nftkit_bitwise(struct nftkit_rule *r, uint32_t mask, uint32_t xor_)
{
	uint8_t m[8], x[8];

	if (acc_value(r, mask, m) < 0 || acc_value(r, xor_, x) < 0) {
		set_err(r, -ERANGE);
		return;
	}
	bitwise_data(r, m, x);
}

void nftkit_bits_any(struct nftkit_rule *r, uint32_t bits)
{
	nftkit_bitwise(r, bits, 0);
	nftkit_cmp(r, NFTKIT_NE, 0);
}

static struct nftnl_expr *lookup(struct nftkit_rule *r, const char *set)
{
	struct nftnl_expr *e;

	if (!set || !r->len) {
		set_err(r, -EINVAL);
		return NULL;
	}
	e = add(r, "lookup", DEP_NONE);
	if (!e)
		return NULL;
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, NFT_REG32_00);
	nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, set);
	return e;
}

void nftkit_lookup(struct nftkit_rule *r, const char *set, bool invert)
{
	struct nftnl_expr *e = lookup(r, set);

	if (e && invert)
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_FLAGS, NFT_LOOKUP_F_INV);
}

void nftkit_map(struct nftkit_rule *r, const char *map, enum nftkit_type type)
{
	struct nftnl_expr *e = lookup(r, map);

	if (!e)
		return;
	if (nk_type_len(type) <= 0 || type == NFTKIT_TYPE_VERDICT) {
		set_err(r, -EINVAL);
		return;
	}
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_DREG,
			   load_reg(r, (uint32_t)nk_type_len(type), nk_type_host_order(type)));
}

void nftkit_vmap(struct nftkit_rule *r, const char *map)
{
	struct nftnl_expr *e = lookup(r, map);

	if (e)
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_DREG, NFT_REG_VERDICT);
}

void nftkit_dynset(struct nftkit_rule *r, const char *set, bool update, uint64_t timeout_ms)
{
	struct nftnl_expr *e;

	if (!set || !r->len) {
		set_err(r, -EINVAL);
		return;
	}
	e = add(r, "dynset", DEP_NONE);
	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_DYNSET_SREG_KEY, NFT_REG32_00);
	nftnl_expr_set_u32(e, NFTNL_EXPR_DYNSET_OP, update ? NFT_DYNSET_OP_UPDATE : NFT_DYNSET_OP_ADD);
	nftnl_expr_set_str(e, NFTNL_EXPR_DYNSET_SET_NAME, set);
	if (timeout_ms)
		nftnl_expr_set_u64(e, NFTNL_EXPR_DYNSET_TIMEOUT, timeout_ms);
}

void nftkit_match_meta(struct nftkit_rule *r, enum nftkit_meta key, uint64_t value)
{
	nftkit_meta(r, key);
	nftkit_cmp(r, NFTKIT_EQ, value);
}

void nftkit_match_ifname(struct nftkit_rule *r, enum nftkit_meta key, enum nftkit_cmp op,
			 const char *name)
{
	nftkit_meta(r, key);
	nftkit_cmp_str(r, op, name);
}

void nftkit_match_addr(struct nftkit_rule *r, enum nftkit_field field, enum nftkit_cmp op,
		       const char *cidr)
{
	nftkit_payload(r, field);
	nftkit_cmp_str(r, op, cidr);
}

void nftkit_match_port(struct nftkit_rule *r, enum nftkit_field field, uint16_t port)
{
	nftkit_payload(r, field);
	nftkit_cmp(r, NFTKIT_EQ, port);
}

void nftkit_match_ct_state(struct nftkit_rule *r, uint32_t states)
{
	nftkit_ct(r, NFTKIT_CT_STATE);
	nftkit_bits_any(r, states);
}

void nftkit_match_ct_mark(struct nftkit_rule *r, uint32_t mark)
{
	nftkit_ct(r, NFTKIT_CT_MARK);
	nftkit_cmp(r, NFTKIT_EQ, mark);
}

void nftkit_match_cgroupv2(struct nftkit_rule *r, const char *path)
{
	unsigned int level;
	uint64_t id;
	int err = nftkit_cgroupv2_id(path, &id, &level);

	if (err) {
		set_err(r, err);
		return;
	}
	nftkit_socket_cgroupv2(r, level);
	nftkit_cmp(r, NFTKIT_EQ, id);
}

/* ---- statements ---- */

static void immediate(struct nftkit_rule *r, const void *data, uint32_t len, uint32_t reg)
{
	struct nftnl_expr *e = add(r, "immediate", DEP_NONE);

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, reg);
	nftnl_expr_set(e, NFTNL_EXPR_IMM_DATA, data, len);
}

void nftkit_set_meta(struct nftkit_rule *r, enum nftkit_meta key)
{
	struct nftnl_expr *e;

	if (!r->len) {
		set_err(r, -EINVAL);
		return;
	}
	e = add(r, "meta", DEP_NONE);
	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_SREG, NFT_REG32_00);
}

void nftkit_set_meta_u32(struct nftkit_rule *r, enum nftkit_meta key, uint32_t value)
{
	immediate(r, &value, 4, NFT_REG32_00);
	r->len = 4;
	r->host = true;
	nftkit_set_meta(r, key);
}

void nftkit_set_ct(struct nftkit_rule *r, enum nftkit_ct key)
{
	struct nftnl_expr *e;

	if (!r->len) {
		set_err(r, -EINVAL);
		return;
	}
	e = add(r, "ct", DEP_NONE);
	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, key);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_SREG, NFT_REG32_00);
}

void nftkit_set_ct_u32(struct nftkit_rule *r, enum nftkit_ct key, uint32_t value)
{
	immediate(r, &value, 4, NFT_REG32_00);
	r->len = 4;
	r->host = true;
	nftkit_set_ct(r, key);
}

void nftkit_counter(struct nftkit_rule *r)
{
	add(r, "counter", DEP_NONE);
}

static void objref(struct nftkit_rule *r, uint32_t type, const char *name, const char *map)
{
	struct nftnl_expr *e;

	if ((!name && !map) || (map && !r->len)) {
		set_err(r, -EINVAL);
		return;
	}
	e = add(r, "objref", DEP_NONE);
	if (!e)
		return;
	if (name) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_OBJREF_IMM_TYPE, type);
		nftnl_expr_set_str(e, NFTNL_EXPR_OBJREF_IMM_NAME, name);
	} else {
		nftnl_expr_set_u32(e, NFTNL_EXPR_OBJREF_SET_SREG, NFT_REG32_00);
		nftnl_expr_set_str(e, NFTNL_EXPR_OBJREF_SET_NAME, map);
	}
}

void nftkit_counter_named(struct nftkit_rule *r, const char *name)
{
	objref(r, NFT_OBJECT_COUNTER, name, NULL);
}

void nftkit_counter_map(struct nftkit_rule *r, const char *map)
{
	objref(r, NFT_OBJECT_COUNTER, NULL, map);
}

void nftkit_quota_named(struct nftkit_rule *r, const char *name)
{
	objref(r, NFT_OBJECT_QUOTA, name, NULL);
}

void nftkit_quota_map(struct nftkit_rule *r, const char *map)
{
	objref(r, NFT_OBJECT_QUOTA, NULL, map);
}

void nftkit_limit(struct nftkit_rule *r, uint64_t rate, uint64_t per_seconds, uint32_t burst)
{
	struct nftnl_expr *e = add(r, "limit", DEP_NONE);

	if (!e)
		return;
	nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_RATE, rate);
	nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_UNIT, per_seconds ? per_seconds : 1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_BURST, burst);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_TYPE, NFT_LIMIT_PKTS);
}

void nftkit_log(struct nftkit_rule *r, const char *prefix)
{
	struct nftnl_expr *e = add(r, "log", DEP_NONE);

	if (e && prefix)
		nftnl_expr_set_str(e, NFTNL_EXPR_LOG_PREFIX, prefix);
}

void nftkit_masquerade(struct nftkit_rule *r)
{
	add(r, "masq", DEP_NONE);
}

static void nat(struct nftkit_rule *r, uint32_t type, enum nftkit_family family, const char *addr,
		uint16_t port)
{
	uint8_t a[16];
	int af, prefix;
	struct nftnl_expr *e;
	uint16_t p = htons(port);

	if (!addr || nk_parse_addr(addr, &af, a, &prefix) ||
	    (family == NFTKIT_IP) != (af == AF_INET) || (family != NFTKIT_IP && family != NFTKIT_IP6)) {
		set_err(r, -EINVAL);
		return;
	}
	immediate(r, a, af == AF_INET ? 4 : 16, NFT_REG32_00);
	if (port)
		immediate(r, &p, 2, NFT_REG32_04);
	e = add(r, "nat", DEP_NONE);
	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_TYPE, type);
	nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_FAMILY, family);
	nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_ADDR_MIN, NFT_REG32_00);
	if (port)
		nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_PROTO_MIN, NFT_REG32_04);
}

void nftkit_snat(struct nftkit_rule *r, enum nftkit_family family, const char *addr, uint16_t port)
{
	nat(r, NFT_NAT_SNAT, family, addr, port);
}

void nftkit_dnat(struct nftkit_rule *r, enum nftkit_family family, const char *addr, uint16_t port)
{
	nat(r, NFT_NAT_DNAT, family, addr, port);
}

void nftkit_reject(struct nftkit_rule *r)
{
	add(r, "reject", DEP_REJECT);	/* flavour chosen by family when queued */
}

void nftkit_reject_tcp_reset(struct nftkit_rule *r)
{
	struct nftnl_expr *e;

	nftkit_match_meta(r, NFTKIT_META_L4PROTO, IPPROTO_TCP);
	e = add(r, "reject", DEP_NONE);
	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_REJECT_TYPE, NFT_REJECT_TCP_RST);
	nftnl_expr_set_u8(e, NFTNL_EXPR_REJECT_CODE, 0);
}

void nftkit_verdict(struct nftkit_rule *r, enum nftkit_verdict v, const char *chain)
{
	static const int codes[] = {
		[NFTKIT_ACCEPT] = NF_ACCEPT, [NFTKIT_DROP] = NF_DROP, [NFTKIT_RETURN] = NFT_RETURN,
		[NFTKIT_JUMP] = NFT_JUMP, [NFTKIT_GOTO] = NFT_GOTO, [NFTKIT_CONTINUE] = NFT_CONTINUE,
	};
	struct nftnl_expr *e;

	if (v < NFTKIT_ACCEPT || v > NFTKIT_CONTINUE ||
	    ((v == NFTKIT_JUMP || v == NFTKIT_GOTO) != (chain != NULL))) {
		set_err(r, -EINVAL);
		return;
	}
	e = add(r, "immediate", DEP_NONE);
	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, (uint32_t)codes[v]);
	if (chain)
		nftnl_expr_set_str(e, NFTNL_EXPR_IMM_CHAIN, chain);
}

void nftkit_accept(struct nftkit_rule *r) { nftkit_verdict(r, NFTKIT_ACCEPT, NULL); }
void nftkit_drop(struct nftkit_rule *r) { nftkit_verdict(r, NFTKIT_DROP, NULL); }
void nftkit_return(struct nftkit_rule *r) { nftkit_verdict(r, NFTKIT_RETURN, NULL); }
void nftkit_jump(struct nftkit_rule *r, const char *chain) { nftkit_verdict(r, NFTKIT_JUMP, chain); }
void nftkit_goto(struct nftkit_rule *r, const char *chain) { nftkit_verdict(r, NFTKIT_GOTO, chain); }

/* ---- serialization ---- */

static void put_expr(struct nlmsghdr *nlh, struct nftnl_expr *e)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);

	nftnl_expr_build_payload(nlh, e);
	mnl_attr_nest_end(nlh, nest);
}

/* "meta nfproto ipv4" in inet tables, "meta protocol ip" in bridge/netdev. */
static int put_l3_dep(struct nlmsghdr *nlh, enum dep dep, enum nftkit_family family, uint32_t reg)
{
	struct nftnl_expr *m, *c;
	uint16_t proto = htons(dep == DEP_IPV4 ? 0x0800 : 0x86dd);
	uint8_t nfproto = dep == DEP_IPV4 ? NFPROTO_IPV4 : NFPROTO_IPV6;
	bool inet = family == NFTKIT_INET;

	if (family == NFTKIT_IP || family == NFTKIT_IP6)
		return 0;
	m = nftnl_expr_alloc("meta");
	c = nftnl_expr_alloc("cmp");
	if (!m || !c) {
		nftnl_expr_free(m);
		nftnl_expr_free(c);
		return -ENOMEM;
	}
	nftnl_expr_set_u32(m, NFTNL_EXPR_META_KEY, inet ? NFT_META_NFPROTO : NFT_META_PROTOCOL);
	nftnl_expr_set_u32(m, NFTNL_EXPR_META_DREG, reg);
	nftnl_expr_set_u32(c, NFTNL_EXPR_CMP_SREG, reg);
	nftnl_expr_set_u32(c, NFTNL_EXPR_CMP_OP, NFT_CMP_EQ);
	if (inet)
		nftnl_expr_set(c, NFTNL_EXPR_CMP_DATA, &nfproto, 1);
	else
		nftnl_expr_set(c, NFTNL_EXPR_CMP_DATA, &proto, 2);
	put_expr(nlh, m);
	put_expr(nlh, c);
	nftnl_expr_free(m);
	nftnl_expr_free(c);
	return 0;
}

static void set_reject(struct nftnl_expr *e, enum nftkit_family family)
{
	if (family == NFTKIT_IP) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_REJECT_TYPE, NFT_REJECT_ICMP_UNREACH);
		nftnl_expr_set_u8(e, NFTNL_EXPR_REJECT_CODE, 3);	/* port unreachable */
	} else if (family == NFTKIT_IP6) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_REJECT_TYPE, NFT_REJECT_ICMP_UNREACH);
		nftnl_expr_set_u8(e, NFTNL_EXPR_REJECT_CODE, 4);	/* ICMPV6_PORT_UNREACH */
	} else {
		nftnl_expr_set_u32(e, NFTNL_EXPR_REJECT_TYPE, NFT_REJECT_ICMPX_UNREACH);
		nftnl_expr_set_u8(e, NFTNL_EXPR_REJECT_CODE, NFT_REJECT_ICMPX_PORT_UNREACH);
	}
}

int nk_rule_build(const struct nftkit_rule *r, struct nlmsghdr *nlh, enum nftkit_family family)
{
	struct nlattr *nest;
	size_t i;
	int err;

	if (r->err)
		return r->err;
	nest = mnl_attr_nest_start(nlh, NFTA_RULE_EXPRESSIONS);
	for (i = 0; i < r->n; i++) {
		if (r->items[i].dep == DEP_IPV4 || r->items[i].dep == DEP_IPV6) {
			/* inside a concatenation the first fields sit in the low
			 * registers: test the dependency in the last one */
			err = put_l3_dep(nlh, r->items[i].dep, family,
					 r->items[i].in_concat ? NFT_REG32_15 : NFT_REG32_00);
			if (err)
				return err;
		} else if (r->items[i].dep == DEP_REJECT) {
			set_reject(r->items[i].e, family);
		}
		put_expr(nlh, r->items[i].e);
	}
	mnl_attr_nest_end(nlh, nest);
	if (r->comment) {
		/* nft's userdata TLV: type 0 (comment), length, text with NUL */
		uint8_t ud[2 + 130];
		size_t l = strlen(r->comment);

		ud[0] = 0;
		ud[1] = (uint8_t)(l + 1);
		memcpy(ud + 2, r->comment, l + 1);
		mnl_attr_put(nlh, NFTA_RULE_USERDATA, l + 3, ud);
	}
	return 0;
}

/* ---- rules in a transaction ---- */

static int rule_change(struct nftkit_tx *tx, const char *chain, enum nftkit_op op,
		       uint64_t handle, const struct nftkit_rule *rule)
{
	uint16_t type = rule ? NFT_MSG_NEWRULE : NFT_MSG_DELRULE;
	uint16_t flags = 0;
	struct nlmsghdr *nlh;
	int r;

	NK_CHECK_TX(tx);
	if (!chain)
		return nk_tx_fail(tx, -EINVAL);
	if (rule && nftkit_rule_error(rule)) {
		nk_tx_new_change(tx, NFTKIT_KIND_RULE, op, chain);
		return nk_tx_fail(tx, nftkit_rule_error(rule));
	}
	if (op == NFTKIT_OP_ADD || op == NFTKIT_OP_INSERT)
		flags = NLM_F_CREATE | (op == NFTKIT_OP_ADD ? NLM_F_APPEND : 0);
	else if (op == NFTKIT_OP_REPLACE)
		flags = NLM_F_REPLACE;
	nlh = nk_tx_change_start(tx, NFTKIT_KIND_RULE, op, chain, type, flags, NFTA_RULE_TABLE);
	if (!nlh)
		return nk_tx_error(tx);
	mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, chain);
	if (handle && (op == NFTKIT_OP_REPLACE || op == NFTKIT_OP_DELETE))
		mnl_attr_put_u64(nlh, NFTA_RULE_HANDLE, htobe64(handle));
	else if (handle)
		mnl_attr_put_u64(nlh, NFTA_RULE_POSITION, htobe64(handle));
	if (rule) {
		r = nk_rule_build(rule, nlh, nk_tx_family(tx));
		if (r)
			return nk_tx_fail(tx, r);
	}
	nk_tx_msg_end(tx, nlh);
	return 0;
}

int nftkit_tx_add_rule(struct nftkit_tx *tx, const char *chain, const struct nftkit_rule *rule)
{
	return rule ? rule_change(tx, chain, NFTKIT_OP_ADD, 0, rule) : -EINVAL;
}

int nftkit_tx_add_rule_after(struct nftkit_tx *tx, const char *chain, uint64_t handle,
			     const struct nftkit_rule *rule)
{
	return rule ? rule_change(tx, chain, NFTKIT_OP_ADD, handle, rule) : -EINVAL;
}

int nftkit_tx_insert_rule(struct nftkit_tx *tx, const char *chain, uint64_t handle,
			  const struct nftkit_rule *rule)
{
	return rule ? rule_change(tx, chain, NFTKIT_OP_INSERT, handle, rule) : -EINVAL;
}

int nftkit_tx_replace_rule(struct nftkit_tx *tx, const char *chain, uint64_t handle,
			   const struct nftkit_rule *rule)
{
	return rule && handle ? rule_change(tx, chain, NFTKIT_OP_REPLACE, handle, rule) : -EINVAL;
}

int nftkit_tx_del_rule(struct nftkit_tx *tx, const char *chain, uint64_t handle)
{
	return handle ? rule_change(tx, chain, NFTKIT_OP_DELETE, handle, NULL) : -EINVAL;
}
