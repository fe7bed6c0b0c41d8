// SPDX-License-Identifier: LGPL-2.1-or-later
/* Set and map elements in a transaction: keys, data, verdicts, intervals,
 * object references; big lists split over several messages of one change. */
#include <errno.h>
#include <endian.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "internal.h"

#define ELEMS_MAX	(32 * 1024)	/* payload of one element message */

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

	NK_CHECK_TX(tx);
	if (!set || (!elems && n))
		return nk_tx_fail(tx, -EINVAL);
	for (i = 0; i < n; i++) {
		if (!elems[i].key_len || elems[i].key_len > sizeof(elems[i].key) ||
		    elems[i].data_len > sizeof(elems[i].data))
			return nk_tx_fail(tx, -EINVAL);
	}
	nlh = nk_tx_change_start(tx, NFTKIT_KIND_ELEMENT, add ? NFTKIT_OP_ADD : NFTKIT_OP_DELETE,
				 set, type, add ? NLM_F_CREATE : 0, NFTA_SET_ELEM_LIST_TABLE);
	if (!nlh)
		return nk_tx_error(tx);
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
			nk_tx_msg_end(tx, nlh);
			list = NULL;
			nlh = nk_tx_msg_start(tx, type, add ? NLM_F_CREATE : 0);
			if (!nlh)
				return nk_tx_fail(tx, -ENOMEM);
			mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_TABLE, nk_tx_table(tx));
		}
	}
	if (list)
		mnl_attr_nest_end(nlh, list);
	else
		mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_SET, set);
	nk_tx_msg_end(tx, nlh);
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
