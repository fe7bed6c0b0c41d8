/* The manager's side of sessions: policies from files, and the glue between
 * sessions, the bus and the kernel's owners (the firewall's marks and
 * counters, routing's SourceIPRule rules). It keeps its own state; what it
 * needs from the manager is handed over when it is created. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct firewall;
struct l_dbus;
struct l_queue;
struct manager_sessions;
struct routing;
struct session;
struct session_creds;
struct session_request;
struct session_statistics;
struct ticker;

struct manager_sessions_deps {
	struct l_dbus *dbus;		/* NULL: no bus */
	struct ticker *ticker;		/* the sessions' timers: no descriptor each */
	struct routing *routing;
	struct firewall *firewall;	/* NULL: sessions cannot steer traffic */
	const char *policy_dir;		/* outlives the object */
	unsigned int sessions_per_user;	/* main.conf's SessionsPerUser */
	uint32_t max_sessions;		/* main.conf's MaxSessions: ids 1..this */
	/* The services now, ranked: the first is the default service. */
	const struct l_queue *(*services)(void *data);
	void *data;
};

struct manager_sessions *manager_sessions_new(const struct manager_sessions_deps *deps);
/* Releases every session and undoes its kernel state. Accepts NULL. */
void manager_sessions_free(struct manager_sessions *ms);
/* Services changed (state, address or rank): rebinds the sessions. Accepts NULL. */
void manager_sessions_update(struct manager_sessions *ms);

/* The twin session-dbus.c parses; these decide. */
int manager_sessions_create(struct manager_sessions *ms, const char *owner, const char *notifier,
			    const struct session_creds *creds,
			    const struct session_request *request, struct session **out);
/* After the CreateSession reply: the first Update with every setting. */
void manager_sessions_created(struct manager_sessions *ms, struct session *session);
int manager_sessions_destroy(struct manager_sessions *ms, const char *owner, const char *path);
struct session *manager_sessions_find(const struct manager_sessions *ms, const char *path);
/* The session whose id a packet's mark carries; NULL when none. Accepts NULL. */
struct session *manager_sessions_find_id(const struct manager_sessions *ms, uint32_t id);
/* Connect asks for connectivity: idle services connect. Disconnect leaves the
 * session on no service until Connect or the next service state change. */
void manager_sessions_set_active(struct manager_sessions *ms, struct session *session,
				 bool active);
/* A service's state changed: sessions left by Disconnect ride again. */
void manager_sessions_service_state_changed(struct manager_sessions *ms);
void manager_sessions_change(struct manager_sessions *ms, struct session *session,
			     const struct session_request *request);
/* -EOPNOTSUPP without nftables. */
int manager_sessions_statistics(struct manager_sessions *ms, struct session *session,
				struct session_statistics *st);
/* Every session `owner` created, oldest first, with its statistics (from
 * one batch of every session's counters when that pays): fn runs once per
 * session as it is read; a failed read stops there and is the error, and
 * the caller throws away what fn made. */
typedef void (*manager_sessions_statistics_fn)(struct session *session,
					       const struct session_statistics *st, void *data);
int manager_sessions_statistics_owned(struct manager_sessions *ms, const char *owner,
				      manager_sessions_statistics_fn fn, void *data);
