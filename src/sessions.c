#include <errno.h>
#include <malloc.h>
#include <string.h>
#include <ell/ell.h>

#include "htable.h"
#include "idmap.h"
#include "service.h"
#include "session.h"
#include "session-dbus.h"
#include "session-ids.h"
#include "sessions.h"
#include "ticker.h"

/* A crowd whose going gives memory back (see trim_after_crowd). */
#define TRIM_MIN 1000

/* The bookkeeping of one session is its session_set_link, in its record:
 * every per-session operation finds the session by path (its id) in O(1)
 * and unlinks it in O(1), whatever the number of sessions. The lists link
 * sessions by id, found through by_id: half a pointer's bytes a link. */
static struct session_set_link *link_of(struct session *session)
{
	return session_set_link(session);
}

/* A bus name holding sessions, watched while it holds any. */
struct owner {
	char *name;
	uint32_t head, tail;	/* its sessions' ids, oldest first; 0: none */
	unsigned int watch;
};

/* How many sessions a uid holds (SessionsPerUser). */
struct uid_count {
	uint32_t uid;
	unsigned int n;
};

struct sessions {
	struct l_dbus *dbus;
	struct ticker *ticker;
	const struct sessions_kernel_ops *ops;
	void *ops_data;
	uint32_t head, tail;			/* ids, oldest first; 0: none */
	unsigned int count;
	unsigned int trim_at;			/* a crowd leaving: trim when down to this */
	bool crowd;
	struct htable *by_notifier;		/* sessions, found by their owner and notifier */
	struct idmap *by_id;			/* id → session: paths, the DNS proxy */
	struct htable *owners;			/* bus name → struct owner */
	struct htable *uids;			/* &uid → struct uid_count */
	/* session → its StatisticsInterval tick: few sessions have one, and a
	 * pointer in every record cost each session 8 bytes. */
	struct htable *stat_ticks;
	struct l_queue *owners_left;		/* struct owner_left waiting for the main loop */
	struct session_ids *ids;
	unsigned int per_uid;			/* sessions one uid may hold */
};

static uint32_t u32_hash(const void *key)
{
	return *(const uint32_t *)key * 2654435761u;
}

static bool u32_equal(const void *a, const void *b)
{
	return *(const uint32_t *)a == *(const uint32_t *)b;
}

/* An owner has one session per notifier, whatever their paths. */
static uint32_t notifier_hash(const void *key)
{
	return htable_str_hash(session_owner(key)) * 31 + htable_str_hash(session_notifier(key));
}

static bool notifier_equal(const void *a, const void *b)
{
	return !strcmp(session_notifier(a), session_notifier(b)) &&
	       !strcmp(session_owner(a), session_owner(b));
}

struct sessions *sessions_new(struct l_dbus *dbus, struct ticker *ticker,
			      const struct sessions_kernel_ops *ops, void *ops_data,
			      const struct sessions_limits *limits)
{
	struct sessions *ss = l_new(struct sessions, 1);

	ss->dbus = dbus;
	ss->ticker = ticker;
	ss->ops = ops;
	ss->ops_data = ops_data;
	ss->by_notifier = htable_new_set(notifier_hash, notifier_equal);
	ss->by_id = idmap_new();
	ss->owners = htable_new_str();
	ss->uids = htable_new(u32_hash, u32_equal);
	ss->stat_ticks = htable_new_ptr();
	ss->owners_left = l_queue_new();
	ss->ids = session_ids_new(limits->max_id);
	ss->per_uid = limits->per_uid;
	return ss;
}

/* NULL for id 0 (none) too. */
static struct session *by_id(const struct sessions *ss, uint32_t id)
{
	return idmap_get(ss->by_id, id);
}

static struct session *session_at(const struct sessions *ss, const char *path)
{
	return by_id(ss, session_path_id(path));
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

	tick_modify(timer, session_statistics_interval(tick->session) * 1000ULL);
	if (ss->dbus && ss->ops->statistics(ss->ops_data, tick->session, &st) == 0)
		session_dbus_statistics(ss->dbus, tick->session, &st);
}

static void stop_statistics(struct sessions *ss, struct session *session)
{
	tick_remove(htable_remove(ss->stat_ticks, session));
}

static void schedule_statistics(struct sessions *ss, struct session *session)
{
	uint32_t interval = session_statistics_interval(session);
	struct stat_tick *tick;

	stop_statistics(ss, session);
	if (!interval)
		return;
	tick = l_new(struct stat_tick, 1);
	tick->ss = ss;
	tick->session = session;
	htable_insert(ss->stat_ticks, session,
		      tick_add(ss->ticker, interval * 1000ULL, statistics_tick, tick, l_free));
}

static void uid_add(struct sessions *ss, uint32_t uid, int delta)
{
	struct uid_count *c = htable_lookup(ss->uids, &uid);

	if (!c) {
		c = l_new(struct uid_count, 1);
		c->uid = uid;
		htable_insert(ss->uids, &c->uid, c);
	}
	c->n += delta;
	if (!c->n) {
		htable_remove(ss->uids, &uid);
		l_free(c);
	}
}

static unsigned int uid_sessions(const struct sessions *ss, uint32_t uid)
{
	const struct uid_count *c = htable_lookup(ss->uids, &uid);

	return c ? c->n : 0;
}

static void drop_owner(struct sessions *ss, struct owner *owner)
{
	htable_remove(ss->owners, owner->name);
	if (owner->watch && ss->dbus)
		l_dbus_remove_watch(ss->dbus, owner->watch);
	l_free(owner->name);
	l_free(owner);
}

static void link_member(struct sessions *ss, struct session *session, struct owner *owner)
{
	struct session_set_link *m = link_of(session);
	uint32_t id = session_id(session);

	m->prev = ss->tail;
	*(ss->tail ? &link_of(by_id(ss, ss->tail))->next : &ss->head) = id;
	ss->tail = id;
	m->owner_prev = owner->tail;
	*(owner->tail ? &link_of(by_id(ss, owner->tail))->owner_next : &owner->head) = id;
	owner->tail = id;
	if (++ss->count >= TRIM_MIN && (!ss->crowd || ss->count / 2 > ss->trim_at)) {
		ss->crowd = true;
		ss->trim_at = ss->count / 2;
	}
	uid_add(ss, session_uid(session), 1);
	htable_insert(ss->by_notifier, session, session);
	idmap_set(ss->by_id, id, session);
}

static void unlink_member(struct sessions *ss, struct session *session)
{
	struct session_set_link *m = link_of(session);
	/* By name, in O(1): a pointer to it in every record cost 8 bytes. */
	struct owner *owner = htable_lookup(ss->owners, session_owner(session));

	htable_remove(ss->by_notifier, session);
	idmap_remove(ss->by_id, session_id(session));
	uid_add(ss, session_uid(session), -1);
	ss->count--;
	*(m->prev ? &link_of(by_id(ss, m->prev))->next : &ss->head) = m->next;
	*(m->next ? &link_of(by_id(ss, m->next))->prev : &ss->tail) = m->prev;
	*(m->owner_prev ? &link_of(by_id(ss, m->owner_prev))->owner_next : &owner->head) =
		m->owner_next;
	*(m->owner_next ? &link_of(by_id(ss, m->owner_next))->owner_prev : &owner->tail) =
		m->owner_prev;
	*m = (struct session_set_link) { 0 };
	if (!owner->head)
		drop_owner(ss, owner);
}

/* Memory back after a crowd leaves: glibc returns freed heap pages only
 * from the heap's top, and any allocation that outlives the sessions above
 * theirs pins them all (measured: RSS stayed at its 10,000-session peak
 * after they were destroyed). Each time the count halves on its way down
 * from a peak of at least TRIM_MIN, down to none, malloc_trim() hands the
 * free pages to the kernel: a few ms each time the heap halved. */
static void trim_after_crowd(struct sessions *ss)
{
	if (!ss->crowd || ss->count > ss->trim_at)
		return;
	malloc_trim(0);
	ss->crowd = ss->count > 0;
	ss->trim_at = ss->count / 2;
}

static void remove_session(struct sessions *ss, struct session *session, bool release)
{
	unlink_member(ss, session);
	stop_statistics(ss, session);
	ss->ops->detach(ss->ops_data, session);
	if (release)
		session_dbus_release(ss->dbus, session);
	l_info("session %u (%s) gone", session_id(session), session_path(session).s);
	session_ids_put(ss->ids, session_id(session));
	session_free(session);
	trim_after_crowd(ss);
}

struct owner_gone {
	struct sessions *ss;
	char *owner;
};

static void remove_owner_sessions(struct sessions *ss, const char *name)
{
	struct owner *owner;

	/* The owner goes with its last session. */
	while ((owner = htable_lookup(ss->owners, name)))
		remove_session(ss, by_id(ss, owner->head), false);
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

static void watch_owner(struct sessions *ss, struct owner *owner)
{
	struct owner_gone *gone;

	if (!ss->dbus)
		return;
	gone = l_new(struct owner_gone, 1);
	gone->ss = ss;
	gone->owner = l_strdup(owner->name);
	owner->watch = l_dbus_add_disconnect_watch(ss->dbus, owner->name, owner_disconnected, gone,
						   owner_gone_free);
}

static struct owner *owner_for(struct sessions *ss, const char *name)
{
	struct owner *owner = htable_lookup(ss->owners, name);

	if (owner)
		return owner;
	owner = l_new(struct owner, 1);
	owner->name = l_strdup(name);
	htable_insert(ss->owners, owner->name, owner);
	watch_owner(ss, owner);
	return owner;
}

/* The first service, in ranking order, the session may use. */
static struct service *pick_service(const struct session *session, const struct l_queue *services)
{
	const struct session_settings settings = session_effective(session);
	const struct l_queue_entry *e;

	if (!session_active(session))
		return NULL;
	for (e = l_queue_get_entries(services); e; e = e->next)
		if (session_may_use(&settings, service_type(e->data),
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

/* The bus checked that it is an object path: "/" is refused, as ConnMan,
 * whose session path it ends, refuses it. */
static bool valid_notifier(const char *notifier)
{
	size_t len = strlen(notifier);

	return len > 1 && notifier[0] == '/' && notifier[len - 1] != '/' && !strstr(notifier, "//");
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
		l_warn("connd holds %u sessions, its limit (MaxSessions): refused",
		       sessions_count(ss));
		return err;
	}
	*out = session_new(id, owner, notifier, creds);
	if (htable_lookup(ss->by_notifier, *out)) {
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
	link_member(ss, session, owner_for(ss, owner));
	l_info("session %u (%s) for uid %u", session_id(session), session_path(session).s, creds->uid);
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
	for (struct session *s = by_id(ss, ss->head); s; s = by_id(ss, link_of(s)->next))
		rebind(ss, s, services);
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

	for (struct session *session = by_id(ss, ss->head); session;
	     session = by_id(ss, link_of(session)->next)) {
		const struct session_policy_rule *rule = lookup(session, data);

		session_configure(session, NULL, rule ? rule : &open_rule);
		session_bind(session, pick_service(session, services));
		/* Always: the new policy may mark the application by another key. */
		ss->ops->rebind(ss->ops_data, session);
		session_dbus_update(ss->dbus, session);
	}
}

int sessions_destroy(struct sessions *ss, const char *owner, const char *path)
{
	struct session *session = session_at(ss, path);

	if (!session)
		return -ENOENT;
	if (strcmp(session_owner(session), owner))
		return -EPERM;
	remove_session(ss, session, false);
	return 0;
}

struct session *sessions_find(const struct sessions *ss, const char *path)
{
	return session_at(ss, path);
}

struct session *sessions_find_id(const struct sessions *ss, uint32_t id)
{
	return ss && id ? idmap_get(ss->by_id, id) : NULL;
}

void sessions_foreach(const struct sessions *ss,
		      void (*fn)(struct session *session, void *data), void *data)
{
	for (struct session *s = by_id(ss, ss->head); s; s = by_id(ss, link_of(s)->next))
		fn(s, data);
}

void sessions_foreach_owned(const struct sessions *ss, const char *owner,
			    void (*fn)(struct session *session, void *data), void *data)
{
	const struct owner *o = htable_lookup(ss->owners, owner);

	for (struct session *s = by_id(ss, o ? o->head : 0); s; s = by_id(ss, link_of(s)->owner_next))
		fn(s, data);
}

unsigned int sessions_count(const struct sessions *ss)
{
	return ss->count;
}

void sessions_free(struct sessions *ss)
{
	if (!ss)
		return;
	while (ss->head)
		remove_session(ss, by_id(ss, ss->head), true);
	htable_free(ss->by_notifier);
	idmap_free(ss->by_id);
	htable_free(ss->owners);
	htable_free(ss->uids);
	htable_free(ss->stat_ticks);
	/* Idles still to run must not reach the freed set. */
	for (const struct l_queue_entry *e = l_queue_get_entries(ss->owners_left); e; e = e->next)
		((struct owner_left *)e->data)->ss = NULL;
	l_queue_destroy(ss->owners_left, NULL);
	session_ids_free(ss->ids);
	l_free(ss);
}
