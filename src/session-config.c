#include <errno.h>
#include <string.h>
#include <ell/ell.h>

#include "session-config.h"

const char *const session_known_bearers[] = {
	"ethernet", "wifi", "bluetooth", "cellular", "gadget", "vpn", NULL
};

/* ConnMan 1.41 reports these for "*" and for a session without a policy: a
 * VPN rides on one of them, it is not a bearer of its own there (connd adds
 * "vpn" when the application names it, see add_asked_vpn). */
const char *const session_any_bearers[] = {
	"ethernet", "wifi", "bluetooth", "cellular", "gadget", NULL
};

static const char *const type_names[] = {
	[SESSION_CONN_ANY] = "any",
	[SESSION_CONN_LOCAL] = "local",
	[SESSION_CONN_INTERNET] = "internet",
	[SESSION_CONN_UNKNOWN] = "",
};

const char *session_conn_type_name(enum session_conn_type type)
{
	return type <= SESSION_CONN_UNKNOWN ? type_names[type] : "";
}

int session_conn_type_parse(const char *name, enum session_conn_type *type)
{
	for (enum session_conn_type t = SESSION_CONN_ANY; t < SESSION_CONN_UNKNOWN; t++) {
		if (!strcmp(name, type_names[t])) {
			*type = t;
			return 0;
		}
	}
	return -EINVAL;
}

/* Its index in session_known_bearers + 1, or 0 when unknown. */
static unsigned int bearer_code(const char *name)
{
	for (unsigned int i = 0; session_known_bearers[i]; i++)
		if (!strcmp(session_known_bearers[i], name))
			return i + 1;
	return 0;
}

static bool is_known_bearer(const char *name)
{
	return bearer_code(name) != 0;
}

session_bearer_list session_bearer_list_pack(char *const *strv)
{
	session_bearer_list list = 0;
	unsigned int shift = 0;

	for (; strv && *strv; strv++) {
		unsigned int code = bearer_code(*strv);

		/* Distinct codes below 16: at most 8 fit, and there are fewer. */
		if (code && !session_bearer_list_has(list, *strv) && shift < 32) {
			list |= (session_bearer_list)code << shift;
			shift += 4;
		}
	}
	return list;
}

char **session_bearer_list_strv(session_bearer_list list)
{
	char **strv = l_new(char *, 1);

	for (; list & 0xf; list >>= 4)
		strv = l_strv_append(strv, session_known_bearers[(list & 0xf) - 1]);
	return strv;
}

bool session_bearer_list_has(session_bearer_list list, const char *bearer)
{
	unsigned int code = bearer_code(bearer);

	for (; code && list & 0xf; list >>= 4)
		if ((list & 0xf) == code)
			return true;
	return false;
}

int session_bearers_validate(char *const *bearers, const char **bad)
{
	for (; bearers && *bearers; bearers++) {
		if (**bearers && strcmp(*bearers, "*") && !is_known_bearer(*bearers)) {
			*bad = *bearers;
			return -EINVAL;
		}
	}
	return 0;
}

static bool list_allows(char *const *list, const char *bearer)
{
	if (!list)
		return true;
	for (; *list; list++)
		if (!strcmp(*list, "*") || !strcmp(*list, bearer))
			return true;
	return false;
}

/* Without a policy, "vpn" named by the application itself (not through
 * "*") makes the VPN a bearer of the session, where ConnMan 1.41 drops it:
 * the application's traffic then goes through the tunnel alone. */
static char **add_asked_vpn(char **out, char *const *user)
{
	for (; user && *user; user++)
		if (!strcmp(*user, "vpn"))
			return l_strv_append(out, "vpn");
	return out;
}

char **session_bearers_effective(char *const *policy, char *const *user)
{
	char **out = l_new(char *, 1);
	char *const *order = policy ? policy : (char *const *)session_any_bearers;

	for (; *order; order++) {
		const char *const *b;

		if (!strcmp(*order, "*")) {
			for (b = session_any_bearers; *b; b++)
				if (list_allows(user, *b) && !l_strv_contains(out, *b))
					out = l_strv_append(out, *b);
			continue;
		}
		if (is_known_bearer(*order) && list_allows(user, *order) &&
		    !l_strv_contains(out, *order))
			out = l_strv_append(out, *order);
	}
	return policy ? out : add_asked_vpn(out, user);
}

enum session_conn_type session_conn_type_effective(enum session_conn_type policy,
						   enum session_conn_type user)
{
	/* "any" in a policy leaves the choice to the user; otherwise the policy wins. */
	return policy == SESSION_CONN_ANY ? user : policy;
}

bool session_may_ride(const struct session_settings *s, const char *bearer, const char *ifname)
{
	if (s->type == SESSION_CONN_UNKNOWN)
		return false;
	if (s->allowed_interface && (!ifname || strcmp(s->allowed_interface, ifname)))
		return false;
	return session_bearer_list_has(s->allowed_bearers, bearer);
}

bool session_may_use(const struct session_settings *s, const char *bearer, const char *ifname,
		     enum service_state state)
{
	if (!service_state_is_connected(state))
		return false;
	if (s->type == SESSION_CONN_INTERNET && state != SERVICE_STATE_ONLINE)
		return false;
	return session_may_ride(s, bearer, ifname);
}

const char *session_state_name(const struct session_settings *s, bool has_service,
			       enum service_state state)
{
	if (!has_service || !service_state_is_connected(state))
		return "disconnected";
	/* A local session never reports more than connected. */
	if (state == SERVICE_STATE_ONLINE && s->type != SESSION_CONN_LOCAL)
		return "online";
	return "connected";
}

void session_settings_clear(struct session_settings *s)
{
	l_free(s->allowed_interface);
	l_free(s->context_identifier);
	memset(s, 0, sizeof(*s));
}
