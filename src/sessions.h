/* The set of sessions: creation and destruction, owners that leave the bus,
 * binding each session to a service whenever services change, and telling
 * each application what changed. */
#pragma once

#include <stdint.h>
#include <ell/ell.h>

struct l_queue;
struct session;
struct session_creds;
struct session_policy_rule;
struct session_request;
struct session_statistics;
struct sessions;
struct ticker;

/* Hooks into the kernel side (marks, routing tables, counters). */
struct sessions_kernel_ops {
	int (*attach)(void *data, struct session *session);	/* created, already bound */
	int (*rebind)(void *data, struct session *session);	/* its service changed */
	void (*detach)(void *data, struct session *session);	/* session gone */
	int (*statistics)(void *data, struct session *session, struct session_statistics *st);
};

/* What the set admits: a local user must not exhaust what others share. */
struct sessions_limits {
	unsigned int per_uid;		/* sessions one uid may hold at once */
	uint32_t max_id;		/* ids 1..max_id (at most MARK_SESSION_MASK) */
};

/* The statistics timers run on `ticker`, which outlives the sessions. */
struct sessions *sessions_new(struct l_dbus *dbus, struct ticker *ticker,
			      const struct sessions_kernel_ops *ops, void *ops_data,
			      const struct sessions_limits *limits);
/* Releases every session (Notification.Release) and undoes its kernel state. */
void sessions_free(struct sessions *sessions);

/* -EEXIST when the owner already has a session on that notifier, -EINVAL for
 * the notifier "/" (as in ConnMan), -EDQUOT when the creator's uid holds
 * limits->per_uid sessions already, -ENOSPC when every id is taken
 * (limits->max_id sessions live: main.conf's MaxSessions). */
int sessions_create(struct sessions *sessions, const char *owner, const char *notifier,
		    const struct session_creds *creds, const struct session_request *request,
		    const struct session_policy_rule *policy, const struct l_queue *services,
		    struct session **out);
/* Only the owner may destroy: -EPERM otherwise, -ENOENT for an unknown path. */
int sessions_destroy(struct sessions *sessions, const char *owner, const char *path);
struct session *sessions_find(const struct sessions *sessions, const char *path);
/* By the id its packets carry in their mark's MARK_SESSION bits (marks.h);
 * NULL when no session has it. O(1): the DNS proxy asks for every query. */
struct session *sessions_find_id(const struct sessions *sessions, uint32_t id);
unsigned int sessions_count(const struct sessions *sessions);
void sessions_foreach(const struct sessions *sessions,
		      void (*fn)(struct session *session, void *data), void *data);
/* The sessions one bus name created, oldest first, in O(their number). */
void sessions_foreach_owned(const struct sessions *sessions, const char *owner,
			    void (*fn)(struct session *session, void *data), void *data);

/* Rebinds every session to the best service it may use, in `services`'
 * order, and notifies what changed. */
void sessions_update(struct sessions *sessions, const struct l_queue *services);
/* The same for one session (a new one: its first Update). */
void sessions_update_one(struct sessions *sessions, struct session *session,
			 const struct l_queue *services);

/* Policies changed: gives each session the rule `lookup` finds for it. */
typedef const struct session_policy_rule *(*sessions_policy_fn)(const struct session *session,
								void *data);
void sessions_repolicy(struct sessions *sessions, sessions_policy_fn lookup, void *data,
		       const struct l_queue *services);

/* A service changed state: sessions that Disconnect() left idle may ride
 * again (ConnMan's free ride takes them back at the next service event);
 * the next sessions_update binds them. */
void sessions_resume(struct sessions *sessions);

/* Re-applies a session's request after Change(); notifies what changed. */
int sessions_change(struct sessions *sessions, struct session *session,
		    const struct session_request *request, const struct l_queue *services);
