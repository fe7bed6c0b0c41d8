/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers shared by the libnftkit tests: a private network namespace and
 * the nft tool as an independent oracle. */
#ifndef NFTKIT_TEST_H
#define NFTKIT_TEST_H

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <nftkit.h>

static int failures;

#define CHECK(cond) do { if (!(cond)) { failures++; \
	fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); } } while (0)
#define CHECK_OK(expr) do { int r_ = (expr); if (r_) { failures++; \
	fprintf(stderr, "%s:%d: %s = %d (%s)\n", __FILE__, __LINE__, #expr, r_, strerror(-r_)); } } while (0)

/* Every test runs in a fresh network namespace: its ruleset is empty. */
static inline void test_enter_netns(void)
{
	if (unshare(CLONE_NEWNET)) {
		perror("unshare(CLONE_NEWNET) (tests need root)");
		exit(77);
	}
}

/* Output of a shell command (run in our namespace); caller frees. */
static inline char *test_run(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!p)
		return strdup("");
	do {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		n = fread(buf + len, 1, cap - len - 1, p);
		len += n;
	} while (n);
	buf[len] = 0;
	pclose(p);
	return buf;
}

/* Compares a command's output with what is expected; prints both if not. */
static inline void test_expect_output(const char *cmd, const char *expected)
{
	char *got = test_run(cmd);

	if (strcmp(got, expected)) {
		failures++;
		fprintf(stderr, "`%s` differs.\n--- expected\n%s--- got\n%s---\n", cmd, expected, got);
	}
	free(got);
}

static inline int test_commit(struct nftkit_tx *tx)
{
	struct nftkit_error err;
	int r = nftkit_tx_commit(tx, &err);

	if (r)
		fprintf(stderr, "commit: change %u (%s %s \"%s\"): %s\n", err.index,
			nftkit_op_name(err.op), nftkit_kind_name(err.kind), err.name, strerror(-r));
	return r;
}

static inline int test_result(const char *name)
{
	if (failures) {
		fprintf(stderr, "%s: %d failure(s)\n", name, failures);
		return 1;
	}
	printf("%s: ok\n", name);
	return 0;
}

#endif
