#include <errno.h>
#include <string.h>
#include <ell/ell.h>

#include "service.h"
#include "session.h"
#include "session-dbus.h"
#include "session-ids.h"
#include "sessions.h"
#include "ticker.h"

struct sessions {
	struct l_dbus *dbus;
	struct ticker *ticker;
	const struct sessions_kernel_ops *ops;
	void *ops_data;
	struct l_queue *list;
	struct l_hashmap *by_path;
	struct l_hashmap *by_id;		/* id → session: the DNS proxy asks per query */
	struct l_hashmap *owner_watches;	/* owner → watch id, one per owner */
	struct l_hashmap *stat_timers;		/* session → tick (StatisticsInterval) */
	struct l_queue *owners_left;		/* struct owner_left waiting for the main loop */
	struct session_ids *ids;
	unsigned int per_uid;			/* sessions one uid may hold */
};

struct sessions *sessions_new(struct l_dbus *dbus, struct ticker *ticker,
			      const struct sessions_kernel_ops *ops, void *ops_data,
			      const struct sessions_limits *limits)
{
	struct sessions *ss = l_new(struct sessions, 1);

	ss->dbus = dbus;
	ss->ticker = ticker;
	ss->ops = ops;
	ss->ops_data = ops_data;
	ss->list = l_queue_new();
	ss->by_path = l_hashmap_string_new();
	ss->by_id = l_hashmap_new();
	ss->owner_watches = l_hashmap_string_new();
	ss->stat_timers = l_hashmap_new();
	ss->owners_left = l_queue_new();
	ss->ids = session_ids_new(limits->max_id);
	ss->per_uid = limits->per_uid;
	return ss;
}

struct stat_tick {
	struct sessions *ss;
	struct session *session;
};

/* connd extension: the session's counters every StatisticsInterval. On the
 * shared ticker: a session costs connd no descriptor. */
static void statistics_tick(struct tick *timer, void *user_data)
{
	struct stat_tick *tick = user_data;
	struct sessions *ss = tick->ss;
	struct session_statistics st;

	tick_modify(timer, session_get_request(tick->session)->statistics_interval * 1000ULL);
	if (ss->dbus && ss->ops->statistics(ss->ops_data, tick->session, &st) == 0)
		session_dbus_statistics(ss->dbus, tick->session, &st);
}

static void stop_statistics(struct sessions *ss, struct session *session)
{
	tick_remove(l_hashmap_remove(ss->stat_timers, session));
}

static void schedule_statistics(struct sessions *ss, struct session *session)
{
	uint32_t interval = session_get_request(session)->statistics_interval;
	struct stat_tick *tick;

	stop_statistics(ss, session);
	if (!interval)
		return;
	tick = l_new(struct stat_tick, 1);
	tick->ss = ss;
	tick->session = session;
	l_hashmap_insert(ss->stat_timers, session,
			 tick_add(ss->ticker, interval * 1000ULL, statistics_tick, tick, l_free));
}

static bool owner_has_sessions(const struct sessions *ss, const char *owner)
{
	const struct l_queue_entry *e;

	for (e = l_queue_get_entries(ss->list); e; e = e->next)
		if (!strcmp(session_owner(e->data), owner))
			return true;
	return false;
}

static void drop_owner_watch(struct sessions *ss, const char *owner)
{
	unsigned int id;

	if (owner_has_sessions(ss, owner))
		return;
	id = L_PTR_TO_UINT(l_hashmap_remove(ss->owner_watches, owner));
	if (id && ss->dbus)
		l_dbus_remove_watch(ss->dbus, id);
}

static void remove_session(struct sessions *ss, struct session *session, bool release)
{
	char *owner = l_strdup(session_owner(session));

	l_queue_remove(ss->list, session);
	l_hashmap_remove(ss->by_path, session_path(session));
	l_hashmap_remove(ss->by_id, L_UINT_TO_PTR(session_id(session)));
	stop_statistics(ss, session);
	ss->ops->detach(ss->ops_data, session);
	if (release)
		session_dbus_release(ss->dbus, session);
	l_info("session %u (%s) gone", session_id(session), session_path(session));
	session_ids_put(ss->ids, session_id(session));
	session_free(session);
	drop_owner_watch(ss, owner);
	l_free(owner);
}

struct owner_gone {
	struct sessions *ss;
	char *owner;
};

static void remove_owner_sessions(struct sessions *ss, const char *owner)
{
	struct session *session;
	const struct l_queue_entry *e;

	do {
		session = NULL;
		for (e = l_queue_get_entries(ss->list); e && !session; e = e->next)
			if (!strcmp(session_owner(e->data), owner))
				session = e->data;
		if (session)
			remove_session(ss, session, false);
	} while (session);
}

struct owner_left {
	struct sessions *ss;	/* NULL when sessions_free came first */
	char *owner;
};

static void owner_left_run(void *user_data)
{
	struct owner_left *left = user_data;

	if (!left->ss)
		return;
	l_queue_remove(left->ss->owners_left, left);
	remove_owner_sessions(left->ss, left->owner);
}

static void owner_left_free(void *user_data)
{
	struct owner_left *left = user_data;

	l_free(left->owner);
	l_free(left);
}

/* Everything an application owned goes with it when it leaves the bus. The
 * work runs from the main loop: it removes the very watch that called. */
static void owner_disconnected(struct l_dbus *dbus, void *user_data)
{
	struct owner_gone *gone = user_data;
	struct owner_left *left = l_new(struct owner_left, 1);

	left->ss = gone->ss;
	left->owner = l_strdup(gone->owner);
	l_queue_push_tail(gone->ss->owners_left, left);
	l_idle_oneshot(owner_left_run, left, owner_left_free);
}

static void owner_gone_free(void *data)
{
	struct owner_gone *gone = data;

	l_free(gone->owner);
	l_free(gone);
}

static void watch_owner(struct sessions *ss, const char *owner)
{
	struct owner_gone *gone;
	unsigned int id;

	if (!ss->dbus || l_hashmap_lookup(ss->owner_watches, owner))
		return;
	gone = l_new(struct owner_gone, 1);
	gone->ss = ss;
	gone->owner = l_strdup(owner);
	id = l_dbus_add_disconnect_watch(ss->dbus, owner, owner_disconnected, gone,
					 owner_gone_free);
	l_hashmap_insert(ss->owner_watches, owner, L_UINT_TO_PTR(id));
}

/* The first service, in ranking order, the session may use. */
static struct service *pick_service(const struct session *session, const struct l_queue *services)
{
	const struct l_queue_entry *e;

	if (!session_active(session))
		return NULL;
	for (e = l_queue_get_entries(services); e; e = e->next)
		if (session_may_use(session_effective(session), service_type(e->data),
				    service_ifname(e->data), service_get_state(e->data)))
			return e->data;
	return NULL;
}

static void rebind(struct sessions *ss, struct session *session, const struct l_queue *services)
{
	if (session_bind(session, pick_service(session, services)))
		ss->ops->rebind(ss->ops_data, session);
	session_dbus_update(ss->dbus, session);
}

static bool valid_notifier(const char *notifier)
{
	size_t len = strlen(notifier);

	return len > 1 && notifier[0] == '/' && notifier[len - 1] != '/' && !strstr(notifier, "//");
}

static unsigned int uid_sessions(const struct sessions *ss, uint32_t uid)
{
	const struct l_queue_entry *e;
	unsigned int n = 0;

	for (e = l_queue_get_entries(ss->list); e; e = e->next)
		n += session_creds(e->data)->uid == uid;
	return n;
}

/* The session, with an id taken for it, or an error and no id taken. */
static int new_session(struct sessions *ss, const char *owner, const char *notifier,
		       const struct session_creds *creds, struct session **out)
{
	uint32_t id;
	int err;

	if (uid_sessions(ss, creds->uid) >= ss->per_uid) {
		l_warn("uid %u has %u sessions, its limit (SessionsPerUser): refused", creds->uid,
		       ss->per_uid);
		return -EDQUOT;
	}
	err = session_ids_take(ss->ids, &id);
	if (err < 0) {
		l_warn("no session id is free (%u sessions): refused", sessions_count(ss));
		return err;
	}
	*out = session_new(id, owner, notifier, creds);
	if (l_hashmap_lookup(ss->by_path, session_path(*out))) {
		session_ids_put(ss->ids, id);
		session_free(*out);
		return -EEXIST;
	}
	return 0;
}

int sessions_create(struct sessions *ss, const char *owner, const char *notifier,
		    const struct session_creds *creds, const struct session_request *request,
		    const struct session_policy_rule *policy, const struct l_queue *services,
		    struct session **out)
{
	struct session *session;
	int err;

	if (!valid_notifier(notifier))
		return -EINVAL;
	err = new_session(ss, owner, notifier, creds, &session);
	if (err < 0)
		return err;
	session_configure(session, request, policy);
	/* Bound first: its kernel state goes in once, already for its service. */
	session_bind(session, pick_service(session, services));
	err = ss->ops->attach(ss->ops_data, session);
	if (err < 0) {
		session_ids_put(ss->ids, session_id(session));
		session_free(session);
		return err;
	}
	l_queue_push_tail(ss->list, session);
	l_hashmap_insert(ss->by_path, session_path(session), session);
	l_hashmap_insert(ss->by_id, L_UINT_TO_PTR(session_id(session)), session);
	watch_owner(ss, owner);
	l_info("session %u (%s) for uid %u", session_id(session), session_path(session), creds->uid);
	schedule_statistics(ss, session);
	*out = session;
	return 0;
}

void sessions_update_one(struct sessions *ss, struct session *session,
			 const struct l_queue *services)
{
	rebind(ss, session, services);
}

/* The first Update goes out after the CreateSession reply, as in ConnMan. */
void sessions_update(struct sessions *ss, const struct l_queue *services)
{
	const struct l_queue_entry *e;

	for (e = l_queue_get_entries(ss->list); e; e = e->next)
		rebind(ss, e->data, services);
}

static void resume(struct session *session, void *data)
{
	session_set_active(session, true);
}

void sessions_resume(struct sessions *ss)
{
	sessions_foreach(ss, resume, NULL);
}

int sessions_change(struct sessions *ss, struct session *session,
		    const struct session_request *request, const struct l_queue *services)
{
	session_configure(session, request, NULL);
	schedule_statistics(ss, session);
	rebind(ss, session, services);
	return 0;
}

void sessions_repolicy(struct sessions *ss, sessions_policy_fn lookup, void *data,
		       const struct l_queue *services)
{
	static const struct session_policy_rule open_rule;
	const struct l_queue_entry *e;

	for (e = l_queue_get_entries(ss->list); e; e = e->next) {
		const struct session_policy_rule *rule = lookup(e->data, data);

		session_configure(e->data, session_get_request(e->data), rule ? rule : &open_rule);
		session_bind(e->data, pick_service(e->data, services));
		/* Always: the new policy may mark the application by another key. */
		ss->ops->rebind(ss->ops_data, e->data);
		session_dbus_update(ss->dbus, e->data);
	}
}

int sessions_destroy(struct sessions *ss, const char *owner, const char *path)
{
	struct session *session = l_hashmap_lookup(ss->by_path, path);

	if (!session)
		return -ENOENT;
	if (strcmp(session_owner(session), owner))
		return -EPERM;
	remove_session(ss, session, false);
	return 0;
}

struct session *sessions_find(const struct sessions *ss, const char *path)
{
	return l_hashmap_lookup(ss->by_path, path);
}

struct session *sessions_find_id(const struct sessions *ss, uint32_t id)
{
	return ss ? l_hashmap_lookup(ss->by_id, L_UINT_TO_PTR(id)) : NULL;
}

void sessions_foreach(const struct sessions *ss,
		      void (*fn)(struct session *session, void *data), void *data)
{
	for (const struct l_queue_entry *e = l_queue_get_entries(ss->list); e; e = e->next)
		fn(e->data, data);
}

unsigned int sessions_count(const struct sessions *ss)
{
	return l_queue_length(ss->list);
}

void sessions_free(struct sessions *ss)
{
	struct session *session;

	if (!ss)
		return;
	while ((session = l_queue_peek_head(ss->list)))
		remove_session(ss, session, true);
	l_queue_destroy(ss->list, NULL);
	l_hashmap_destroy(ss->by_path, NULL);
	l_hashmap_destroy(ss->by_id, NULL);
	l_hashmap_destroy(ss->owner_watches, NULL);
	l_hashmap_destroy(ss->stat_timers, NULL);
	/* Idles still to run must not reach the freed set. */
	for (const struct l_queue_entry *e = l_queue_get_entries(ss->owners_left); e; e = e->next)
		((struct owner_left *)e->data)->ss = NULL;
	l_queue_destroy(ss->owners_left, NULL);
	session_ids_free(ss->ids);
	l_free(ss);
}
