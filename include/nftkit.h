/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libnftkit: a small high-level nftables library on libmnl + libnftnl.
 *
 * Ownership: every *_new() has a *_free() that accepts NULL. The library
 * copies what it is given (strings, rules, elements) and never keeps a
 * caller's pointer. Strings and blobs handed to callbacks live only for the
 * duration of the callback. Errors are negative errno values; nothing logs.
 * Handles hold no global state; use one handle per thread.
 */
#ifndef NFTKIT_H
#define NFTKIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct nftkit;
struct nftkit_tx;
struct nftkit_rule;
struct nftkit_monitor;

/* Families (numerically the kernel's NFPROTO_* values). */
enum nftkit_family {
	NFTKIT_INET = 1,
	NFTKIT_IP = 2,
	NFTKIT_ARP = 3,
	NFTKIT_NETDEV = 5,
	NFTKIT_BRIDGE = 7,
	NFTKIT_IP6 = 10,
};

/* ---- handle ------------------------------------------------------------ */

/* One netlink socket per handle. NULL on failure (errno set). */
struct nftkit *nftkit_new(void);
void nftkit_free(struct nftkit *nk);

/* ---- transactions ------------------------------------------------------ */

/* Kinds and operations of queued changes, as reported in errors. */
enum nftkit_kind {
	NFTKIT_KIND_TABLE = 1, NFTKIT_KIND_CHAIN, NFTKIT_KIND_RULE,
	NFTKIT_KIND_SET, NFTKIT_KIND_ELEMENT, NFTKIT_KIND_COUNTER,
	NFTKIT_KIND_QUOTA,
};
enum nftkit_op { NFTKIT_OP_ADD = 1, NFTKIT_OP_DELETE, NFTKIT_OP_FLUSH,
		 NFTKIT_OP_REPLACE, NFTKIT_OP_INSERT, NFTKIT_OP_CREATE };

struct nftkit_error {
	unsigned int index;	/* 1-based index of the failed change; 0 = batch */
	int error;		/* negative errno */
	enum nftkit_kind kind;
	enum nftkit_op op;
	char name[128];		/* the object's name (a rule: its chain) */
};

const char *nftkit_kind_name(enum nftkit_kind kind);
const char *nftkit_op_name(enum nftkit_op op);

/* A transaction belongs to its handle and must be freed before it. */
struct nftkit_tx *nftkit_tx_new(struct nftkit *nk);
/* Frees a transaction; queued changes that were not committed are discarded. */
void nftkit_tx_free(struct nftkit_tx *tx);
/* Discards every queued change; the transaction can be reused. */
void nftkit_tx_abort(struct nftkit_tx *tx);
/* Number of queued changes (the index the next change will get, minus one). */
unsigned int nftkit_tx_count(const struct nftkit_tx *tx);
/*
 * Sends every queued change in one batch. All or nothing: on failure the
 * kernel applied none of them and *err (may be NULL) names the first failed
 * change. The queue is emptied either way. Returns 0 or a negative errno.
 * A queueing error (e.g. -EINVAL from a bad rule) makes commit fail with
 * that error and that change's index without sending anything.
 */
int nftkit_tx_commit(struct nftkit_tx *tx, struct nftkit_error *err);

/*
 * Tables. Adding, deleting or flushing a table also makes it the
 * transaction's current table: chain, rule, set, element and object calls
 * apply to the current table. nftkit_tx_use_table() only selects it.
 */
#define NFTKIT_TABLE_DORMANT	0x1
#define NFTKIT_TABLE_OWNER	0x2	/* dies with this handle's socket */
int nftkit_tx_use_table(struct nftkit_tx *tx, enum nftkit_family family, const char *table);
int nftkit_tx_add_table(struct nftkit_tx *tx, enum nftkit_family family, const char *table,
			uint32_t flags);
int nftkit_tx_del_table(struct nftkit_tx *tx, enum nftkit_family family, const char *table);
int nftkit_tx_flush_table(struct nftkit_tx *tx, enum nftkit_family family, const char *table);

/* Chains. */
enum nftkit_hook {
	NFTKIT_HOOK_PREROUTING = 0, NFTKIT_HOOK_INPUT = 1, NFTKIT_HOOK_FORWARD = 2,
	NFTKIT_HOOK_OUTPUT = 3, NFTKIT_HOOK_POSTROUTING = 4,
	NFTKIT_HOOK_INGRESS = 0x100, NFTKIT_HOOK_EGRESS = 0x101, /* netdev; inet ingress */
};
enum nftkit_policy { NFTKIT_POLICY_ACCEPT = 1, NFTKIT_POLICY_DROP = 2 };

struct nftkit_base_chain {
	const char *type;		/* "filter", "nat" or "route" */
	enum nftkit_hook hook;
	int priority;			/* a number, or nftkit_priority() */
	enum nftkit_policy policy;	/* 0 = accept */
	const char *device;		/* netdev (and inet ingress) only */
};

/* Standard priorities by name ("raw", "mangle", "dstnat", "filter",
 * "security", "srcnat"; bridge: "dstnat", "filter", "out", "srcnat") plus an
 * optional offset ("filter + 10", "mangle - 5"). */
int nftkit_priority(enum nftkit_family family, const char *name, int *prio);

/* base == NULL: a regular chain. */
int nftkit_tx_add_chain(struct nftkit_tx *tx, const char *chain,
			const struct nftkit_base_chain *base);
int nftkit_tx_del_chain(struct nftkit_tx *tx, const char *chain);
int nftkit_tx_flush_chain(struct nftkit_tx *tx, const char *chain);

/* Rules: build with nftkit_rule_new() and the expression helpers below. */
int nftkit_tx_add_rule(struct nftkit_tx *tx, const char *chain, const struct nftkit_rule *rule);
/* Before (insert) or after (add) the rule with this handle; handle 0 = start/end. */
int nftkit_tx_insert_rule(struct nftkit_tx *tx, const char *chain, uint64_t handle,
			  const struct nftkit_rule *rule);
int nftkit_tx_add_rule_after(struct nftkit_tx *tx, const char *chain, uint64_t handle,
			     const struct nftkit_rule *rule);
int nftkit_tx_replace_rule(struct nftkit_tx *tx, const char *chain, uint64_t handle,
			   const struct nftkit_rule *rule);
int nftkit_tx_del_rule(struct nftkit_tx *tx, const char *chain, uint64_t handle);

/* Data types of set keys, map values, and values loaded in rules. */
enum nftkit_type {
	NFTKIT_TYPE_NONE = 0,
	NFTKIT_TYPE_VERDICT,	/* map data: accept/drop/jump/goto */
	NFTKIT_TYPE_IPV4,	/* 4 bytes, network order */
	NFTKIT_TYPE_IPV6,	/* 16 bytes */
	NFTKIT_TYPE_PORT,	/* inet_service: 2 bytes, network order */
	NFTKIT_TYPE_PROTO,	/* inet_proto: 1 byte */
	NFTKIT_TYPE_MARK,	/* 4 bytes, host order */
	NFTKIT_TYPE_UID,
	NFTKIT_TYPE_GID,
	NFTKIT_TYPE_IFNAME,	/* 16 bytes, NUL padded */
	NFTKIT_TYPE_IFINDEX,
	NFTKIT_TYPE_CGROUPV2,	/* 8 bytes, host order */
	NFTKIT_TYPE_INTEGER,	/* 4 bytes, host order */
	NFTKIT_TYPE_ETHER,	/* 6 bytes */
	NFTKIT_TYPE_COUNTER,	/* map data: a named counter (object map) */
	NFTKIT_TYPE_QUOTA,	/* map data: a named quota (object map) */
};

#define NFTKIT_SET_CONSTANT	0x1
#define NFTKIT_SET_INTERVAL	0x2
#define NFTKIT_SET_TIMEOUT	0x4
#define NFTKIT_SET_DYNAMIC	0x8	/* updated from the packet path */
#define NFTKIT_CONCAT_MAX	4

struct nftkit_set_spec {
	enum nftkit_type key[NFTKIT_CONCAT_MAX];	/* more than one: concatenation */
	enum nftkit_type data;	/* NONE: a set; VERDICT, COUNTER...: a map */
	uint32_t flags;
	uint64_t timeout_ms;	/* default element timeout (NFTKIT_SET_TIMEOUT) */
	uint32_t size;		/* 0 = unlimited */
};
int nftkit_tx_add_set(struct nftkit_tx *tx, const char *set, const struct nftkit_set_spec *spec);
int nftkit_tx_del_set(struct nftkit_tx *tx, const char *set);
int nftkit_tx_flush_set(struct nftkit_tx *tx, const char *set);

/* Verdicts, in rules and in verdict map elements. */
enum nftkit_verdict {
	NFTKIT_ACCEPT = 1, NFTKIT_DROP, NFTKIT_RETURN, NFTKIT_JUMP, NFTKIT_GOTO, NFTKIT_CONTINUE,
};

/*
 * A set element. Fill it with nftkit_elem_*() helpers (they pick byte order
 * and length from the type) or directly. Key of an interval set: key is the
 * first value, key_end the last (inclusive).
 */
struct nftkit_elem {
	uint8_t key[64];
	uint8_t key_end[64];
	uint8_t data[16];
	uint8_t key_len, key_end_len, data_len;
	enum nftkit_verdict verdict;	/* verdict maps */
	char chain[64];			/* jump/goto target */
	char obj[64];			/* object maps: counter/quota name */
	uint64_t timeout_ms;
	char comment[64];
};
void nftkit_elem_init(struct nftkit_elem *e);
/* Appends one field of the key (call several times for a concatenation). */
int nftkit_elem_key(struct nftkit_elem *e, enum nftkit_type type, uint64_t value);
/* Addresses and names as text: "10.0.0.1", "fd00::1", "eth0". */
int nftkit_elem_key_str(struct nftkit_elem *e, enum nftkit_type type, const char *text);
/* Interval from "10.0.0.0/24" (prefix) for IPv4/IPv6 keys. */
int nftkit_elem_key_prefix(struct nftkit_elem *e, enum nftkit_type type, const char *cidr);
int nftkit_elem_data(struct nftkit_elem *e, enum nftkit_type type, uint64_t value);

int nftkit_tx_add_elems(struct nftkit_tx *tx, const char *set, const struct nftkit_elem *elems,
			size_t n);
int nftkit_tx_del_elems(struct nftkit_tx *tx, const char *set, const struct nftkit_elem *elems,
			size_t n);
/* Convenience for the most common map: a 32-bit key to a 32-bit value. */
int nftkit_tx_add_elem_u32(struct nftkit_tx *tx, const char *map, uint32_t key, uint32_t value);
int nftkit_tx_del_elem_u32(struct nftkit_tx *tx, const char *map, uint32_t key);

/* Named objects. */
int nftkit_tx_add_counter(struct nftkit_tx *tx, const char *name);
int nftkit_tx_del_counter(struct nftkit_tx *tx, const char *name);
#define NFTKIT_QUOTA_OVER	0x1	/* match when over the quota ("over") */
int nftkit_tx_add_quota(struct nftkit_tx *tx, const char *name, uint64_t bytes, uint32_t flags);
int nftkit_tx_del_quota(struct nftkit_tx *tx, const char *name);

/* ---- rules and expressions --------------------------------------------- */

/*
 * A rule is a list of expressions. Loads put a value in the rule's
 * accumulator (a register); matches and statements consume it. The first
 * error is remembered and returned by nftkit_tx_add_rule(), so builders can
 * be chained without checks.
 */
struct nftkit_rule *nftkit_rule_new(void);
void nftkit_rule_free(struct nftkit_rule *r);
int nftkit_rule_error(const struct nftkit_rule *r);
int nftkit_rule_comment(struct nftkit_rule *r, const char *comment);

enum nftkit_meta {
	NFTKIT_META_LEN = 0, NFTKIT_META_PROTOCOL = 1, NFTKIT_META_MARK = 3,
	NFTKIT_META_IIF = 4, NFTKIT_META_OIF = 5, NFTKIT_META_IIFNAME = 6,
	NFTKIT_META_OIFNAME = 7, NFTKIT_META_SKUID = 10, NFTKIT_META_SKGID = 11,
	NFTKIT_META_NFPROTO = 15, NFTKIT_META_L4PROTO = 16, NFTKIT_META_CGROUP = 23,
};
enum nftkit_ct {
	NFTKIT_CT_STATE = 0, NFTKIT_CT_DIRECTION = 1, NFTKIT_CT_STATUS = 2, NFTKIT_CT_MARK = 3,
};
#define NFTKIT_CT_INVALID	0x01
#define NFTKIT_CT_ESTABLISHED	0x02
#define NFTKIT_CT_RELATED	0x04
#define NFTKIT_CT_NEW		0x08
#define NFTKIT_CT_UNTRACKED	0x40

enum nftkit_field {
	NFTKIT_IP_SADDR = 1, NFTKIT_IP_DADDR, NFTKIT_IP_PROTOCOL,
	NFTKIT_IP6_SADDR, NFTKIT_IP6_DADDR, NFTKIT_IP6_NEXTHDR,
	NFTKIT_TCP_SPORT, NFTKIT_TCP_DPORT, NFTKIT_UDP_SPORT, NFTKIT_UDP_DPORT,
	NFTKIT_TH_SPORT, NFTKIT_TH_DPORT,
};

enum nftkit_cmp { NFTKIT_EQ = 0, NFTKIT_NE, NFTKIT_LT, NFTKIT_LTE, NFTKIT_GT, NFTKIT_GTE };

/* Loads into the accumulator. */
void nftkit_meta(struct nftkit_rule *r, enum nftkit_meta key);
void nftkit_ct(struct nftkit_rule *r, enum nftkit_ct key);
/* Adds the dependency match nft would add (e.g. "meta l4proto tcp" for tcp dport). */
void nftkit_payload(struct nftkit_rule *r, enum nftkit_field field);
/* socket cgroupv2 level N: the id of the socket's cgroup ancestor at that depth. */
void nftkit_socket_cgroupv2(struct nftkit_rule *r, unsigned int level);
/* fib daddr type / fib saddr . iif oif etc.: flags NFTA_FIB_F_*, result NFT_FIB_RESULT_*. */
void nftkit_fib(struct nftkit_rule *r, uint32_t flags, uint32_t result);
/* The next load is appended to the accumulator (a concatenation "a . b"). */
void nftkit_concat(struct nftkit_rule *r);

/* Matches on the accumulator. */
void nftkit_cmp(struct nftkit_rule *r, enum nftkit_cmp op, uint64_t value);
void nftkit_cmp_data(struct nftkit_rule *r, enum nftkit_cmp op, const void *data, size_t len);
/* Interface names ("eth0", or "wl*" for a prefix), addresses ("10.0.0.0/24"). */
void nftkit_cmp_str(struct nftkit_rule *r, enum nftkit_cmp op, const char *text);
/* ct state established,related: (acc & bits) != 0 */
void nftkit_bits_any(struct nftkit_rule *r, uint32_t bits);
/* acc = (acc & mask) ^ xor */
void nftkit_bitwise(struct nftkit_rule *r, uint32_t mask, uint32_t xor_);
/* "@set" / "!= @set" */
void nftkit_lookup(struct nftkit_rule *r, const char *set, bool invert);
/* "map @m": acc = m[acc]; type is the map's data type */
void nftkit_map(struct nftkit_rule *r, const char *map, enum nftkit_type type);
/* "vmap @m": verdict of m[acc] */
void nftkit_vmap(struct nftkit_rule *r, const char *map);
/* "add @s { acc timeout T }" / "update @s ..." from the packet path */
void nftkit_dynset(struct nftkit_rule *r, const char *set, bool update, uint64_t timeout_ms);

/* One-call matches: load + compare. */
void nftkit_match_meta(struct nftkit_rule *r, enum nftkit_meta key, uint64_t value);
void nftkit_match_ifname(struct nftkit_rule *r, enum nftkit_meta key, enum nftkit_cmp op,
			 const char *name);
void nftkit_match_addr(struct nftkit_rule *r, enum nftkit_field field, enum nftkit_cmp op,
		       const char *cidr);
void nftkit_match_port(struct nftkit_rule *r, enum nftkit_field field, uint16_t port);
void nftkit_match_ct_state(struct nftkit_rule *r, uint32_t states);
void nftkit_match_ct_mark(struct nftkit_rule *r, uint32_t mark);
/* socket cgroupv2 level N <id of path>; path absolute or relative to the cgroup2 mount. */
void nftkit_match_cgroupv2(struct nftkit_rule *r, const char *path);

/* Statements. */
void nftkit_set_meta(struct nftkit_rule *r, enum nftkit_meta key);	/* meta K set acc */
void nftkit_set_meta_u32(struct nftkit_rule *r, enum nftkit_meta key, uint32_t value);
void nftkit_set_ct(struct nftkit_rule *r, enum nftkit_ct key);		/* ct K set acc */
void nftkit_set_ct_u32(struct nftkit_rule *r, enum nftkit_ct key, uint32_t value);
void nftkit_counter(struct nftkit_rule *r);				/* counter */
void nftkit_counter_named(struct nftkit_rule *r, const char *name);	/* counter name "c" */
void nftkit_counter_map(struct nftkit_rule *r, const char *map);	/* counter name acc map @m */
void nftkit_quota_named(struct nftkit_rule *r, const char *name);	/* quota name "q" */
void nftkit_quota_map(struct nftkit_rule *r, const char *map);
void nftkit_limit(struct nftkit_rule *r, uint64_t rate, uint64_t per_seconds, uint32_t burst);
void nftkit_log(struct nftkit_rule *r, const char *prefix);
void nftkit_masquerade(struct nftkit_rule *r);
/* snat/dnat to an address (family NFTKIT_IP or NFTKIT_IP6), optional port (0 = none) */
void nftkit_snat(struct nftkit_rule *r, enum nftkit_family family, const char *addr, uint16_t port);
void nftkit_dnat(struct nftkit_rule *r, enum nftkit_family family, const char *addr, uint16_t port);
void nftkit_reject(struct nftkit_rule *r);			/* reject (icmpx port-unreachable) */
void nftkit_reject_tcp_reset(struct nftkit_rule *r);		/* reject with tcp reset */
void nftkit_verdict(struct nftkit_rule *r, enum nftkit_verdict v, const char *chain);
void nftkit_accept(struct nftkit_rule *r);
void nftkit_drop(struct nftkit_rule *r);
void nftkit_return(struct nftkit_rule *r);
void nftkit_jump(struct nftkit_rule *r, const char *chain);
void nftkit_goto(struct nftkit_rule *r, const char *chain);

/* ---- cgroup v2 ---------------------------------------------------------- */

/* Finds the cgroup2 mount; fills id (the directory's inode) and level (depth). */
int nftkit_cgroupv2_id(const char *path, uint64_t *id, unsigned int *level);
/* Where the cgroup v2 hierarchy is mounted (from /proc/self/mountinfo):
 * 0, or -ENOENT when it is not, or -ENAMETOOLONG when out is too small. */
int nftkit_cgroupv2_mount(char *out, size_t size);

/* ---- reading back ------------------------------------------------------- */

struct nftkit_table_info {
	enum nftkit_family family;
	const char *name;
	uint32_t flags;
	uint64_t handle;
	uint32_t use;
};
struct nftkit_chain_info {
	enum nftkit_family family;
	const char *table, *name;
	uint64_t handle;
	bool base;
	const char *type, *device;	/* base chains; device may be NULL */
	enum nftkit_hook hook;
	int priority;
	enum nftkit_policy policy;
};
struct nftkit_rule_info {
	enum nftkit_family family;
	const char *table, *chain;
	uint64_t handle, position;
	const char *comment;		/* NULL if none */
	const char *exprs;		/* expression kinds, space separated: "meta cmp counter" */
};
struct nftkit_set_info {
	enum nftkit_family family;
	const char *table, *name;
	uint64_t handle;
	uint32_t flags;			/* NFT_SET_* kernel flags */
	uint32_t key_len, data_len;
	uint32_t key_type, data_type, obj_type;	/* as stored (nft datatype ids) */
	uint64_t timeout_ms;
};
struct nftkit_obj_info {
	enum nftkit_family family;
	const char *table, *name;
	enum nftkit_kind kind;		/* COUNTER or QUOTA */
	uint64_t packets, bytes;	/* counter; quota: bytes = consumed */
	uint64_t quota_bytes;
	uint32_t quota_flags;
	uint64_t handle;
};
struct nftkit_elem_info {
	const uint8_t *key, *key_end, *data;
	uint32_t key_len, key_end_len, data_len;
	enum nftkit_verdict verdict;	/* 0 if not a verdict map */
	const char *chain, *obj, *comment;	/* NULL if none */
	uint64_t timeout_ms, expires_ms;
	uint32_t flags;			/* NFT_SET_ELEM_INTERVAL_END etc. */
};

/* Callbacks return 0 to go on, anything else stops the walk and is returned. */
typedef int (*nftkit_table_cb)(const struct nftkit_table_info *t, void *data);
typedef int (*nftkit_chain_cb)(const struct nftkit_chain_info *c, void *data);
typedef int (*nftkit_rule_cb)(const struct nftkit_rule_info *r, void *data);
typedef int (*nftkit_set_cb)(const struct nftkit_set_info *s, void *data);
typedef int (*nftkit_elem_cb)(const struct nftkit_elem_info *e, void *data);
typedef int (*nftkit_obj_cb)(const struct nftkit_obj_info *o, void *data);

/* family 0 = all families; table NULL = all tables. */
int nftkit_list_tables(struct nftkit *nk, enum nftkit_family family, nftkit_table_cb cb, void *data);
int nftkit_list_chains(struct nftkit *nk, enum nftkit_family family, const char *table,
		       nftkit_chain_cb cb, void *data);
int nftkit_list_rules(struct nftkit *nk, enum nftkit_family family, const char *table,
		      const char *chain, nftkit_rule_cb cb, void *data);
int nftkit_list_sets(struct nftkit *nk, enum nftkit_family family, const char *table,
		     nftkit_set_cb cb, void *data);
int nftkit_list_elems(struct nftkit *nk, enum nftkit_family family, const char *table,
		      const char *set, nftkit_elem_cb cb, void *data);
int nftkit_list_objs(struct nftkit *nk, enum nftkit_family family, const char *table,
		     bool reset, nftkit_obj_cb cb, void *data);

/* Named counters, one request. */
struct nftkit_counter {
	char name[64];
	uint64_t packets, bytes;
};
typedef int (*nftkit_counter_cb)(const char *name, uint64_t packets, uint64_t bytes, void *data);
int nftkit_counters_dump(struct nftkit *nk, enum nftkit_family family, const char *table,
			 bool reset, nftkit_counter_cb cb, void *data);
/* Fills up to max entries; returns how many counters exist (may exceed max). */
int nftkit_counters_read(struct nftkit *nk, enum nftkit_family family, const char *table,
			 bool reset, struct nftkit_counter *out, size_t max);
/* One counter by name: 0, or -ENOENT. */
int nftkit_counter_get(struct nftkit *nk, enum nftkit_family family, const char *table,
		       const char *name, bool reset, uint64_t *packets, uint64_t *bytes);

/* ---- monitoring ----------------------------------------------------------- */

struct nftkit_event {
	enum nftkit_kind kind;		/* 0 for a generation (end of a batch) */
	enum nftkit_op op;		/* ADD or DELETE */
	enum nftkit_family family;
	const char *table, *name;	/* name: chain/set/object; rule: chain */
	uint64_t handle;
	uint32_t generation;		/* kind 0 only */
};
typedef void (*nftkit_event_cb)(const struct nftkit_event *ev, void *data);

/* Own socket, subscribed to nftables change events. */
struct nftkit_monitor *nftkit_monitor_new(nftkit_event_cb cb, void *data);
void nftkit_monitor_free(struct nftkit_monitor *m);
/* Watch this fd for readability, then call nftkit_monitor_dispatch(). */
int nftkit_monitor_fd(const struct nftkit_monitor *m);
/* Reads what is pending without blocking; returns events delivered or -errno
 * (-ENOBUFS: events were lost, re-read the state). */
int nftkit_monitor_dispatch(struct nftkit_monitor *m);

#ifdef __cplusplus
}
#endif
#endif
