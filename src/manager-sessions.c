/* The manager's side of sessions: policies from files, and the glue between
 * sessions, the bus and the kernel owners. */
#include <errno.h>
#include <string.h>
#include <ell/ell.h>

#include "manager.h"
#include "manager-private.h"
#include "options.h"
#include "session.h"
#include "session-policy.h"
#include "sessions.h"

static int session_attached(void *data, struct session *session)
{
	struct manager *m = data;

	session_dbus_add(m->dbus, session, m);
	return 0;
}

static int session_rebound(void *data, struct session *session)
{
	return 0;
}

static void session_detached(void *data, struct session *session)
{
	struct manager *m = data;

	session_dbus_remove(m->dbus, session);
}

static const struct sessions_kernel_ops session_ops = {
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
	m->policies = session_policies_new(policy_warning, m);
	session_policies_load_dir(m->policies, m->opts->policy_dir);
	m->policy_watch = l_dir_watch_new(m->opts->policy_dir, policy_dir_changed, m, NULL);
	if (!m->policy_watch)
		l_debug("policy directory %s is not watched (absent?)", m->opts->policy_dir);
}

void manager_session_created(struct manager *m, struct session *session)
{
	sessions_update(get_sessions(m), m->services);
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
	const struct l_queue_entry *e;

	session_set_active(session, active);
	if (!active)
		return;
	for (e = l_queue_get_entries(m->services); e; e = e->next)
		if (service_get_state(e->data) == SERVICE_STATE_IDLE)
			service_connect(e->data, NULL, NULL);
}

void manager_session_change(struct manager *m, struct session *session,
			    const struct session_request *request)
{
	sessions_change(get_sessions(m), session, request, m->services);
}

void manager_stop_sessions(struct manager *m)
{
	sessions_free(m->sessions);
	m->sessions = NULL;
	l_dir_watch_destroy(m->policy_watch);
	m->policy_watch = NULL;
	session_policies_free(m->policies);
	m->policies = NULL;
}

void manager_update_sessions(struct manager *m)
{
	if (m->sessions)
		sessions_update(m->sessions, m->services);
}
