/* Asking the VPN agents (net.connman.vpn.Agent, one per bus name: see
 * vpn-agents.h for which one a request goes to). Connections ask for
 * credentials or a private key's password and tell when they were refused; what an agent answers
 * is handed to the caller and never kept here. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct l_dbus;
struct vpn_agent;
struct vpn_challenge;

struct vpn_agent *vpn_agent_new(struct l_dbus *dbus);
void vpn_agent_free(struct vpn_agent *agent);	/* accepts NULL */
/* -EEXIST when `sender` has one registered already. */
int vpn_agent_register(struct vpn_agent *agent, const char *sender, const char *path);
/* -ENOENT unless `sender` registered `path`. */
int vpn_agent_unregister(struct vpn_agent *agent, const char *sender, const char *path);

/* Whom a request is about and for: the connection's path, the bus name the
 * attempt is for (its agent is asked; NULL: the default one), and the
 * connection's Host and Name, told to the agent as informational fields as
 * ConnMan's vpnd tells them (NULL: left out). */
struct vpn_agent_target {
	const char *path;
	const char *requester;
	const char *host;
	const char *name;
};

/* What the agent answered, borrowed for the callback; each NULL when it
 * left the field out. */
struct vpn_agent_credentials {
	const char *username;
	const char *password;
	const char *otp;	/* OpenVPN.OTP, only asked with a challenge */
};
/* result -EIO: the agent answered an error or nothing readable (answer
 * NULL); 0: its answer. */
typedef void (*vpn_agent_credentials_fn)(int result, const struct vpn_agent_credentials *answer,
					 void *data);
/* RequestInput(connection, {Username, Password, Host, Name}) of the
 * target's agent; with a `challenge`, also OpenVPN.OTP (a
 * "password" unless the challenge echoes: "string") and, informational,
 * OpenVPN.Challenge with its text; with `auth_failure` (the last
 * credentials were refused, vpn-auth-errors.h), the informational
 * VpnAgent.AuthFailure. Returns the call's id, 0 when no agent is
 * registered (the callback never runs then). */
uint32_t vpn_agent_request_credentials(struct vpn_agent *agent,
				       const struct vpn_agent_target *target,
				       const struct vpn_challenge *challenge, bool auth_failure,
				       vpn_agent_credentials_fn cb, void *data);
/* result -EIO: the agent answered an error or nothing readable; 0: its
 * answer, password NULL when it left it out. */
typedef void (*vpn_agent_key_password_fn)(int result, const char *password, void *data);
/* RequestInput(connection, {OpenVPN.PrivateKeyPassword, Host, Name}),
 * ConnMan's field for an encrypted private key, with its controls: not to
 * be stored nor taken from storage, and no reason to clear stored
 * credentials; the call's id, 0 when no agent is registered. */
uint32_t vpn_agent_request_key_password(struct vpn_agent *agent,
					const struct vpn_agent_target *target,
					vpn_agent_key_password_fn cb, void *data);
void vpn_agent_cancel(struct vpn_agent *agent, uint32_t id);
/* ReportError(connection, error), no reply awaited. */
void vpn_agent_report_error(struct vpn_agent *agent, const char *conn_path,
			    const char *requester, const char *error);
