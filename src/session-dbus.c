/* Session D-Bus glue: Manager.CreateSession/DestroySession, the
 * net.connman.Session objects and the Notification calls to applications.
 * It parses into a typed request, reads the caller's credentials and builds
 * what applications are told; manager-sessions.c and sessions.c decide. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <ell/ell.h>

#include "dbus-caller.h"
#include "dbus-util.h"
#include "manager.h"
#include "manager-sessions.h"
#include "session.h"
#include "session-dbus.h"

#define SESSION_INTERFACE CONND_SERVICE ".Session"
#define MANAGER_INTERFACE CONND_SERVICE ".Manager"
#define NOTIFICATION_INTERFACE "net.connman.Notification"
/* A day: longer intervals report nothing a client could use. */
#define STATISTICS_INTERVAL_MAX 86400

static int read_strv(struct l_dbus_message_iter *value, char ***out)
{
	struct l_dbus_message_iter array;
	const char *text;
	char **strv = l_new(char *, 1);

	if (!l_dbus_message_iter_get_variant(value, "as", &array)) {
		l_free(strv);
		return -EINVAL;
	}
	while (l_dbus_message_iter_next_entry(&array, &text))
		if (*text)
			strv = l_strv_append(strv, text);
	*out = strv;
	return 0;
}

static int set_bearers(struct session_request *r, struct l_dbus_message_iter *value,
		       char *why, size_t why_len)
{
	const char *bad = NULL;
	char **bearers;

	if (read_strv(value, &bearers) < 0) {
		snprintf(why, why_len, "AllowedBearers takes an array of strings");
		return -EINVAL;
	}
	if (session_bearers_validate(bearers, &bad) < 0) {
		snprintf(why, why_len, "AllowedBearers: unknown bearer '%s'", bad);
		l_strv_free(bearers);
		return -EINVAL;
	}
	l_strv_free(r->allowed_bearers);
	r->allowed_bearers = bearers;
	return 0;
}

static int get_string(struct l_dbus_message_iter *value, const char *key, const char **out,
		      char *why, size_t why_len)
{
	if (!l_dbus_message_iter_get_variant(value, "s", out)) {
		snprintf(why, why_len, "%s takes a string", key);
		return -EINVAL;
	}
	return 0;
}

/* One a{sv} entry of CreateSession or Change into `request`; validation is
 * session-config's. A reason in `why` on failure. */
static int parse_setting(struct session_request *r, const char *key,
			 struct l_dbus_message_iter *value, char *why, size_t why_len)
{
	const char *text;

	if (!strcmp(key, "AllowedBearers"))
		return set_bearers(r, value, why, why_len);
	if (!strcmp(key, "ConnectionType")) {
		if (get_string(value, key, &text, why, why_len) < 0)
			return -EINVAL;
		if (session_conn_type_parse(text, &r->type) < 0) {
			snprintf(why, why_len, "ConnectionType must be any, local or internet");
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(key, "AllowedInterface")) {
		if (get_string(value, key, &text, why, why_len) < 0)
			return -EINVAL;
		l_free(r->allowed_interface);
		r->allowed_interface = *text && strcmp(text, "*") ? l_strdup(text) : NULL;
		return 0;
	}
	if (!strcmp(key, "SourceIPRule")) {
		if (!l_dbus_message_iter_get_variant(value, "b", &r->source_ip_rule)) {
			snprintf(why, why_len, "SourceIPRule takes a boolean");
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(key, "StatisticsInterval")) {
		if (!l_dbus_message_iter_get_variant(value, "u", &r->statistics_interval)) {
			snprintf(why, why_len, "StatisticsInterval takes a uint32 (seconds)");
			return -EINVAL;
		}
		if (r->statistics_interval > STATISTICS_INTERVAL_MAX) {
			snprintf(why, why_len, "StatisticsInterval must be at most %u seconds",
				 STATISTICS_INTERVAL_MAX);
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(key, "ContextIdentifier")) {
		if (get_string(value, key, &text, why, why_len) < 0)
			return -EINVAL;
		l_free(r->context_identifier);
		r->context_identifier = l_strdup(text);
		return 0;
	}
	snprintf(why, why_len, "Unknown session setting '%s'", key);
	return -EINVAL;
}

static void append_ipv4(struct l_dbus_message_builder *b, const struct ipv4_settings *ip)
{
	char buf[16];

	l_dbus_message_builder_enter_dict(b, "sv");
	l_dbus_message_builder_append_basic(b, 's', "IPv4");
	l_dbus_message_builder_enter_variant(b, "a{sv}");
	l_dbus_message_builder_enter_array(b, "{sv}");
	if (ip->address) {
		dbus_dict_str(b, "Method", ipv4_method_name(ip->method));
		dbus_dict_str(b, "Address", ipv4_ntop(ip->address, buf));
		dbus_dict_str(b, "Netmask", ipv4_ntop(ipv4_prefix_to_mask(ip->prefix_len), buf));
		if (ip->gateway)
			dbus_dict_str(b, "Gateway", ipv4_ntop(ip->gateway, buf));
	}
	l_dbus_message_builder_leave_array(b);
	l_dbus_message_builder_leave_variant(b);
	l_dbus_message_builder_leave_dict(b);
}

/* The service's IPv6 as its own IPv6 property shows it: empty until the
 * link has its address, as ConnMan's session tells it. */
static void append_ipv6(struct l_dbus_message_builder *b, const struct session_info *v)
{
	char text[INET6_ADDRSTRLEN];

	l_dbus_message_builder_enter_dict(b, "sv");
	l_dbus_message_builder_append_basic(b, 's', "IPv6");
	l_dbus_message_builder_enter_variant(b, "a{sv}");
	l_dbus_message_builder_enter_array(b, "{sv}");
	if (!IN6_IS_ADDR_UNSPECIFIED(&v->ipv6.address)) {
		dbus_dict_str(b, "Method", ipv6_method_name(v->ipv6_method));
		dbus_dict_str(b, "Address", inet_ntop(AF_INET6, &v->ipv6.address, text,
						      sizeof(text)));
		dbus_dict_u8(b, "PrefixLength", v->ipv6.prefix_len);
		if (!IN6_IS_ADDR_UNSPECIFIED(&v->ipv6.gateway))
			dbus_dict_str(b, "Gateway", inet_ntop(AF_INET6, &v->ipv6.gateway, text,
							      sizeof(text)));
		dbus_dict_str(b, "Privacy", ipv6_privacy_name(v->ipv6_privacy));
	}
	l_dbus_message_builder_leave_array(b);
	l_dbus_message_builder_leave_variant(b);
	l_dbus_message_builder_leave_dict(b);
}

/* The settings in `changed` (enum session_field), in ConnMan's order. */
static void append_settings(struct l_dbus_message_builder *b, const struct session_info *v,
			    unsigned int changed)
{
	if (changed & SESSION_FIELD_STATE)
		dbus_dict_str(b, "State", v->state);
	if (changed & SESSION_FIELD_NAME)
		dbus_dict_str(b, "Name", v->name);
	if (changed & SESSION_FIELD_BEARER)
		dbus_dict_str(b, "Bearer", v->bearer);
	if (changed & SESSION_FIELD_INTERFACE)
		dbus_dict_str(b, "Interface", v->ifname);
	if (changed & SESSION_FIELD_IPV4)
		append_ipv4(b, &v->ipv4);
	if (changed & SESSION_FIELD_IPV6)
		append_ipv6(b, v);
	if (changed & SESSION_FIELD_ALLOWED_BEARERS)
		dbus_dict_strv(b, "AllowedBearers", v->bearers);
	if (changed & SESSION_FIELD_CONNECTION_TYPE)
		dbus_dict_str(b, "ConnectionType", v->type);
	if (changed & SESSION_FIELD_ALLOWED_INTERFACE)
		dbus_dict_str(b, "AllowedInterface", v->allowed_interface);
	if (changed & SESSION_FIELD_SOURCE_IP_RULE)
		dbus_dict_bool(b, "SourceIPRule", v->source_ip_rule);
	if (changed & SESSION_FIELD_CONTEXT_IDENTIFIER)
		dbus_dict_str(b, "ContextIdentifier", v->context_identifier);
}

/* a{sv} with RX.Packets, RX.Bytes, TX.Packets, TX.Bytes (t, uint64). */
static void append_statistics(struct l_dbus_message_builder *b,
			      const struct session_statistics *st)
{
	l_dbus_message_builder_enter_array(b, "{sv}");
	dbus_dict_u64(b, "RX.Packets", st->rx_packets);
	dbus_dict_u64(b, "RX.Bytes", st->rx_bytes);
	dbus_dict_u64(b, "TX.Packets", st->tx_packets);
	dbus_dict_u64(b, "TX.Bytes", st->tx_bytes);
	l_dbus_message_builder_leave_array(b);
}

static struct l_dbus_message *notification(struct l_dbus *dbus, struct session *session,
					   const char *method)
{
	return l_dbus_message_new_method_call(dbus, session_owner(session),
					      session_notifier(session), NOTIFICATION_INTERFACE,
					      method);
}

static void send_notification(struct l_dbus *dbus, struct l_dbus_message *msg)
{
	l_dbus_message_set_no_reply(msg, true);
	l_dbus_send(dbus, msg);
}

void session_dbus_update(struct l_dbus *dbus, struct session *session)
{
	struct session_info info;
	struct l_dbus_message_builder *b;
	struct l_dbus_message *msg;
	unsigned int changed;

	if (!dbus)
		return;
	changed = session_take_changes(session, &info);
	if (!changed) {
		session_info_clear(&info);
		return;
	}
	msg = notification(dbus, session, "Update");
	b = l_dbus_message_builder_new(msg);
	l_dbus_message_builder_enter_array(b, "{sv}");
	append_settings(b, &info, changed);
	session_info_clear(&info);
	l_dbus_message_builder_leave_array(b);
	l_dbus_message_builder_finalize(b);
	l_dbus_message_builder_destroy(b);
	send_notification(dbus, msg);
}

void session_dbus_release(struct l_dbus *dbus, struct session *session)
{
	struct l_dbus_message *msg;

	if (!dbus)
		return;
	msg = notification(dbus, session, "Release");
	l_dbus_message_set_arguments(msg, "");
	send_notification(dbus, msg);
}

/* connd extension: Update carries "Statistics" every StatisticsInterval. */
void session_dbus_statistics(struct l_dbus *dbus, struct session *session,
			     const struct session_statistics *st)
{
	struct l_dbus_message_builder *b;
	struct l_dbus_message *msg;

	if (!dbus)
		return;
	msg = notification(dbus, session, "Update");
	b = l_dbus_message_builder_new(msg);
	l_dbus_message_builder_enter_array(b, "{sv}");
	l_dbus_message_builder_enter_dict(b, "sv");
	l_dbus_message_builder_append_basic(b, 's', "Statistics");
	l_dbus_message_builder_enter_variant(b, "a{sv}");
	append_statistics(b, st);
	l_dbus_message_builder_leave_variant(b);
	l_dbus_message_builder_leave_dict(b);
	l_dbus_message_builder_leave_array(b);
	l_dbus_message_builder_finalize(b);
	l_dbus_message_builder_destroy(b);
	send_notification(dbus, msg);
}

/* Reads every a{sv} entry into `request`; a reason in `why` on failure. */
static int parse_settings(struct l_dbus_message_iter *dict, struct session_request *request,
			  char *why, size_t why_len)
{
	struct l_dbus_message_iter value;
	const char *key;

	while (l_dbus_message_iter_next_entry(dict, &key, &value))
		if (parse_setting(request, key, &value, why, why_len) < 0)
			return -EINVAL;
	return 0;
}

/* /proc/PID/FILE whole (up to len - 1 bytes, NUL-terminated) in one read:
 * procfs makes these files whole at the first read anyway. */
static ssize_t read_proc(uint32_t pid, const char *file, char *buf, size_t len)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%u/%s", pid, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* "0::/path" in /proc/PID/cgroup is the process's cgroup v2 path. */
static char *read_cgroup(uint32_t pid)
{
	char buf[8192];
	char *line, *end;

	if (read_proc(pid, "cgroup", buf, sizeof(buf)) <= 0)
		return NULL;
	line = strncmp(buf, "0::", 3) ? strstr(buf, "\n0::") : buf - 1;
	if (!line)
		return NULL;
	line += 4;
	end = strchr(line, '\n');
	/* No newline: the path did not fit; unknown rather than cut short. */
	return end ? l_strndup(line, end - line) : NULL;
}

/* The primary group from /proc/PID/status ("Gid: real effective ..."). */
static uint32_t read_gid(uint32_t pid, uint32_t fallback)
{
	char buf[2048];
	const char *line;
	unsigned int gid;

	if (read_proc(pid, "status", buf, sizeof(buf)) <= 0)
		return fallback;
	line = strstr(buf, "\nGid:");
	return line && sscanf(line + 5, "%u", &gid) == 1 ? gid : fallback;
}

/* The caller's group and cgroup are read at each call, not kept with what
 * the bus said of its connection: a process may change either (setgid, a
 * move to another cgroup) while its connection lives. */
static void read_process(struct session_creds *creds)
{
	creds->gid = creds->pid ? read_gid(creds->pid, creds->uid) : creds->uid;
	creds->cgroup = creds->pid ? read_cgroup(creds->pid) : NULL;
}

static struct l_dbus_message *create_answer(struct l_dbus_message *msg, const char *notifier,
					    const struct session_creds *creds,
					    struct session *session, int err)
{
	struct l_dbus_message *answer;

	if (err == -EEXIST)
		return dbus_error(msg, "AlreadyExists", "A session for %s already exists", notifier);
	if (err == -EINVAL)
		return dbus_error_invalid_args(msg, "Notifier %s is refused, as by ConnMan",
					       notifier);
	if (err == -EDQUOT)
		return dbus_error(msg, "Failed", "uid %u holds as many sessions as it may "
				  "(SessionsPerUser)", creds->uid);
	if (err == -ENOSPC)
		return dbus_error(msg, "Failed", "connd holds as many sessions as it may "
				  "(MaxSessions)");
	if (err == -ENOBUFS)
		return dbus_error(msg, "Failed", "connd cannot make room for another session's "
				  "counters (see its log)");
	if (err == -EOPNOTSUPP)
		return dbus_error(msg, "NotSupported", "Sessions cannot steer traffic here: "
				  "neither nftables nor BPF is usable (see connd's log)");
	if (err < 0)
		return dbus_error_errno(msg, err);
	answer = l_dbus_message_new_method_return(msg);
	l_dbus_message_set_arguments(answer, "o", session_path(session).s);
	return answer;
}

/* The caller's uid and pid come from the bus once per connection
 * (dbus-caller.h): a new client's first call waits for that answer and
 * runs again, every later one is answered at once. */
struct l_dbus_message *session_dbus_create(struct l_dbus *dbus, struct l_dbus_message *msg,
					   void *user_data)
{
	struct manager_sessions *ms = manager_sessions(user_data);
	struct session_request request = { 0 };
	struct session_creds creds = { 0 };
	struct session *session = NULL;
	struct l_dbus_message_iter dict;
	struct l_dbus_message *reply;
	const char *notifier;
	char why[160];
	int err;

	if (!l_dbus_message_get_arguments(msg, "a{sv}o", &dict, &notifier))
		return dbus_error_invalid_args(msg, "Expected settings (a{sv}) and a notifier path");
	reply = dbus_check_client_path(msg, "The notifier", notifier);
	if (reply)
		return reply;
	if (parse_settings(&dict, &request, why, sizeof(why)) < 0) {
		session_request_clear(&request);
		return dbus_error_invalid_args(msg, "%s", why);
	}
	if (!dbus_callers_identify(manager_callers(user_data), msg, MANAGER_INTERFACE,
				   session_dbus_create, &creds.uid, &creds.pid, &reply)) {
		session_request_clear(&request);
		return reply;
	}
	read_process(&creds);
	err = manager_sessions_create(ms, l_dbus_message_get_sender(msg), notifier, &creds,
				      &request, &session);
	session_request_clear(&request);
	/* The answer before the session's first Update, as ConnMan sends them. */
	l_dbus_send(dbus, create_answer(msg, notifier, &creds, session, err));
	if (session)
		manager_sessions_created(ms, session);
	l_free(creds.cgroup);
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
	manager_sessions_destroy(user_data, session_owner(session), session_path(session).s);
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
	struct session_request request;
	struct l_dbus_message_iter value;
	const char *name;
	char why[160];

	if (!session)
		return error;
	if (!l_dbus_message_get_arguments(msg, "sv", &name, &value))
		return dbus_error_invalid_args(msg, "Expected a setting name and a variant value");
	if (!strcmp(name, "ContextIdentifier"))
		return dbus_error_invalid_args(msg, "ContextIdentifier cannot be changed");
	session_copy_request(session, &request);
	if (parse_setting(&request, name, &value, why, sizeof(why)) < 0) {
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
	append_statistics(b, &st);
	l_dbus_message_builder_finalize(b);
	l_dbus_message_builder_destroy(b);
	return reply;
}

static void append_owned(struct session *session, const struct session_statistics *st,
			 void *data)
{
	struct l_dbus_message_builder *b = data;

	l_dbus_message_builder_enter_struct(b, "oa{sv}");
	l_dbus_message_builder_append_basic(b, 'o', session_path(session).s);
	append_statistics(b, st);
	l_dbus_message_builder_leave_struct(b);
}

/* (otttt): 7 builder calls a session, where (oa{sv}) takes 29. */
static void append_counters(struct session *session, const struct session_statistics *st,
			    void *data)
{
	struct l_dbus_message_builder *b = data;

	l_dbus_message_builder_enter_struct(b, "otttt");
	l_dbus_message_builder_append_basic(b, 'o', session_path(session).s);
	l_dbus_message_builder_append_basic(b, 't', &st->rx_packets);
	l_dbus_message_builder_append_basic(b, 't', &st->rx_bytes);
	l_dbus_message_builder_append_basic(b, 't', &st->tx_packets);
	l_dbus_message_builder_append_basic(b, 't', &st->tx_bytes);
	l_dbus_message_builder_leave_struct(b);
}

/* An array of the caller's sessions, each entry `signature` built by `fn`. */
static struct l_dbus_message *owned_reply(struct l_dbus_message *msg, void *manager,
					  const char *signature,
					  manager_sessions_statistics_fn fn)
{
	struct l_dbus_message *reply = l_dbus_message_new_method_return(msg);
	struct l_dbus_message_builder *b = l_dbus_message_builder_new(reply);
	int err;

	l_dbus_message_builder_enter_array(b, signature);
	err = manager_sessions_statistics_owned(manager_sessions(manager),
						l_dbus_message_get_sender(msg), fn, b);
	l_dbus_message_builder_leave_array(b);
	l_dbus_message_builder_finalize(b);
	l_dbus_message_builder_destroy(b);
	if (err < 0) {
		l_dbus_message_unref(reply);
		return dbus_error_errno(msg, err);
	}
	return reply;
}

struct l_dbus_message *session_dbus_statistics_all(struct l_dbus *dbus,
						   struct l_dbus_message *msg, void *user_data)
{
	return owned_reply(msg, user_data, "(oa{sv})", append_owned);
}

struct l_dbus_message *session_dbus_counters_all(struct l_dbus *dbus,
						 struct l_dbus_message *msg, void *user_data)
{
	return owned_reply(msg, user_data, "(otttt)", append_counters);
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

/* ELL (0.56) keeps a node's children in a linked list, which adding an
 * object scans (strncmp each) and removing one scans again: session paths
 * name the id, two digits an element (session-ids.h), so no node has more
 * than 100 children; ConnMan's /sessions/OWNER/NOTIFIER made one
 * application's sessions siblings, half of CreateSession's CPU at 10,000.
 * What still grows with the number of objects is ELL's own: registration
 * and dispatch look paths up in a fixed 127-bucket l_hashmap (a chain of
 * ~80 at 10,000 sessions, ~10% of CreateSession's CPU there). */
void session_dbus_add(struct l_dbus *dbus, struct session *session, struct manager_sessions *ms)
{
	if (dbus)
		l_dbus_object_add_interface(dbus, session_path(session).s, SESSION_INTERFACE, ms);
}

void session_dbus_remove(struct l_dbus *dbus, struct session *session)
{
	if (dbus)
		l_dbus_unregister_object(dbus, session_path(session).s);
}
