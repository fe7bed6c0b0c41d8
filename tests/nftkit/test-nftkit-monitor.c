// SPDX-License-Identifier: LGPL-2.1-or-later
/* Ruleset change events: our own commits and someone else's flush (nft). */
#include <poll.h>

#include "nftkit-test.h"

struct log {
	char text[4096];
	int gens;
};

static void event_cb(const struct nftkit_event *ev, void *data)
{
	struct log *l = data;
	size_t len = strlen(l->text);

	if (!ev->kind) {
		l->gens++;
		return;
	}
	snprintf(l->text + len, sizeof(l->text) - len, "%s %s %s %s\n", nftkit_op_name(ev->op),
		 nftkit_kind_name(ev->kind), ev->table ? ev->table : "-", ev->name ? ev->name : "-");
}

static void drain(struct nftkit_monitor *m)
{
	struct pollfd p = { .fd = nftkit_monitor_fd(m), .events = POLLIN };

	while (poll(&p, 1, 200) > 0)
		CHECK(nftkit_monitor_dispatch(m) >= 0);
}

int main(void)
{
	struct nftkit *nk;
	struct nftkit_tx *tx;
	struct nftkit_monitor *m;
	struct nftkit_rule *r;
	struct log l = { .gens = 0 };

	test_enter_netns();
	nk = nftkit_new();
	m = nftkit_monitor_new(event_cb, &l);
	if (!nk || !m)
		return 1;
	CHECK(nftkit_monitor_dispatch(m) == 0);	/* nothing yet, no blocking */
	tx = nftkit_tx_new(nk);
	nftkit_tx_add_table(tx, NFTKIT_INET, "mon", 0);
	nftkit_tx_add_chain(tx, "c", NULL);
	nftkit_tx_add_counter(tx, "n");
	/* counter */
	r = nftkit_rule_new();
	nftkit_counter(r);
	nftkit_tx_add_rule(tx, "c", r);
	nftkit_rule_free(r);
	CHECK_OK(test_commit(tx));
	drain(m);
	CHECK(l.gens == 1);
	CHECK(!strcmp(l.text, "add table mon mon\nadd chain mon c\nadd counter mon n\nadd rule mon c\n"));
	l.text[0] = 0;
	/* someone else flushes our chain */
	CHECK(system("nft flush chain inet mon c") == 0);
	drain(m);
	CHECK(!strcmp(l.text, "delete rule mon c\n"));
	CHECK(l.gens == 2);
	if (failures)
		fprintf(stderr, "events:\n%s", l.text);
	nftkit_tx_free(tx);
	nftkit_monitor_free(m);
	nftkit_free(nk);
	return test_result("test-nftkit-monitor");
}
