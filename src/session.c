#include <string.h>
#include <ell/ell.h>

#include "service.h"
#include "session.h"
#include "session-ids.h"

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
	uint64_t sent[SESSION_FIELDS];	/* what the application was told, digested */
};

/* Named by its id (session-ids.h), not ConnMan's /sessions/OWNER/NOTIFIER,
 * under which one application's sessions are all siblings in ELL's tree. */
static char *make_path(uint32_t id)
{
	char *path = l_malloc(SESSION_PATH_MAX);

	session_id_path(id, path, SESSION_PATH_MAX);
	return path;
}

struct session *session_new(uint32_t id, const char *owner, const char *notifier,
			    const struct session_creds *creds)
{
	struct session *session = l_new(struct session, 1);

	session->id = id;
	session->owner = l_strdup(owner);
	session->notifier = l_strdup(notifier);
	session->path = make_path(id);
	session->creds = *creds;
	session->creds.cgroup = l_strdup(creds->cgroup);
	session->effective.allowed_bearers = l_new(char *, 1);
	session->active = true;	/* ConnMan's free ride: it rides from its creation on */
	return session;
}

void session_info_clear(struct session_info *v)
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

/* FNV-1a 64 over the bytes, NUL included, so that ["ab", "c"] and
 * ["a", "bc"] differ. */
static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
	for (const unsigned char *p = data; len--; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	return h;
}

#define FNV_BASIS 0xcbf29ce484222325ULL

static uint64_t str_digest(const char *text)
{
	return fnv(FNV_BASIS, text, strlen(text) + 1);
}

static uint64_t strv_digest(char **strv)
{
	uint64_t h = FNV_BASIS;

	for (unsigned int i = 0; strv && strv[i]; i++)
		h = fnv(h, strv[i], strlen(strv[i]) + 1);
	return h;
}

static uint64_t ipv4_digest(const struct ipv4_settings *ip)
{
	uint64_t h = fnv(FNV_BASIS, &ip->method, sizeof(ip->method));

	h = fnv(h, &ip->address, sizeof(ip->address));
	h = fnv(h, &ip->prefix_len, sizeof(ip->prefix_len));
	return fnv(h, &ip->gateway, sizeof(ip->gateway));
}

/* One digest per field, in enum session_field's bit order. IPv6 is always
 * empty: its digest never changes, so it is told once. */
static void digest_view(const struct session_info *v, uint64_t d[SESSION_FIELDS])
{
	d[0] = str_digest(v->state);
	d[1] = str_digest(v->name);
	d[2] = str_digest(v->bearer);
	d[3] = str_digest(v->ifname);
	d[4] = ipv4_digest(&v->ipv4);
	d[5] = 0;
	d[6] = strv_digest(v->bearers);
	d[7] = str_digest(v->type);
	d[8] = str_digest(v->allowed_interface);
	d[9] = v->source_ip_rule;
	d[10] = str_digest(v->context_identifier);
}

/* A session keeps digests of what it told, not copies: six allocations and
 * ~200 bytes less per session. A change goes untold only if two values
 * collide in 64 bits. */
unsigned int session_take_changes(struct session *s, struct session_info *now)
{
	uint64_t d[SESSION_FIELDS];
	unsigned int changed = 0;

	current_view(s, now);
	digest_view(now, d);
	for (unsigned int i = 0; i < SESSION_FIELDS; i++)
		if (!s->sent_once || d[i] != s->sent[i])
			changed |= 1u << i;
	memcpy(s->sent, d, sizeof(d));
	s->sent_once = true;
	return changed;
}
