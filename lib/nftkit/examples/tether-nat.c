// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Tethering NAT with libnftkit (doc/nftkit.md): masquerade the tether subnet
 * out of any uplink, forward tether -> uplink and replies back, nothing else
 * into the tether subnet. Runs in a fresh network namespace so trying it
 * never touches the host's ruleset.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <nftkit.h>

static int tether_nat(struct nftkit *nk, const char *tether_if, const char *subnet)
{
	struct nftkit_tx *tx = nftkit_tx_new(nk);
	struct nftkit_rule *r;
	struct nftkit_error err;
	int ret;

	nftkit_tx_add_table(tx, NFTKIT_INET, "connd", 0);
	nftkit_tx_add_chain(tx, "postrouting", &(struct nftkit_base_chain){
		.type = "nat", .hook = NFTKIT_HOOK_POSTROUTING, .priority = 100 });
	nftkit_tx_add_chain(tx, "forward", &(struct nftkit_base_chain){
		.type = "filter", .hook = NFTKIT_HOOK_FORWARD, .priority = 0 });

	/* ip saddr 192.168.42.0/24 oifname != "tether0" masquerade */
	r = nftkit_rule_new();
	nftkit_match_addr(r, NFTKIT_IP_SADDR, NFTKIT_EQ, subnet);
	nftkit_match_ifname(r, NFTKIT_META_OIFNAME, NFTKIT_NE, tether_if);
	nftkit_masquerade(r);
	nftkit_tx_add_rule(tx, "postrouting", r);
	nftkit_rule_free(r);

	/* iifname "tether0" accept */
	r = nftkit_rule_new();
	nftkit_match_ifname(r, NFTKIT_META_IIFNAME, NFTKIT_EQ, tether_if);
	nftkit_accept(r);
	nftkit_tx_add_rule(tx, "forward", r);
	nftkit_rule_free(r);

	/* oifname "tether0" ct state established,related accept */
	r = nftkit_rule_new();
	nftkit_match_ifname(r, NFTKIT_META_OIFNAME, NFTKIT_EQ, tether_if);
	nftkit_match_ct_state(r, NFTKIT_CT_ESTABLISHED | NFTKIT_CT_RELATED);
	nftkit_accept(r);
	nftkit_tx_add_rule(tx, "forward", r);
	nftkit_rule_free(r);

	/* oifname "tether0" drop */
	r = nftkit_rule_new();
	nftkit_match_ifname(r, NFTKIT_META_OIFNAME, NFTKIT_EQ, tether_if);
	nftkit_drop(r);
	nftkit_tx_add_rule(tx, "forward", r);
	nftkit_rule_free(r);

	ret = nftkit_tx_commit(tx, &err);
	if (ret)
		fprintf(stderr, "change %u (%s %s %s): %s\n", err.index, nftkit_op_name(err.op),
			nftkit_kind_name(err.kind), err.name, strerror(-ret));
	nftkit_tx_free(tx);
	return ret;
}

static int print_rule(const struct nftkit_rule_info *ri, void *data)
{
	printf("%s handle %llu: %s\n", ri->chain, (unsigned long long)ri->handle, ri->exprs);
	return 0;
}

int main(void)
{
	struct nftkit *nk;
	int ret;

	if (unshare(CLONE_NEWNET)) {
		perror("unshare (run as root)");
		return 1;
	}
	nk = nftkit_new();
	if (!nk)
		return 1;
	ret = tether_nat(nk, "tether0", "192.168.42.0/24");
	if (!ret)
		ret = nftkit_list_rules(nk, NFTKIT_INET, "connd", NULL, print_rule, NULL);
	nftkit_free(nk);
	return ret ? 1 : 0;
}
