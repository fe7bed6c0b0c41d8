// SPDX-License-Identifier: LGPL-2.1-or-later
/* Tables in a transaction: add, delete, flush. */
#include <errno.h>
#include <endian.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "internal.h"

static int table_change(struct nftkit_tx *tx, enum nftkit_family family, const char *table,
			enum nftkit_op op, uint16_t type, uint16_t flags, uint32_t tflags, bool with_flags)
{
	struct nlmsghdr *nlh;
	int r = nftkit_tx_use_table(tx, family, table);

	if (r)
		return r;
	nlh = nk_tx_change_start(tx, NFTKIT_KIND_TABLE, op, table, type, flags, NFTA_TABLE_NAME);
	if (!nlh)
		return nk_tx_error(tx);
	if (with_flags)
		mnl_attr_put_u32(nlh, NFTA_TABLE_FLAGS, htobe32(tflags));
	nk_tx_msg_end(tx, nlh);
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
	NK_CHECK_TX(tx);
	if (nftkit_tx_use_table(tx, family, table))
		return nk_tx_error(tx);
	/* A DELRULE for the table without a chain flushes every chain's rules;
	 * nft's "flush table" does the same and keeps chains, sets, objects. */
	struct nlmsghdr *nlh = nk_tx_change_start(tx, NFTKIT_KIND_TABLE, NFTKIT_OP_FLUSH, table,
						  NFT_MSG_DELRULE, 0, NFTA_RULE_TABLE);
	if (!nlh)
		return nk_tx_error(tx);
	nk_tx_msg_end(tx, nlh);
	return 0;
}
