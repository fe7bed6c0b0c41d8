#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <ell/ell.h>
#include <nftkit.h>

#include "firewall.h"
#include "marks.h"
#include "sockmark.h"

#define TABLE "connd"
#define CGROUP_LEVELS 4
#define LOOPBACK_IFINDEX 1	/* the kernel's, in every namespace */

struct firewall {
	struct nftkit *nk;
	unsigned int users[2 + 1 + CGROUP_LEVELS];	/* keys installed, per kind bit */
	unsigned int uses;				/* kind bits with users */
	struct sockmark *sm;		/* the BPF data path; NULL: nftables */
	bool tether_chains;		/* tethering's chains are in the table */
};

static const char *const key_maps[] = { "session_uid", "session_gid" };

static void cgroup_map_name(unsigned int level, char *buf, size_t len)
{
	snprintf(buf, len, "session_cgroup%u", level);
}

static void counter_name(uint32_t id, const char *dir, char *buf, size_t len)
{
	snprintf(buf, len, "session%u_%s", id, dir);
}

static int commit(struct nftkit_tx *tx, const char *what)
{
	struct nftkit_error err;
	int ret = nftkit_tx_commit(tx, &err);

	if (ret < 0)
		l_warn("nftables: %s failed at change %u (%s %s %s): %s", what, err.index,
		       nftkit_op_name(err.op), nftkit_kind_name(err.kind), err.name,
		       strerror(-err.error));
	return ret;
}

/* The first of several errors is the one to report: later ones often only
 * follow from it. */
static int first_error(int err, int ret)
{
	return err < 0 ? err : ret;
}

/* Commits what was queued, unless queueing already failed: then nothing is
 * sent (the batch would lack a change) and that first error is the result. */
static int finish(struct nftkit_tx *tx, int err, const char *what)
{
	if (err < 0) {
		l_warn("nftables: %s failed before commit: %s", what, strerror(-err));
		return err;
	}
	return commit(tx, what);
}

static int add_maps(struct nftkit_tx *tx)
{
	struct nftkit_set_spec spec = { .data = NFTKIT_TYPE_MARK };
	char name[32];
	int err = 0;

	spec.key[0] = NFTKIT_TYPE_UID;
	err = first_error(err, nftkit_tx_add_set(tx, "session_uid", &spec));
	spec.key[0] = NFTKIT_TYPE_GID;
	err = first_error(err, nftkit_tx_add_set(tx, "session_gid", &spec));
	spec.key[0] = NFTKIT_TYPE_CGROUPV2;
	for (unsigned int level = 1; level <= CGROUP_LEVELS; level++) {
		cgroup_map_name(level, name, sizeof(name));
		err = first_error(err, nftkit_tx_add_set(tx, name, &spec));
	}
	spec.key[0] = NFTKIT_TYPE_MARK;
	spec.data = NFTKIT_TYPE_COUNTER;
	err = first_error(err, nftkit_tx_add_set(tx, "session_tx", &spec));
	err = first_error(err, nftkit_tx_add_set(tx, "session_rx", &spec));
	return err;
}

static int add_rule(struct nftkit_tx *tx, const char *chain, struct nftkit_rule *r)
{
	int err = nftkit_tx_add_rule(tx, chain, r);

	nftkit_rule_free(r);
	return err;
}

/* Which lookups the output chain does: only those some session needs, so
 * that the skeleton costs little per packet while nobody uses a key kind. */
#define USES_UID	(1u << 0)
#define USES_GID	(1u << 1)
#define USES_CGROUP(level) (1u << (1 + (level)))

static unsigned int kind_bit(const struct firewall_key *k)
{
	switch (k->kind) {
	case FIREWALL_KEY_UID: return USES_UID;
	case FIREWALL_KEY_GID: return USES_GID;
	case FIREWALL_KEY_CGROUP: return USES_CGROUP(k->level);
	}
	return 0;
}

static void add_lookup(struct nftkit_tx *tx, const char *map, int *err,
		       void (*load)(struct nftkit_rule *, unsigned int), unsigned int arg)
{
	struct nftkit_rule *r = nftkit_rule_new();

	load(r, arg);
	nftkit_map(r, map, NFTKIT_TYPE_MARK);
	nftkit_set_meta(r, NFTKIT_META_MARK);
	*err = first_error(*err, add_rule(tx, "session_output", r));
}

static void load_meta(struct nftkit_rule *r, unsigned int key)
{
	nftkit_meta(r, key);
}

static void load_cgroup(struct nftkit_rule *r, unsigned int level)
{
	nftkit_socket_cgroupv2(r, level);
}

/* meta mark set <key> map @<map>: later rules win, so the most specific key
 * comes last: gid, uid, then cgroups from the shallowest to the deepest. */
static int add_marking_rules(struct nftkit_tx *tx, unsigned int uses)
{
	struct nftkit_rule *r;
	char name[32];
	int err = 0;

	/* meta mark & MARK_OWN == MARK_OWN return */
	r = nftkit_rule_new();
	nftkit_meta(r, NFTKIT_META_MARK);
	nftkit_bitwise(r, MARK_OWN, 0);
	nftkit_cmp(r, NFTKIT_EQ, MARK_OWN);
	nftkit_return(r);
	err = first_error(err, add_rule(tx, "session_output", r));

	if (uses & USES_GID)
		add_lookup(tx, "session_gid", &err, load_meta, NFTKIT_META_SKGID);
	if (uses & USES_UID)
		add_lookup(tx, "session_uid", &err, load_meta, NFTKIT_META_SKUID);
	for (unsigned int level = 1; level <= CGROUP_LEVELS; level++) {
		if (!(uses & USES_CGROUP(level)))
			continue;
		cgroup_map_name(level, name, sizeof(name));
		add_lookup(tx, name, &err, load_cgroup, level);
	}
	return err;
}

/* Marked packets: remember the session in conntrack (replies count too) and
 * count what leaves. Counted after routing, in postrouting: a packet the
 * output chain marks is re-routed after it, and one its session may not
 * send (no allowed service: unreachable, a VPN's kill switch) is dropped
 * there and never leaves, so it must not count, as on the BPF path, whose
 * egress program sees only routed packets. */
static int add_output_accounting(struct nftkit_tx *tx)
{
	struct nftkit_rule *r;
	int err = 0;

	/* meta mark & SLOT_MASK != 0 ct mark set meta mark */
	r = nftkit_rule_new();
	nftkit_meta(r, NFTKIT_META_MARK);
	nftkit_bitwise(r, MARK_SLOT_MASK, 0);
	nftkit_cmp(r, NFTKIT_NE, 0);
	nftkit_meta(r, NFTKIT_META_MARK);
	nftkit_set_ct(r, NFTKIT_CT_MARK);
	err = first_error(err, add_rule(tx, "session_output", r));

	/* meta oif 1 return: to the machine itself (loopback, as on the BPF
	 * path) is not the session's network traffic. */
	r = nftkit_rule_new();
	nftkit_meta(r, NFTKIT_META_OIF);
	nftkit_cmp(r, NFTKIT_EQ, LOOPBACK_IFINDEX);
	nftkit_return(r);
	err = first_error(err, add_rule(tx, "session_egress", r));

	/* meta mark & MARK_OWN == MARK_OWN return: connd's own (a session's
	 * DNS, a tunnel's packets) count to no session. */
	r = nftkit_rule_new();
	nftkit_meta(r, NFTKIT_META_MARK);
	nftkit_bitwise(r, MARK_OWN, 0);
	nftkit_cmp(r, NFTKIT_EQ, MARK_OWN);
	nftkit_return(r);
	err = first_error(err, add_rule(tx, "session_egress", r));

	/* meta mark & SLOT_MASK != 0 counter name meta mark & SESSION_MASK map @session_tx */
	r = nftkit_rule_new();
	nftkit_meta(r, NFTKIT_META_MARK);
	nftkit_bitwise(r, MARK_SLOT_MASK, 0);
	nftkit_cmp(r, NFTKIT_NE, 0);
	nftkit_meta(r, NFTKIT_META_MARK);
	nftkit_bitwise(r, MARK_SESSION_MASK, 0);
	nftkit_counter_map(r, "session_tx");
	err = first_error(err, add_rule(tx, "session_egress", r));
	return err;
}

static int add_input_and_nat(struct nftkit_tx *tx)
{
	struct nftkit_rule *r;
	int err = 0;

	/* meta iif 1 return: from the machine itself, as on output */
	r = nftkit_rule_new();
	nftkit_meta(r, NFTKIT_META_IIF);
	nftkit_cmp(r, NFTKIT_EQ, LOOPBACK_IFINDEX);
	nftkit_return(r);
	err = first_error(err, add_rule(tx, "session_input", r));

	/* ct mark & SLOT_MASK != 0 counter name ct mark & SESSION_MASK map @session_rx */
	r = nftkit_rule_new();
	nftkit_ct(r, NFTKIT_CT_MARK);
	nftkit_bitwise(r, MARK_SLOT_MASK, 0);
	nftkit_cmp(r, NFTKIT_NE, 0);
	nftkit_ct(r, NFTKIT_CT_MARK);
	nftkit_bitwise(r, MARK_SESSION_MASK, 0);
	nftkit_counter_map(r, "session_rx");
	err = first_error(err, add_rule(tx, "session_input", r));

	/* A flow re-routed by its mark still carries the source address the
	 * first route lookup chose: give it the address of the link it leaves by.
	 * meta mark & SLOT_MASK != 0 masquerade */
	r = nftkit_rule_new();
	nftkit_meta(r, NFTKIT_META_MARK);
	nftkit_bitwise(r, MARK_SLOT_MASK, 0);
	nftkit_cmp(r, NFTKIT_NE, 0);
	nftkit_masquerade(r);
	err = first_error(err, add_rule(tx, "session_postrouting", r));
	return err;
}

static int add_tether_chains(struct nftkit_tx *tx)
{
	struct nftkit_base_chain forward = { .type = "filter", .hook = NFTKIT_HOOK_FORWARD };
	struct nftkit_base_chain post = { .type = "nat", .hook = NFTKIT_HOOK_POSTROUTING };
	struct nftkit_base_chain pre = { .type = "nat", .hook = NFTKIT_HOOK_PREROUTING };
	int err = 0;

	err |= nftkit_priority(NFTKIT_INET, "filter", &forward.priority);
	err |= nftkit_priority(NFTKIT_INET, "srcnat", &post.priority);
	err |= nftkit_priority(NFTKIT_INET, "dstnat", &pre.priority);
	err |= nftkit_tx_add_chain(tx, "tether_forward", &forward);
	err |= nftkit_tx_add_chain(tx, "tether_postrouting", &post);
	err |= nftkit_tx_add_chain(tx, "tether_prerouting", &pre);
	return err ? -EINVAL : 0;
}

static int add_chains(struct nftkit_tx *tx)
{
	struct nftkit_base_chain output = { .type = "route", .hook = NFTKIT_HOOK_OUTPUT };
	struct nftkit_base_chain input = { .type = "filter", .hook = NFTKIT_HOOK_INPUT };
	struct nftkit_base_chain post = { .type = "nat", .hook = NFTKIT_HOOK_POSTROUTING };
	struct nftkit_base_chain egress = { .type = "filter", .hook = NFTKIT_HOOK_POSTROUTING };
	int err = 0;

	err = first_error(err, nftkit_priority(NFTKIT_INET, "mangle", &output.priority));
	err = first_error(err, nftkit_priority(NFTKIT_INET, "mangle", &input.priority));
	err = first_error(err, nftkit_priority(NFTKIT_INET, "srcnat", &post.priority));
	err = first_error(err, nftkit_priority(NFTKIT_INET, "filter", &egress.priority));
	err = first_error(err, nftkit_tx_add_chain(tx, "session_output", &output));
	err = first_error(err, nftkit_tx_add_chain(tx, "session_input", &input));
	err = first_error(err, nftkit_tx_add_chain(tx, "session_postrouting", &post));
	err = first_error(err, nftkit_tx_add_chain(tx, "session_egress", &egress));
	return err;
}

static bool table_exists(struct nftkit *nk)
{
	struct nftkit_tx *tx = nftkit_tx_new(nk);
	int err;

	/* Flushing a missing table fails with ENOENT and changes nothing. */
	nftkit_tx_flush_table(tx, NFTKIT_INET, TABLE);
	err = nftkit_tx_commit(tx, NULL);
	nftkit_tx_free(tx);
	return err == 0;
}

/* One batch replaces whatever a previous run left with a fresh table. */
static int build_table(struct firewall *fw)
{
	struct nftkit_tx *tx = nftkit_tx_new(fw->nk);
	int err = 0;

	if (table_exists(fw->nk)) {
		l_info("nftables: replacing the table a previous connd left");
		err = first_error(err, nftkit_tx_del_table(tx, NFTKIT_INET, TABLE));
	}
	err = first_error(err, nftkit_tx_add_table(tx, NFTKIT_INET, TABLE, 0));
	/* With BPF in force the table holds no session chain: no hook of
	 * connd's sees a packet until tethering starts. */
	if (!fw->sm) {
		err = first_error(err, add_maps(tx));
		err = first_error(err, add_chains(tx));
		err = first_error(err, add_marking_rules(tx, 0));
		err = first_error(err, add_output_accounting(tx));
		err = first_error(err, add_input_and_nat(tx));
	}
	err = finish(tx, err, "building table inet " TABLE);
	nftkit_tx_free(tx);
	return err;
}

/* The data path sessions use, and one line saying which and why. */
static void choose_datapath(struct firewall *fw, const struct firewall_options *o)
{
	const char *cgroup = o->session_cgroup, *why;
	char root[4096];

	/* "" or none: the whole hierarchy, for a real deployment. */
	if (!cgroup || !*cgroup)
		cgroup = nftkit_cgroupv2_mount(root, sizeof(root)) == 0 ? root : "(no cgroup2 mount)";

	if (o->datapath == FIREWALL_DATAPATH_NFTABLES) {
		l_info("sessions: nftables data path (SessionDataPath=nftables)");
		return;
	}
	fw->sm = sockmark_new(cgroup, o->max_sessions, !o->cgroup_egress, &why);
	if (fw->sm)
		l_info("sessions: BPF data path on cgroup %s (attached while sessions exist; "
		       "sockets marked at creation, counted without conntrack; sent packets "
		       "counted %s)", cgroup, sockmark_counts_on_links(fw->sm) ?
		       "on the services' links (tcx)" : o->cgroup_egress ?
		       "at the cgroup's egress (tcx off: CONND_SESSION_TCX)" :
		       "at the cgroup's egress (no tcx)");
	else if (o->datapath == FIREWALL_DATAPATH_BPF)
		l_error("sessions: BPF data path asked for but not loadable at %s (%s): "
			"nftables data path instead", cgroup, why);
	else
		l_info("sessions: nftables data path (BPF not loadable at %s: %s)", cgroup, why);
}

struct firewall *firewall_new(const struct firewall_options *opts)
{
	struct firewall *fw = l_new(struct firewall, 1);
	int err;

	fw->nk = nftkit_new();
	if (!fw->nk) {
		err = -errno;
		l_free(fw);
		errno = -err;
		return NULL;
	}
	choose_datapath(fw, opts);
	err = build_table(fw);
	if (err < 0) {
		sockmark_free(fw->sm);
		nftkit_free(fw->nk);
		l_free(fw);
		errno = -err;
		return NULL;
	}
	return fw;
}

const char *firewall_datapath_name(const struct firewall *fw)
{
	return fw->sm ? "bpf" : "nftables";
}

void firewall_free(struct firewall *fw)
{
	struct nftkit_tx *tx;

	if (!fw)
		return;
	tx = nftkit_tx_new(fw->nk);
	nftkit_tx_del_table(tx, NFTKIT_INET, TABLE);
	commit(tx, "deleting table inet " TABLE);
	nftkit_tx_free(tx);
	nftkit_free(fw->nk);
	sockmark_free(fw->sm);
	l_free(fw);
}

static bool valid_key(const struct firewall_key *k)
{
	return k->kind != FIREWALL_KEY_CGROUP || (k->level >= 1 && k->level <= CGROUP_LEVELS);
}

/* The map element that marks an application's packets: key → slot | id. */
static void mark_element(const struct firewall_key *k, uint32_t id, unsigned int slot,
			 struct nftkit_elem *e, char *map, size_t map_len)
{
	static const enum nftkit_type key_types[] = {
		[FIREWALL_KEY_UID] = NFTKIT_TYPE_UID,
		[FIREWALL_KEY_GID] = NFTKIT_TYPE_GID,
		[FIREWALL_KEY_CGROUP] = NFTKIT_TYPE_CGROUPV2,
	};

	nftkit_elem_init(e);
	nftkit_elem_key(e, key_types[k->kind], k->value);
	nftkit_elem_data(e, NFTKIT_TYPE_MARK, MARK_FOR_SLOT(slot) | id);
	if (k->kind == FIREWALL_KEY_CGROUP)
		cgroup_map_name(k->level, map, map_len);
	else
		l_strlcpy(map, key_maps[k->kind], map_len);
}

static void counter_element(uint32_t id, const char *dir, struct nftkit_elem *e)
{
	nftkit_elem_init(e);
	nftkit_elem_key(e, NFTKIT_TYPE_MARK, id);
	counter_name(id, dir, e->obj, sizeof(e->obj));
}

static int queue_counters(struct nftkit_tx *tx, uint32_t id, bool add)
{
	static const char *const dirs[] = { "tx", "rx" };
	struct nftkit_elem e;
	char name[32], map[16];
	int err = 0;

	for (unsigned int i = 0; i < 2; i++) {
		snprintf(map, sizeof(map), "session_%s", dirs[i]);
		counter_name(id, dirs[i], name, sizeof(name));
		counter_element(id, dirs[i], &e);
		if (add) {
			err = first_error(err, nftkit_tx_add_counter(tx, name));
			err = first_error(err, nftkit_tx_add_elems(tx, map, &e, 1));
		} else {
			err = first_error(err, nftkit_tx_del_elems(tx, map, &e, 1));
			err = first_error(err, nftkit_tx_del_counter(tx, name));
		}
	}
	return err;
}

/* Runs `fill` on a transaction of the table and commits it. */
static int in_transaction(struct firewall *fw, const char *what,
			  int (*fill)(struct nftkit_tx *, const void *), const void *arg)
{
	struct nftkit_tx *tx = nftkit_tx_new(fw->nk);
	int err;

	nftkit_tx_use_table(tx, NFTKIT_INET, TABLE);
	err = finish(tx, fill(tx, arg), what);
	nftkit_tx_free(tx);
	return err;
}

static int fill_counters_del(struct nftkit_tx *tx, const void *arg)
{
	return queue_counters(tx, *(const uint32_t *)arg, false);
}

int firewall_session_links(struct firewall *fw, const struct firewall_link *links, size_t n)
{
	/* nftables' rules count on every link already. */
	return fw->sm ? sockmark_links_set(fw->sm, links, n) : 0;
}

int firewall_counters_del(struct firewall *fw, uint32_t id)
{
	if (fw->sm)
		return sockmark_counters_del(fw->sm, id);
	return in_transaction(fw, "removing session counters", fill_counters_del, &id);
}

struct mark_change {
	const struct firewall_key *key;
	uint32_t id;
	unsigned int slot;
	bool replace;
	bool add;
	bool counters;		/* a new session: its counters go in the same transaction */
	uint32_t gone;		/* a session that ends: its counters go in it too */
};

static int fill_mark(struct nftkit_tx *tx, const void *arg)
{
	const struct mark_change *c = arg;
	struct nftkit_elem e;
	char map[32];
	int err = 0;

	mark_element(c->key, c->id, c->slot, &e, map, sizeof(map));
	if (c->replace || !c->add)
		err = first_error(err, nftkit_tx_del_elems(tx, map, &e, 1));
	if (c->add)
		err = first_error(err, nftkit_tx_add_elems(tx, map, &e, 1));
	return err;
}

static unsigned int bit_index(unsigned int bit)
{
	return __builtin_ctz(bit);
}

/* The kinds in use after this change; the chain is rebuilt when they differ. */
static unsigned int uses_after(const struct firewall *fw, const struct mark_change *c)
{
	unsigned int bit = kind_bit(c->key), n = fw->users[bit_index(bit)];

	if (c->add && !c->replace)
		n++;
	else if (!c->add && n)
		n--;
	return n ? fw->uses | bit : fw->uses & ~bit;
}

static int change_mark(struct firewall *fw, const struct mark_change *c, const char *what)
{
	struct nftkit_tx *tx = nftkit_tx_new(fw->nk);
	unsigned int uses = uses_after(fw, c), bit = kind_bit(c->key);
	int err;

	nftkit_tx_use_table(tx, NFTKIT_INET, TABLE);
	err = c->counters ? queue_counters(tx, c->id, true) : 0;
	if (c->gone)
		err = first_error(err, queue_counters(tx, c->gone, false));
	err = first_error(err, fill_mark(tx, c));
	/* Rebuilt whole: a handful of rules, in one transaction with the element. */
	if (!err && uses != fw->uses) {
		/* Both chains add_output_accounting fills: session_egress
		 * left as it was counted every packet once more per rebuild. */
		err = first_error(err, nftkit_tx_flush_chain(tx, "session_output"));
		err = first_error(err, nftkit_tx_flush_chain(tx, "session_egress"));
		err = first_error(err, add_marking_rules(tx, uses));
		err = first_error(err, add_output_accounting(tx));
	}
	err = finish(tx, err, what);
	nftkit_tx_free(tx);
	if (err == 0) {
		if (c->add && !c->replace)
			fw->users[bit_index(bit)]++;
		else if (!c->add && fw->users[bit_index(bit)])
			fw->users[bit_index(bit)]--;
		fw->uses = uses;
	}
	return err;
}

/* BPF: the counters first, so that no socket is marked for a session whose
 * packets could not be counted; undone if the mark cannot go in. */
static int bpf_session_add(struct sockmark *sm, uint32_t id, const struct firewall_key *key,
			   unsigned int slot)
{
	int err = sockmark_counters_add(sm, id);

	if (err < 0)
		return err;
	err = sockmark_key_set(sm, key, MARK_FOR_SLOT(slot) | id);
	if (err < 0)
		sockmark_counters_del(sm, id);
	return err;
}

static int bpf_session_del(struct sockmark *sm, uint32_t id, const struct firewall_key *key,
			   uint32_t next_id, unsigned int next_slot)
{
	int err = next_id ? sockmark_key_set(sm, key, MARK_FOR_SLOT(next_slot) | next_id)
			  : sockmark_key_del(sm, key);

	return first_error(err, sockmark_counters_del(sm, id));
}

static bool valid_mark(const struct firewall_key *key, uint32_t id, unsigned int slot)
{
	return valid_key(key) && id && id <= MARK_SESSION_MASK && slot &&
	       slot <= MARK_SLOT_UNREACHABLE;
}

int firewall_mark_set(struct firewall *fw, const struct firewall_key *key, uint32_t id,
		      unsigned int slot, bool replace)
{
	struct mark_change c = { key, id, slot, replace, true, false, 0 };

	if (!valid_mark(key, id, slot))
		return -EINVAL;
	if (fw->sm)
		return sockmark_key_set(fw->sm, key, MARK_FOR_SLOT(slot) | id);
	return change_mark(fw, &c, "marking a session");
}

int firewall_session_add(struct firewall *fw, uint32_t id, const struct firewall_key *key,
			 unsigned int slot, bool replace)
{
	struct mark_change c = { key, id, slot, replace, true, true, 0 };

	if (!valid_mark(key, id, slot))
		return -EINVAL;
	if (fw->sm)
		return bpf_session_add(fw->sm, id, key, slot);
	return change_mark(fw, &c, "adding a session");
}

int firewall_session_del(struct firewall *fw, uint32_t id, const struct firewall_key *key,
			 uint32_t next_id, unsigned int next_slot)
{
	struct mark_change c = { key, next_id ? next_id : 1, next_id ? next_slot : 1, next_id != 0,
				 next_id != 0, false, id };

	if (!id || !valid_key(key) || (next_id && !valid_mark(key, next_id, next_slot)))
		return -EINVAL;
	if (fw->sm)
		return bpf_session_del(fw->sm, id, key, next_id, next_slot);
	return change_mark(fw, &c, "removing a session");
}

int firewall_mark_del(struct firewall *fw, const struct firewall_key *key)
{
	struct mark_change c = { key, 1, 1, false, false, false, 0 };

	if (!valid_key(key))
		return -EINVAL;
	if (fw->sm)
		return sockmark_key_del(fw->sm, key);
	return change_mark(fw, &c, "unmarking a session");
}

int firewall_counters_read(struct firewall *fw, uint32_t id, struct firewall_counters *c)
{
	char name[32];
	int err;

	if (fw->sm)
		return sockmark_counters_read(fw->sm, id, c);
	counter_name(id, "tx", name, sizeof(name));
	err = nftkit_counter_get(fw->nk, NFTKIT_INET, TABLE, name, false, &c->tx_packets,
				 &c->tx_bytes);
	if (err < 0)
		return err;
	counter_name(id, "rx", name, sizeof(name));
	return nftkit_counter_get(fw->nk, NFTKIT_INET, TABLE, name, false, &c->rx_packets,
				  &c->rx_bytes);
}

struct read_all {
	struct l_hashmap *by_id;	/* id → struct firewall_counters */
};

/* "session12_tx": 12 and tx, from a counter's name. */
static int counter_seen(const char *name, uint64_t packets, uint64_t bytes, void *data)
{
	struct read_all *all = data;
	struct firewall_counters *c;
	unsigned int id;
	char dir[3];

	if (sscanf(name, "session%u_%2s", &id, dir) != 2 || !id)
		return 0;
	c = l_hashmap_lookup(all->by_id, L_UINT_TO_PTR(id));
	if (!c) {
		c = l_new(struct firewall_counters, 1);
		l_hashmap_insert(all->by_id, L_UINT_TO_PTR(id), c);
	}
	if (!strcmp(dir, "tx")) {
		c->tx_packets = packets;
		c->tx_bytes = bytes;
	} else {
		c->rx_packets = packets;
		c->rx_bytes = bytes;
	}
	return 0;
}

struct read_all_call {
	firewall_counters_fn fn;
	void *data;
};

static void call_one(const void *key, void *value, void *user_data)
{
	struct read_all_call *call = user_data;

	call->fn(L_PTR_TO_UINT(key), value, call->data);
}

int firewall_counters_read_all(struct firewall *fw, firewall_counters_fn fn, void *data)
{
	struct read_all all = { l_hashmap_new() };
	struct read_all_call call = { fn, data };
	int err;

	if (fw->sm) {
		l_hashmap_destroy(all.by_id, NULL);
		return sockmark_counters_read_all(fw->sm, fn, data);
	}
	err = nftkit_counters_dump(fw->nk, NFTKIT_INET, TABLE, false, counter_seen, &all);
	if (err >= 0) {
		l_hashmap_foreach(all.by_id, call_one, &call);
		err = 0;
	}
	l_hashmap_destroy(all.by_id, l_free);
	return err;
}

int firewall_cgroup_key(const char *cgroup, struct firewall_key *key)
{
	uint64_t id;
	unsigned int level;
	int err = nftkit_cgroupv2_id(cgroup, &id, &level);

	if (err < 0)
		return err;
	if (level < 1 || level > CGROUP_LEVELS)
		return -ERANGE;
	key->kind = FIREWALL_KEY_CGROUP;
	key->value = id;
	key->level = level;
	return 0;
}

static int add_tether_dns(struct nftkit_tx *tx, const struct firewall_tether *t,
			  enum nftkit_field port_field)
{
	struct nftkit_rule *r = nftkit_rule_new();

	/* iifname "tether" ip daddr BRIDGE udp|tcp dport 53 dnat ip to DNS */
	nftkit_match_ifname(r, NFTKIT_META_IIFNAME, NFTKIT_EQ, t->bridge);
	nftkit_match_addr(r, NFTKIT_IP_DADDR, NFTKIT_EQ, t->address);
	nftkit_match_port(r, port_field, 53);
	nftkit_dnat(r, NFTKIT_IP, t->dns, 0);
	return add_rule(tx, "tether_prerouting", r);
}

static int add_tether_rules(struct nftkit_tx *tx, const struct firewall_tether *t)
{
	struct nftkit_rule *r;
	int err = 0;

	/* ip saddr SUBNET oifname != "tether" masquerade */
	r = nftkit_rule_new();
	nftkit_match_addr(r, NFTKIT_IP_SADDR, NFTKIT_EQ, t->subnet);
	nftkit_match_ifname(r, NFTKIT_META_OIFNAME, NFTKIT_NE, t->bridge);
	nftkit_masquerade(r);
	err |= add_rule(tx, "tether_postrouting", r);

	/* ip6 saddr SUBNET6 oifname != "tether" masquerade: the ULA fallback */
	if (t->subnet6) {
		r = nftkit_rule_new();
		nftkit_match_addr(r, NFTKIT_IP6_SADDR, NFTKIT_EQ, t->subnet6);
		nftkit_match_ifname(r, NFTKIT_META_OIFNAME, NFTKIT_NE, t->bridge);
		nftkit_masquerade(r);
		err |= add_rule(tx, "tether_postrouting", r);
	}

	/* The forward chain is of the inet family: these rules hold for IPv6
	 * as for IPv4. ICMPv6 errors about a LAN flow (Packet Too Big for path
	 * MTU discovery, Destination Unreachable, Time Exceeded) are related
	 * to it and pass; nothing else from outside comes in.
	 * iifname "tether" accept */
	r = nftkit_rule_new();
	nftkit_match_ifname(r, NFTKIT_META_IIFNAME, NFTKIT_EQ, t->bridge);
	nftkit_accept(r);
	err |= add_rule(tx, "tether_forward", r);

	/* oifname "tether" ct state established,related accept */
	r = nftkit_rule_new();
	nftkit_match_ifname(r, NFTKIT_META_OIFNAME, NFTKIT_EQ, t->bridge);
	nftkit_match_ct_state(r, NFTKIT_CT_ESTABLISHED | NFTKIT_CT_RELATED);
	nftkit_accept(r);
	err |= add_rule(tx, "tether_forward", r);

	/* oifname "tether" drop: nothing unsolicited into the tethered subnet */
	r = nftkit_rule_new();
	nftkit_match_ifname(r, NFTKIT_META_OIFNAME, NFTKIT_EQ, t->bridge);
	nftkit_drop(r);
	err |= add_rule(tx, "tether_forward", r);

	if (t->dns) {
		err |= add_tether_dns(tx, t, NFTKIT_UDP_DPORT);
		err |= add_tether_dns(tx, t, NFTKIT_TCP_DPORT);
	}
	return err ? -EINVAL : 0;
}

static const char *const tether_chains[] = {
	"tether_forward", "tether_postrouting", "tether_prerouting",
};

/* The chains come and go with tethering: a nat chain makes the kernel track
 * and NAT every packet of the namespace, which an idle connd should not cost. */
static int fill_tether(struct nftkit_tx *tx, bool exist, const struct firewall_tether *t)
{
	int err = 0;

	for (unsigned int i = 0; i < L_ARRAY_SIZE(tether_chains) && exist; i++)
		err |= t ? nftkit_tx_flush_chain(tx, tether_chains[i])
			 : nftkit_tx_del_chain(tx, tether_chains[i]);
	if (t && !exist)
		err |= add_tether_chains(tx);
	if (t)
		err |= add_tether_rules(tx, t);
	return err ? -EINVAL : 0;
}

int firewall_tether_set(struct firewall *fw, const struct firewall_tether *t)
{
	struct nftkit_tx *tx;
	int err;

	if (!t && !fw->tether_chains)
		return 0;
	tx = nftkit_tx_new(fw->nk);
	nftkit_tx_use_table(tx, NFTKIT_INET, TABLE);
	err = fill_tether(tx, fw->tether_chains, t);
	err = finish(tx, err, t ? "setting up tethering" : "removing tethering");
	nftkit_tx_free(tx);
	if (err == 0)
		fw->tether_chains = t != NULL;
	return err;
}
