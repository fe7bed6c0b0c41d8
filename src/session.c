#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <ell/ell.h>

#include "service.h"
#include "session.h"
#include "session-ids.h"
#include "session-policy.h"

/* What the application asked for, compactly: its bearer list packed, "*"
 * (or no list at all, which means the same) one flag. */
struct asked {
	session_bearer_list bearers;
	bool any;
	bool source_ip_rule;
	enum session_conn_type type;
	uint32_t statistics_interval;
	char *allowed_interface;	/* NULL: any */
	char *context_identifier;
};

/* One allocation per session: the record, then its fixed strings (owner,
 * notifier, cgroup) inline behind it. As strdups they cost a session ~140
 * bytes of blocks and headers, inline ~70; the owner's is the first and the
 * notifier's follows it, so neither needs a pointer. Its path is its id's. */
/* The settings a session's service decides (state, name, bearer,
 * interface, IPv4, IPv6): digests of what the application was told of them. */
#define SERVICE_FIELDS 6

/* The 8-byte members first, then the 4-byte ones, no padding between; the
 * strings start right after the last (offsetof, not sizeof): 132 bytes,
 * which with strings of up to 36 bytes (the bench's take ~33) fit a
 * 176-byte heap chunk, 16 less than 140 would. The creator's uid and gid are kept one by one, its cgroup found in
 * the strings, its pid not at all (only its creation reads it): as a struct
 * session_creds they took 24 bytes, a pointer and padding. */
struct session {
	uint32_t id;
	bool active : 1;		/* beside id: in what would be padding */
	bool sent_once : 1;
	bool has_cgroup : 1;		/* the third string is its creator's cgroup */
	uint8_t effective_type;		/* enum session_conn_type, the effective settings' */
	uint16_t untold;		/* enum session_field bits configure changed */
	struct asked asked;
	const struct session_policy_rule *policy;	/* a reference; never NULL */
	struct service *service;
	struct session_key_link key_link;
	uint32_t uid, gid;		/* its creator's */
	/* The effective settings' own part (the rest is the request's). */
	session_bearer_list effective_bearers;
	struct session_set_link set_link;
	uint32_t sent[SERVICE_FIELDS];	/* what the application was told, digested */
	char strings[];			/* owner, notifier, cgroup, each NUL-ended */
};

/* A session's rule before any policy matched it: everything allowed, the
 * user decides (static: not counted). */
static const struct session_policy_rule open_rule;

/* Copies text (NULL: none) to *at, moves *at past it; the copy or NULL. */
static char *put_string(char **at, const char *text)
{
	char *copy = *at;

	if (!text)
		return NULL;
	*at = stpcpy(copy, text) + 1;
	return copy;
}

struct session *session_new(uint32_t id, const char *owner, const char *notifier,
			    const struct session_creds *creds)
{
	size_t size = strlen(owner) + strlen(notifier) + 2 +
		      (creds->cgroup ? strlen(creds->cgroup) + 1 : 0);
	struct session *session = l_malloc(offsetof(struct session, strings) + size);
	char *at = session->strings;

	memset(session, 0, offsetof(struct session, strings));
	session->id = id;
	put_string(&at, owner);
	put_string(&at, notifier);
	session->uid = creds->uid;
	session->gid = creds->gid;
	session->has_cgroup = put_string(&at, creds->cgroup) != NULL;
	session->policy = &open_rule;
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

static void asked_clear(struct asked *a)
{
	l_free(a->allowed_interface);
	l_free(a->context_identifier);
	memset(a, 0, sizeof(*a));
}

void session_free(struct session *session)
{
	if (!session)
		return;
	asked_clear(&session->asked);
	session_policy_rule_unref(session->policy);
	l_free(session);
}

uint32_t session_id(const struct session *s) { return s->id; }
const char *session_owner(const struct session *s) { return s->strings; }
const char *session_notifier(const struct session *s) { return strchr(s->strings, '\0') + 1; }
/* Named by its id (session-ids.h), not ConnMan's /sessions/OWNER/NOTIFIER,
 * under which one application's sessions are all siblings in ELL's tree. */
struct session_path session_path(const struct session *s)
{
	struct session_path path;

	session_id_path(s->id, path.s, sizeof(path.s));
	return path;
}
uint32_t session_uid(const struct session *s) { return s->uid; }
uint32_t session_gid(const struct session *s) { return s->gid; }
const char *session_cgroup(const struct session *s)
{
	return s->has_cgroup ? strchr(session_notifier(s), '\0') + 1 : NULL;
}
struct session_settings session_effective(const struct session *s)
{
	return (struct session_settings) {
		.allowed_bearers = s->effective_bearers,
		.type = s->effective_type,
		.allowed_interface = s->asked.allowed_interface,
		.source_ip_rule = s->asked.source_ip_rule,
		.context_identifier = s->asked.context_identifier,
	};
}
struct service *session_service(const struct session *s) { return s->service; }
bool session_active(const struct session *s) { return s->active; }
bool session_priority(const struct session *s) { return s->policy->priority; }
const struct session_policy_rule *session_policy(const struct session *s) { return s->policy; }
uint32_t session_statistics_interval(const struct session *s) { return s->asked.statistics_interval; }
struct session_key_link *session_key_link(struct session *s) { return &s->key_link; }
struct session_set_link *session_set_link(struct session *s) { return &s->set_link; }

void session_set_active(struct session *session, bool active)
{
	session->active = active;
}

static bool has_any(char *const *bearers)
{
	for (; bearers && *bearers; bearers++)
		if (!strcmp(*bearers, "*"))
			return true;
	return false;
}

/* Over *a, whose strings the caller still holds. */
static void set_asked(struct asked *a, const struct session_request *r)
{
	memset(a, 0, sizeof(*a));
	a->bearers = session_bearer_list_pack(r->allowed_bearers);
	a->any = !r->allowed_bearers || has_any(r->allowed_bearers);
	a->type = r->type;
	a->allowed_interface = r->allowed_interface && *r->allowed_interface ?
			       l_strdup(r->allowed_interface) : NULL;
	a->source_ip_rule = r->source_ip_rule;
	a->context_identifier = l_strdup(r->context_identifier);
	a->statistics_interval = r->statistics_interval;
}

/* The bearers as the application named them: "*" first if it did. */
static char **asked_bearers(const struct asked *a)
{
	char **listed = session_bearer_list_strv(a->bearers);
	char **strv = a->any ? l_strv_append(l_new(char *, 1), "*") : l_new(char *, 1);

	for (char **b = listed; *b; b++)
		strv = l_strv_append(strv, *b);
	l_strv_free(listed);
	return strv;
}

void session_copy_request(const struct session *s, struct session_request *out)
{
	const struct asked *a = &s->asked;

	memset(out, 0, sizeof(*out));
	out->allowed_bearers = asked_bearers(a);
	out->type = a->type;
	out->allowed_interface = l_strdup(a->allowed_interface);
	out->source_ip_rule = a->source_ip_rule;
	out->context_identifier = l_strdup(a->context_identifier);
	out->statistics_interval = a->statistics_interval;
}

/* Which of the settings the request and policy decide differ. */
static unsigned int request_changes(const struct session_settings *a,
				    const struct session_settings *b)
{
	unsigned int changed = 0;

	if (a->allowed_bearers != b->allowed_bearers)
		changed |= SESSION_FIELD_ALLOWED_BEARERS;
	if (a->type != b->type)
		changed |= SESSION_FIELD_CONNECTION_TYPE;
	if (!l_streq0(a->allowed_interface, b->allowed_interface))
		changed |= SESSION_FIELD_ALLOWED_INTERFACE;
	if (a->source_ip_rule != b->source_ip_rule)
		changed |= SESSION_FIELD_SOURCE_IP_RULE;
	if (!l_streq0(a->context_identifier, b->context_identifier))
		changed |= SESSION_FIELD_CONTEXT_IDENTIFIER;
	return changed;
}

void session_configure(struct session *session, const struct session_request *request,
		       const struct session_policy_rule *policy)
{
	struct session_settings before = session_effective(session), after;
	struct asked old = session->asked;	/* before's strings, freed after the compare */
	const struct asked *a = &session->asked;
	char **bearers, **user;

	if (request)
		set_asked(&session->asked, request);
	if (policy && policy != session->policy) {
		session_policy_rule_unref(session->policy);
		session->policy = session_policy_rule_ref(policy);
	}
	user = asked_bearers(a);
	bearers = session_bearers_effective(session->policy->allowed_bearers, user);
	/* Packed; the request's strings are read where they are, not copied. */
	session->effective_bearers = session_bearer_list_pack(bearers);
	session->effective_type = session_conn_type_effective(session->policy->type, a->type);
	l_strv_free(bearers);
	l_strv_free(user);
	/* Told at the next take: the request's settings change only here. */
	after = session_effective(session);
	session->untold |= request_changes(&before, &after);
	if (request)
		asked_clear(&old);
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
	struct session_settings e = session_effective(s);

	memset(v, 0, sizeof(*v));
	v->state = session_state_name(&e, svc != NULL, state);
	v->name = l_strdup(svc && service_name(svc) ? service_name(svc) : "");
	v->bearer = l_strdup(svc ? service_type(svc) : "");
	v->ifname = l_strdup(svc ? service_ifname(svc) : "");
	if (svc) {
		v->ipv4 = *service_ipv4(svc);
		v->ipv6 = *service_ipv6(svc);
		v->ipv6_method = service_ipv6_config(svc)->method;
		v->ipv6_privacy = service_ipv6_config(svc)->privacy;
	}
	v->bearers = session_bearer_list_strv(e.allowed_bearers);
	v->type = session_conn_type_name(e.type);
	v->allowed_interface = l_strdup(e.allowed_interface ?
					e.allowed_interface : "*");
	v->source_ip_rule = e.source_ip_rule;
	v->context_identifier = l_strdup(e.context_identifier ?
					 e.context_identifier : "");
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

/* Kept in 32 bits, both halves folded in: FNV's low bits alone mix the
 * last bytes poorly. */
static uint32_t fold(uint64_t h)
{
	return (uint32_t)(h ^ (h >> 32));
}

static uint32_t str_digest(const char *text)
{
	return fold(fnv(FNV_BASIS, text, strlen(text) + 1));
}

static uint32_t ipv4_digest(const struct ipv4_settings *ip)
{
	uint64_t h = fnv(FNV_BASIS, &ip->method, sizeof(ip->method));

	h = fnv(h, &ip->address, sizeof(ip->address));
	h = fnv(h, &ip->prefix_len, sizeof(ip->prefix_len));
	return fold(fnv(h, &ip->gateway, sizeof(ip->gateway)));
}

/* What Update's IPv6 shows: not the kernel's on-link default metric. */
static uint32_t ipv6_digest(const struct session_info *v)
{
	uint64_t h = fnv(FNV_BASIS, &v->ipv6_method, sizeof(v->ipv6_method));

	h = fnv(h, &v->ipv6_privacy, sizeof(v->ipv6_privacy));
	h = fnv(h, &v->ipv6.address, sizeof(v->ipv6.address));
	h = fnv(h, &v->ipv6.prefix_len, sizeof(v->ipv6.prefix_len));
	return fold(fnv(h, &v->ipv6.gateway, sizeof(v->ipv6.gateway)));
}

/* One digest per setting the service decides, in enum session_field's bit
 * order (state, name, bearer, interface, IPv4, IPv6). */
static void digest_view(const struct session_info *v, uint32_t d[SERVICE_FIELDS])
{
	d[0] = str_digest(v->state);
	d[1] = str_digest(v->name);
	d[2] = str_digest(v->bearer);
	d[3] = str_digest(v->ifname);
	d[4] = ipv4_digest(&v->ipv4);
	d[5] = ipv6_digest(v);
}

/* A session keeps digests of what it told of the settings its service
 * decides, not copies: six allocations and ~200 bytes less per session. A
 * change goes untold only if the new value's digest equals the one last
 * told of the same setting: 32 bits (20 bytes a session less than 64) make
 * that about one change in 4 billion, and its cost is one setting left out
 * of one Update until it changes again; the states (three names) and the
 * bearers (a handful) have distinct digests, checked when this was
 * written. A service's name is the one value an outsider picks (an SSID):
 * a name crafted to collide costs no more, one Name left out. The
 * settings the request and the policy decide change only in
 * session_configure, which notes which did: no digest of them is kept. */
unsigned int session_take_changes(struct session *s, struct session_info *now)
{
	uint32_t d[SERVICE_FIELDS];
	unsigned int changed = s->untold;

	current_view(s, now);
	digest_view(now, d);
	for (unsigned int i = 0; i < SERVICE_FIELDS; i++)
		if (!s->sent_once || d[i] != s->sent[i])
			changed |= 1u << i;
	if (!s->sent_once)
		changed = (1u << SESSION_FIELDS) - 1;
	memcpy(s->sent, d, sizeof(d));
	s->sent_once = true;
	s->untold = 0;
	return changed;
}
