/* The manager's side of sessions: policies from files, and the glue between
 * sessions, the bus and the kernel owners. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <ell/ell.h>

#include "firewall.h"
#include "manager.h"
#include "marks.h"
#include "routing.h"
#include "manager-private.h"
#include "options.h"
#include "session.h"
#include "session-policy.h"
#include "sessions.h"

/* The applications a key (uid, gid or cgroup) names may have several
 * sessions; the most recent one's mark is in the kernel. */
struct key_owner {
	char *name;
	struct firewall_key key;
	struct l_queue *sessions;
	unsigned int slot;		/* what the kernel has for the key */
	uint32_t id;
};

static unsigned int slot_for(const struct session *session)
{
	struct service *svc = session_service(session);

	return svc && service_slot(svc) ? service_slot(svc) : MARK_SLOT_UNREACHABLE;
}

/* The policy decides which identity marks the packets; uid without one. */
static void session_key(const struct session *session, struct firewall_key *key, char *name,
			size_t len)
{
	const struct session_policy_rule *policy = session_policy(session);
	const struct session_creds *creds = session_creds(session);

	if (policy->match == SESSION_MATCH_CGROUP &&
	    firewall_cgroup_key(policy->cgroup, key) == 0) {
		snprintf(name, len, "c:%llu", (unsigned long long)key->value);
		return;
	}
	if (policy->match == SESSION_MATCH_CGROUP)
		l_warn("session %u: cgroup %s not found; marking by uid", session_id(session),
		       policy->cgroup);
	key->level = 0;
	key->kind = policy->match == SESSION_MATCH_GID ? FIREWALL_KEY_GID : FIREWALL_KEY_UID;
	key->value = key->kind == FIREWALL_KEY_GID ? creds->gid : creds->uid;
	snprintf(name, len, "%c:%llu", key->kind == FIREWALL_KEY_GID ? 'g' : 'u',
		 (unsigned long long)key->value);
}

/* Puts the key's most recent session in the kernel (or nothing). */
static void install_key(struct manager *m, struct key_owner *owner)
{
	struct session *top = l_queue_peek_tail(owner->sessions);
	int err = 0;

	if (!top) {
		if (owner->id)
			err = firewall_mark_del(m->firewall, &owner->key);
		owner->id = 0;
	} else if (owner->id != session_id(top) || owner->slot != slot_for(top)) {
		err = firewall_mark_set(m->firewall, &owner->key, session_id(top), slot_for(top),
					owner->id != 0);
		owner->id = err ? 0 : session_id(top);
		owner->slot = slot_for(top);
	}
	if (err < 0)
		l_warn("session key %s: nftables refused the change: %s", owner->name,
		       strerror(-err));
}
static struct key_owner *owner_of(struct manager *m, const struct session *session)
{
	struct key_owner *owner;
	char name[40];
	struct firewall_key key;

	session_key(session, &key, name, sizeof(name));
	owner = l_hashmap_lookup(m->session_keys, name);
	if (owner)
		return owner;
	/* A session whose policy changed may sit under its old key still. */
	owner = l_new(struct key_owner, 1);
	owner->name = l_strdup(name);
	owner->key = key;
	owner->sessions = l_queue_new();
	l_hashmap_insert(m->session_keys, name, owner);
	return owner;
}

static struct key_owner *find_owner(struct manager *m, const struct session *session)
{
	return l_hashmap_lookup(m->session_owner, session);
}

static void owner_free(void *data)
{
	struct key_owner *owner = data;

	l_queue_destroy(owner->sessions, NULL);
	l_free(owner->name);
	l_free(owner);
}

static void join_key(struct manager *m, struct session *session)
{
	struct key_owner *owner = owner_of(m, session);

	l_queue_push_tail(owner->sessions, session);
	l_hashmap_insert(m->session_owner, session, owner);
	install_key(m, owner);
}

static void leave_key(struct manager *m, struct session *session)
{
	struct key_owner *owner = l_hashmap_remove(m->session_owner, session);

	if (!owner || !l_queue_remove(owner->sessions, session))
		return;
	install_key(m, owner);
	if (l_queue_isempty(owner->sessions)) {
		l_hashmap_remove(m->session_keys, owner->name);
		owner_free(owner);
	}
}

static void sync_source_rules(struct manager *m);

static int session_attached(void *data, struct session *session)
{
	struct manager *m = data;
	int err;

	if (m->firewall) {
		err = firewall_counters_add(m->firewall, session_id(session));
		if (err < 0)
			return err;
		join_key(m, session);
	}
	session_dbus_add(m->dbus, session, m);
	return 0;
}

/* The service changed, or the policy (and with it, maybe, the key). */
static int session_rebound(void *data, struct session *session)
{
	struct manager *m = data;
	struct key_owner *owner;
	struct firewall_key key;
	char name[40];

	if (!m->firewall)
		return 0;
	owner = find_owner(m, session);
	session_key(session, &key, name, sizeof(name));
	if (!owner || strcmp(owner->name, name)) {
		leave_key(m, session);
		join_key(m, session);
	} else if (l_queue_peek_tail(owner->sessions) == session) {
		install_key(m, owner);
	}
	return 0;
}

static void session_detached(void *data, struct session *session)
{
	struct manager *m = data;

	session_dbus_remove(m->dbus, session);
	if (m->source_rules)
		sync_source_rules(m);
	if (!m->firewall)
		return;
	leave_key(m, session);
	firewall_counters_del(m->firewall, session_id(session));
}

static int session_statistics(void *data, struct session *session,
			      struct session_statistics *st)
{
	return manager_session_statistics(data, session, st);
}

/* SourceIPRule: "from ADDR lookup TABLE" for the address of every service a
 * session with SourceIPRule rides on, so sockets bound to that address use
 * that service's route. Routing owns the rules and keeps one per service,
 * however many sessions ask. */
struct wanted_rules {
	struct source_rule *rules;
	unsigned int n, cap;
};

static void want_source_rule(struct session *session, void *data)
{
	struct wanted_rules *want = data;
	struct service *svc = session_service(session);

	if (!svc || !session_effective(session)->source_ip_rule || !service_slot(svc) ||
	    !service_ipv4(svc)->address)
		return;
	if (want->n == want->cap) {
		want->cap = want->cap ? want->cap * 2 : 4;
		want->rules = l_realloc(want->rules, want->cap * sizeof(*want->rules));
	}
	want->rules[want->n++] = (struct source_rule) { service_ipv4(svc)->address,
							service_slot(svc) };
}

static void sync_source_rules(struct manager *m)
{
	struct wanted_rules want = { 0 };

	if (m->sessions)
		sessions_foreach(m->sessions, want_source_rule, &want);
	routing_set_source_rules(m->routing, want.rules, want.n);
	m->source_rules = want.n > 0;
	l_free(want.rules);
}

static const struct sessions_kernel_ops session_ops = {
	.statistics = session_statistics,
	.attach = session_attached,
	.rebind = session_rebound,
	.detach = session_detached,
};

static struct sessions *get_sessions(struct manager *m)
{
	if (!m->sessions)
		m->sessions = sessions_new(m->dbus, &session_ops, m);
	return m->sessions;
}

int manager_create_session(struct manager *m, const char *owner, const char *notifier,
			   const struct session_creds *creds, const struct session_request *request,
			   struct session **out)
{
	const struct session_policy_rule *rule =
		session_policies_lookup(m->policies, creds->uid, creds->gid, creds->cgroup);

	return sessions_create(get_sessions(m), owner, notifier, creds, request, rule,
			       m->services, out);
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
	struct manager *m = data;
	const struct session_creds *c = session_creds(session);

	return session_policies_lookup(m->policies, c->uid, c->gid, c->cgroup);
}

/* Files are re-read whole on any change: they are few and small. */
static void policy_dir_changed(const char *filename, enum l_dir_watch_event event, void *data)
{
	struct manager *m = data;

	if (event == L_DIR_WATCH_EVENT_ACCESSED)
		return;
	session_policies_load_dir(m->policies, m->opts->policy_dir);
	l_info("session policies reloaded: %u", session_policies_count(m->policies));
	if (m->sessions)
		sessions_repolicy(m->sessions, policy_for, m, m->services);
}

void manager_start_sessions(struct manager *m)
{
	m->session_keys = l_hashmap_string_new();
	m->session_owner = l_hashmap_new();
	m->firewall = firewall_new();
	if (!m->firewall)
		l_error("nftables unavailable (%s): sessions cannot steer traffic", strerror(errno));
	m->policies = session_policies_new(policy_warning, m);
	session_policies_load_dir(m->policies, m->opts->policy_dir);
	m->policy_watch = l_dir_watch_new(m->opts->policy_dir, policy_dir_changed, m, NULL);
	if (!m->policy_watch)
		l_debug("policy directory %s is not watched (absent?)", m->opts->policy_dir);
}

/* Only the new session: telling every other one again would make each
 * creation cost O(sessions). */
void manager_session_created(struct manager *m, struct session *session)
{
	sessions_update_one(get_sessions(m), session, m->services);
	if (session_effective(session)->source_ip_rule)
		sync_source_rules(m);
}

int manager_destroy_session(struct manager *m, const char *owner, const char *path)
{
	return sessions_destroy(get_sessions(m), owner, path);
}

struct session *manager_find_session(const struct manager *m, const char *path)
{
	return m->sessions ? sessions_find(m->sessions, path) : NULL;
}

/* Connect asks for connectivity: services that may carry it connect. */
void manager_session_set_active(struct manager *m, struct session *session, bool active)
{
	struct service **all;
	unsigned int n;

	session_set_active(session, active);
	if (!active)
		return;
	all = manager_services_snapshot(m, &n);
	for (unsigned int i = 0; i < n; i++)
		if (service_get_state(all[i]) == SERVICE_STATE_IDLE)
			service_connect(all[i], NULL, NULL);
	l_free(all);
}

void manager_session_change(struct manager *m, struct session *session,
			    const struct session_request *request)
{
	sessions_change(get_sessions(m), session, request, m->services);
	sync_source_rules(m);
}

void manager_stop_sessions(struct manager *m)
{
	sessions_free(m->sessions);
	m->sessions = NULL;
	sync_source_rules(m);
	l_dir_watch_destroy(m->policy_watch);
	m->policy_watch = NULL;
	session_policies_free(m->policies);
	m->policies = NULL;
	l_hashmap_destroy(m->session_keys, owner_free);
	m->session_keys = NULL;
	l_hashmap_destroy(m->session_owner, NULL);
	m->session_owner = NULL;
	firewall_free(m->firewall);
	m->firewall = NULL;
}

void manager_update_sessions(struct manager *m)
{
	if (m->sessions)
		sessions_update(m->sessions, m->services);
	sync_source_rules(m);
}

int manager_session_statistics(struct manager *m, struct session *session,
			       struct session_statistics *st)
{
	struct firewall_counters c;
	int err;

	if (!m->firewall)
		return -EOPNOTSUPP;
	err = firewall_counters_read(m->firewall, session_id(session), &c);
	if (err < 0)
		return err;
	*st = (struct session_statistics) { c.rx_packets, c.rx_bytes, c.tx_packets, c.tx_bytes };
	return 0;
}
