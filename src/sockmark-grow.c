#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <ell/ell.h>

#include "bpf-sys.h"
#include "sockmark-grow.h"
#include "sockmark-maps.h"

/* An old array's additions after the copy, to carry into the current one. */
struct carry {
	struct sockmark_grow *g;
	int map;				/* the old array */
	uint32_t top;				/* entries 1..top were copied */
	struct sockmark_counters *at_copy;	/* entries 0..top as copied */
	struct l_timeout *timeout;
};

struct sockmark_grow {
	struct sockmark_set set;
	struct l_queue *carries;
};

/* Entries 0..top, in whole pages. */
static size_t entries_size(uint32_t top)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t size = ((size_t)top + 1) * sizeof(struct sockmark_counters);

	return (size + page - 1) / page * page;
}

/* The entries as copied, in pages of their own rather than on the heap:
 * given back whole once carried over, they leave no hole there (40 KiB at
 * the first growth, which connd's resident memory would keep). */
static struct sockmark_counters *snapshot_new(const struct sockmark_counters *from,
					      uint32_t top)
{
	void *p = mmap(NULL, entries_size(top), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memcpy(p, from, ((size_t)top + 1) * sizeof(*from));
	return p;
}

static void snapshot_free(struct sockmark_counters *snapshot, uint32_t top)
{
	if (snapshot)
		munmap(snapshot, entries_size(top));
}

static void carry_free(void *data)
{
	struct carry *c = data;

	l_timeout_remove(c->timeout);
	close(c->map);
	snapshot_free(c->at_copy, c->top);
	l_free(c);
}

struct sockmark_grow *sockmark_grow_new(const struct sockmark_set *set)
{
	struct sockmark_grow *g = l_new(struct sockmark_grow, 1);

	g->set = *set;
	g->carries = l_queue_new();
	return g;
}

void sockmark_grow_free(struct sockmark_grow *g)
{
	if (!g)
		return;
	l_queue_destroy(g->carries, carry_free);
	l_free(g);
}

/* Entries 0..top of an array, mapped (a whole number of pages), or NULL. */
static struct sockmark_counters *map_entries(int map, uint32_t top, int prot, size_t *size)
{
	void *p;

	*size = entries_size(top);
	p = mmap(NULL, *size, prot, MAP_SHARED, map, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* What was added since `then`, which becomes what is there now. */
static void add_since(__u64 *to, const __u64 *now, __u64 *then)
{
	__u64 value = __atomic_load_n(now, __ATOMIC_RELAXED), more = value - *then;

	*then = value;
	if (more)
		__atomic_fetch_add(to, more, __ATOMIC_RELAXED);
}

/* Into each entry that still holds the session it held at the copy (not
 * one removed or started since), atomically, as the programs add. Done
 * early for a read, then again when due: each time only what came since. */
static void carry_over(struct carry *c)
{
	struct sockmark_counters *old, *cur;
	size_t old_size, cur_size;

	old = map_entries(c->map, c->top, PROT_READ, &old_size);
	cur = map_entries(*c->g->set.counters, c->top, PROT_READ | PROT_WRITE, &cur_size);
	/* Unmappable: a few packets of the swap's instant go uncounted. */
	for (uint32_t id = 1; old && cur && id <= c->top; id++) {
		struct sockmark_counters *then = &c->at_copy[id];

		if (!then->session ||
		    __atomic_load_n(&cur[id].session, __ATOMIC_RELAXED) != then->session)
			continue;
		add_since(&cur[id].rx_packets, &old[id].rx_packets, &then->rx_packets);
		add_since(&cur[id].rx_bytes, &old[id].rx_bytes, &then->rx_bytes);
		add_since(&cur[id].tx_packets, &old[id].tx_packets, &then->tx_packets);
		add_since(&cur[id].tx_bytes, &old[id].tx_bytes, &then->tx_bytes);
	}
	if (old)
		munmap(old, old_size);
	if (cur)
		munmap(cur, cur_size);
}

static void carry_now(void *data, void *user_data)
{
	carry_over(data);
}

void sockmark_grow_settle(struct sockmark_grow *g)
{
	l_queue_foreach(g->carries, carry_now, NULL);
}

static void carry_due(struct l_timeout *timeout, void *data)
{
	struct carry *c = data;

	carry_over(c);
	l_queue_remove(c->g->carries, c);
	carry_free(c);
}

/* The links have moved, but a run of an old program that began before
 * may still be adding to the old array: cgroup programs run inside an RCU
 * read-side section (no sleeping, one packet's or socket's work), so all
 * such runs are over once a grace period has passed, usually a few
 * milliseconds: 100 ms is a wide margin, and a run later still would only
 * cost its one packet's count (the old programs hold the old array until
 * they are freed, so nothing is ever written to freed memory). Waiting by
 * a timer keeps the main loop free; without a main loop (a lab probe),
 * at once. */
static void carry_later(struct sockmark_grow *g, int map, uint32_t top,
			struct sockmark_counters *at_copy)
{
	struct carry *c = l_new(struct carry, 1);

	*c = (struct carry) { .g = g, .map = map, .top = top, .at_copy = at_copy };
	c->timeout = l_timeout_create_ms(100, carry_due, c, NULL);
	if (!c->timeout) {
		carry_over(c);
		carry_free(c);
		return;
	}
	l_queue_push_tail(g->carries, c);
}

/* Every kept instruction naming map `from` names `to` instead. */
static void retarget(struct sockmark_grow *g, int from, int to)
{
	for (size_t p = 0; p < g->set.n_programs; p++) {
		struct bpf_insn *insns = g->set.programs[p].insns;

		for (size_t i = 0; i + 1 < g->set.programs[p].n_insns; i++) {
			if (insns[i].code != (BPF_LD | BPF_IMM | BPF_DW))
				continue;
			if (insns[i].src_reg == BPF_PSEUDO_MAP_FD && insns[i].imm == from)
				insns[i].imm = to;
			i++;	/* the instruction's second half */
		}
	}
}

static void close_all(int *fds, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/* The programs for array `map`, into fds[]: 0, or all closed. */
static int load_for(struct sockmark_grow *g, int map, int *fds)
{
	int old = *g->set.counters;

	retarget(g, old, map);
	for (size_t i = 0; i < g->set.n_programs; i++) {
		const struct bpf_load_program *p = &g->set.programs[i];

		fds[i] = bpf_sys_prog_load(p->type, p->attach_type, p->insns, p->n_insns, p->name);
		if (fds[i] < 0) {
			int err = fds[i];

			close_all(fds, i);
			retarget(g, map, old);
			return err;
		}
	}
	return 0;
}

/* Entries 1..top into the new array, exactly (the session numbers are what
 * sockets' storage is compared with): the entries as copied, or NULL. No
 * program uses the new array yet. */
static struct sockmark_counters *copy_entries(int from, int to, uint32_t top)
{
	struct sockmark_counters *old, *new, *at_copy;
	size_t old_size, new_size;

	old = map_entries(from, top, PROT_READ, &old_size);
	if (!old)
		return NULL;
	new = map_entries(to, top, PROT_READ | PROT_WRITE, &new_size);
	if (!new) {
		munmap(old, old_size);
		return NULL;
	}
	at_copy = snapshot_new(old, top);
	if (at_copy)
		memcpy(&new[1], &at_copy[1], (size_t)top * sizeof(*new));
	munmap(new, new_size);
	munmap(old, old_size);
	return at_copy;
}

/* Each attached program's link to its new program; undone on failure. A
 * network link's that its device took with it (-ENOLINK) runs nothing any
 * more: left as it is. */
static int swap_links(struct sockmark_grow *g, const int *fds)
{
	const struct sockmark_link *links = *g->set.links;

	for (size_t i = 0; i < *g->set.n_links; i++) {
		int err = bpf_sys_link_update(links[i].fd, fds[links[i].program]);

		if (err == -ENOLINK && links[i].ifindex)
			err = 0;
		if (err < 0) {
			while (i-- > 0)
				bpf_sys_link_update(links[i].fd, g->set.programs[links[i].program].fd);
			return err;
		}
	}
	return 0;
}

/* The new programs and array in force; the old programs closed (a link
 * holds what it runs), the old array kept for the carry-over. */
static void commit(struct sockmark_grow *g, const int *fds, int map, uint32_t top,
		   struct sockmark_counters *at_copy)
{
	int old = *g->set.counters;

	for (size_t i = 0; i < g->set.n_programs; i++) {
		close(g->set.programs[i].fd);
		g->set.programs[i].fd = fds[i];
	}
	*g->set.counters = map;
	if (at_copy) {
		carry_later(g, old, top, at_copy);
		return;
	}
	close(old);
	l_queue_clear(g->carries, carry_free);
}

/* The programs loaded for `map`, its entries copied, the links swapped. */
static int replace(struct sockmark_grow *g, int map, uint32_t top, int *fds)
{
	struct sockmark_counters *at_copy = NULL;
	int err = load_for(g, map, fds);

	if (err < 0)
		return err;
	if (top) {
		at_copy = copy_entries(*g->set.counters, map, top);
		err = at_copy ? swap_links(g, fds) : -ENOMEM;
	} else {
		err = swap_links(g, fds);
	}
	if (err < 0) {
		snapshot_free(at_copy, top);
		close_all(fds, g->set.n_programs);
		retarget(g, map, *g->set.counters);
		return err;
	}
	commit(g, fds, map, top, at_copy);
	return 0;
}

int sockmark_grow_to(struct sockmark_grow *g, uint32_t entries, uint32_t top)
{
	int *fds, map, err;

	map = bpf_sys_map_create_like(*g->set.counters, g->set.btf, entries);
	if (map < 0)
		return map;
	fds = l_new(int, g->set.n_programs);
	err = replace(g, map, top, fds);
	l_free(fds);
	if (err < 0)
		close(map);
	return err;
}
