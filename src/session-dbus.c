/* Session D-Bus glue: Manager.CreateSession/DestroySession and the
 * net.connman.Session objects. It parses into a typed request and reads the
 * caller's credentials; sessions.c decides. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <ell/ell.h>

#include "dbus-util.h"
#include "manager.h"
#include "manager-sessions.h"
#include "session.h"
#include "session-dbus.h"

#define SESSION_INTERFACE CONND_SERVICE ".Session"

struct create_call {
	struct l_dbus *dbus;
	struct manager_sessions *sessions;
	struct l_dbus_message *msg;
	char *notifier;
	struct session_request request;
};

static void create_call_free(struct create_call *call)
{
	l_dbus_message_unref(call->msg);
	l_free(call->notifier);
	session_request_clear(&call->request);
	l_free(call);
}

/* Reads every a{sv} entry into `request`; a reason in `why` on failure. */
static int parse_settings(struct l_dbus_message_iter *dict, struct session_request *request,
			  char *why, size_t why_len)
{
	struct l_dbus_message_iter value;
	const char *key;

	while (l_dbus_message_iter_next_entry(dict, &key, &value))
		if (session_request_set(request, key, &value, why, why_len) < 0)
			return -EINVAL;
	return 0;
}

/* "0::/path" in /proc/PID/cgroup is the process's cgroup v2 path. */
static char *read_cgroup(uint32_t pid)
{
	char path[64], line[512];
	char *cgroup = NULL;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/cgroup", pid);
	f = fopen(path, "re");
	if (!f)
		return NULL;
	while (!cgroup && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3))
			continue;
		line[strcspn(line, "\n")] = '\0';
		cgroup = l_strdup(line + 3);
	}
	fclose(f);
	return cgroup;
}

/* The primary group from /proc/PID/status ("Gid: real effective ..."). */
static uint32_t read_gid(uint32_t pid, uint32_t fallback)
{
	char path[64], line[256];
	unsigned int gid = fallback;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/status", pid);
	f = fopen(path, "re");
	if (!f)
		return fallback;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Gid: %u", &gid) == 1)
			break;
	fclose(f);
	return gid;
}

static int read_credentials(struct l_dbus_message *reply, struct session_creds *creds)
{
	struct l_dbus_message_iter dict, value;
	const char *key;
	bool have_uid = false;

	if (l_dbus_message_is_error(reply) || !l_dbus_message_get_arguments(reply, "a{sv}", &dict))
		return -EACCES;
	while (l_dbus_message_iter_next_entry(&dict, &key, &value)) {
		if (!strcmp(key, "UnixUserID"))
			have_uid = l_dbus_message_iter_get_variant(&value, "u", &creds->uid);
		else if (!strcmp(key, "ProcessID"))
			l_dbus_message_iter_get_variant(&value, "u", &creds->pid);
	}
	if (!have_uid)
		return -EACCES;
	creds->gid = creds->pid ? read_gid(creds->pid, creds->uid) : creds->uid;
	creds->cgroup = creds->pid ? read_cgroup(creds->pid) : NULL;
	return 0;
}

static void credentials_received(struct l_dbus_message *reply, void *user_data)
{
	struct create_call *call = user_data;
	struct manager_sessions *ms = call->sessions;
	struct session_creds creds = { 0 };
	struct session *session = NULL;
	struct l_dbus_message *answer;
	int err = read_credentials(reply, &creds);

	if (err == 0)
		err = manager_sessions_create(ms, l_dbus_message_get_sender(call->msg),
					      call->notifier, &creds, &call->request, &session);
	if (err == -EEXIST)
		answer = dbus_error(call->msg, "AlreadyExists", "A session for %s already exists",
				    call->notifier);
	else if (err == -EINVAL)
		answer = dbus_error_invalid_args(call->msg, "Notifier %s makes no session path",
						 call->notifier);
	else if (err < 0)
		answer = dbus_error_errno(call->msg, err);
	else
		answer = l_dbus_message_new_method_return(call->msg),
		l_dbus_message_set_arguments(answer, "o", session_path(session));
	l_dbus_send(call->dbus, answer);
	if (session)
		manager_sessions_created(ms, session);
	l_free(creds.cgroup);
	create_call_free(call);
}

static void ask_credentials(struct l_dbus *dbus, struct create_call *call)
{
	struct l_dbus_message *query = l_dbus_message_new_method_call(dbus, "org.freedesktop.DBus",
				"/org/freedesktop/DBus", "org.freedesktop.DBus", "GetConnectionCredentials");

	l_dbus_message_set_arguments(query, "s", l_dbus_message_get_sender(call->msg));
	l_dbus_send_with_reply(dbus, query, credentials_received, call, NULL);
}

struct l_dbus_message *session_dbus_create(struct l_dbus *dbus, struct l_dbus_message *msg,
					   void *user_data)
{
	struct create_call *call = l_new(struct create_call, 1);
	struct l_dbus_message_iter dict;
	const char *notifier;
	char why[160];

	call->dbus = dbus;
	call->sessions = manager_sessions(user_data);
	call->msg = l_dbus_message_ref(msg);
	if (!l_dbus_message_get_arguments(msg, "a{sv}o", &dict, &notifier)) {
		create_call_free(call);
		return dbus_error_invalid_args(msg, "Expected settings (a{sv}) and a notifier path");
	}
	if (parse_settings(&dict, &call->request, why, sizeof(why)) < 0) {
		create_call_free(call);
		return dbus_error_invalid_args(msg, "%s", why);
	}
	call->notifier = l_strdup(notifier);
	ask_credentials(dbus, call);
	return NULL;
}

struct l_dbus_message *session_dbus_destroy(struct l_dbus *dbus, struct l_dbus_message *msg,
					    void *user_data)
{
	const char *path;
	int err;

	if (!l_dbus_message_get_arguments(msg, "o", &path))
		return dbus_error_invalid_args(msg, "Expected a session path");
	err = manager_sessions_destroy(manager_sessions(user_data), l_dbus_message_get_sender(msg),
				       path);
	if (err == -ENOENT)
		return dbus_error_invalid_args(msg, "No session %s", path);
	if (err == -EPERM)
		return dbus_error(msg, "PermissionDenied", "Only the session's creator may destroy it");
	return err < 0 ? dbus_error_errno(msg, err) : l_dbus_message_new_method_return(msg);
}

/* The session object's user data is its path: the session may be gone by the
 * time a call arrives, so look it up instead of keeping a pointer. */
static struct session *caller_session(struct l_dbus_message *msg, struct manager_sessions *ms,
				      struct l_dbus_message **error)
{
	struct session *session = manager_sessions_find(ms, l_dbus_message_get_path(msg));

	*error = NULL;
	if (!session)
		*error = dbus_error(msg, "InvalidArguments", "No such session");
	else if (strcmp(session_owner(session), l_dbus_message_get_sender(msg)))
		*error = dbus_error(msg, "PermissionDenied", "Not the session's owner");
	return *error ? NULL : session;
}

static struct l_dbus_message *session_destroy_method(struct l_dbus *dbus,
						     struct l_dbus_message *msg, void *user_data)
{
	struct l_dbus_message *error;
	struct session *session = caller_session(msg, user_data, &error);

	if (!session)
		return error;
	manager_sessions_destroy(user_data, session_owner(session), session_path(session));
	return l_dbus_message_new_method_return(msg);
}

static struct l_dbus_message *set_active(struct l_dbus_message *msg, struct manager_sessions *ms,
					 bool on)
{
	struct l_dbus_message *error;
	struct session *session = caller_session(msg, ms, &error);

	if (!session)
		return error;
	manager_sessions_set_active(ms, session, on);
	return l_dbus_message_new_method_return(msg);
}

static struct l_dbus_message *session_connect(struct l_dbus *dbus, struct l_dbus_message *msg,
					      void *user_data)
{
	return set_active(msg, user_data, true);
}

static struct l_dbus_message *session_disconnect(struct l_dbus *dbus, struct l_dbus_message *msg,
						 void *user_data)
{
	return set_active(msg, user_data, false);
}

static struct l_dbus_message *session_change(struct l_dbus *dbus, struct l_dbus_message *msg,
					     void *user_data)
{
	struct l_dbus_message *error;
	struct session *session = caller_session(msg, user_data, &error);
	const struct session_request *current;
	struct session_request request = { 0 };
	struct l_dbus_message_iter value;
	const char *name;
	char why[160];

	if (!session)
		return error;
	if (!l_dbus_message_get_arguments(msg, "sv", &name, &value))
		return dbus_error_invalid_args(msg, "Expected a setting name and a variant value");
	if (!strcmp(name, "ContextIdentifier"))
		return dbus_error_invalid_args(msg, "ContextIdentifier cannot be changed");
	current = session_get_request(session);
	request.allowed_bearers = l_strv_copy(current->allowed_bearers);
	request.type = current->type;
	request.allowed_interface = l_strdup(current->allowed_interface);
	request.source_ip_rule = current->source_ip_rule;
	request.context_identifier = l_strdup(current->context_identifier);
	request.statistics_interval = current->statistics_interval;
	if (session_request_set(&request, name, &value, why, sizeof(why)) < 0) {
		session_request_clear(&request);
		return dbus_error_invalid_args(msg, "%s", why);
	}
	manager_sessions_change(user_data, session, &request);
	session_request_clear(&request);
	return l_dbus_message_new_method_return(msg);
}

/* connd extension: the session's traffic, from its nftables counters. */
static struct l_dbus_message *session_get_statistics(struct l_dbus *dbus,
						     struct l_dbus_message *msg, void *user_data)
{
	struct l_dbus_message *error, *reply;
	struct l_dbus_message_builder *b;
	struct session *session = caller_session(msg, user_data, &error);
	struct session_statistics st;
	int err;

	if (!session)
		return error;
	err = manager_sessions_statistics(user_data, session, &st);
	if (err < 0)
		return dbus_error_errno(msg, err);
	reply = l_dbus_message_new_method_return(msg);
	b = l_dbus_message_builder_new(reply);
	session_append_statistics(b, &st);
	l_dbus_message_builder_finalize(b);
	l_dbus_message_builder_destroy(b);
	return reply;
}

static void setup_session_interface(struct l_dbus_interface *iface)
{
	l_dbus_interface_method(iface, "GetStatistics", 0, session_get_statistics, "a{sv}", "",
				"statistics");
	l_dbus_interface_method(iface, "Destroy", 0, session_destroy_method, "", "");
	l_dbus_interface_method(iface, "Connect", 0, session_connect, "", "");
	l_dbus_interface_method(iface, "Disconnect", 0, session_disconnect, "", "");
	l_dbus_interface_method(iface, "Change", 0, session_change, "", "sv", "name", "value");
}

void session_dbus_register_interface(struct l_dbus *dbus)
{
	l_dbus_register_interface(dbus, SESSION_INTERFACE, setup_session_interface, NULL, false);
}

void session_dbus_add(struct l_dbus *dbus, struct session *session, struct manager_sessions *ms)
{
	if (dbus)
		l_dbus_object_add_interface(dbus, session_path(session), SESSION_INTERFACE, ms);
}

void session_dbus_remove(struct l_dbus *dbus, struct session *session)
{
	if (dbus)
		l_dbus_unregister_object(dbus, session_path(session));
}
