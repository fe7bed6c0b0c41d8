/* The owner of connd's nftables state: one table, `inet connd`, changed only
 * through libnftkit transactions. It is replaced whole at start (so a crash
 * leaves nothing stale or doubled) and deleted at a clean exit.
 *
 * Sessions: per-application state lives in maps (uid, gid and cgroup v2 id to
 * mark), so adding or removing a session is a few element changes in one
 * transaction, never a rule. Counters are named per session and found by
 * session id through maps.
 */
#pragma once

#include <stdbool.h>
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

/* NULL with errno set when nftables cannot be used. */
struct firewall *firewall_new(void);
void firewall_free(struct firewall *fw);	/* deletes the table */

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
int firewall_counters_read(struct firewall *fw, uint32_t id, struct firewall_counters *c);

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
