/* The owner of connd's nftables state: one table, `inet connd`, changed only
 * through libnftkit transactions. It is replaced whole at start (so a crash
 * leaves nothing stale or doubled) and deleted at a clean exit.
 *
 * Sessions have two data paths, chosen once at start:
 * - BPF (src/sockmark.c): sockets are marked when they are created and
 *   counted by BPF programs (on the services' links and the cgroup's
 *   ingress); the table holds no session rule at all.
 * - nftables, the fallback: per-application state lives in maps (uid, gid
 *   and cgroup v2 id to mark), so adding or removing a session is a few
 *   element changes in one transaction, never a rule; a route-type output
 *   chain marks packets, conntrack carries the mark to replies, and named
 *   counters are found by session id through maps.
 * Either way the functions below are the same. Tethering's chains exist only
 * while tethering is on, so that an idle connd costs packets nothing.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct firewall;

enum firewall_key_kind {
	FIREWALL_KEY_UID,
	FIREWALL_KEY_GID,
	FIREWALL_KEY_CGROUP,	/* value: cgroup v2 id; level: its depth (1..4) */
};

/* What identifies an application's packets. */
struct firewall_key {
	enum firewall_key_kind kind;
	uint64_t value;
	unsigned int level;
};

struct firewall_counters {
	uint64_t rx_packets, rx_bytes, tx_packets, tx_bytes;
};

/* A link sessions' traffic may leave by: a connected service's. */
struct firewall_link {
	int ifindex;
	bool no_header;		/* IP packets, no link header (tun, WireGuard) */
};

typedef void (*firewall_counters_fn)(uint32_t id, const struct firewall_counters *c, void *data);

/* Where sessions' marks and counters live (main.conf's SessionDataPath). */
enum firewall_datapath {
	FIREWALL_DATAPATH_AUTO,		/* BPF when it loads, nftables otherwise */
	FIREWALL_DATAPATH_BPF,		/* BPF, or nftables with an error logged */
	FIREWALL_DATAPATH_NFTABLES,
};

struct firewall_options {
	enum firewall_datapath datapath;
	const char *session_cgroup;	/* where BPF attaches: a cgroup2 directory */
	uint32_t max_sessions;		/* BPF: ids 1..this get a counters entry */
	/* BPF: count what sessions send at the cgroup's egress even where the
	 * kernel has tcx (CONND_SESSION_TCX=off: the older kernels' path, for
	 * tests). */
	bool cgroup_egress;
};

/* NULL with errno set when nftables cannot be used. Logs which data path
 * sessions use, and why. */
struct firewall *firewall_new(const struct firewall_options *opts);
void firewall_free(struct firewall *fw);	/* deletes the table */
/* "bpf" or "nftables". */
const char *firewall_datapath_name(const struct firewall *fw);

/* A new session: its two named counters (RX and TX), their map entries and
 * its key's mark (slot | id), all in one transaction. `replace` as for
 * firewall_mark_set(). */
int firewall_session_add(struct firewall *fw, uint32_t id, const struct firewall_key *key,
			 unsigned int slot, bool replace);
/* A session that ends: its counters go, and in the same transaction its
 * key's mark passes to the key's next session (next_id, next_slot) or, with
 * next_id 0, goes. */
int firewall_session_del(struct firewall *fw, uint32_t id, const struct firewall_key *key,
			 uint32_t next_id, unsigned int next_slot);
int firewall_counters_del(struct firewall *fw, uint32_t id);
/* The links whose egress counts what sessions send (BPF data path): to be
 * set before a link's service gets its sessions' routes. */
int firewall_session_links(struct firewall *fw, const struct firewall_link *links, size_t n);
int firewall_counters_read(struct firewall *fw, uint32_t id, struct firewall_counters *c);
/* Every session's counters, in one BPF batch call per 1024 sessions or one
 * nftables dump: fn runs once per session id. */
int firewall_counters_read_all(struct firewall *fw, firewall_counters_fn fn, void *data);

/* Marks the key's packets with slot | id. `replace`: the key has an element
 * already (another session had it, or the slot changed); it is replaced in
 * the same transaction. */
int firewall_mark_set(struct firewall *fw, const struct firewall_key *key, uint32_t id,
		      unsigned int slot, bool replace);
int firewall_mark_del(struct firewall *fw, const struct firewall_key *key);

/* Tethering: NAT for the bridge's subnet out of any other link, a forward
 * policy (out and replies back; nothing unsolicited in) for IPv4 and IPv6
 * alike, and DNS sent to the bridge's address forwarded to the uplink's
 * nameserver. */
struct firewall_tether {
	const char *bridge;
	const char *subnet;		/* "192.168.0.0/24" */
	const char *subnet6;		/* the ULA /64 to masquerade (NAT66), NULL for none */
	const char *address;		/* the bridge's own address */
	const char *dns;		/* the uplink's nameserver, NULL for none */
};
/* NULL: no tethering rules. Replaces the previous ones in one transaction. */
int firewall_tether_set(struct firewall *fw, const struct firewall_tether *t);

/* The cgroup v2 id and depth of a path relative to the cgroup2 root. */
int firewall_cgroup_key(const char *cgroup, struct firewall_key *key);
