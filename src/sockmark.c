#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
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
	unsigned int sessions;		/* entries in the counters map */
	int key_maps[3];		/* by enum firewall_key_kind */
	int counters;
	unsigned int cpus;
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

static int configure(struct sockmark *sm)
{
	struct sockmark_config cfg = { 0 };
	uint32_t zero = 0;
	int err = netns_cookie(&cfg.netns_cookie), fd = map_fd(sm, "config");

	if (err < 0)
		return err;
	if (fd < 0)
		return fd;
	sm->key_maps[FIREWALL_KEY_UID] = map_fd(sm, "uid_marks");
	sm->key_maps[FIREWALL_KEY_GID] = map_fd(sm, "gid_marks");
	sm->key_maps[FIREWALL_KEY_CGROUP] = map_fd(sm, "cgroup_marks");
	sm->counters = map_fd(sm, "counters");
	for (unsigned int i = 0; i < 3; i++)
		if (sm->key_maps[i] < 0)
			return sm->key_maps[i];
	if (sm->counters < 0)
		return sm->counters;
	return bpf_map_update_elem(fd, &zero, &cfg, BPF_ANY) < 0 ? -errno : 0;
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
	if (bpf_object__load(sm->obj) < 0)
		return -errno;
	err = configure(sm);
	if (err < 0)
		return err;
	err = attach(sm);
	detach(sm);
	return err;
}

struct sockmark *sockmark_new(const char *cgroup)
{
	struct sockmark *sm = l_new(struct sockmark, 1);
	int err, cpus;

	sm->cgroup = -1;
	libbpf_set_print(libbpf_print);
	cpus = libbpf_num_possible_cpus();
	sm->cpus = cpus > 0 ? (unsigned int)cpus : 1;
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

/* 1: a new entry, 0: an entry that was there already, zeroed again. */
static int zero_counters(struct sockmark *sm, uint32_t id)
{
	struct sockmark_counters *zero = l_new(struct sockmark_counters, sm->cpus);
	int ret = 1;

	if (bpf_map_update_elem(sm->counters, &id, zero, BPF_NOEXIST) < 0) {
		ret = errno == EEXIST ? 0 : -errno;
		if (ret == 0 && bpf_map_update_elem(sm->counters, &id, zero, BPF_EXIST) < 0)
			ret = -errno;
	}
	l_free(zero);
	return ret;
}

/* The first session's counters attach the programs, before any key can
 * mark a socket; the last one's going detaches them. */
int sockmark_counters_add(struct sockmark *sm, uint32_t id)
{
	int ret = sm->sessions ? 0 : attach(sm);

	if (ret < 0)
		return ret;
	ret = zero_counters(sm, id);
	if (ret > 0)
		sm->sessions++;
	if (!sm->sessions)
		detach(sm);
	return ret < 0 ? ret : 0;
}

int sockmark_counters_del(struct sockmark *sm, uint32_t id)
{
	if (bpf_map_delete_elem(sm->counters, &id) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (--sm->sessions == 0)
		detach(sm);
	return 0;
}

/* A per-CPU value: one copy per possible CPU, summed. */
static void sum(const struct sockmark_counters *per_cpu, unsigned int cpus,
		struct firewall_counters *c)
{
	*c = (struct firewall_counters) { 0 };
	for (unsigned int i = 0; i < cpus; i++) {
		c->rx_packets += per_cpu[i].rx_packets;
		c->rx_bytes += per_cpu[i].rx_bytes;
		c->tx_packets += per_cpu[i].tx_packets;
		c->tx_bytes += per_cpu[i].tx_bytes;
	}
}

int sockmark_counters_read(struct sockmark *sm, uint32_t id, struct firewall_counters *c)
{
	struct sockmark_counters *v = l_new(struct sockmark_counters, sm->cpus);
	int err = bpf_map_lookup_elem(sm->counters, &id, v) < 0 ? -errno : 0;

	if (err == 0)
		sum(v, sm->cpus, c);
	l_free(v);
	return err;
}

#define BATCH 1024

int sockmark_counters_read_all(struct sockmark *sm, firewall_counters_fn fn, void *data)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	struct sockmark_counters *values = l_new(struct sockmark_counters, BATCH * sm->cpus);
	uint32_t keys[BATCH], token = 0;
	struct firewall_counters c;
	bool first = true, done = false;
	int err = 0;

	while (!done) {
		uint32_t n = BATCH;

		if (bpf_map_lookup_batch(sm->counters, first ? NULL : &token, &token, keys, values,
					 &n, &opts) < 0) {
			err = -errno;
			done = true;
			if (err != -ENOENT)
				break;
			err = 0;	/* the last batch */
		}
		first = false;
		for (uint32_t i = 0; i < n; i++) {
			sum(values + (size_t)i * sm->cpus, sm->cpus, &c);
			fn(keys[i], &c, data);
		}
	}
	l_free(values);
	return err;
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
