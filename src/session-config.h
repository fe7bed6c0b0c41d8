/* What a session may use: the settings its application asked for, narrowed by
 * its policy, and the choice of service that follows. Pure logic, so every
 * rule is unit-tested without a bus or a kernel. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "service-state.h"

enum session_conn_type {
	SESSION_CONN_ANY,
	SESSION_CONN_LOCAL,
	SESSION_CONN_INTERNET,
	SESSION_CONN_UNKNOWN,	/* ConnMan reports an unrecognised type as "" */
};

/* Bearers a session can name. */
extern const char *const session_known_bearers[];
/* What "*" and the absence of a policy allow, in this order: the known
 * bearers but "vpn", as in ConnMan. */
extern const char *const session_any_bearers[];

/* A list of distinct known bearers in 32 bits, 4 per bearer, the first in
 * the lowest: its index in session_known_bearers + 1; 0 ends the list. A
 * session's effective list costs 4 bytes instead of a string vector (64
 * bytes of blocks for one bearer). */
typedef uint32_t session_bearer_list;

/* The known bearers of strv, in its order, each once (NULL: none). */
session_bearer_list session_bearer_list_pack(char *const *strv);
/* A new string vector (l_strv_free) of the list, never NULL. */
char **session_bearer_list_strv(session_bearer_list list);
bool session_bearer_list_has(session_bearer_list list, const char *bearer);

struct session_settings {
	session_bearer_list allowed_bearers;	/* effective list, policy order; 0: none */
	enum session_conn_type type;
	char *allowed_interface;	/* NULL: any */
	bool source_ip_rule;
	char *context_identifier;
};

const char *session_conn_type_name(enum session_conn_type type);
int session_conn_type_parse(const char *name, enum session_conn_type *type);

/* Checks a client's bearer list: known names, "*" and "" only. -EINVAL and the
 * offending name in *bad otherwise. */
int session_bearers_validate(char *const *bearers, const char **bad);

/* The policy's list filtered by the user's, in the policy's order (ConnMan's
 * rule). A NULL policy list means "*"; a NULL user list means "*" too. A
 * "vpn" allowed needs a policy that names it. The result is never NULL (an
 * empty list means nothing is allowed). */
char **session_bearers_effective(char *const *policy, char *const *user);

/* Narrows `type` by the policy: a session never gets more than its policy. */
enum session_conn_type session_conn_type_effective(enum session_conn_type policy,
						   enum session_conn_type user);

/* Whether a service of `bearer` on `ifname` may carry the session once connected. */
bool session_may_ride(const struct session_settings *s, const char *bearer, const char *ifname);
/* Whether a service of `bearer` on `ifname` in `state` may carry the session. */
bool session_may_use(const struct session_settings *s, const char *bearer, const char *ifname,
		     enum service_state state);

/* The session's State for a service in `state` (or NULL service: "disconnected"). */
const char *session_state_name(const struct session_settings *s, bool has_service,
			       enum service_state state);

void session_settings_clear(struct session_settings *s);
