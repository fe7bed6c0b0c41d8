// SPDX-License-Identifier: LGPL-2.1-or-later
/* Sets and maps in a transaction: key and data types, flags, concatenations. */
#include <errno.h>
#include <endian.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "internal.h"

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

	NK_CHECK_TX(tx);
	if (!set || !spec)
		return nk_tx_fail(tx, -EINVAL);
	nlh = nk_tx_change_start(tx, NFTKIT_KIND_SET, NFTKIT_OP_ADD, set, NFT_MSG_NEWSET,
				 NLM_F_CREATE, NFTA_SET_TABLE);
	if (!nlh)
		return nk_tx_error(tx);
	if (set_key(spec, &klen, &ktype, flen, &nf))
		return nk_tx_fail(tx, -EINVAL);
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
				return nk_tx_fail(tx, -EINVAL);
			mnl_attr_put_u32(nlh, NFTA_SET_DATA_TYPE, htobe32(nk_type_nft_id(spec->data)));
			mnl_attr_put_u32(nlh, NFTA_SET_DATA_LEN,
					 htobe32((uint32_t)nk_type_len(spec->data)));
		}
	}
	mnl_attr_put_u32(nlh, NFTA_SET_FLAGS, htobe32(flags));
	put_set_udata(nlh, spec, nf);
	mnl_attr_put_u32(nlh, NFTA_SET_ID, htobe32(nk_tx_new_set_id(tx)));
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
	nk_tx_msg_end(tx, nlh);
	return 0;
}

int nftkit_tx_del_set(struct nftkit_tx *tx, const char *set)
{
	return nk_tx_named_change(tx, NFTKIT_KIND_SET, set, NFTKIT_OP_DELETE, NFT_MSG_DELSET,
				  NFTA_SET_TABLE, NFTA_SET_NAME);
}

int nftkit_tx_flush_set(struct nftkit_tx *tx, const char *set)
{
	return nk_tx_named_change(tx, NFTKIT_KIND_SET, set, NFTKIT_OP_FLUSH, NFT_MSG_DELSETELEM,
				  NFTA_SET_ELEM_LIST_TABLE, NFTA_SET_ELEM_LIST_SET);
}
