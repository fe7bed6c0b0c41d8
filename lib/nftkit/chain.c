// SPDX-License-Identifier: LGPL-2.1-or-later
/* Chains in a transaction: base chains with their hook, regular chains, flush. */
#include <errno.h>
#include <endian.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "internal.h"

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

	NK_CHECK_TX(tx);
	if (!chain)
		return nk_tx_fail(tx, -EINVAL);
	nlh = nk_tx_change_start(tx, NFTKIT_KIND_CHAIN, NFTKIT_OP_ADD, chain, NFT_MSG_NEWCHAIN,
				 NLM_F_CREATE, NFTA_CHAIN_TABLE);
	if (!nlh)
		return nk_tx_error(tx);
	mnl_attr_put_strz(nlh, NFTA_CHAIN_NAME, chain);
	if (base) {
		nest = mnl_attr_nest_start(nlh, NFTA_CHAIN_HOOK);
		mnl_attr_put_u32(nlh, NFTA_HOOK_HOOKNUM,
				 htobe32(hook_num(nk_tx_family(tx), base->hook)));
		mnl_attr_put_u32(nlh, NFTA_HOOK_PRIORITY, htobe32((uint32_t)base->priority));
		if (base->device)
			mnl_attr_put_strz(nlh, NFTA_HOOK_DEV, base->device);
		mnl_attr_nest_end(nlh, nest);
		mnl_attr_put_strz(nlh, NFTA_CHAIN_TYPE, base->type ? base->type : "filter");
		mnl_attr_put_u32(nlh, NFTA_CHAIN_POLICY,
				 htobe32(base->policy == NFTKIT_POLICY_DROP ? NF_DROP : NF_ACCEPT));
	}
	nk_tx_msg_end(tx, nlh);
	return 0;
}

int nftkit_tx_del_chain(struct nftkit_tx *tx, const char *chain)
{
	return nk_tx_named_change(tx, NFTKIT_KIND_CHAIN, chain, NFTKIT_OP_DELETE, NFT_MSG_DELCHAIN,
				  NFTA_CHAIN_TABLE, NFTA_CHAIN_NAME);
}

int nftkit_tx_flush_chain(struct nftkit_tx *tx, const char *chain)
{
	return nk_tx_named_change(tx, NFTKIT_KIND_CHAIN, chain, NFTKIT_OP_FLUSH, NFT_MSG_DELRULE,
				  NFTA_RULE_TABLE, NFTA_RULE_CHAIN);
}
