#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <ell/ell.h>

#include "connd-config.h"
#include "sockmark.h"

#if CONND_BPF

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "sockmark-maps.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

/* bpf/session.bpf.o, built with clang at build time (bpf/embed.py). */
extern const unsigned char sockmark_bpf_obj[];
extern const unsigned long sockmark_bpf_obj_len;

static const char *const programs[] = {
	"session_sock_create", "session_egress", "session_ingress",
};
#define N_PROGRAMS (sizeof(programs) / sizeof(programs[0]))

struct sockmark {
	struct bpf_object *obj;
	int cgroup;			/* the directory the programs attach to */
	struct bpf_link *links[N_PROGRAMS];	/* while sessions exist */
	unsigned int sessions;		/* live entries in the counters map */
	int key_maps[3];		/* by enum firewall_key_kind */
	struct sockmark_counters *counters;	/* the map's first `mapped` bytes: entry N is id N */
	size_t mapped;
	int counters_fd;
	size_t counters_size;		/* the whole map, in whole pages */
	uint32_t top;			/* no live entry above it */
	uint64_t last_session;		/* the last number given to a session */
};

/* libbpf's own messages (the verifier's log among them) for `-d`. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	char line[512];

	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(line, sizeof(line), fmt, args);
	l_debug("libbpf: %s", line);
	return 0;
}

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

static int map_fd(struct sockmark *sm, const char *name)
{
	struct bpf_map *map = bpf_object__find_map_by_name(sm->obj, name);

	return map ? bpf_map__fd(map) : -ENOENT;
}

/* Before loading: the namespace goes into the programs' read-only data. */
static int configure(struct sockmark *sm)
{
	struct bpf_map *rodata = bpf_object__find_map_by_name(sm->obj, ".rodata");
	struct sockmark_config cfg = { 0 };
	int err = netns_cookie(&cfg.netns_cookie);

	if (err < 0)
		return err;
	if (!rodata)
		return -ENOENT;
	return bpf_map__set_initial_value(rodata, &cfg, sizeof(cfg));
}

/* connd reads and resets the counters in place: no syscall per session.
 * Mapped pages count in connd's RSS at once, all 5 MiB of the map: only the
 * part up to the highest live id is mapped (map_up_to), none while no
 * session exists. */
static int map_counters(struct sockmark *sm)
{
	struct bpf_map *map = bpf_object__find_map_by_name(sm->obj, "counters");
	long page = sysconf(_SC_PAGESIZE);

	if (!map)
		return -ENOENT;
	sm->counters_fd = bpf_map__fd(map);
	sm->counters_size = (size_t)bpf_map__max_entries(map) * sizeof(struct sockmark_counters);
	sm->counters_size = (sm->counters_size + (size_t)page - 1) / (size_t)page * (size_t)page;
	return 0;
}

static void unmap_counters(struct sockmark *sm)
{
	if (sm->counters)
		munmap(sm->counters, sm->mapped);
	sm->counters = NULL;
	sm->mapped = 0;
}

/* Grows the mapping (doubling) to hold `id`; an entry's address does not
 * outlive the call that took it. */
static int map_up_to(struct sockmark *sm, uint32_t id)
{
	size_t need = ((size_t)id + 1) * sizeof(struct sockmark_counters);
	size_t page = (size_t)sysconf(_SC_PAGESIZE), size;
	void *p;

	if (need <= sm->mapped)
		return 0;
	for (size = sm->mapped ? sm->mapped * 2 : 16 * page; size < need; size *= 2)
		;
	size = (size + page - 1) / page * page;
	if (size > sm->counters_size)
		size = sm->counters_size;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, sm->counters_fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	unmap_counters(sm);
	sm->counters = p;
	sm->mapped = size;
	return 0;
}

static int find_maps(struct sockmark *sm)
{
	sm->key_maps[FIREWALL_KEY_UID] = map_fd(sm, "uid_marks");
	sm->key_maps[FIREWALL_KEY_GID] = map_fd(sm, "gid_marks");
	sm->key_maps[FIREWALL_KEY_CGROUP] = map_fd(sm, "cgroup_marks");
	for (unsigned int i = 0; i < 3; i++)
		if (sm->key_maps[i] < 0)
			return sm->key_maps[i];
	return map_counters(sm);
}

static void detach(struct sockmark *sm)
{
	for (unsigned int i = 0; i < N_PROGRAMS; i++) {
		bpf_link__destroy(sm->links[i]);
		sm->links[i] = NULL;
	}
}

/* Links, not BPF_PROG_ATTACH: they go with connd's descriptors, and they
 * sit beside other software's programs on the same cgroup (multi-attach). */
static int attach(struct sockmark *sm)
{
	int err = 0;

	for (unsigned int i = 0; i < N_PROGRAMS && !err; i++) {
		struct bpf_program *p = bpf_object__find_program_by_name(sm->obj, programs[i]);

		sm->links[i] = p ? bpf_program__attach_cgroup(p, sm->cgroup) : NULL;
		if (!sm->links[i])
			err = p ? -errno : -ENOENT;
	}
	if (err < 0)
		detach(sm);
	return err;
}

/* Attached once to find out whether they can be, then only while sessions
 * exist (sockmark_counters_add): a cgroup_skb program costs every packet of
 * the cgroup its run, whatever it does, and sock_create every socket. */
static int load(struct sockmark *sm, const char *cgroup)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "connd_session");
	int err;

	sm->cgroup = open(cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sm->cgroup < 0)
		return -errno;
	sm->obj = bpf_object__open_mem(sockmark_bpf_obj, sockmark_bpf_obj_len, &opts);
	if (!sm->obj)
		return -errno;
	err = configure(sm);
	if (err < 0)
		return err;
	if (bpf_object__load(sm->obj) < 0)
		return -errno;
	err = find_maps(sm);
	if (err < 0)
		return err;
	err = attach(sm);
	detach(sm);
	return err;
}

struct sockmark *sockmark_new(const char *cgroup)
{
	struct sockmark *sm = l_new(struct sockmark, 1);
	int err;

	sm->cgroup = -1;
	libbpf_set_print(libbpf_print);
	err = load(sm, cgroup);
	if (err < 0) {
		sockmark_free(sm);
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
	unmap_counters(sm);
	bpf_object__close(sm->obj);
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
	int fd = sm->key_maps[key->kind];
	int ret = mark ? bpf_map_update_elem(fd, k, mark, BPF_ANY) : bpf_map_delete_elem(fd, k);

	return ret < 0 ? -errno : 0;
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

/* The programs' additions are atomic; connd's plain stores and loads of
 * whole 64-bit words are, too, on every architecture it runs on. */
static __u64 load_u64(const __u64 *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static struct sockmark_counters *entry(struct sockmark *sm, uint32_t id)
{
	if (!id || id > SOCKMARK_MAX_SESSIONS ||
	    ((size_t)id + 1) * sizeof(struct sockmark_counters) > sm->mapped)
		return NULL;
	return &sm->counters[id];
}

static bool live(const struct sockmark_counters *e)
{
	return e && load_u64(&e->session);
}

static void zero(struct sockmark_counters *e)
{
	__atomic_store_n(&e->rx_packets, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&e->rx_bytes, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&e->tx_packets, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&e->tx_bytes, 0, __ATOMIC_RELAXED);
}

/* A session's entry starts from zero under a number of its own: a socket
 * marked for an earlier session with the same id carries that session's
 * number and counts nowhere. An entry already live is zeroed again and keeps
 * its number (its sockets go on counting). The first session attaches the
 * programs, before any key can mark a socket. */
int sockmark_counters_add(struct sockmark *sm, uint32_t id)
{
	struct sockmark_counters *e;
	int err;

	if (!id || id > SOCKMARK_MAX_SESSIONS)
		return -ENOSPC;
	err = map_up_to(sm, id);
	if (err < 0)
		return err;
	e = entry(sm, id);
	if (live(e)) {
		zero(e);
		return 0;
	}
	err = sm->sessions ? 0 : attach(sm);
	if (err < 0) {
		if (!sm->sessions)
			unmap_counters(sm);
		return err;
	}
	zero(e);
	/* The zeroes are seen before the number that lets packets in. */
	__atomic_store_n(&e->session, ++sm->last_session, __ATOMIC_RELEASE);
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
	struct sockmark_counters *e = entry(sm, id);

	if (!live(e))
		return 0;
	__atomic_store_n(&e->session, 0, __ATOMIC_RELAXED);
	if (--sm->sessions == 0) {
		detach(sm);
		sm->top = 0;
		unmap_counters(sm);
	}
	return 0;
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
	struct sockmark_counters *e = entry(sm, id);

	if (!live(e))
		return -ENOENT;
	copy(e, c);
	return 0;
}

/* A walk over memory up to the highest live id: ids are given lowest
 * first, so that is about as many entries as there are sessions. */
int sockmark_counters_read_all(struct sockmark *sm, firewall_counters_fn fn, void *data)
{
	struct firewall_counters c;

	for (uint32_t id = 1; id <= sm->top; id++) {
		if (!live(&sm->counters[id]))
			continue;
		copy(&sm->counters[id], &c);
		fn(id, &c, data);
	}
	return 0;
}

#else	/* built without BPF (no clang or libbpf at build time) */

struct sockmark *sockmark_new(const char *cgroup)
{
	errno = EOPNOTSUPP;
	return NULL;
}

void sockmark_free(struct sockmark *sm)
{
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
