#include <string.h>
#include <ell/ell.h>

#include "service.h"
#include "session.h"

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
	struct session_info sent;
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
	session->active = true;	/* ConnMan's free ride: it rides from its creation on */
	return session;
}

static void view_clear(struct session_info *v)
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

static void current_view(const struct session *s, struct session_info *v)
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

#define CHANGED(field, equal) (first || !(equal) ? (field) : 0)

unsigned int session_take_changes(struct session *s, const struct session_info **info)
{
	struct session_info now, *old = &s->sent;
	bool first = !s->sent_once;
	unsigned int changed = 0;

	current_view(s, &now);
	changed |= CHANGED(SESSION_FIELD_STATE, !strcmp(now.state, old->state));
	changed |= CHANGED(SESSION_FIELD_NAME, !strcmp(now.name, old->name));
	changed |= CHANGED(SESSION_FIELD_BEARER, !strcmp(now.bearer, old->bearer));
	changed |= CHANGED(SESSION_FIELD_INTERFACE, !strcmp(now.ifname, old->ifname));
	changed |= CHANGED(SESSION_FIELD_IPV4, !memcmp(&now.ipv4, &old->ipv4, sizeof(now.ipv4)));
	changed |= first ? SESSION_FIELD_IPV6 : 0;
	changed |= CHANGED(SESSION_FIELD_ALLOWED_BEARERS, l_strv_eq(now.bearers, old->bearers));
	changed |= CHANGED(SESSION_FIELD_CONNECTION_TYPE, !strcmp(now.type, old->type));
	changed |= CHANGED(SESSION_FIELD_ALLOWED_INTERFACE,
			   !strcmp(now.allowed_interface, old->allowed_interface));
	changed |= CHANGED(SESSION_FIELD_SOURCE_IP_RULE, now.source_ip_rule == old->source_ip_rule);
	changed |= CHANGED(SESSION_FIELD_CONTEXT_IDENTIFIER,
			   !strcmp(now.context_identifier, old->context_identifier));
	view_clear(old);
	*old = now;
	s->sent_once = true;
	*info = old;
	return changed;
}
