#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <ell/ell.h>

#include "firewall.h"
#include "htable.h"
#include "manager-sessions.h"
#include "marks.h"
#include "routing.h"
#include "service.h"
#include "session.h"
#include "session-dbus.h"
#include "session-policy.h"
#include "sessions.h"

struct manager_sessions {
	struct manager_sessions_deps deps;
	struct sessions *sessions;
	struct session_policies *policies;
	struct l_dir_watch *policy_watch;
	struct htable *keys;		/* key name → struct key_owner */
	struct htable *rule_services;	/* service → struct rule_riders */
	struct htable *rule_sessions;	/* session with SourceIPRule → the service it rides */
};

/* The applications a key (uid, gid or cgroup) names may have several
 * sessions; the most recent one's mark is in the kernel. Each session's
 * place in the list is its session_key_link: found and unlinked in O(1),
 * however many sessions share the key. */
struct key_owner {
	char *name;
	struct firewall_key key;
	struct session *head, *tail;	/* its sessions, newest last */
	unsigned int slot;		/* what the kernel has for the key */
	uint32_t id;
};

static struct session *key_top(const struct key_owner *owner)
{
	return owner->tail;
}

static void key_push(struct key_owner *owner, struct session *session)
{
	struct session_key_link *link = session_key_link(session);

	link->key = owner;
	link->prev = owner->tail;
	link->next = NULL;
	*(owner->tail ? &session_key_link(owner->tail)->next : &owner->head) = session;
	owner->tail = session;
}

/* The key the session was under, or NULL. */
static struct key_owner *key_pop(struct session *session)
{
	struct session_key_link *link = session_key_link(session);
	struct key_owner *owner = link->key;

	if (!owner)
		return NULL;
	*(link->prev ? &session_key_link(link->prev)->next : &owner->head) = link->next;
	*(link->next ? &session_key_link(link->next)->prev : &owner->tail) = link->prev;
	*link = (struct session_key_link) { 0 };
	return owner;
}

static unsigned int slot_for(const struct session *session)
{
	struct service *svc = session_service(session);

	return svc && service_slot(svc) ? service_slot(svc) : MARK_SLOT_UNREACHABLE;
}

/* Which identity marks the packets: the policy's gid or cgroup only for a
 * session root created; any other creator's by its uid, whatever the policy
 * matched it by. A group or a cgroup holds other users' processes, and an
 * unprivileged user must never change the routing of another uid's traffic;
 * the policy still decides what the session may use. */
static enum session_match mark_match(const struct session *session)
{
	enum session_match match = session_policy(session)->match;

	if (session_uid(session) == 0 || match == SESSION_MATCH_NONE ||
	    match == SESSION_MATCH_UID)
		return match;
	l_debug("session %u: policy by %s, marked by uid %u (not root)", session_id(session),
		match == SESSION_MATCH_GID ? "gid" : "cgroup", session_uid(session));
	return SESSION_MATCH_UID;
}

static void session_key(const struct session *session, struct firewall_key *key, char *name,
			size_t len)
{
	const struct session_policy_rule *policy = session_policy(session);
	enum session_match match = mark_match(session);

	if (match == SESSION_MATCH_CGROUP && firewall_cgroup_key(policy->cgroup, key) == 0) {
		snprintf(name, len, "c:%llu", (unsigned long long)key->value);
		return;
	}
	if (match == SESSION_MATCH_CGROUP)
		l_warn("session %u: cgroup %s not found; marking by uid", session_id(session),
		       policy->cgroup);
	key->level = 0;
	key->kind = match == SESSION_MATCH_GID ? FIREWALL_KEY_GID : FIREWALL_KEY_UID;
	key->value = key->kind == FIREWALL_KEY_GID ? session_gid(session) : session_uid(session);
	snprintf(name, len, "%c:%llu", key->kind == FIREWALL_KEY_GID ? 'g' : 'u',
		 (unsigned long long)key->value);
}

/* Puts the key's most recent session in the kernel (or nothing). */
static void install_key(struct manager_sessions *ms, struct key_owner *owner)
{
	struct session *top = key_top(owner);
	int err = 0;

	if (!top) {
		if (owner->id)
			err = firewall_mark_del(ms->deps.firewall, &owner->key);
		owner->id = 0;
	} else if (owner->id != session_id(top) || owner->slot != slot_for(top)) {
		err = firewall_mark_set(ms->deps.firewall, &owner->key, session_id(top), slot_for(top),
					owner->id != 0);
		owner->id = err ? 0 : session_id(top);
		owner->slot = slot_for(top);
	}
	if (err < 0)
		l_warn("session key %s: nftables refused the change: %s", owner->name,
		       strerror(-err));
}
static struct key_owner *owner_of(struct manager_sessions *ms, const struct session *session)
{
	struct key_owner *owner;
	char name[40];
	struct firewall_key key;

	session_key(session, &key, name, sizeof(name));
	owner = htable_lookup(ms->keys, name);
	if (owner)
		return owner;
	/* A session whose policy changed may sit under its old key still. */
	owner = l_new(struct key_owner, 1);
	owner->name = l_strdup(name);
	owner->key = key;
	htable_insert(ms->keys, owner->name, owner);
	return owner;
}

static struct key_owner *find_owner(struct session *session)
{
	return session_key_link(session)->key;
}

static void owner_free(struct key_owner *owner)
{
	l_free(owner->name);
	l_free(owner);
}

static void drop_key_if_empty(struct manager_sessions *ms, struct key_owner *owner)
{
	if (owner->head)
		return;
	htable_remove(ms->keys, owner->name);
	owner_free(owner);
}

static void join_key(struct manager_sessions *ms, struct session *session)
{
	struct key_owner *owner = owner_of(ms, session);

	key_push(owner, session);
	install_key(ms, owner);
}

static void leave_key(struct manager_sessions *ms, struct session *session)
{
	struct key_owner *owner = key_pop(session);

	if (!owner)
		return;
	install_key(ms, owner);
	drop_key_if_empty(ms, owner);
}

static void recount_rider(struct manager_sessions *ms, struct session *session, bool gone);

/* A new session is its key's newest: its counters and the key's mark, which
 * points at its service's slot already, go in as one transaction. */
static int add_to_key(struct manager_sessions *ms, struct session *session)
{
	struct key_owner *owner = owner_of(ms, session);
	int err = firewall_session_add(ms->deps.firewall, session_id(session), &owner->key,
				       slot_for(session), owner->id != 0);

	if (err < 0) {
		drop_key_if_empty(ms, owner);
		return err;
	}
	key_push(owner, session);
	owner->id = session_id(session);
	owner->slot = slot_for(session);
	return 0;
}

static int session_attached(void *data, struct session *session)
{
	struct manager_sessions *ms = data;
	int err;

	/* Without a data path nothing would keep its traffic off the bearers
	 * its policy forbids: no session rather than one that leaks (ConnMan
	 * too fails CreateSession when its firewall cannot take it). */
	if (!ms->deps.firewall)
		return -EOPNOTSUPP;
	/* The slots' rules before the first mark that needs them. */
	err = routing_slot_rules_on(ms->deps.routing);
	if (err < 0)
		return err;
	err = add_to_key(ms, session);
	if (err < 0)
		return err;
	session_dbus_add(ms->deps.dbus, session, ms);
	recount_rider(ms, session, false);
	return 0;
}

/* The service changed, or the policy (and with it, maybe, the key). */
static int session_rebound(void *data, struct session *session)
{
	struct manager_sessions *ms = data;
	struct key_owner *owner;
	struct firewall_key key;
	char name[40];

	recount_rider(ms, session, false);
	if (!ms->deps.firewall)
		return 0;
	owner = find_owner(session);
	session_key(session, &key, name, sizeof(name));
	if (!owner || strcmp(owner->name, name)) {
		leave_key(ms, session);
		join_key(ms, session);
	} else if (key_top(owner) == session) {
		install_key(ms, owner);
	}
	return 0;
}

/* An ending session's counters go; if its key marked for it, the key's
 * mark passes to the key's next newest session or goes, in the same
 * transaction. */
static void remove_from_key(struct manager_sessions *ms, struct session *session)
{
	struct key_owner *owner = find_owner(session);
	bool was_top = owner && key_top(owner) == session;
	struct session *next;
	int err;

	key_pop(session);
	if (!owner || !was_top || !owner->id) {
		err = firewall_counters_del(ms->deps.firewall, session_id(session));
	} else {
		next = key_top(owner);
		err = firewall_session_del(ms->deps.firewall, session_id(session), &owner->key,
					   next ? session_id(next) : 0, next ? slot_for(next) : 0);
		owner->id = err || !next ? 0 : session_id(next);
		owner->slot = next ? slot_for(next) : 0;
	}
	if (err < 0)
		l_warn("session %u: nftables refused its removal: %s", session_id(session),
		       strerror(-err));
	if (owner)
		drop_key_if_empty(ms, owner);
}

static void session_detached(void *data, struct session *session)
{
	struct manager_sessions *ms = data;

	session_dbus_remove(ms->deps.dbus, session);
	recount_rider(ms, session, true);
	if (ms->deps.firewall)
		remove_from_key(ms, session);
}

static int session_statistics(void *data, struct session *session,
			      struct session_statistics *st)
{
	return manager_sessions_statistics(data, session, st);
}

/* SourceIPRule: "from ADDR lookup TABLE" for the address of every service a
 * session with SourceIPRule rides on, so sockets bound to that address use
 * that service's route. Routing owns the rules; connd keeps how many such
 * sessions ride each service, so a session's change costs O(services), not
 * a walk of every session. */
struct rule_riders {
	struct service *service;
	unsigned int n;
};

struct wanted_rules {
	struct source_rule *rules;
	unsigned int n, cap;
};

static void add_wanted(struct wanted_rules *want, const struct source_rule *rule)
{
	if (want->n == want->cap) {
		want->cap = want->cap ? want->cap * 2 : 4;
		want->rules = l_realloc(want->rules, want->cap * sizeof(*want->rules));
	}
	want->rules[want->n++] = *rule;
}

/* One rule per family the service has an address of. */
static void want_source_rule(const void *key, void *value, void *data)
{
	struct service *svc = ((struct rule_riders *)value)->service;
	const struct in6_addr *v6 = &service_ipv6(svc)->address;

	if (!service_slot(svc))
		return;
	if (service_ipv4(svc)->address)
		add_wanted(data, &(struct source_rule) { .family = AF_INET,
			   .address = service_ipv4(svc)->address, .slot = service_slot(svc) });
	if (!IN6_IS_ADDR_UNSPECIFIED(v6))
		add_wanted(data, &(struct source_rule) { .family = AF_INET6, .address6 = *v6,
			   .slot = service_slot(svc) });
}

static void sync_source_rules(struct manager_sessions *ms)
{
	struct wanted_rules want = { 0 };

	htable_foreach(ms->rule_services, want_source_rule, &want);
	routing_set_source_rules(ms->deps.routing, want.rules, want.n);
	l_free(want.rules);
}

static void rider_add(struct manager_sessions *ms, struct service *svc, int delta)
{
	struct rule_riders *r = htable_lookup(ms->rule_services, svc);

	if (!r) {
		r = l_new(struct rule_riders, 1);
		r->service = svc;
		htable_insert(ms->rule_services, svc, r);
	}
	r->n += delta;
	if (!r->n) {
		htable_remove(ms->rule_services, svc);
		l_free(r);
	}
}

/* Counts the session under the service it wants a rule for now (none once
 * gone) and, when that changed, brings the rules in line. */
static void recount_rider(struct manager_sessions *ms, struct session *session, bool gone)
{
	struct service *svc = session_service(session);
	struct service *want = !gone && svc && session_effective(session).source_ip_rule ? svc : NULL;
	struct service *have = htable_lookup(ms->rule_sessions, session);

	if (want == have)
		return;
	if (have) {
		htable_remove(ms->rule_sessions, session);
		rider_add(ms, have, -1);
	}
	if (want) {
		htable_insert(ms->rule_sessions, session, want);
		rider_add(ms, want, 1);
	}
	sync_source_rules(ms);
}

static const struct sessions_kernel_ops session_ops = {
	.statistics = session_statistics,
	.attach = session_attached,
	.rebind = session_rebound,
	.detach = session_detached,
};

static const struct l_queue *services_now(const struct manager_sessions *ms)
{
	return ms->deps.services(ms->deps.data);
}

static void policy_warning(const char *file, unsigned int line, const char *why, void *data)
{
	if (line)
		l_warn("%s:%u: %s", file, line, why);
	else
		l_warn("%s: %s", file, why);
}

static const struct session_policy_rule *policy_for(const struct session *session, void *data)
{
	struct manager_sessions *ms = data;
	return session_policies_lookup(ms->policies, session_uid(session), session_gid(session),
				       session_cgroup(session));
}

/* Files are re-read whole on any change: they are few and small. */
static void policy_dir_changed(const char *filename, enum l_dir_watch_event event, void *data)
{
	struct manager_sessions *ms = data;

	if (event == L_DIR_WATCH_EVENT_ACCESSED)
		return;
	session_policies_load_dir(ms->policies, ms->deps.policy_dir);
	l_info("session policies reloaded: %u", session_policies_count(ms->policies));
	sessions_repolicy(ms->sessions, policy_for, ms, services_now(ms));
}

struct manager_sessions *manager_sessions_new(const struct manager_sessions_deps *deps)
{
	struct manager_sessions *ms = l_new(struct manager_sessions, 1);

	ms->deps = *deps;
	ms->keys = htable_new_str();
	ms->rule_services = htable_new_ptr();
	ms->rule_sessions = htable_new_ptr();
	ms->sessions = sessions_new(deps->dbus, deps->ticker, &session_ops, ms,
				    &(struct sessions_limits) {
		.per_uid = deps->sessions_per_user, .max_id = deps->max_sessions,
	});
	ms->policies = session_policies_new(policy_warning, ms);
	session_policies_load_dir(ms->policies, deps->policy_dir);
	ms->policy_watch = l_dir_watch_new(deps->policy_dir, policy_dir_changed, ms, NULL);
	if (!ms->policy_watch)
		l_debug("policy directory %s is not watched (absent?)", deps->policy_dir);
	return ms;
}

void manager_sessions_free(struct manager_sessions *ms)
{
	if (!ms)
		return;
	sessions_free(ms->sessions);
	ms->sessions = NULL;
	sync_source_rules(ms);
	l_dir_watch_destroy(ms->policy_watch);
	session_policies_free(ms->policies);
	/* Every session left its key and its rule as it went: all empty. */
	htable_free(ms->keys);
	htable_free(ms->rule_services);
	htable_free(ms->rule_sessions);
	l_free(ms);
}

void manager_sessions_service_state_changed(struct manager_sessions *ms)
{
	if (ms)
		sessions_resume(ms->sessions);
}

void manager_sessions_update(struct manager_sessions *ms)
{
	if (!ms)
		return;
	sessions_update(ms->sessions, services_now(ms));
	sync_source_rules(ms);
}

int manager_sessions_create(struct manager_sessions *ms, const char *owner, const char *notifier,
			    const struct session_creds *creds,
			    const struct session_request *request, struct session **out)
{
	const struct session_policy_rule *rule =
		session_policies_lookup(ms->policies, creds->uid, creds->gid, creds->cgroup);

	return sessions_create(ms->sessions, owner, notifier, creds, request, rule,
			       services_now(ms), out);
}

/* Only the new session: telling every other one again would make each
 * creation cost O(sessions). */
void manager_sessions_created(struct manager_sessions *ms, struct session *session)
{
	sessions_update_one(ms->sessions, session, services_now(ms));
}

int manager_sessions_destroy(struct manager_sessions *ms, const char *owner, const char *path)
{
	return sessions_destroy(ms->sessions, owner, path);
}

struct session *manager_sessions_find(const struct manager_sessions *ms, const char *path)
{
	return sessions_find(ms->sessions, path);
}

struct session *manager_sessions_find_id(const struct manager_sessions *ms, uint32_t id)
{
	return ms ? sessions_find_id(ms->sessions, id) : NULL;
}

/* What a session's Connect() connects, as ConnMan's session autoconnect:
 * nothing while a service it may ride is connected or connecting, else the
 * best-ranked idle one it may ride that may connect on its own (AutoConnect:
 * no unknown Wi-Fi network, no VPN the user never set to). */
static struct service *service_to_connect(const struct session *session,
					  const struct l_queue *services)
{
	const struct session_settings settings = session_effective(session), *s = &settings;
	const struct l_queue_entry *e;
	struct service *best = NULL;

	for (e = l_queue_get_entries(services); e; e = e->next) {
		struct service *svc = e->data;
		enum service_state state = service_get_state(svc);

		if (!session_may_ride(s, service_type(svc), service_ifname(svc)))
			continue;
		if (service_state_is_connected(state) || service_state_is_connecting(state))
			return NULL;
		if (!best && state == SERVICE_STATE_IDLE && service_available(svc) &&
		    service_autoconnect(svc))
			best = svc;
	}
	return best;
}

void manager_sessions_set_active(struct manager_sessions *ms, struct session *session,
				 bool active)
{
	const struct l_queue *services = services_now(ms);
	struct service *svc;

	session_set_active(session, active);
	/* Disconnect() lets go of the service at once: disconnected, as in
	 * ConnMan; Connect() takes one again. */
	sessions_update_one(ms->sessions, session, services);
	recount_rider(ms, session, false);
	if (!active)
		return;
	svc = service_to_connect(session, services);
	if (svc)
		service_connect(svc, NULL, NULL);
}

void manager_sessions_change(struct manager_sessions *ms, struct session *session,
			     const struct session_request *request)
{
	sessions_change(ms->sessions, session, request, services_now(ms));
	recount_rider(ms, session, false);
}

int manager_sessions_statistics(struct manager_sessions *ms, struct session *session,
				struct session_statistics *st)
{
	struct firewall_counters c;
	int err;

	if (!ms->deps.firewall)
		return -EOPNOTSUPP;
	err = firewall_counters_read(ms->deps.firewall, session_id(session), &c);
	if (err < 0)
		return err;
	*st = (struct session_statistics) { c.rx_packets, c.rx_bytes, c.tx_packets, c.tx_bytes };
	return 0;
}

struct owned_statistics {
	struct session **sessions;
	unsigned int n, cap;
	uint32_t max_id;
};

static void collect_owned(struct session *session, void *data)
{
	struct owned_statistics *all = data;

	if (all->n == all->cap) {
		all->cap = all->cap ? all->cap * 2 : 16;
		all->sessions = l_realloc(all->sessions, all->cap * sizeof(*all->sessions));
	}
	all->sessions[all->n++] = session;
	if (session_id(session) > all->max_id)
		all->max_id = session_id(session);
}

/* The batch's counters by session id, up to the caller's highest: ids are
 * given lowest free first, so this is about as long as there are sessions,
 * and each counter lands in its place without a hash table. */
struct counters_by_id {
	uint32_t max_id;
	struct session_statistics *st;
	bool *read;
};

static void counters_seen(uint32_t id, const struct firewall_counters *c, void *data)
{
	struct counters_by_id *by_id = data;

	if (id > by_id->max_id)
		return;		/* another owner's session */
	by_id->st[id] = (struct session_statistics) { c->rx_packets, c->rx_bytes, c->tx_packets,
						      c->tx_bytes };
	by_id->read[id] = true;
}

/* The batch reads every session's counters, the caller's or not: worth it
 * only for a caller owning a good share of them (one among 10,000 sessions
 * would pay 25-45 ms instead of two netlink round trips). */
#define BATCH_MIN_OWNED 16
#define BATCH_MIN_SHARE 16	/* at least 1/16 of all sessions */

static bool batch_pays(const struct manager_sessions *ms, unsigned int owned)
{
	return owned >= BATCH_MIN_OWNED &&
	       owned * BATCH_MIN_SHARE >= sessions_count(ms->sessions);
}

/* Every counter in one batch (one nftables dump or one BPF call per 1024
 * sessions) instead of two netlink round trips per session, when that pays.
 * A session the batch missed (its counters absent, or the batch failed: a
 * kernel without BPF batch calls) is read alone, so it gets exactly what
 * its GetStatistics would: its counters or its error. Each session is
 * passed to `fn` as soon as it is read: on an error the caller throws away
 * what `fn` made. */
static int report_owned(struct manager_sessions *ms, const struct owned_statistics *all,
			manager_sessions_statistics_fn fn, void *data)
{
	struct counters_by_id by_id = { all->max_id, NULL, NULL };
	int err = 0;

	if (batch_pays(ms, all->n)) {
		by_id.st = l_malloc((all->max_id + 1) * sizeof(*by_id.st));
		by_id.read = l_new(bool, all->max_id + 1);
		err = firewall_counters_read_all(ms->deps.firewall, counters_seen, &by_id);
	}
	if (err < 0)
		l_debug("sessions: batch read of counters failed (%s); one by one",
			strerror(-err));
	err = 0;
	for (unsigned int i = 0; i < all->n && err >= 0; i++) {
		struct session *session = all->sessions[i];
		uint32_t id = session_id(session);
		struct session_statistics one;

		if (by_id.read && by_id.read[id]) {
			fn(session, &by_id.st[id], data);
			continue;
		}
		err = manager_sessions_statistics(ms, session, &one);
		if (err >= 0)
			fn(session, &one, data);
	}
	l_free(by_id.st);
	l_free(by_id.read);
	return err < 0 ? err : 0;
}

int manager_sessions_statistics_owned(struct manager_sessions *ms, const char *owner,
				      manager_sessions_statistics_fn fn, void *data)
{
	struct owned_statistics all = { 0 };
	int err;

	if (!ms->deps.firewall)
		return -EOPNOTSUPP;
	sessions_foreach_owned(ms->sessions, owner, collect_owned, &all);
	err = report_owned(ms, &all, fn, data);
	l_free(all.sessions);
	return err;
}
