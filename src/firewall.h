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

enum firewall_key {
	FIREWALL_KEY_UID,
	FIREWALL_KEY_GID,
	FIREWALL_KEY_CGROUP,	/* value: cgroup v2 id; level: its depth (1..4) */
};

struct firewall_session {
	uint32_t id;			/* 1..MARK_SESSION_MASK */
	enum firewall_key key;
	uint64_t value;
	unsigned int level;		/* FIREWALL_KEY_CGROUP only */
	unsigned int slot;		/* routing slot (marks.h) */
};

struct firewall_counters {
	uint64_t rx_packets, rx_bytes, tx_packets, tx_bytes;
};

/* NULL with errno set when nftables cannot be used. */
struct firewall *firewall_new(void);
void firewall_free(struct firewall *fw);	/* deletes the table */

int firewall_session_add(struct firewall *fw, const struct firewall_session *s);
/* Moves a session to another slot: one element replaced, atomically. */
int firewall_session_move(struct firewall *fw, const struct firewall_session *s,
			  unsigned int new_slot);
int firewall_session_del(struct firewall *fw, const struct firewall_session *s);
int firewall_session_counters(struct firewall *fw, uint32_t id, struct firewall_counters *c);
