// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Per-application sessions with libnftkit (doc/nftkit.md): a uid -> mark map
 * sets the session mark in a route chain, a mark -> counter map counts each
 * session's traffic in a named counter. Adding a session is three changes in
 * one transaction, whatever the number of sessions. Runs in a fresh network
 * namespace so trying it never touches the host's ruleset.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sched.h>
#include <stdio.h>
#include <nftkit.h>

static int sessions_setup(struct nftkit *nk)
{
	struct nftkit_tx *tx = nftkit_tx_new(nk);
	struct nftkit_rule *r = nftkit_rule_new();
	int ret;

	nftkit_tx_add_table(tx, NFTKIT_INET, "connd", 0);
	/* map session_mark { type uid : mark; } */
	nftkit_tx_add_set(tx, "session_mark", &(struct nftkit_set_spec){
		.key = { NFTKIT_TYPE_UID }, .data = NFTKIT_TYPE_MARK });
	/* map session_counter { type mark : counter; } */
	nftkit_tx_add_set(tx, "session_counter", &(struct nftkit_set_spec){
		.key = { NFTKIT_TYPE_MARK }, .data = NFTKIT_TYPE_COUNTER });
	nftkit_tx_add_chain(tx, "output", &(struct nftkit_base_chain){
		.type = "route", .hook = NFTKIT_HOOK_OUTPUT, .priority = -150 });

	/* meta mark set meta skuid map @session_mark counter name meta mark map @session_counter */
	nftkit_meta(r, NFTKIT_META_SKUID);
	nftkit_map(r, "session_mark", NFTKIT_TYPE_MARK);
	nftkit_set_meta(r, NFTKIT_META_MARK);
	nftkit_meta(r, NFTKIT_META_MARK);
	nftkit_counter_map(r, "session_counter");
	nftkit_tx_add_rule(tx, "output", r);
	nftkit_rule_free(r);

	ret = nftkit_tx_commit(tx, NULL);
	nftkit_tx_free(tx);
	return ret;
}

/* One session: counter "s<mark>", uid -> mark, mark -> counter. */
static int session_add(struct nftkit *nk, uint32_t uid, uint32_t mark)
{
	struct nftkit_tx *tx = nftkit_tx_new(nk);
	struct nftkit_elem e;
	char name[32];
	int ret;

	snprintf(name, sizeof(name), "s%u", mark);
	nftkit_tx_use_table(tx, NFTKIT_INET, "connd");
	nftkit_tx_add_counter(tx, name);
	nftkit_tx_add_elem_u32(tx, "session_mark", uid, mark);
	nftkit_elem_init(&e);
	nftkit_elem_key(&e, NFTKIT_TYPE_MARK, mark);
	snprintf(e.obj, sizeof(e.obj), "%s", name);
	nftkit_tx_add_elems(tx, "session_counter", &e, 1);
	ret = nftkit_tx_commit(tx, NULL);
	nftkit_tx_free(tx);
	return ret;
}

static int print_counter(const char *name, uint64_t packets, uint64_t bytes, void *data)
{
	printf("%s: %llu packets, %llu bytes\n", name, (unsigned long long)packets,
	       (unsigned long long)bytes);
	return 0;
}

int main(void)
{
	struct nftkit *nk;
	uint64_t pkts, bytes;
	int ret;

	if (unshare(CLONE_NEWNET)) {
		perror("unshare (run as root)");
		return 1;
	}
	nk = nftkit_new();
	if (!nk)
		return 1;
	ret = sessions_setup(nk);
	if (!ret)
		ret = session_add(nk, 1000, 0x100);
	if (!ret)
		ret = nftkit_counter_get(nk, NFTKIT_INET, "connd", "s256", false, &pkts, &bytes);
	if (!ret)
		ret = nftkit_counters_dump(nk, NFTKIT_INET, "connd", false, print_counter, NULL);
	nftkit_free(nk);
	return ret ? 1 : 0;
}
