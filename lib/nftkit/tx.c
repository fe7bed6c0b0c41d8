// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Transactions: changes are serialized as they are queued into a list of
 * chunks and sent with one sendmsg() (one iovec per chunk) between
 * BATCH_BEGIN and BATCH_END, so the kernel sees one batch however large.
 * Each change's messages carry its index as sequence number, which is how a
 * kernel error is traced back to the change.
 */
#include <errno.h>
#include <endian.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/common.h>

#include "internal.h"

#define CHUNK_SIZE	(1024 * 1024)
#define MSG_MAX		(64 * 1024)	/* room reserved for one message */
#define ELEMS_MAX	(32 * 1024)	/* payload of one element message */

struct chunk {
	struct chunk *next;
	size_t len;
	char data[CHUNK_SIZE];
};

struct change {
	uint8_t kind, op;
	uint32_t name;		/* offset in names */
};

struct nftkit_tx {
	struct nftkit *nk;
	struct chunk *head, *tail;
	size_t nchunks;
	struct change *changes;
	size_t n, cap;
	char *names;
	size_t names_len, names_cap;
	enum nftkit_family family;
	char table[256];
	int qerr;		/* first queueing error */
	unsigned int qerr_index;
	uint32_t set_id;
};

struct nftkit_tx *nftkit_tx_new(struct nftkit *nk)
{
	struct nftkit_tx *tx;

	if (!nk) {
		errno = EINVAL;
		return NULL;
	}
	tx = calloc(1, sizeof(*tx));
	if (tx)
		tx->nk = nk;
	return tx;
}

void nftkit_tx_abort(struct nftkit_tx *tx)
{
	struct chunk *c, *next;

	if (!tx)
		return;
	/* The first chunk is kept for the next transaction: a fresh 1 MiB
	 * chunk per commit would cost an mmap/munmap pair each time. */
	for (c = tx->head ? tx->head->next : NULL; c; c = next) {
		next = c->next;
		free(c);
	}
	if (tx->head) {
		memset(tx->head->data, 0, tx->head->len);
		tx->head->len = 0;
		tx->head->next = NULL;
	}
	tx->tail = tx->head;
	tx->nchunks = tx->head ? 1 : 0;
	tx->n = 0;
	tx->names_len = 0;
	tx->qerr = 0;
	tx->qerr_index = 0;
}

void nftkit_tx_free(struct nftkit_tx *tx)
{
	if (!tx)
		return;
	nftkit_tx_abort(tx);
	free(tx->head);
	free(tx->changes);
	free(tx->names);
	free(tx);
}

unsigned int nftkit_tx_count(const struct nftkit_tx *tx)
{
	return (unsigned int)tx->n;
}

static int add_name(struct nftkit_tx *tx, const char *name, uint32_t *off)
{
	size_t len = strlen(name) + 1;

	if (tx->names_len + len > tx->names_cap) {
		size_t cap = tx->names_cap ? tx->names_cap * 2 : 4096;
		char *p;

		while (cap < tx->names_len + len)
			cap *= 2;
		p = realloc(tx->names, cap);
		if (!p)
			return -ENOMEM;
		tx->names = p;
		tx->names_cap = cap;
	}
	memcpy(tx->names + tx->names_len, name, len);
	*off = (uint32_t)tx->names_len;
	tx->names_len += len;
	return 0;
}

/* Records a change; its index (1-based) is the sequence number of its messages. */
static int new_change(struct nftkit_tx *tx, enum nftkit_kind kind, enum nftkit_op op,
		      const char *name)
{
	struct change *c;

	if (tx->n == tx->cap) {
		size_t cap = tx->cap ? tx->cap * 2 : 64;

		c = realloc(tx->changes, cap * sizeof(*c));
		if (!c)
			return -ENOMEM;
		tx->changes = c;
		tx->cap = cap;
	}
	c = &tx->changes[tx->n];
	c->kind = kind;
	c->op = op;
	if (add_name(tx, name ? name : "", &c->name))
		return -ENOMEM;
	tx->n++;
	return 0;
}

/* A queueing error is reported by commit, with the index of its change. */
static int fail(struct nftkit_tx *tx, int err)
{
	if (!tx->qerr) {
		tx->qerr = err;
		tx->qerr_index = (unsigned int)tx->n;
	}
	return err;
}

static struct nlmsghdr *msg_start(struct nftkit_tx *tx, uint16_t type, uint16_t flags)
{
	struct chunk *c = tx->tail;

	if (!c || CHUNK_SIZE - c->len < MSG_MAX) {
		/* zeroed: attribute padding is sent as is (and is free: mmap'd) */
		c = calloc(1, sizeof(*c));
		if (!c)
			return NULL;
		if (tx->tail)
			tx->tail->next = c;
		else
			tx->head = c;
		tx->tail = c;
		tx->nchunks++;
	}
	return nftnl_nlmsg_build_hdr(c->data + c->len, type, (uint16_t)tx->family,
				     flags | NLM_F_REQUEST, (uint32_t)tx->n);
}

static void msg_end(struct nftkit_tx *tx, struct nlmsghdr *nlh)
{
	tx->tail->len += NLMSG_ALIGN(nlh->nlmsg_len);
}

/* Begins the message of a new change on the current table. */
static struct nlmsghdr *change_start(struct nftkit_tx *tx, enum nftkit_kind kind,
				     enum nftkit_op op, const char *name, uint16_t type,
				     uint16_t flags, uint16_t table_attr)
{
	struct nlmsghdr *nlh;

	if (!tx->table[0]) {
		fail(tx, -EINVAL);
		return NULL;
	}
	if (name && strlen(name) >= NFT_NAME_MAXLEN) {
		fail(tx, -ENAMETOOLONG);
		return NULL;
	}
	if (new_change(tx, kind, op, name)) {
		fail(tx, -ENOMEM);
		return NULL;
	}
	nlh = msg_start(tx, type, flags);
	if (!nlh) {
		fail(tx, -ENOMEM);
		return NULL;
	}
	mnl_attr_put_strz(nlh, table_attr, tx->table);
	return nlh;
}

#define CHECK_TX(tx) do { if (!(tx)) return -EINVAL; if ((tx)->qerr) return (tx)->qerr; } while (0)

int nftkit_tx_use_table(struct nftkit_tx *tx, enum nftkit_family family, const char *table)
{
	CHECK_TX(tx);
	if (!table || strlen(table) >= sizeof(tx->table) || strlen(table) >= NFT_NAME_MAXLEN)
		return fail(tx, -EINVAL);
	tx->family = family;
	strcpy(tx->table, table);
	return 0;
}

static int table_change(struct nftkit_tx *tx, enum nftkit_family family, const char *table,
			enum nftkit_op op, uint16_t type, uint16_t flags, uint32_t tflags, bool with_flags)
{
	struct nlmsghdr *nlh;
	int r = nftkit_tx_use_table(tx, family, table);

	if (r)
		return r;
	nlh = change_start(tx, NFTKIT_KIND_TABLE, op, table, type, flags, NFTA_TABLE_NAME);
	if (!nlh)
		return tx->qerr;
	if (with_flags)
		mnl_attr_put_u32(nlh, NFTA_TABLE_FLAGS, htobe32(tflags));
	msg_end(tx, nlh);
	return 0;
}

int nftkit_tx_add_table(struct nftkit_tx *tx, enum nftkit_family family, const char *table,
			uint32_t flags)
{
	uint32_t kf = 0;

	if (flags & NFTKIT_TABLE_DORMANT)
		kf |= NFT_TABLE_F_DORMANT;
	if (flags & NFTKIT_TABLE_OWNER)
		kf |= NFT_TABLE_F_OWNER;
	return table_change(tx, family, table, NFTKIT_OP_ADD, NFT_MSG_NEWTABLE, NLM_F_CREATE,
			    kf, true);
}

int nftkit_tx_del_table(struct nftkit_tx *tx, enum nftkit_family family, const char *table)
{
	return table_change(tx, family, table, NFTKIT_OP_DELETE, NFT_MSG_DELTABLE, 0, 0, false);
}

int nftkit_tx_flush_table(struct nftkit_tx *tx, enum nftkit_family family, const char *table)
{
	CHECK_TX(tx);
	if (nftkit_tx_use_table(tx, family, table))
		return tx->qerr;
	/* A DELRULE for the table without a chain flushes every chain's rules;
	 * nft's "flush table" does the same and keeps chains, sets, objects. */
	struct nlmsghdr *nlh = change_start(tx, NFTKIT_KIND_TABLE, NFTKIT_OP_FLUSH, table,
					    NFT_MSG_DELRULE, 0, NFTA_RULE_TABLE);
	if (!nlh)
		return tx->qerr;
	msg_end(tx, nlh);
	return 0;
}

static uint32_t hook_num(enum nftkit_family family, enum nftkit_hook hook)
{
	if (hook == NFTKIT_HOOK_INGRESS)
		return family == NFTKIT_NETDEV ? NF_NETDEV_INGRESS : NF_INET_INGRESS;
	if (hook == NFTKIT_HOOK_EGRESS)
		return 1;	/* NF_NETDEV_EGRESS */
	return (uint32_t)hook;
}

int nftkit_tx_add_chain(struct nftkit_tx *tx, const char *chain,
			const struct nftkit_base_chain *base)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	CHECK_TX(tx);
	if (!chain)
		return fail(tx, -EINVAL);
	nlh = change_start(tx, NFTKIT_KIND_CHAIN, NFTKIT_OP_ADD, chain, NFT_MSG_NEWCHAIN,
			   NLM_F_CREATE, NFTA_CHAIN_TABLE);
	if (!nlh)
		return tx->qerr;
	mnl_attr_put_strz(nlh, NFTA_CHAIN_NAME, chain);
	if (base) {
		nest = mnl_attr_nest_start(nlh, NFTA_CHAIN_HOOK);
		mnl_attr_put_u32(nlh, NFTA_HOOK_HOOKNUM, htobe32(hook_num(tx->family, base->hook)));
		mnl_attr_put_u32(nlh, NFTA_HOOK_PRIORITY, htobe32((uint32_t)base->priority));
		if (base->device)
			mnl_attr_put_strz(nlh, NFTA_HOOK_DEV, base->device);
		mnl_attr_nest_end(nlh, nest);
		mnl_attr_put_strz(nlh, NFTA_CHAIN_TYPE, base->type ? base->type : "filter");
		mnl_attr_put_u32(nlh, NFTA_CHAIN_POLICY,
				 htobe32(base->policy == NFTKIT_POLICY_DROP ? NF_DROP : NF_ACCEPT));
	}
	msg_end(tx, nlh);
	return 0;
}

static int chain_change(struct nftkit_tx *tx, const char *chain, enum nftkit_op op, uint16_t type,
			uint16_t table_attr, uint16_t chain_attr)
{
	struct nlmsghdr *nlh;

	CHECK_TX(tx);
	if (!chain)
		return fail(tx, -EINVAL);
	nlh = change_start(tx, NFTKIT_KIND_CHAIN, op, chain, type, 0, table_attr);
	if (!nlh)
		return tx->qerr;
	mnl_attr_put_strz(nlh, chain_attr, chain);
	msg_end(tx, nlh);
	return 0;
}

int nftkit_tx_del_chain(struct nftkit_tx *tx, const char *chain)
{
	return chain_change(tx, chain, NFTKIT_OP_DELETE, NFT_MSG_DELCHAIN, NFTA_CHAIN_TABLE,
			    NFTA_CHAIN_NAME);
}

int nftkit_tx_flush_chain(struct nftkit_tx *tx, const char *chain)
{
	return chain_change(tx, chain, NFTKIT_OP_FLUSH, NFT_MSG_DELRULE, NFTA_RULE_TABLE,
			    NFTA_RULE_CHAIN);
}

static int rule_change(struct nftkit_tx *tx, const char *chain, enum nftkit_op op,
		       uint64_t handle, const struct nftkit_rule *rule)
{
	uint16_t type = rule ? NFT_MSG_NEWRULE : NFT_MSG_DELRULE;
	uint16_t flags = 0;
	struct nlmsghdr *nlh;
	int r;

	CHECK_TX(tx);
	if (!chain)
		return fail(tx, -EINVAL);
	if (rule && nftkit_rule_error(rule)) {
		new_change(tx, NFTKIT_KIND_RULE, op, chain);
		return fail(tx, nftkit_rule_error(rule));
	}
	if (op == NFTKIT_OP_ADD || op == NFTKIT_OP_INSERT)
		flags = NLM_F_CREATE | (op == NFTKIT_OP_ADD ? NLM_F_APPEND : 0);
	else if (op == NFTKIT_OP_REPLACE)
		flags = NLM_F_REPLACE;
	nlh = change_start(tx, NFTKIT_KIND_RULE, op, chain, type, flags, NFTA_RULE_TABLE);
	if (!nlh)
		return tx->qerr;
	mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, chain);
	if (handle && (op == NFTKIT_OP_REPLACE || op == NFTKIT_OP_DELETE))
		mnl_attr_put_u64(nlh, NFTA_RULE_HANDLE, htobe64(handle));
	else if (handle)
		mnl_attr_put_u64(nlh, NFTA_RULE_POSITION, htobe64(handle));
	if (rule) {
		r = nk_rule_build(rule, nlh, tx->family);
		if (r)
			return fail(tx, r);
	}
	msg_end(tx, nlh);
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

/* ---- sets ---- */

static int set_key(const struct nftkit_set_spec *spec, uint32_t *len, uint32_t *type,
		   uint8_t *field_len, int *nfields)
{
	int i, l;

	*len = 0;
	*type = 0;
	for (i = 0; i < NFTKIT_CONCAT_MAX && spec->key[i]; i++) {
		l = nk_type_len(spec->key[i]);
		if (l <= 0 || spec->key[i] == NFTKIT_TYPE_VERDICT)
			return -EINVAL;
		field_len[i] = (uint8_t)l;
		*len += (uint32_t)(i + 1 < NFTKIT_CONCAT_MAX && spec->key[i + 1] ? nk_round4((size_t)l) : (size_t)l);
		/* nft's concatenated type id: 6 bits per field */
		*type = (*type << 6) | nk_type_nft_id(spec->key[i]);
	}
	*nfields = i;
	if (i > 1) {	/* every field of a concatenation takes whole registers */
		*len = 0;
		for (l = 0; l < i; l++)
			*len += (uint32_t)nk_round4(field_len[l]);
	}
	return i ? 0 : -EINVAL;
}

/* nft reads the byte order of keys and data from the set's userdata;
 * without it, host-order values (uid, mark) print byte-swapped. */
static void put_set_udata(struct nlmsghdr *nlh, const struct nftkit_set_spec *spec, int nfields)
{
	uint8_t ud[12];
	size_t len = 0;
	uint32_t v;

	if (nfields == 1) {
		v = nk_type_udata_order(spec->key[0]);
		ud[len] = 0;	/* NFTNL_UDATA_SET_KEYBYTEORDER */
		ud[len + 1] = 4;
		memcpy(ud + len + 2, &v, 4);
		len += 6;
	}
	if (spec->data && spec->data != NFTKIT_TYPE_VERDICT && spec->data != NFTKIT_TYPE_COUNTER &&
	    spec->data != NFTKIT_TYPE_QUOTA) {
		v = nk_type_udata_order(spec->data);
		ud[len] = 1;	/* NFTNL_UDATA_SET_DATABYTEORDER */
		ud[len + 1] = 4;
		memcpy(ud + len + 2, &v, 4);
		len += 6;
	}
	if (len)
		mnl_attr_put(nlh, NFTA_SET_USERDATA, len, ud);
}

int nftkit_tx_add_set(struct nftkit_tx *tx, const char *set, const struct nftkit_set_spec *spec)
{
	uint32_t klen, ktype, flags = 0;
	uint8_t flen[NFTKIT_CONCAT_MAX];
	struct nlmsghdr *nlh;
	struct nlattr *nest, *n2;
	int nf, i;

	CHECK_TX(tx);
	if (!set || !spec)
		return fail(tx, -EINVAL);
	nlh = change_start(tx, NFTKIT_KIND_SET, NFTKIT_OP_ADD, set, NFT_MSG_NEWSET, NLM_F_CREATE,
			   NFTA_SET_TABLE);
	if (!nlh)
		return tx->qerr;
	if (set_key(spec, &klen, &ktype, flen, &nf))
		return fail(tx, -EINVAL);
	mnl_attr_put_strz(nlh, NFTA_SET_NAME, set);
	mnl_attr_put_u32(nlh, NFTA_SET_KEY_TYPE, htobe32(ktype));
	mnl_attr_put_u32(nlh, NFTA_SET_KEY_LEN, htobe32(klen));
	if (spec->flags & NFTKIT_SET_CONSTANT)
		flags |= NFT_SET_CONSTANT;
	if (spec->flags & NFTKIT_SET_INTERVAL)
		flags |= NFT_SET_INTERVAL;
	if (spec->flags & NFTKIT_SET_TIMEOUT)
		flags |= NFT_SET_TIMEOUT;
	if (spec->flags & NFTKIT_SET_DYNAMIC)
		flags |= NFT_SET_EVAL;
	if (nf > 1)
		flags |= NFT_SET_CONCAT;
	if (spec->data == NFTKIT_TYPE_COUNTER || spec->data == NFTKIT_TYPE_QUOTA) {
		flags |= NFT_SET_OBJECT;
		mnl_attr_put_u32(nlh, NFTA_SET_OBJ_TYPE, htobe32(spec->data == NFTKIT_TYPE_COUNTER ?
								 NFT_OBJECT_COUNTER : NFT_OBJECT_QUOTA));
	} else if (spec->data) {
		flags |= NFT_SET_MAP;
		if (spec->data == NFTKIT_TYPE_VERDICT) {
			mnl_attr_put_u32(nlh, NFTA_SET_DATA_TYPE, htobe32(NFT_DATA_VERDICT));
			mnl_attr_put_u32(nlh, NFTA_SET_DATA_LEN, htobe32(16));
		} else {
			if (nk_type_len(spec->data) <= 0)
				return fail(tx, -EINVAL);
			mnl_attr_put_u32(nlh, NFTA_SET_DATA_TYPE, htobe32(nk_type_nft_id(spec->data)));
			mnl_attr_put_u32(nlh, NFTA_SET_DATA_LEN,
					 htobe32((uint32_t)nk_type_len(spec->data)));
		}
	}
	mnl_attr_put_u32(nlh, NFTA_SET_FLAGS, htobe32(flags));
	put_set_udata(nlh, spec, nf);
	mnl_attr_put_u32(nlh, NFTA_SET_ID, htobe32(++tx->set_id));
	if (spec->timeout_ms)
		mnl_attr_put_u64(nlh, NFTA_SET_TIMEOUT, htobe64(spec->timeout_ms));
	if (spec->size || nf > 1) {
		nest = mnl_attr_nest_start(nlh, NFTA_SET_DESC);
		if (spec->size)
			mnl_attr_put_u32(nlh, NFTA_SET_DESC_SIZE, htobe32(spec->size));
		if (nf > 1) {
			n2 = mnl_attr_nest_start(nlh, NFTA_SET_DESC_CONCAT);
			for (i = 0; i < nf; i++) {
				struct nlattr *f = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);

				mnl_attr_put_u32(nlh, NFTA_SET_FIELD_LEN, htobe32(flen[i]));
				mnl_attr_nest_end(nlh, f);
			}
			mnl_attr_nest_end(nlh, n2);
		}
		mnl_attr_nest_end(nlh, nest);
	}
	msg_end(tx, nlh);
	return 0;
}

static int set_change(struct nftkit_tx *tx, const char *set, enum nftkit_op op, uint16_t type,
		      uint16_t table_attr, uint16_t name_attr)
{
	struct nlmsghdr *nlh;

	CHECK_TX(tx);
	if (!set)
		return fail(tx, -EINVAL);
	nlh = change_start(tx, NFTKIT_KIND_SET, op, set, type, 0, table_attr);
	if (!nlh)
		return tx->qerr;
	mnl_attr_put_strz(nlh, name_attr, set);
	msg_end(tx, nlh);
	return 0;
}

int nftkit_tx_del_set(struct nftkit_tx *tx, const char *set)
{
	return set_change(tx, set, NFTKIT_OP_DELETE, NFT_MSG_DELSET, NFTA_SET_TABLE, NFTA_SET_NAME);
}

int nftkit_tx_flush_set(struct nftkit_tx *tx, const char *set)
{
	return set_change(tx, set, NFTKIT_OP_FLUSH, NFT_MSG_DELSETELEM, NFTA_SET_ELEM_LIST_TABLE,
			  NFTA_SET_ELEM_LIST_SET);
}

/* ---- elements ---- */

static void put_data(struct nlmsghdr *nlh, uint16_t attr, const void *data, size_t len)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, attr);

	mnl_attr_put(nlh, NFTA_DATA_VALUE, len, data);
	mnl_attr_nest_end(nlh, nest);
}

static uint32_t verdict_code(enum nftkit_verdict v)
{
	switch (v) {
	case NFTKIT_ACCEPT: return NF_ACCEPT;
	case NFTKIT_DROP: return NF_DROP;
	case NFTKIT_RETURN: return (uint32_t)NFT_RETURN;
	case NFTKIT_JUMP: return (uint32_t)NFT_JUMP;
	case NFTKIT_GOTO: return (uint32_t)NFT_GOTO;
	case NFTKIT_CONTINUE: return (uint32_t)NFT_CONTINUE;
	}
	return NF_ACCEPT;
}

static void put_one_elem(struct nlmsghdr *nlh, const struct nftkit_elem *e, bool add,
			 const uint8_t *key, uint32_t flags)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM), *d, *v;

	put_data(nlh, NFTA_SET_ELEM_KEY, key, e->key_len);
	if (flags)
		mnl_attr_put_u32(nlh, NFTA_SET_ELEM_FLAGS, htobe32(flags));
	if (add && !flags) {
		if (e->verdict) {
			d = mnl_attr_nest_start(nlh, NFTA_SET_ELEM_DATA);
			v = mnl_attr_nest_start(nlh, NFTA_DATA_VERDICT);
			mnl_attr_put_u32(nlh, NFTA_VERDICT_CODE, htobe32(verdict_code(e->verdict)));
			if (e->chain[0])
				mnl_attr_put_strz(nlh, NFTA_VERDICT_CHAIN, e->chain);
			mnl_attr_nest_end(nlh, v);
			mnl_attr_nest_end(nlh, d);
		} else if (e->data_len) {
			put_data(nlh, NFTA_SET_ELEM_DATA, e->data, e->data_len);
		}
		if (e->obj[0])
			mnl_attr_put_strz(nlh, NFTA_SET_ELEM_OBJREF, e->obj);
		if (e->timeout_ms)
			mnl_attr_put_u64(nlh, NFTA_SET_ELEM_TIMEOUT, htobe64(e->timeout_ms));
		if (e->comment[0]) {
			/* nft's userdata TLV: type 0 (comment), length, text with NUL */
			uint8_t ud[2 + sizeof(e->comment)];
			size_t l = strnlen(e->comment, sizeof(e->comment) - 1);

			ud[0] = 0;
			ud[1] = (uint8_t)(l + 1);
			memcpy(ud + 2, e->comment, l);
			ud[2 + l] = 0;
			mnl_attr_put(nlh, NFTA_SET_ELEM_USERDATA, l + 3, ud);
		}
	}
	mnl_attr_nest_end(nlh, nest);
}

/* key + 1 in network byte order: the first value past an interval. */
static bool key_next(uint8_t *key, size_t len)
{
	while (len--) {
		if (++key[len])
			return true;
	}
	return false;
}

static int elems_change(struct nftkit_tx *tx, const char *set, const struct nftkit_elem *elems,
			size_t n, bool add)
{
	uint16_t type = add ? NFT_MSG_NEWSETELEM : NFT_MSG_DELSETELEM;
	struct nlmsghdr *nlh = NULL;
	struct nlattr *list = NULL;
	uint8_t end[64];
	size_t i;

	CHECK_TX(tx);
	if (!set || (!elems && n))
		return fail(tx, -EINVAL);
	for (i = 0; i < n; i++) {
		if (!elems[i].key_len || elems[i].key_len > sizeof(elems[i].key) ||
		    elems[i].data_len > sizeof(elems[i].data))
			return fail(tx, -EINVAL);
	}
	nlh = change_start(tx, NFTKIT_KIND_ELEMENT, add ? NFTKIT_OP_ADD : NFTKIT_OP_DELETE, set,
			   type, add ? NLM_F_CREATE : 0, NFTA_SET_ELEM_LIST_TABLE);
	if (!nlh)
		return tx->qerr;
	for (i = 0; i < n; i++) {
		if (!list) {
			mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_SET, set);
			list = mnl_attr_nest_start(nlh, NFTA_SET_ELEM_LIST_ELEMENTS);
		}
		put_one_elem(nlh, &elems[i], add, elems[i].key, 0);
		if (elems[i].key_end_len) {
			/* interval: the end element holds last + 1 */
			memcpy(end, elems[i].key_end, elems[i].key_end_len);
			if (key_next(end, elems[i].key_end_len))
				put_one_elem(nlh, &elems[i], add, end, NFT_SET_ELEM_INTERVAL_END);
		}
		if (nlh->nlmsg_len > ELEMS_MAX && i + 1 < n) {
			/* Same change, next message: same sequence number. */
			mnl_attr_nest_end(nlh, list);
			msg_end(tx, nlh);
			list = NULL;
			nlh = msg_start(tx, type, add ? NLM_F_CREATE : 0);
			if (!nlh)
				return fail(tx, -ENOMEM);
			mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_TABLE, tx->table);
		}
	}
	if (list)
		mnl_attr_nest_end(nlh, list);
	else
		mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_SET, set);
	msg_end(tx, nlh);
	return 0;
}

int nftkit_tx_add_elems(struct nftkit_tx *tx, const char *set, const struct nftkit_elem *elems,
			size_t n)
{
	return elems_change(tx, set, elems, n, true);
}

int nftkit_tx_del_elems(struct nftkit_tx *tx, const char *set, const struct nftkit_elem *elems,
			size_t n)
{
	return elems_change(tx, set, elems, n, false);
}

int nftkit_tx_add_elem_u32(struct nftkit_tx *tx, const char *map, uint32_t key, uint32_t value)
{
	struct nftkit_elem e;

	nftkit_elem_init(&e);
	memcpy(e.key, &key, 4);
	memcpy(e.data, &value, 4);
	e.key_len = e.data_len = 4;
	return elems_change(tx, map, &e, 1, true);
}

int nftkit_tx_del_elem_u32(struct nftkit_tx *tx, const char *map, uint32_t key)
{
	struct nftkit_elem e;

	nftkit_elem_init(&e);
	memcpy(e.key, &key, 4);
	e.key_len = 4;
	return elems_change(tx, map, &e, 1, false);
}

/* ---- named objects ---- */

static int obj_change(struct nftkit_tx *tx, const char *name, enum nftkit_kind kind, bool add,
		      uint64_t bytes, uint32_t qflags)
{
	uint32_t type = kind == NFTKIT_KIND_COUNTER ? NFT_OBJECT_COUNTER : NFT_OBJECT_QUOTA;
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	CHECK_TX(tx);
	if (!name)
		return fail(tx, -EINVAL);
	nlh = change_start(tx, kind, add ? NFTKIT_OP_ADD : NFTKIT_OP_DELETE, name,
			   add ? NFT_MSG_NEWOBJ : NFT_MSG_DELOBJ, add ? NLM_F_CREATE : 0,
			   NFTA_OBJ_TABLE);
	if (!nlh)
		return tx->qerr;
	mnl_attr_put_strz(nlh, NFTA_OBJ_NAME, name);
	mnl_attr_put_u32(nlh, NFTA_OBJ_TYPE, htobe32(type));
	if (add) {
		nest = mnl_attr_nest_start(nlh, NFTA_OBJ_DATA);
		if (kind == NFTKIT_KIND_COUNTER) {
			mnl_attr_put_u64(nlh, NFTA_COUNTER_BYTES, 0);
			mnl_attr_put_u64(nlh, NFTA_COUNTER_PACKETS, 0);
		} else {
			mnl_attr_put_u64(nlh, NFTA_QUOTA_BYTES, htobe64(bytes));
			mnl_attr_put_u32(nlh, NFTA_QUOTA_FLAGS,
					 htobe32(qflags & NFTKIT_QUOTA_OVER ? NFT_QUOTA_F_INV : 0));
		}
		mnl_attr_nest_end(nlh, nest);
	}
	msg_end(tx, nlh);
	return 0;
}

int nftkit_tx_add_counter(struct nftkit_tx *tx, const char *name)
{
	return obj_change(tx, name, NFTKIT_KIND_COUNTER, true, 0, 0);
}

int nftkit_tx_del_counter(struct nftkit_tx *tx, const char *name)
{
	return obj_change(tx, name, NFTKIT_KIND_COUNTER, false, 0, 0);
}

int nftkit_tx_add_quota(struct nftkit_tx *tx, const char *name, uint64_t bytes, uint32_t flags)
{
	return obj_change(tx, name, NFTKIT_KIND_QUOTA, true, bytes, flags);
}

int nftkit_tx_del_quota(struct nftkit_tx *tx, const char *name)
{
	return obj_change(tx, name, NFTKIT_KIND_QUOTA, false, 0, 0);
}

/* ---- commit ---- */

static void fill_error(const struct nftkit_tx *tx, unsigned int index, int error,
		       struct nftkit_error *err)
{
	if (!err)
		return;
	memset(err, 0, sizeof(*err));
	err->index = index;
	err->error = error;
	if (index >= 1 && index <= tx->n) {
		const struct change *c = &tx->changes[index - 1];

		err->kind = c->kind;
		err->op = c->op;
		strncpy(err->name, tx->names + c->name, sizeof(err->name) - 1);
	}
}

/* The kernel handles the batch inside sendmsg(), so every error is queued
 * on our socket by the time it returns: read them without blocking. Only
 * failures are reported (no NLM_F_ACK), keeping the receive queue small. */
static int read_errors(struct nftkit_tx *tx, unsigned int *index)
{
	struct nftkit *nk = tx->nk;
	int first = 0;
	ssize_t n;

	for (;;) {
		n = recv(mnl_socket_get_fd(nk->nl), nk->buf, nk->buflen, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			return first ? first : -errno;
		}
		struct nlmsghdr *nlh = (struct nlmsghdr *)nk->buf;
		int len = (int)n;

		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

			if (nlh->nlmsg_type != NLMSG_ERROR || !e->error || first)
				continue;
			first = e->error;
			*index = nlh->nlmsg_seq;
		}
	}
	return first;
}

int nftkit_tx_commit(struct nftkit_tx *tx, struct nftkit_error *err)
{
	char begin[NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct nfgenmsg))];
	char end[sizeof(begin)];
	struct iovec *iov, small[8];
	struct msghdr mh = { 0 };
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	unsigned int index = 0;
	size_t i = 0, total;
	struct chunk *c;
	int r;

	if (!tx)
		return -EINVAL;
	if (tx->qerr) {
		r = tx->qerr;
		fill_error(tx, tx->qerr_index ? tx->qerr_index : (unsigned int)tx->n, r, err);
		nftkit_tx_abort(tx);
		return r;
	}
	if (!tx->n) {
		fill_error(tx, 0, 0, err);
		return 0;
	}
	iov = tx->nchunks <= 6 ? small : calloc(tx->nchunks + 2, sizeof(*iov));
	if (!iov)
		return -ENOMEM;
	nftnl_batch_begin(begin, 0);
	nftnl_batch_end(end, (uint32_t)tx->n + 1);
	iov[i++] = (struct iovec){ begin, sizeof(begin) };
	total = sizeof(begin) * 2;
	for (c = tx->head; c; c = c->next) {
		iov[i++] = (struct iovec){ c->data, c->len };
		total += c->len;
	}
	iov[i++] = (struct iovec){ end, sizeof(end) };
	mh.msg_name = &sa;
	mh.msg_namelen = sizeof(sa);
	mh.msg_iov = iov;
	mh.msg_iovlen = i;
	r = nk_grow_sndbuf(tx->nk, total);
	if (!r && sendmsg(mnl_socket_get_fd(tx->nk->nl), &mh, 0) < 0)
		r = -errno;
	if (iov != small)
		free(iov);
	if (!r)
		r = read_errors(tx, &index);
	fill_error(tx, r ? index : 0, r, err);
	nftkit_tx_abort(tx);
	return r;
}
