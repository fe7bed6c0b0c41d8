/* A session: one application's claim on connectivity (ConnMan's Session API).
 * The session keeps what the application asked for and what its policy
 * allows, picks the service it rides on, and tells its owner what changed. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <ell/ell.h>

#include "session-config.h"

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

struct session_policy_rule {
	char **allowed_bearers;		/* NULL: all */
	enum session_conn_type type;	/* SESSION_CONN_ANY: the user decides */
	bool priority;
	enum session_match match;
	char *cgroup;			/* SESSION_MATCH_CGROUP: the policy's cgroup */
};

struct session *session_new(uint32_t id, const char *owner, const char *notifier,
			    const struct session_creds *creds);
void session_free(struct session *session);

uint32_t session_id(const struct session *session);
const char *session_owner(const struct session *session);
const char *session_notifier(const struct session *session);
const char *session_path(const struct session *session);
const struct session_creds *session_creds(const struct session *session);
const struct session_settings *session_effective(const struct session *session);
struct service *session_service(const struct session *session);
bool session_active(const struct session *session);
bool session_priority(const struct session *session);
const struct session_policy_rule *session_policy(const struct session *session);

/* Applies a request and a policy; recomputes the effective settings. */
void session_configure(struct session *session, const struct session_request *request,
		       const struct session_policy_rule *policy);
const struct session_request *session_get_request(const struct session *session);
void session_set_active(struct session *session, bool active);
/* Binds the session to a service (or none); returns true when it changed. */
bool session_bind(struct session *session, struct service *service);

/* Appends the settings that changed since the last call (all of them on the
 * first call) as a{sv}; returns how many were appended. */
unsigned int session_append_changes(struct session *session, struct l_dbus_message_builder *b);

/* A session's traffic (connd extension), from its nftables counters. */
struct session_statistics {
	uint64_t rx_packets, rx_bytes, tx_packets, tx_bytes;
};
/* a{sv} with RX.Packets, RX.Bytes, TX.Packets, TX.Bytes (t, uint64). */
void session_append_statistics(struct l_dbus_message_builder *b,
			       const struct session_statistics *st);

/* Parses and validates a client dictionary entry into `request`. */
int session_request_set(struct session_request *request, const char *key,
			struct l_dbus_message_iter *value, char *why, size_t why_len);
void session_request_clear(struct session_request *request);
