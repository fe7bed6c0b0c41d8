// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Transactions: all or nothing, the failed change named by index, batches
 * larger than one buffer, queueing errors, abort, rule positions.
 */
#include "nftkit-test.h"

static void base_ruleset(struct nftkit *nk)
{
	struct nftkit_tx *tx = nftkit_tx_new(nk);
	struct nftkit_rule *r = nftkit_rule_new();

	/* table inet a { counter keep {} chain c { type filter hook input priority 0; counter name "keep" } } */
	CHECK_OK(nftkit_tx_add_table(tx, NFTKIT_INET, "a", 0));
	CHECK_OK(nftkit_tx_add_counter(tx, "keep"));
	CHECK_OK(nftkit_tx_add_chain(tx, "c", &(struct nftkit_base_chain){
		.type = "filter", .hook = NFTKIT_HOOK_INPUT }));
	nftkit_counter_named(r, "keep");
	CHECK_OK(nftkit_tx_add_rule(tx, "c", r));
	nftkit_rule_free(r);
	CHECK_OK(test_commit(tx));
	nftkit_tx_free(tx);
}

/* n - 1 valid changes, then a rule in a chain that does not exist. */
static void failing_batch(struct nftkit *nk, unsigned int n)
{
	struct nftkit_tx *tx = nftkit_tx_new(nk);
	struct nftkit_rule *r = nftkit_rule_new();
	struct nftkit_error err;
	char *before = test_run("nft list ruleset"), *after, name[32];
	unsigned int i;

	nftkit_tx_use_table(tx, NFTKIT_INET, "a");
	for (i = 1; i < n; i++) {
		snprintf(name, sizeof(name), "c%u", i);
		CHECK_OK(nftkit_tx_add_counter(tx, name));
	}
	/* meta mark 0x1 accept, in chain "nochain" */
	nftkit_match_meta(r, NFTKIT_META_MARK, 1);
	nftkit_accept(r);
	CHECK_OK(nftkit_tx_add_rule(tx, "nochain", r));
	nftkit_rule_free(r);
	CHECK(nftkit_tx_count(tx) == n);
	CHECK(nftkit_tx_commit(tx, &err) == -ENOENT);
	CHECK(err.index == n);
	CHECK(err.error == -ENOENT);
	CHECK(err.kind == NFTKIT_KIND_RULE && err.op == NFTKIT_OP_ADD);
	CHECK(!strcmp(err.name, "nochain"));
	if (err.index != n)
		fprintf(stderr, "batch of %u: error names change %u (%s)\n", n, err.index, err.name);
	CHECK(nftkit_tx_count(tx) == 0);
	after = test_run("nft list ruleset");
	CHECK(!strcmp(before, after));
	free(before);
	free(after);
	nftkit_tx_free(tx);
}

static int count_cb(const char *name, uint64_t packets, uint64_t bytes, void *data)
{
	(*(unsigned int *)data)++;
	return 0;
}

/* 60,000 counters: several buffers, still one batch. */
static void big_batch(struct nftkit *nk)
{
	struct nftkit_tx *tx = nftkit_tx_new(nk);
	unsigned int i, n = 0;
	char name[32];

	nftkit_tx_use_table(tx, NFTKIT_INET, "a");
	for (i = 0; i < 60000; i++) {
		snprintf(name, sizeof(name), "big%u", i);
		nftkit_tx_add_counter(tx, name);
	}
	CHECK_OK(test_commit(tx));
	CHECK_OK(nftkit_counters_dump(nk, NFTKIT_INET, "a", false, count_cb, &n));
	CHECK(n == 60001);
	nftkit_tx_free(tx);
}

static void queue_errors(struct nftkit *nk)
{
	struct nftkit_tx *tx = nftkit_tx_new(nk);
	struct nftkit_rule *r = nftkit_rule_new();
	struct nftkit_error err;
	char *before = test_run("nft list ruleset"), *after;

	/* no table selected yet */
	CHECK(nftkit_tx_add_counter(tx, "x") == -EINVAL);
	nftkit_tx_abort(tx);
	nftkit_tx_use_table(tx, NFTKIT_INET, "a");
	CHECK_OK(nftkit_tx_add_counter(tx, "fine"));
	/* ip saddr 10.0.0.0/33: refused when built, reported as change 2 */
	nftkit_match_addr(r, NFTKIT_IP_SADDR, NFTKIT_EQ, "10.0.0.0/33");
	nftkit_accept(r);
	CHECK(nftkit_rule_error(r) == -EINVAL);
	CHECK(nftkit_tx_add_rule(tx, "c", r) == -EINVAL);
	nftkit_rule_free(r);
	CHECK(nftkit_tx_add_counter(tx, "later") == -EINVAL);	/* sticky */
	CHECK(nftkit_tx_commit(tx, &err) == -EINVAL);
	CHECK(err.index == 2 && err.kind == NFTKIT_KIND_RULE && !strcmp(err.name, "c"));
	/* abort discards */
	nftkit_tx_use_table(tx, NFTKIT_INET, "a");
	CHECK_OK(nftkit_tx_add_counter(tx, "discarded"));
	nftkit_tx_abort(tx);
	CHECK(nftkit_tx_count(tx) == 0);
	CHECK_OK(nftkit_tx_commit(tx, &err));
	after = test_run("nft list ruleset");
	CHECK(!strcmp(before, after));
	free(before);
	free(after);
	nftkit_tx_free(tx);
}

struct handles {
	uint64_t h[8];
	int n;
};

static int handle_cb(const struct nftkit_rule_info *ri, void *data)
{
	struct handles *h = data;

	if (h->n < 8)
		h->h[h->n++] = ri->handle;
	return 0;
}

static struct nftkit_rule *mark_rule(uint32_t mark)
{
	struct nftkit_rule *r = nftkit_rule_new();

	/* meta mark <mark> accept */
	nftkit_match_meta(r, NFTKIT_META_MARK, mark);
	nftkit_accept(r);
	return r;
}

static void positions(struct nftkit *nk)
{
	struct nftkit_tx *tx = nftkit_tx_new(nk);
	struct nftkit_rule *r;
	struct handles h = { .n = 0 };

	nftkit_tx_add_table(tx, NFTKIT_IP, "p", 0);
	nftkit_tx_add_chain(tx, "c", NULL);
	r = mark_rule(1);
	nftkit_tx_add_rule(tx, "c", r);
	nftkit_rule_free(r);
	r = mark_rule(2);
	nftkit_tx_add_rule(tx, "c", r);
	nftkit_rule_free(r);
	CHECK_OK(test_commit(tx));
	CHECK_OK(nftkit_list_rules(nk, NFTKIT_IP, "p", "c", handle_cb, &h));
	CHECK(h.n == 2);

	nftkit_tx_use_table(tx, NFTKIT_IP, "p");
	r = mark_rule(0);
	nftkit_tx_insert_rule(tx, "c", 0, r);		/* at the start */
	nftkit_rule_free(r);
	r = mark_rule(5);
	nftkit_tx_add_rule_after(tx, "c", h.h[0], r);	/* after mark 1 */
	nftkit_rule_free(r);
	r = mark_rule(3);
	nftkit_tx_insert_rule(tx, "c", h.h[1], r);	/* before mark 2 */
	nftkit_rule_free(r);
	r = mark_rule(9);
	nftkit_rule_comment(r, "was 2");
	nftkit_tx_replace_rule(tx, "c", h.h[1], r);
	nftkit_rule_free(r);
	CHECK_OK(test_commit(tx));
	test_expect_output("nft list chain ip p c",
		"table ip p {\n\tchain c {\n"
		"\t\tmeta mark 0x00000000 accept\n"
		"\t\tmeta mark 0x00000001 accept\n"
		"\t\tmeta mark 0x00000005 accept\n"
		"\t\tmeta mark 0x00000003 accept\n"
		"\t\tmeta mark 0x00000009 accept comment \"was 2\"\n"
		"\t}\n}\n");
	nftkit_tx_use_table(tx, NFTKIT_IP, "p");
	nftkit_tx_del_rule(tx, "c", h.h[0]);
	CHECK_OK(test_commit(tx));
	test_expect_output("nft list chain ip p c | grep -c 'mark 0x00000001'", "0\n");
	/* deleting a deleted rule names the change and leaves the rest */
	nftkit_tx_use_table(tx, NFTKIT_IP, "p");
	nftkit_tx_flush_chain(tx, "c");
	nftkit_tx_del_rule(tx, "c", h.h[0]);
	CHECK(nftkit_tx_commit(tx, NULL) == -ENOENT);
	test_expect_output("nft list chain ip p c | grep -c accept", "4\n");
	nftkit_tx_free(tx);
}

int main(void)
{
	struct nftkit *nk;

	test_enter_netns();
	nk = nftkit_new();
	if (!nk)
		return 1;
	base_ruleset(nk);
	failing_batch(nk, 500);
	failing_batch(nk, 20000);	/* several buffers */
	queue_errors(nk);
	big_batch(nk);
	positions(nk);
	nftkit_free(nk);
	return test_result("test-nftkit-atomic");
}
