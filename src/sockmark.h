/* Sessions' marks and counters in BPF (bpf/session.bpf.c): a cgroup/sock_create
 * program gives each new socket of a session's application its session's
 * mark, and programs count its packets by that mark (what it sends on the
 * egress of the link it leaves by, what it receives at the cgroup's
 * ingress), with no nftables rule and no conntrack on the way.
 *
 * The programs are attached to one cgroup v2 directory (and so to all its
 * descendants) and to the services' links through BPF links whose only reference is connd's descriptor:
 * nothing is pinned, and when connd exits or dies the kernel detaches and
 * frees the programs and maps. A restarted connd loads fresh ones; it never
 * finds the previous run's attached, so nothing is ever doubled.
 *
 * Only sockets of connd's network namespace are marked or counted. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "firewall.h"

struct sockmark;

/* Loads the programs for `cgroup` (a directory on the cgroup2 mount), for
 * session ids 1..max_sessions (at most MARK_SESSION_MASK), and checks they
 * attach there. The counters array, kernel memory (40 bytes an id, in whole
 * pages), starts with room for ids 1..1024 (or max_sessions) and grows
 * fourfold, up to max_sessions, when a higher id is added
 * (sockmark-grow.h); it goes back to that first size when the last session
 * goes, not before. NULL with errno set and *why saying why when
 * BPF cannot be used (no libbpf.so.1 to load them with, no program support,
 * no privilege, no cgroup). They stay attached only while the counters map
 * holds a session (sockmark_counters_add): an idle connd costs no packet
 * and no socket a program run. `links`: false counts what sessions send at
 * the cgroup's egress even where the kernel has tcx (as kernels before 6.6
 * do). */
struct sockmark *sockmark_new(const char *cgroup, uint32_t max_sessions, bool links,
			      const char **why);
void sockmark_free(struct sockmark *sm);

/* The links whose egress counts what sessions send (while sessions exist,
 * where the kernel has tcx): the connected services' links. Replaces the
 * previous set; a link that cannot take the program is logged and
 * skipped. */
int sockmark_links_set(struct sockmark *sm, const struct firewall_link *links, size_t n);
/* Whether sent packets are counted on those links (tcx) rather than at the
 * cgroup's egress. */
bool sockmark_counts_on_links(const struct sockmark *sm);

/* The key's new sockets get `mark` (replacing what it had). */
int sockmark_key_set(struct sockmark *sm, const struct firewall_key *key, uint32_t mark);
int sockmark_key_del(struct sockmark *sm, const struct firewall_key *key);

/* A session's counters: created zeroed, read, removed. The first one
 * attaches the programs (an error if they cannot be), the last one's
 * removal detaches them. Ids 1..max_sessions (sockmark_new), -ENOSPC
 * above; nothing is allocated per session, but an id above the array's
 * size makes it grow, and -ENOBUFS says it could not (logged; nothing
 * changed). A socket marked for a session that is gone
 * counts nowhere, even once its id is given to a new session. */
int sockmark_counters_add(struct sockmark *sm, uint32_t id);
int sockmark_counters_del(struct sockmark *sm, uint32_t id);
int sockmark_counters_read(struct sockmark *sm, uint32_t id, struct firewall_counters *c);
/* Every session's counters, read in one walk over the map's memory, mapped
 * into connd for that walk only. */
int sockmark_counters_read_all(struct sockmark *sm, firewall_counters_fn fn, void *data);
