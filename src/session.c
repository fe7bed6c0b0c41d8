#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <ell/ell.h>

#include "dbus-util.h"
#include "service.h"
#include "session.h"

/* What the application was last told, to send only what changed. */
struct session_view {
	const char *state;
	char *name;
	char *bearer;
	char *ifname;
	struct ipv4_settings ipv4;
	char **bearers;
	const char *type;
	char *allowed_interface;
	bool source_ip_rule;
	char *context_identifier;
};

struct session {
	uint32_t id;
	char *owner;
	char *notifier;
	char *path;
	struct session_creds creds;
	struct session_request request;
	struct session_policy_rule policy;
	struct session_settings effective;
	struct service *service;
	bool active;
	bool sent_once;
	struct session_view sent;
};

/* "/sessions/" + owner with ':' and '.' as '_' + notifier, as ConnMan names them. */
static char *make_path(const char *owner, const char *notifier)
{
	char *path = l_strdup_printf("/sessions/%s%s", owner, notifier);

	for (char *p = path + strlen("/sessions/"); *p && *p != '/'; p++)
		if (*p == ':' || *p == '.')
			*p = '_';
	return path;
}

struct session *session_new(uint32_t id, const char *owner, const char *notifier,
			    const struct session_creds *creds)
{
	struct session *session = l_new(struct session, 1);

	session->id = id;
	session->owner = l_strdup(owner);
	session->notifier = l_strdup(notifier);
	session->path = make_path(owner, notifier);
	session->creds = *creds;
	session->creds.cgroup = l_strdup(creds->cgroup);
	session->effective.allowed_bearers = l_new(char *, 1);
	return session;
}

static void view_clear(struct session_view *v)
{
	l_free(v->name);
	l_free(v->bearer);
	l_free(v->ifname);
	l_strv_free(v->bearers);
	l_free(v->allowed_interface);
	l_free(v->context_identifier);
	memset(v, 0, sizeof(*v));
}

void session_request_clear(struct session_request *r)
{
	l_strv_free(r->allowed_bearers);
	l_free(r->allowed_interface);
	l_free(r->context_identifier);
	memset(r, 0, sizeof(*r));
}

void session_free(struct session *session)
{
	if (!session)
		return;
	view_clear(&session->sent);
	session_request_clear(&session->request);
	l_strv_free(session->policy.allowed_bearers);
	l_free(session->policy.cgroup);
	session_settings_clear(&session->effective);
	l_free(session->creds.cgroup);
	l_free(session->owner);
	l_free(session->notifier);
	l_free(session->path);
	l_free(session);
}

uint32_t session_id(const struct session *s) { return s->id; }
const char *session_owner(const struct session *s) { return s->owner; }
const char *session_notifier(const struct session *s) { return s->notifier; }
const char *session_path(const struct session *s) { return s->path; }
const struct session_creds *session_creds(const struct session *s) { return &s->creds; }
const struct session_settings *session_effective(const struct session *s) { return &s->effective; }
struct service *session_service(const struct session *s) { return s->service; }
bool session_active(const struct session *s) { return s->active; }
bool session_priority(const struct session *s) { return s->policy.priority; }
const struct session_policy_rule *session_policy(const struct session *s) { return &s->policy; }
const struct session_request *session_get_request(const struct session *s) { return &s->request; }

void session_set_active(struct session *session, bool active)
{
	session->active = active;
}

static void copy_request(struct session_request *dst, const struct session_request *src)
{
	session_request_clear(dst);
	dst->allowed_bearers = l_strv_copy(src->allowed_bearers);
	dst->type = src->type;
	dst->allowed_interface = src->allowed_interface && *src->allowed_interface ?
				 l_strdup(src->allowed_interface) : NULL;
	dst->source_ip_rule = src->source_ip_rule;
	dst->context_identifier = l_strdup(src->context_identifier);
	dst->statistics_interval = src->statistics_interval;
}

void session_configure(struct session *session, const struct session_request *request,
		       const struct session_policy_rule *policy)
{
	struct session_settings *e = &session->effective;

	if (request != &session->request)
		copy_request(&session->request, request);
	if (policy && policy != &session->policy) {
		l_strv_free(session->policy.allowed_bearers);
		l_free(session->policy.cgroup);
		session->policy = *policy;
		session->policy.allowed_bearers = l_strv_copy(policy->allowed_bearers);
		session->policy.cgroup = l_strdup(policy->cgroup);
	}
	session_settings_clear(e);
	e->allowed_bearers = session_bearers_effective(session->policy.allowed_bearers,
						       session->request.allowed_bearers);
	e->type = session_conn_type_effective(session->policy.type, session->request.type);
	e->allowed_interface = l_strdup(session->request.allowed_interface);
	e->source_ip_rule = session->request.source_ip_rule;
	e->context_identifier = l_strdup(session->request.context_identifier);
}

bool session_bind(struct session *session, struct service *service)
{
	if (session->service == service)
		return false;
	session->service = service;
	return true;
}

static void current_view(const struct session *s, struct session_view *v)
{
	const struct service *svc = s->service;
	enum service_state state = svc ? service_get_state(svc) : SERVICE_STATE_IDLE;

	memset(v, 0, sizeof(*v));
	v->state = session_state_name(&s->effective, svc != NULL, state);
	v->name = l_strdup(svc && service_name(svc) ? service_name(svc) : "");
	v->bearer = l_strdup(svc ? service_type(svc) : "");
	v->ifname = l_strdup(svc ? service_ifname(svc) : "");
	if (svc)
		v->ipv4 = *service_ipv4(svc);
	v->bearers = l_strv_copy(s->effective.allowed_bearers);
	v->type = session_conn_type_name(s->effective.type);
	v->allowed_interface = l_strdup(s->effective.allowed_interface ?
					s->effective.allowed_interface : "*");
	v->source_ip_rule = s->effective.source_ip_rule;
	v->context_identifier = l_strdup(s->effective.context_identifier ?
					 s->effective.context_identifier : "");
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

static void append_empty_dict_entry(struct l_dbus_message_builder *b, const char *key)
{
	l_dbus_message_builder_enter_dict(b, "sv");
	l_dbus_message_builder_append_basic(b, 's', key);
	l_dbus_message_builder_enter_variant(b, "a{sv}");
	l_dbus_message_builder_enter_array(b, "{sv}");
	l_dbus_message_builder_leave_array(b);
	l_dbus_message_builder_leave_variant(b);
	l_dbus_message_builder_leave_dict(b);
}

#define CHANGED(field_equal) (first || !(field_equal))

unsigned int session_append_changes(struct session *s, struct l_dbus_message_builder *b)
{
	struct session_view now, *old = &s->sent;
	bool first = !s->sent_once;
	unsigned int n = 0;

	current_view(s, &now);
	if (CHANGED(!strcmp(now.state, old->state)))
		dbus_dict_str(b, "State", now.state), n++;
	if (CHANGED(!strcmp(now.name, old->name)))
		dbus_dict_str(b, "Name", now.name), n++;
	if (CHANGED(!strcmp(now.bearer, old->bearer)))
		dbus_dict_str(b, "Bearer", now.bearer), n++;
	if (CHANGED(!strcmp(now.ifname, old->ifname)))
		dbus_dict_str(b, "Interface", now.ifname), n++;
	if (CHANGED(!memcmp(&now.ipv4, &old->ipv4, sizeof(now.ipv4))))
		append_ipv4(b, &now.ipv4), n++;
	if (first)
		append_empty_dict_entry(b, "IPv6"), n++;
	if (CHANGED(l_strv_eq(now.bearers, old->bearers)))
		dbus_dict_strv(b, "AllowedBearers", now.bearers), n++;
	if (CHANGED(!strcmp(now.type, old->type)))
		dbus_dict_str(b, "ConnectionType", now.type), n++;
	if (CHANGED(!strcmp(now.allowed_interface, old->allowed_interface)))
		dbus_dict_str(b, "AllowedInterface", now.allowed_interface), n++;
	if (CHANGED(now.source_ip_rule == old->source_ip_rule))
		dbus_dict_bool(b, "SourceIPRule", now.source_ip_rule), n++;
	if (CHANGED(!strcmp(now.context_identifier, old->context_identifier)))
		dbus_dict_str(b, "ContextIdentifier", now.context_identifier), n++;
	view_clear(old);
	*old = now;
	s->sent_once = true;
	return n;
}

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

int session_request_set(struct session_request *r, const char *key,
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

void session_append_statistics(struct l_dbus_message_builder *b,
			       const struct session_statistics *st)
{
	l_dbus_message_builder_enter_array(b, "{sv}");
	dbus_dict_u64(b, "RX.Packets", st->rx_packets);
	dbus_dict_u64(b, "RX.Bytes", st->rx_bytes);
	dbus_dict_u64(b, "TX.Packets", st->tx_packets);
	dbus_dict_u64(b, "TX.Bytes", st->tx_bytes);
	l_dbus_message_builder_leave_array(b);
}
