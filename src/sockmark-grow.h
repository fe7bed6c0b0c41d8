/* The sessions' counters array (src/sockmark.c) replaced by one of another
 * size while its programs run, with bpf(2) alone (libbpf is long closed):
 * a new array is made like the old, the programs are loaded again from the
 * instructions kept at the first load (bpf-load.h) with the new array's
 * descriptor in place of the old, the live entries are copied, and each
 * attached program's link moves to its new program at once (no packet or
 * socket meets no program). What the old programs still add to the old
 * array after the copy is carried over 100 ms later, when none of them can
 * be running any more, and before each read of the counters until then. The other maps are the same: marking keys and the
 * sockets' session numbers go on as they were. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "bpf-load.h"

/* An attached program: on the cgroup (ifindex 0) or a network link. */
struct sockmark_link {
	int fd;
	unsigned int program;			/* its index in the set's programs */
	int ifindex;
};

/* What a growth replaces, owned by the caller. */
struct sockmark_set {
	struct bpf_load_program *programs;	/* fds and instructions updated */
	size_t n_programs;
	struct sockmark_link *const *links;	/* the caller's array, as it is then */
	const size_t *n_links;
	int *counters;				/* the array's fd, updated */
	int btf;				/* the object's BTF, or -1 */
};

struct sockmark_grow;

/* `set` stays the caller's and must outlive the returned object. */
struct sockmark_grow *sockmark_grow_new(const struct sockmark_set *set);
/* Pending carry-overs are dropped: their old arrays closed. */
void sockmark_grow_free(struct sockmark_grow *g);

/* The counters array becomes one of `entries` entries, its entries
 * 1..top copied (entries > top). 0, or a negative errno with nothing
 * changed. With top 0 (no live session), pending carry-overs of earlier
 * growths are dropped: there is nothing left to carry them into. */
int sockmark_grow_to(struct sockmark_grow *g, uint32_t entries, uint32_t top);
/* What the old programs added to an old array since its copy, carried over
 * now (before a read, so that it misses nothing); the rest still when
 * due. */
void sockmark_grow_settle(struct sockmark_grow *g);
