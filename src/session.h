/* A session: one application's claim on connectivity (ConnMan's Session API).
 * The session keeps what the application asked for and what its policy
 * allows, picks the service it rides on, and tells its owner what changed. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ipv4-settings.h"
#include "ipv6-settings.h"
#include "session-config.h"
#include "session-ids.h"

struct service;
struct session;

/* Who created the session, from the bus daemon's view of the peer. */
struct session_creds {
	uint32_t uid;
	uint32_t gid;
	uint32_t pid;
	char *cgroup;		/* cgroup v2 path, e.g. "/user.slice/app.scope"; NULL if unknown */
};

/* What the application asked for (CreateSession/Change), before policy. */
struct session_request {
	char **allowed_bearers;		/* NULL: "*" */
	enum session_conn_type type;
	char *allowed_interface;	/* NULL or "": any */
	bool source_ip_rule;
	char *context_identifier;
	uint32_t statistics_interval;	/* connd extension: seconds between pushed statistics; 0 = off */
};

/* What a policy file allows (NULL policy: everything). */
/* How a policy recognises its applications; it decides which of the
 * application's identities marks its packets. */
enum session_match {
	SESSION_MATCH_NONE,	/* no policy: by uid */
	SESSION_MATCH_UID,
	SESSION_MATCH_GID,
	SESSION_MATCH_CGROUP,
};

/* Shared, not copied: each session holds a reference to its policy's rule
 * (session_policy_rule_ref, session-policy.h), which outlives a reload of
 * the files until the sessions have their new rules. */
struct session_policy_rule {
	char **allowed_bearers;		/* NULL: all */
	enum session_conn_type type;	/* SESSION_CONN_ANY: the user decides */
	bool priority;
	enum session_match match;
	char *cgroup;			/* SESSION_MATCH_CGROUP: the policy's cgroup */
	unsigned int refs;		/* 0: a static rule, never freed (no policy's) */
};

/* The session's place among those whose packets one key (uid, gid or
 * cgroup) marks, kept by manager-sessions.c: in the session's own
 * allocation, so that place costs no block and no table entry of its own
 * (~75 bytes a session as a block found through a hash table). */
struct session_key_link {
	void *key;			/* the key's record; NULL: under none */
	struct session *prev, *next;
};

/* The session's place in the set of sessions, kept by sessions.c, in the
 * session's record as its key link is: a block of its own cost ~80 bytes a
 * session. Neighbours by id (0: none), which the set maps to sessions. */
struct session_set_link {
	uint32_t prev, next;			/* all sessions, oldest first */
	uint32_t owner_prev, owner_next;	/* the owner's, oldest first */
};

struct session *session_new(uint32_t id, const char *owner, const char *notifier,
			    const struct session_creds *creds);
void session_free(struct session *session);

uint32_t session_id(const struct session *session);
const char *session_owner(const struct session *session);
const char *session_notifier(const struct session *session);
/* The object path, written from the id (session-ids.h) when asked for, not
 * kept: session_path(s).s lives until the end of the full expression. */
struct session_path {
	char s[SESSION_PATH_MAX];
};
struct session_path session_path(const struct session *session);
/* Its creator's (struct session_creds but the pid, read only at creation). */
uint32_t session_uid(const struct session *session);
uint32_t session_gid(const struct session *session);
const char *session_cgroup(const struct session *session);	/* NULL if unknown */
/* What request and policy allow together, made when asked for: its strings
 * are the session's, valid until its next session_configure. */
struct session_settings session_effective(const struct session *session);
struct service *session_service(const struct session *session);
bool session_active(const struct session *session);
bool session_priority(const struct session *session);
const struct session_policy_rule *session_policy(const struct session *session);
struct session_key_link *session_key_link(struct session *session);
struct session_set_link *session_set_link(struct session *session);

/* Applies a request (NULL: keeps the one it has) and a policy (NULL: keeps
 * its own); recomputes the effective settings. */
void session_configure(struct session *session, const struct session_request *request,
		       const struct session_policy_rule *policy);
/* What the application asked for, in *out (session_request_clear after
 * use): its bearers with "*" first if it named it or no list at all. */
void session_copy_request(const struct session *session, struct session_request *out);
uint32_t session_statistics_interval(const struct session *session);
/* Inactive (after Disconnect()): the session rides no service; active again
 * after Connect() or when a service changes state, as in ConnMan. */
void session_set_active(struct session *session, bool active);
/* Binds the session to a service (or none); returns true when it changed. */
bool session_bind(struct session *session, struct service *service);

/* What the application is told (Notification.Update's settings). */
struct session_info {
	const char *state;
	char *name;
	char *bearer;
	char *ifname;
	struct ipv4_settings ipv4;
	struct ipv6_status ipv6;	/* address all zero: none yet */
	enum ipv6_method ipv6_method;
	enum ipv6_privacy ipv6_privacy;
	char **bearers;
	const char *type;
	char *allowed_interface;
	bool source_ip_rule;
	char *context_identifier;
};

enum session_field {
	SESSION_FIELD_STATE = 1 << 0,
	SESSION_FIELD_NAME = 1 << 1,
	SESSION_FIELD_BEARER = 1 << 2,
	SESSION_FIELD_INTERFACE = 1 << 3,
	SESSION_FIELD_IPV4 = 1 << 4,
	SESSION_FIELD_IPV6 = 1 << 5,
	SESSION_FIELD_ALLOWED_BEARERS = 1 << 6,
	SESSION_FIELD_CONNECTION_TYPE = 1 << 7,
	SESSION_FIELD_ALLOWED_INTERFACE = 1 << 8,
	SESSION_FIELD_SOURCE_IP_RULE = 1 << 9,
	SESSION_FIELD_CONTEXT_IDENTIFIER = 1 << 10,
};
#define SESSION_FIELDS 11

/* The settings now, in *now (session_info_clear() after use), and which of
 * them (enum session_field bits) changed since the last call, all of them
 * on the first; they count as told from now on. */
unsigned int session_take_changes(struct session *session, struct session_info *now);
void session_info_clear(struct session_info *info);

/* A session's traffic (connd extension), from its nftables counters. */
struct session_statistics {
	uint64_t rx_packets, rx_bytes, tx_packets, tx_bytes;
};

void session_request_clear(struct session_request *request);
