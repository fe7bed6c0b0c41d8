// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libnftkit benchmark: N per-application sessions (uid -> mark map element,
 * named counter, mark -> counter map element), timed through libnftkit on
 * one open socket and, for the same changes in the same run, through
 * `nft -f FILE` and the `nft` command. Run it inside a private network
 * namespace (bench/nftkit/run does `unshare -n`): it rewrites the ruleset.
 *
 * usage: bench-nftkit [N...]   (default 1000 10000 100000)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <nftkit.h>

#define TABLE "bench"
#define NFT_REPEAT 3

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static void die(const char *what, int err)
{
	fprintf(stderr, "bench-nftkit: %s: %s\n", what, strerror(-err));
	exit(1);
}

static void commit(struct nftkit_tx *tx, const char *what)
{
	struct nftkit_error e;
	int r = nftkit_tx_commit(tx, &e);

	if (r) {
		fprintf(stderr, "change %u %s %s %s\n", e.index, nftkit_op_name(e.op),
			nftkit_kind_name(e.kind), e.name);
		die(what, r);
	}
}

/* table, maps and the two rules of the session design */
static void skeleton(struct nftkit_tx *tx)
{
	struct nftkit_rule *r;

	nftkit_tx_add_table(tx, NFTKIT_INET, TABLE, 0);
	nftkit_tx_add_set(tx, "m", &(struct nftkit_set_spec){
		.key = { NFTKIT_TYPE_UID }, .data = NFTKIT_TYPE_MARK });
	nftkit_tx_add_set(tx, "cm", &(struct nftkit_set_spec){
		.key = { NFTKIT_TYPE_MARK }, .data = NFTKIT_TYPE_COUNTER });
	nftkit_tx_add_chain(tx, "out", &(struct nftkit_base_chain){
		.type = "route", .hook = NFTKIT_HOOK_OUTPUT, .priority = -150 });
	/* meta mark set meta skuid map @m */
	r = nftkit_rule_new();
	nftkit_meta(r, NFTKIT_META_SKUID);
	nftkit_map(r, "m", NFTKIT_TYPE_MARK);
	nftkit_set_meta(r, NFTKIT_META_MARK);
	nftkit_tx_add_rule(tx, "out", r);
	nftkit_rule_free(r);
	/* counter name meta mark map @cm */
	r = nftkit_rule_new();
	nftkit_meta(r, NFTKIT_META_MARK);
	nftkit_counter_map(r, "cm");
	nftkit_tx_add_rule(tx, "out", r);
	nftkit_rule_free(r);
}

/* Session i: uid 100000 + i, mark i + 1, counter "s<i>". */
static void session_elems(uint32_t i, struct nftkit_elem *um, struct nftkit_elem *mc)
{
	nftkit_elem_init(um);
	nftkit_elem_key(um, NFTKIT_TYPE_UID, 100000 + i);
	nftkit_elem_data(um, NFTKIT_TYPE_MARK, i + 1);
	nftkit_elem_init(mc);
	nftkit_elem_key(mc, NFTKIT_TYPE_MARK, i + 1);
	snprintf(mc->obj, sizeof(mc->obj), "s%u", i);
}

static void queue_session(struct nftkit_tx *tx, uint32_t i, bool add)
{
	struct nftkit_elem um, mc;

	session_elems(i, &um, &mc);
	if (add) {
		nftkit_tx_add_counter(tx, mc.obj);
		nftkit_tx_add_elems(tx, "m", &um, 1);
		nftkit_tx_add_elems(tx, "cm", &mc, 1);
	} else {
		nftkit_tx_del_elems(tx, "cm", &mc, 1);
		nftkit_tx_del_elems(tx, "m", &um, 1);
		nftkit_tx_del_counter(tx, mc.obj);
	}
}

static double queue_time;	/* part of the last build spent queueing */

static double nftkit_build(struct nftkit *nk, uint32_t n)
{
	struct nftkit_tx *tx = nftkit_tx_new(nk);
	struct nftkit_elem *um = malloc(n * sizeof(*um)), *mc = malloc(n * sizeof(*mc));
	char name[32];
	double t0, t;
	uint32_t i;

	if (!um || !mc)
		die("malloc", -ENOMEM);
	nftkit_tx_del_table(tx, NFTKIT_INET, TABLE);
	nftkit_tx_commit(tx, NULL);	/* absent at first: fine */
	t0 = now();
	skeleton(tx);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "s%u", i);
		nftkit_tx_add_counter(tx, name);
		session_elems(i, &um[i], &mc[i]);
	}
	nftkit_tx_add_elems(tx, "m", um, n);
	nftkit_tx_add_elems(tx, "cm", mc, n);
	queue_time = now() - t0;
	commit(tx, "build");
	t = now() - t0;
	nftkit_tx_free(tx);
	free(um);
	free(mc);
	return t;
}

struct result {
	double build, add, del, add_elem, get, dump;
};

static void nftkit_run(struct nftkit *nk, uint32_t n, struct result *res)
{
	struct nftkit_tx *tx = nftkit_tx_new(nk);
	enum { REP = 200 };
	double v[REP], t0;
	uint64_t p, b;
	int i, count;

	res->build = nftkit_build(nk, n);
	for (i = 0; i < REP; i++) {	/* add one session, then delete it */
		nftkit_tx_use_table(tx, NFTKIT_INET, TABLE);
		t0 = now();
		queue_session(tx, n + (uint32_t)i, true);
		commit(tx, "add one");
		v[i] = now() - t0;
	}
	res->add = median(v, REP);
	for (i = 0; i < REP; i++) {
		nftkit_tx_use_table(tx, NFTKIT_INET, TABLE);
		t0 = now();
		queue_session(tx, n + (uint32_t)i, false);
		commit(tx, "delete one");
		v[i] = now() - t0;
	}
	res->del = median(v, REP);
	for (i = 0; i < REP; i++) {	/* a single uid -> mark element */
		nftkit_tx_use_table(tx, NFTKIT_INET, TABLE);
		t0 = now();
		nftkit_tx_add_elem_u32(tx, "m", 900000 + (uint32_t)i, 7);
		commit(tx, "add element");
		v[i] = now() - t0;
	}
	res->add_elem = median(v, REP);
	for (i = 0; i < REP; i++) {
		char name[32];

		snprintf(name, sizeof(name), "s%u", (uint32_t)i * 7919 % n);
		t0 = now();
		if (nftkit_counter_get(nk, NFTKIT_INET, TABLE, name, false, &p, &b))
			die("counter_get", -ENOENT);
		v[i] = now() - t0;
	}
	res->get = median(v, REP);
	for (i = 0; i < 11; i++) {
		t0 = now();
		count = nftkit_counters_read(nk, NFTKIT_INET, TABLE, false, NULL, 0);
		v[i] = now() - t0;
		if (count != (int)n)
			die("dump count", -EIO);
	}
	res->dump = median(v, 11);
	nftkit_tx_free(tx);
}

/* ---- the nft tool, for the same changes ---- */

static double run_nft(const char *args)
{
	char cmd[512];
	double t0 = now();

	snprintf(cmd, sizeof(cmd), "nft %s >/dev/null", args);
	if (system(cmd))
		die(cmd, -EIO);
	return now() - t0;
}

static const char *session_nft(uint32_t i, bool add, char *buf, size_t size)
{
	if (add)
		snprintf(buf, size, "add counter inet " TABLE " s%u\n"
			 "add element inet " TABLE " m { %u : 0x%x }\n"
			 "add element inet " TABLE " cm { 0x%x : \"s%u\" }\n",
			 i, 100000 + i, i + 1, i + 1, i);
	else
		snprintf(buf, size, "delete element inet " TABLE " cm { 0x%x }\n"
			 "delete element inet " TABLE " m { %u }\n"
			 "delete counter inet " TABLE " s%u\n", i + 1, 100000 + i, i);
	return buf;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f))
		die(path, -errno);
}

static double nft_build(uint32_t n, const char *path)
{
	FILE *f = fopen(path, "w");
	char cmd[300];
	uint32_t i;

	if (!f)
		die(path, -errno);
	fprintf(f, "table inet " TABLE " {\n\tmap m { type uid : mark; }\n"
		"\tmap cm { type mark : counter; }\n"
		"\tchain out { type route hook output priority mangle;\n"
		"\t\tmeta mark set meta skuid map @m\n\t\tcounter name meta mark map @cm\n\t}\n");
	for (i = 0; i < n; i++)
		fprintf(f, "\tcounter s%u { }\n", i);
	fprintf(f, "}\nadd element inet " TABLE " m {");
	for (i = 0; i < n; i++)
		fprintf(f, "%s %u : 0x%x", i ? "," : "", 100000 + i, i + 1);
	fprintf(f, " }\nadd element inet " TABLE " cm {");
	for (i = 0; i < n; i++)
		fprintf(f, "%s 0x%x : \"s%u\"", i ? "," : "", i + 1, i);
	fprintf(f, " }\n");
	if (fclose(f))
		die(path, -errno);
	if (system("nft delete table inet " TABLE " 2>/dev/null"))
		{ /* absent: fine */ }
	snprintf(cmd, sizeof(cmd), "-f %s", path);
	return run_nft(cmd);
}

struct nft_result {
	double build, add_f, add_cmd, del_f, del_cmd, get_f, get_cmd, dump_f, dump_cmd;
};

static void nft_run(uint32_t n, const char *dir, struct nft_result *res)
{
	char path[256], file[256], text[512], cmd[1024], one[768];
	double a[NFT_REPEAT], b[NFT_REPEAT];
	int i;

	snprintf(path, sizeof(path), "%s/build.nft", dir);
	snprintf(file, sizeof(file), "%s/one.nft", dir);
	res->build = nft_build(n, path);
	for (i = 0; i < NFT_REPEAT; i++) {
		write_file(file, session_nft(n + (uint32_t)i, true, text, sizeof(text)));
		snprintf(cmd, sizeof(cmd), "-f %s", file);
		a[i] = run_nft(cmd);
		write_file(file, session_nft(n + (uint32_t)i, false, text, sizeof(text)));
		b[i] = run_nft(cmd);
	}
	res->add_f = median(a, NFT_REPEAT);
	res->del_f = median(b, NFT_REPEAT);
	for (i = 0; i < NFT_REPEAT; i++) {
		char *p;

		session_nft(n + (uint32_t)i, true, text, sizeof(text));
		for (p = text; (p = strchr(p, '\n')); )
			*p = ';';
		snprintf(one, sizeof(one), "'%s'", text);
		a[i] = run_nft(one);
		session_nft(n + (uint32_t)i, false, text, sizeof(text));
		for (p = text; (p = strchr(p, '\n')); )
			*p = ';';
		snprintf(one, sizeof(one), "'%s'", text);
		b[i] = run_nft(one);
	}
	res->add_cmd = median(a, NFT_REPEAT);
	res->del_cmd = median(b, NFT_REPEAT);
	for (i = 0; i < NFT_REPEAT; i++) {
		write_file(file, "list counter inet " TABLE " s1\n");
		snprintf(cmd, sizeof(cmd), "-f %s", file);
		a[i] = run_nft(cmd);
		b[i] = run_nft("list counter inet " TABLE " s1");
	}
	res->get_f = median(a, NFT_REPEAT);
	res->get_cmd = median(b, NFT_REPEAT);
	for (i = 0; i < NFT_REPEAT; i++) {
		write_file(file, "list counters table inet " TABLE "\n");
		snprintf(cmd, sizeof(cmd), "-f %s", file);
		a[i] = run_nft(cmd);
		b[i] = run_nft("list counters table inet " TABLE);
	}
	res->dump_f = median(a, NFT_REPEAT);
	res->dump_cmd = median(b, NFT_REPEAT);
	unlink(path);
	unlink(file);
}

static const char *fmt(double s, char *buf)
{
	if (s < 0)
		strcpy(buf, "-");
	else if (s < 1e-3)
		sprintf(buf, "%.1f us", s * 1e6);
	else if (s < 1)
		sprintf(buf, "%.2f ms", s * 1e3);
	else
		sprintf(buf, "%.2f s", s);
	return buf;
}

static void row(uint32_t n, const char *what, double ours, double f, double cmd)
{
	char a[32], b[32], c[32];

	printf("%-8u %-34s %12s %12s %12s\n", n, what, fmt(ours, a), fmt(f, b), fmt(cmd, c));
}

int main(int argc, char **argv)
{
	uint32_t sizes[8] = { 1000, 10000, 100000 };
	int nsizes = 3, i;
	char dir[] = "/tmp/bench-nftkit.XXXXXX";
	struct nftkit *nk;

	if (argc > 1) {
		nsizes = 0;
		for (i = 1; i < argc && nsizes < 8; i++)
			sizes[nsizes++] = (uint32_t)strtoul(argv[i], NULL, 10);
	}
	if (!mkdtemp(dir))
		die("mkdtemp", -errno);
	nk = nftkit_new();
	if (!nk)
		die("nftkit_new", -errno);
	printf("%-8s %-34s %12s %12s %12s\n", "N", "operation (medians)", "nftkit", "nft -f", "nft cmd");
	for (i = 0; i < nsizes; i++) {
		struct result r;
		struct nft_result t;
		struct nftkit_tx *tx = nftkit_tx_new(nk);

		nftkit_run(nk, sizes[i], &r);
		nft_run(sizes[i], dir, &t);
		row(sizes[i], "build N sessions, one transaction", r.build, t.build, -1);
		row(sizes[i], "  of which queueing (user space)", queue_time, -1, -1);
		row(sizes[i], "add one session (3 changes)", r.add, t.add_f, t.add_cmd);
		row(sizes[i], "delete one session (3 changes)", r.del, t.del_f, t.del_cmd);
		row(sizes[i], "add one uid->mark element", r.add_elem, -1, -1);
		row(sizes[i], "read one counter by name", r.get, t.get_f, t.get_cmd);
		row(sizes[i], "dump all N counters", r.dump, t.dump_f, t.dump_cmd);
		fflush(stdout);
		nftkit_tx_del_table(tx, NFTKIT_INET, TABLE);
		nftkit_tx_commit(tx, NULL);
		nftkit_tx_free(tx);
	}
	nftkit_free(nk);
	rmdir(dir);
	return 0;
}
