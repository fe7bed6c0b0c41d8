// SPDX-License-Identifier: LGPL-2.1-or-later
/* Named objects in a transaction: counters and quotas. */
#include <errno.h>
#include <endian.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "internal.h"

static int obj_change(struct nftkit_tx *tx, const char *name, enum nftkit_kind kind, bool add,
		      uint64_t bytes, uint32_t qflags)
{
	uint32_t type = kind == NFTKIT_KIND_COUNTER ? NFT_OBJECT_COUNTER : NFT_OBJECT_QUOTA;
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	NK_CHECK_TX(tx);
	if (!name)
		return nk_tx_fail(tx, -EINVAL);
	nlh = nk_tx_change_start(tx, kind, add ? NFTKIT_OP_ADD : NFTKIT_OP_DELETE, name,
				 add ? NFT_MSG_NEWOBJ : NFT_MSG_DELOBJ, add ? NLM_F_CREATE : 0,
				 NFTA_OBJ_TABLE);
	if (!nlh)
		return nk_tx_error(tx);
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
	nk_tx_msg_end(tx, nlh);
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
