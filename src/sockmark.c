#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <ell/ell.h>

#include "connd-config.h"
#include "sockmark.h"

#if CONND_BPF

#include "bpf-load.h"
#include "bpf-sys.h"
#include "marks.h"
#include "sockmark-grow.h"
#include "sockmark-maps.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

/* bpf/session.bpf.o, built with clang at build time (bpf/embed.py). */
extern const unsigned char sockmark_bpf_obj[];
extern const unsigned long sockmark_bpf_obj_len;

enum {
	PROG_SOCK_CREATE, PROG_INGRESS, PROG_EGRESS,	/* the cgroup's */
	PROG_LINK_EGRESS, PROG_IP_LINK_EGRESS,		/* a link's (tcx) */
	N_PROGRAMS
};
static const char *const program_names[N_PROGRAMS] = {
	[PROG_SOCK_CREATE] = "session_sock_create",
	[PROG_INGRESS] = "session_ingress",
	[PROG_EGRESS] = "session_egress",
	[PROG_LINK_EGRESS] = "session_link_egress",
	[PROG_IP_LINK_EGRESS] = "session_ip_link_egress",
};

/* The key maps by enum firewall_key_kind, then the counters, then the
 * maps only the programs use: every one is kept open, for the programs'
 * loads when the counters array grows (sockmark-grow.h). */
enum { MAP_COUNTERS = FIREWALL_KEY_CGROUP + 1, MAP_SOCKETS, MAP_RODATA, N_MAPS };
static const char *const map_names[N_MAPS] = {
	[FIREWALL_KEY_UID] = "uid_marks",
	[FIREWALL_KEY_GID] = "gid_marks",
	[FIREWALL_KEY_CGROUP] = "cgroup_marks",
	[MAP_COUNTERS] = "counters",
	[MAP_SOCKETS] = "socket_sessions",
	[MAP_RODATA] = ".rodata",
};

/* The counters array's first size, in sessions; it grows fourfold (up to
 * max) when an id above its size is given. */
#define FIRST_CAPACITY 1024

static uint32_t min_u32(uint64_t a, uint64_t b)
{
	return (uint32_t)(a < b ? a : b);
}

struct sockmark {
	int cgroup;			/* the directory the programs attach to */
	struct bpf_load_program programs[N_PROGRAMS];
	struct bpf_load_map maps[N_MAPS];
	bool tcx;			/* sent packets counted on links' egress */
	struct firewall_link *devices;	/* the links whose egress counts */
	size_t n_devices;
	struct sockmark_link *links;	/* attached while sessions exist */
	size_t n_links;
	int btf;			/* the object's, for a larger array */
	struct sockmark_set set;	/* what a growth replaces */
	struct sockmark_grow *grow;
	unsigned int sessions;		/* live entries in the counters map */
	uint32_t max;			/* ids 1..max may be given */
	uint32_t capacity;		/* ids 1..capacity have an entry */
	uint32_t top;			/* no live entry above it */
	uint64_t last_session;		/* the last number given to a session */
};

/* Session numbers have no 0 byte (see start()); the lowest such number is
 * never given. */
#define FIRST_NUMBER 0x0101010101010101ULL

static int netns_cookie(__u64 *cookie)
{
	socklen_t len = sizeof(*cookie);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;

	if (fd < 0)
		return -errno;
	if (getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, cookie, &len) < 0)
		err = -errno;
	close(fd);
	return err;
}

static void detach(struct sockmark *sm)
{
	for (size_t i = 0; i < sm->n_links; i++)
		close(sm->links[i].fd);
	sm->n_links = 0;
}

/* The cgroup's programs then each counted link's: 3 + devices at most. */
static void reserve_links(struct sockmark *sm)
{
	sm->links = l_realloc(sm->links, (3 + sm->n_devices) * sizeof(*sm->links));
}

static int add_link(struct sockmark *sm, unsigned int program, int fd, int ifindex)
{
	if (fd >= 0)
		sm->links[sm->n_links++] = (struct sockmark_link) {
			.fd = fd, .program = program, .ifindex = ifindex,
		};
	return fd;
}

/* A link that cannot take the program (gone already) is logged and
 * skipped: only what its sessions send over it goes uncounted. */
static void attach_device(struct sockmark *sm, const struct firewall_link *dev)
{
	unsigned int p = dev->no_header ? PROG_IP_LINK_EGRESS : PROG_LINK_EGRESS;
	int fd = add_link(sm, p, bpf_sys_tcx_egress_create(sm->programs[p].fd, dev->ifindex),
			  dev->ifindex);

	if (fd < 0)
		l_warn("sessions: cannot count what leaves link %d: %s", dev->ifindex,
		       strerror(-fd));
}

/* Links, not BPF_PROG_ATTACH: they go with connd's descriptors, and they
 * sit beside other software's programs on the same cgroup or network link
 * (multi-attach). */
static int attach(struct sockmark *sm)
{
	static const unsigned int cgroup_programs[] = { PROG_SOCK_CREATE, PROG_INGRESS, PROG_EGRESS };
	size_t n = sm->tcx ? 2 : 3;

	reserve_links(sm);
	for (size_t i = 0; i < n; i++) {
		const struct bpf_load_program *p = &sm->programs[cgroup_programs[i]];
		int err = add_link(sm, cgroup_programs[i],
				   bpf_sys_link_create(p->fd, sm->cgroup, p->attach_type), 0);

		if (err < 0) {
			detach(sm);
			return err;
		}
	}
	for (size_t i = 0; sm->tcx && i < sm->n_devices; i++)
		attach_device(sm, &sm->devices[i]);
	return 0;
}

/* tcx (kernel 6.6) counts only what leaves the services' links; without
 * it the cgroup's egress program counts instead, every packet of the
 * cgroup run through it. Tried on loopback, with no session yet. */
static bool tcx_works(struct sockmark *sm)
{
	int fd = bpf_sys_tcx_egress_create(sm->programs[PROG_LINK_EGRESS].fd, 1);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static bool has_device(const struct firewall_link *devices, size_t n, const struct firewall_link *d)
{
	for (size_t i = 0; i < n; i++)
		if (devices[i].ifindex == d->ifindex && devices[i].no_header == d->no_header)
			return true;
	return false;
}

bool sockmark_counts_on_links(const struct sockmark *sm)
{
	return sm->tcx;
}

int sockmark_links_set(struct sockmark *sm, const struct firewall_link *devices, size_t n)
{
	size_t kept = 0;

	l_free(sm->devices);
	sm->devices = l_memdup(devices, n * sizeof(*devices));
	sm->n_devices = n;
	if (!sm->n_links || !sm->tcx)
		return 0;
	/* Attached: the links no longer wanted let go, the new ones taken. */
	for (size_t i = 0; i < sm->n_links; i++) {
		struct sockmark_link *l = &sm->links[i];
		struct firewall_link d = {
			.ifindex = l->ifindex, .no_header = l->program == PROG_IP_LINK_EGRESS,
		};

		if (l->ifindex && !has_device(devices, n, &d))
			close(l->fd);
		else
			sm->links[kept++] = *l;
	}
	sm->n_links = kept;
	reserve_links(sm);
	for (size_t i = 0; i < n; i++) {
		bool attached = false;

		for (size_t j = 0; j < sm->n_links && !attached; j++)
			attached = sm->links[j].ifindex == devices[i].ifindex;
		if (!attached)
			attach_device(sm, &devices[i]);
	}
	return 0;
}

/* The namespace goes into the programs' read-only data before the load.
 * Attached once to find out whether they can be, then only while sessions
 * exist (sockmark_counters_add): a cgroup_skb program costs every packet of
 * the cgroup its run, whatever it does, and sock_create every socket. */
static int load(struct sockmark *sm, const char *cgroup, const char **why)
{
	struct sockmark_config cfg = { 0 };
	struct bpf_load req = {
		.elf = sockmark_bpf_obj, .elf_len = sockmark_bpf_obj_len,
		.object_name = "connd_session",
		.rodata = &cfg, .rodata_len = sizeof(cfg),
		.programs = sm->programs, .n_programs = N_PROGRAMS,
		.maps = sm->maps, .n_maps = N_MAPS,
		.btf = -1,
	};
	int err;

	sm->cgroup = open(cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sm->cgroup < 0)
		return -errno;
	err = netns_cookie(&cfg.netns_cookie);
	if (err < 0)
		return err;
	err = bpf_load(&req, why);
	if (err < 0)
		return err;
	sm->btf = req.btf;
	sm->set = (struct sockmark_set) {
		.programs = sm->programs, .n_programs = N_PROGRAMS,
		.links = &sm->links, .n_links = &sm->n_links,
		.counters = &sm->maps[MAP_COUNTERS].fd, .btf = sm->btf,
	};
	sm->grow = sockmark_grow_new(&sm->set);
	sm->tcx = sm->tcx && tcx_works(sm);
	err = attach(sm);
	detach(sm);
	return err;
}

struct sockmark *sockmark_new(const char *cgroup, uint32_t max_sessions, bool links,
			      const char **why)
{
	struct sockmark *sm;
	int err;

	if (!max_sessions || max_sessions > MARK_SESSION_MASK) {
		*why = "no session id fits the marks";
		errno = EINVAL;
		return NULL;
	}
	sm = l_new(struct sockmark, 1);
	sm->max = max_sessions;
	sm->capacity = min_u32(max_sessions, FIRST_CAPACITY);
	sm->cgroup = -1;
	sm->btf = -1;
	sm->last_session = FIRST_NUMBER;
	sm->tcx = links;	/* if the kernel has it: load() tries */
	for (unsigned int i = 0; i < N_PROGRAMS; i++) {
		sm->programs[i] = (struct bpf_load_program) { .name = program_names[i], .fd = -1 };
	}
	for (unsigned int i = 0; i < N_MAPS; i++)
		sm->maps[i] = (struct bpf_load_map) { .name = map_names[i], .fd = -1 };
	/* Entry 0 unused (sockmark-maps.h). */
	sm->maps[MAP_COUNTERS].max_entries = sm->capacity + 1;
	*why = NULL;
	err = load(sm, cgroup, why);
	if (err < 0) {
		sockmark_free(sm);
		if (!*why)
			*why = strerror(-err);
		errno = -err;
		return NULL;
	}
	return sm;
}

void sockmark_free(struct sockmark *sm)
{
	if (!sm)
		return;
	detach(sm);
	l_free(sm->links);
	l_free(sm->devices);
	sockmark_grow_free(sm->grow);
	for (unsigned int i = 0; i < N_PROGRAMS; i++) {
		if (sm->programs[i].fd >= 0)
			close(sm->programs[i].fd);
		l_free(sm->programs[i].insns);
	}
	for (unsigned int i = 0; i < N_MAPS; i++)
		if (sm->maps[i].fd >= 0)
			close(sm->maps[i].fd);
	if (sm->btf >= 0)
		close(sm->btf);
	if (sm->cgroup >= 0)
		close(sm->cgroup);
	l_free(sm);
}

/* The map's key: 32 bits for uids and gids, 64 for cgroup ids. */
static int key_update(struct sockmark *sm, const struct firewall_key *key, const uint32_t *mark)
{
	uint32_t small = (uint32_t)key->value;
	uint64_t big = key->value;
	const void *k = key->kind == FIREWALL_KEY_CGROUP ? (const void *)&big : (const void *)&small;
	int fd = sm->maps[key->kind].fd;

	return mark ? bpf_sys_map_update(fd, k, mark, BPF_ANY) : bpf_sys_map_delete(fd, k);
}

int sockmark_key_set(struct sockmark *sm, const struct firewall_key *key, uint32_t mark)
{
	return key_update(sm, key, &mark);
}

int sockmark_key_del(struct sockmark *sm, const struct firewall_key *key)
{
	int err = key_update(sm, key, NULL);

	return err == -ENOENT ? 0 : err;
}

/* 1 with the entry of a live session, 0 when `id` has none. */
static int live_entry(struct sockmark *sm, uint32_t id, struct sockmark_counters *e)
{
	int err;

	if (!id || id > sm->capacity)
		return 0;
	err = bpf_sys_map_lookup(sm->maps[MAP_COUNTERS].fd, &id, e);
	return err < 0 ? err : e->session != 0;
}

static int entry_set(struct sockmark *sm, uint32_t id, uint64_t session)
{
	struct sockmark_counters e = { .session = session };

	return bpf_sys_map_update(sm->maps[MAP_COUNTERS].fd, &id, &e, BPF_ANY);
}

/* The number after n: each byte counts 1..255. */
static uint64_t next_number(uint64_t n)
{
	for (unsigned int shift = 0; shift < 64; shift += 8) {
		uint64_t byte = (n >> shift) & 0xff;

		n &= ~(0xffULL << shift);
		if (byte < 0xff)
			return n | (byte + 1) << shift;
		n |= 1ULL << shift;	/* 255 wraps to 1 and carries */
	}
	return n;
}

/* A session's entry starts from zero under a number no earlier session of
 * that id had. The programs count a socket's packet into the entry only
 * when the entry's number is the socket's own and not 0 (sock_create
 * records no 0), adding atomically while connd's updates are the kernel's
 * plain memcpy of the value: its words are stored in no promised order,
 * nor each whole (where the CPU has FSRM, x86's memcpy is `rep movsb`,
 * which promises bytes). Written at once, the
 * zeroes and the number could show the number while an old session's
 * counts are still there. Hence two updates:
 * 1. zeroes under number 0: no socket counts into it, whatever order the
 *    copy takes (an entry not live already has number 0);
 * 2. once that call has returned, the number, over the same zeroes: a
 *    socket that reads it adds onto zeroes already in place.
 * While the number is half stored, it is a mix of its bytes and 0s; as no
 * number has a 0 byte, that mix is nobody's number, and no socket of an
 * earlier session counts through it (the same holds while _del stores 0
 * over a number). An addition landing during the second copy may be
 * overwritten by its zeroes: lost, never an old count kept, and only a
 * socket marked during that very call could make it (the keys that mark
 * sockets for the session are set after this returns). */
static int start(struct sockmark *sm, uint32_t id)
{
	int err = entry_set(sm, id, 0);

	if (err < 0)
		return err;
	sm->last_session = next_number(sm->last_session);
	return entry_set(sm, id, sm->last_session);
}

/* Room for `id`: the array grows fourfold (or to max, or to id) with its
 * live entries, ids 1..top. Failing (no memory for the array, a verifier
 * that refuses the programs now, no descriptor left), nothing changes and
 * the session is refused with -ENOBUFS, the cause logged: the caller's
 * errno for it would mislead (EACCES, EINVAL). */
static int make_room(struct sockmark *sm, uint32_t id)
{
	uint32_t capacity = sm->capacity;
	int err;

	while (capacity < id)
		capacity = min_u32((uint64_t)capacity * 4, sm->max);
	err = sockmark_grow_to(sm->grow, capacity + 1, sm->top);
	if (err < 0) {
		l_error("sessions: the BPF counters array cannot grow from %u to %u sessions: %s",
			sm->capacity, capacity, strerror(-err));
		return -ENOBUFS;
	}
	l_info("sessions: the BPF counters array grew from %u to %u sessions",
		sm->capacity, capacity);
	sm->capacity = capacity;
	return 0;
}

/* With no session left (the programs detached, nothing counting), an
 * array that grew goes back to its first size; failing, it stays as it
 * is. Sessions going otherwise leave it as large as it grew. */
static void shrink(struct sockmark *sm)
{
	uint32_t first = min_u32(sm->max, FIRST_CAPACITY);

	if (sm->capacity > first && sockmark_grow_to(sm->grow, first + 1, 0) == 0)
		sm->capacity = first;
}

/* An entry already live is zeroed again and keeps its number (its sockets
 * go on counting; what they add during the copy may be lost). The first
 * session attaches the programs, before any key can mark a socket. */
int sockmark_counters_add(struct sockmark *sm, uint32_t id)
{
	struct sockmark_counters e;
	int err;

	if (!id || id > sm->max)
		return -ENOSPC;
	err = id > sm->capacity ? make_room(sm, id) : 0;
	if (err < 0)
		return err;
	err = live_entry(sm, id, &e);
	if (err < 0)
		return err;
	if (err)
		return entry_set(sm, id, e.session);
	err = sm->sessions ? 0 : attach(sm);
	if (err < 0)
		return err;
	err = start(sm, id);
	if (err < 0) {
		if (!sm->sessions)
			detach(sm);
		return err;
	}
	sm->sessions++;
	if (id > sm->top)
		sm->top = id;
	return 0;
}

/* From now on no socket counts into the entry; a packet already past the
 * check may still land there, and the next session with this id starts
 * from zero anyway. The last one's going detaches the programs. */
int sockmark_counters_del(struct sockmark *sm, uint32_t id)
{
	struct sockmark_counters e;
	int err;

	err = live_entry(sm, id, &e);
	if (err <= 0)
		return err;
	err = entry_set(sm, id, 0);
	if (err < 0)
		return err;
	if (--sm->sessions == 0) {
		detach(sm);
		sm->top = 0;
		shrink(sm);
	}
	return 0;
}

/* The programs' additions are atomic; a whole aligned 64-bit word read
 * through read_all's mapping is, too, on every architecture connd runs on. */
static __u64 load_u64(const __u64 *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static void copy(const struct sockmark_counters *e, struct firewall_counters *c)
{
	c->rx_packets = load_u64(&e->rx_packets);
	c->rx_bytes = load_u64(&e->rx_bytes);
	c->tx_packets = load_u64(&e->tx_packets);
	c->tx_bytes = load_u64(&e->tx_bytes);
}

int sockmark_counters_read(struct sockmark *sm, uint32_t id, struct firewall_counters *c)
{
	struct sockmark_counters e;
	int err;

	sockmark_grow_settle(sm->grow);
	err = live_entry(sm, id, &e);

	if (err <= 0)
		return err ? err : -ENOENT;
	copy(&e, c);
	return 0;
}

/* The array up to the highest live id, mapped for the walk only: a mapped
 * page of it counts in connd's RSS (a mapping kept up to the highest id was
 * 512 KiB of it at 10,000 sessions). Ids are given lowest first, so that is
 * about as many entries as there are sessions. */
int sockmark_counters_read_all(struct sockmark *sm, firewall_counters_fn fn, void *data)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t size = ((size_t)sm->top + 1) * sizeof(struct sockmark_counters);
	const struct sockmark_counters *all;
	struct firewall_counters c;

	if (!sm->top)
		return 0;
	sockmark_grow_settle(sm->grow);
	size = (size + page - 1) / page * page;
	all = mmap(NULL, size, PROT_READ, MAP_SHARED, sm->maps[MAP_COUNTERS].fd, 0);
	if (all == MAP_FAILED)
		return -errno;
	for (uint32_t id = 1; id <= sm->top; id++) {
		if (!load_u64(&all[id].session))
			continue;
		copy(&all[id], &c);
		fn(id, &c, data);
	}
	munmap((void *)all, size);
	return 0;
}

#else	/* built without BPF (no clang or libbpf at build time) */

struct sockmark *sockmark_new(const char *cgroup, uint32_t max_sessions, bool links,
			      const char **why)
{
	*why = "connd was built without BPF";
	errno = EOPNOTSUPP;
	return NULL;
}

void sockmark_free(struct sockmark *sm)
{
}

int sockmark_links_set(struct sockmark *sm, const struct firewall_link *links, size_t n)
{
	return -EOPNOTSUPP;
}

bool sockmark_counts_on_links(const struct sockmark *sm)
{
	return false;
}

int sockmark_key_set(struct sockmark *sm, const struct firewall_key *key, uint32_t mark)
{
	return -EOPNOTSUPP;
}

int sockmark_key_del(struct sockmark *sm, const struct firewall_key *key)
{
	return -EOPNOTSUPP;
}

int sockmark_counters_add(struct sockmark *sm, uint32_t id)
{
	return -EOPNOTSUPP;
}

int sockmark_counters_del(struct sockmark *sm, uint32_t id)
{
	return -EOPNOTSUPP;
}

int sockmark_counters_read(struct sockmark *sm, uint32_t id, struct firewall_counters *c)
{
	return -EOPNOTSUPP;
}

int sockmark_counters_read_all(struct sockmark *sm, firewall_counters_fn fn, void *data)
{
	return -EOPNOTSUPP;
}

#endif
