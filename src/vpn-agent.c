#include <errno.h>
#include <string.h>
#include <ell/ell.h>

#include "dbus-util.h"
#include "vpn-agent.h"
#include "vpn-agents.h"
#include "vpn-challenge.h"

#define VPN_AGENT_INTERFACE "net.connman.vpn.Agent"
#define KEY_PASSWORD_FIELD "OpenVPN.PrivateKeyPassword"
/* Not in ConnMan's vpn-agent-api.txt (it has no one-time codes): named in
 * its style, beside OpenVPN.PrivateKeyPassword. */
#define OTP_FIELD "OpenVPN.OTP"
#define CHALLENGE_FIELD "OpenVPN.Challenge"
#define AUTH_FAILURE_FIELD "VpnAgent.AuthFailure"

struct vpn_agent {
	struct l_dbus *dbus;
	struct vpn_agents *registered;	/* one per bus name (vpn-agents.h) */
};

struct request {
	vpn_agent_credentials_fn cb;
	void *data;
};

struct key_request {
	vpn_agent_key_password_fn cb;
	void *data;
};

struct vpn_agent *vpn_agent_new(struct l_dbus *dbus)
{
	struct vpn_agent *agent = l_new(struct vpn_agent, 1);

	agent->dbus = dbus;
	agent->registered = vpn_agents_new(dbus);
	return agent;
}

void vpn_agent_free(struct vpn_agent *agent)
{
	if (!agent)
		return;
	vpn_agents_free(agent->registered);
	l_free(agent);
}

int vpn_agent_register(struct vpn_agent *agent, const char *sender, const char *path)
{
	return vpn_agents_register(agent->registered, sender, path);
}

int vpn_agent_unregister(struct vpn_agent *agent, const char *sender, const char *path)
{
	return vpn_agents_unregister(agent->registered, sender, path);
}

/* NAME: {Type, Requirement[, Value]}, as ConnMan's vpnd asks. */
struct field {
	const char *name;
	const char *type;
	const char *requirement;
	const char *value;	/* an informational field's, else NULL */
};

static void append_field(struct l_dbus_message_builder *b, const struct field *f)
{
	l_dbus_message_builder_enter_dict(b, "sv");
	l_dbus_message_builder_append_basic(b, 's', f->name);
	l_dbus_message_builder_enter_variant(b, "a{sv}");
	l_dbus_message_builder_enter_array(b, "{sv}");
	dbus_dict_str(b, "Type", f->type);
	dbus_dict_str(b, "Requirement", f->requirement);
	if (f->value)
		dbus_dict_str(b, "Value", f->value);
	l_dbus_message_builder_leave_array(b);
	l_dbus_message_builder_leave_variant(b);
	l_dbus_message_builder_leave_dict(b);
}

/* The answer goes straight to the caller; nothing of it is kept. */
static void credentials_reply(struct l_dbus_message *reply, void *data)
{
	struct request *req = data;
	struct l_dbus_message_iter dict, value;
	const char *key, *text;
	struct vpn_agent_credentials answer = {};

	if (l_dbus_message_is_error(reply) ||
	    !l_dbus_message_get_arguments(reply, "a{sv}", &dict)) {
		req->cb(-EIO, NULL, req->data);
		return;
	}
	while (l_dbus_message_iter_next_entry(&dict, &key, &value))
		if (l_dbus_message_iter_get_variant(&value, "s", &text)) {
			/* ConnMan's openvpn plugin asks for OpenVPN.Username and
			 * OpenVPN.Password, so agents written for it may answer
			 * with those names whatever was asked. */
			if (!strcmp(key, "Username") || !strcmp(key, "OpenVPN.Username"))
				answer.username = text;
			else if (!strcmp(key, "Password") || !strcmp(key, "OpenVPN.Password"))
				answer.password = text;
			else if (!strcmp(key, OTP_FIELD))
				answer.otp = text;
		}
	req->cb(0, &answer, req->data);
}

/* NAME: {Type: boolean, Requirement: control, Value}. */
static void append_control(struct l_dbus_message_builder *b, const char *name, bool value)
{
	l_dbus_message_builder_enter_dict(b, "sv");
	l_dbus_message_builder_append_basic(b, 's', name);
	l_dbus_message_builder_enter_variant(b, "a{sv}");
	l_dbus_message_builder_enter_array(b, "{sv}");
	dbus_dict_str(b, "Type", "boolean");
	dbus_dict_str(b, "Requirement", "control");
	dbus_dict_bool(b, "Value", value);
	l_dbus_message_builder_leave_array(b);
	l_dbus_message_builder_leave_variant(b);
	l_dbus_message_builder_leave_dict(b);
}

/* The controls ConnMan's vpnd sends with a private key's password. */
struct controls {
	bool present;
	bool allow_store, allow_retrieve, keep;
};

/* RequestInput(path, fields, Host, Name[, controls]) to the target's agent:
 * fields end with a NULL name. NULL when no agent is registered. */
static struct l_dbus_message *request_input(struct vpn_agent *agent,
					    const struct vpn_agent_target *t,
					    const struct field *fields, const struct controls *controls)
{
	struct l_dbus_message *msg;
	struct l_dbus_message_builder *b;
	const char *sender, *path;

	if (!agent->dbus || !vpn_agents_find(agent->registered, t->requester, &sender, &path))
		return NULL;
	l_debug("vpn: %s for %s asked of the agent %s", fields[0].name, t->path, sender);
	msg = l_dbus_message_new_method_call(agent->dbus, sender, path,
					     VPN_AGENT_INTERFACE, "RequestInput");
	b = l_dbus_message_builder_new(msg);
	l_dbus_message_builder_append_basic(b, 'o', t->path);
	l_dbus_message_builder_enter_array(b, "{sv}");
	for (; fields->name; fields++)
		append_field(b, fields);
	if (t->host)
		append_field(b, &(struct field){ "Host", "string", "informational", t->host });
	if (t->name)
		append_field(b, &(struct field){ "Name", "string", "informational", t->name });
	if (controls && controls->present) {
		append_control(b, "AllowStoreCredentials", controls->allow_store);
		append_control(b, "AllowRetrieveCredentials", controls->allow_retrieve);
		append_control(b, "KeepCredentials", controls->keep);
	}
	l_dbus_message_builder_leave_array(b);
	l_dbus_message_builder_finalize(b);
	l_dbus_message_builder_destroy(b);
	return msg;
}

uint32_t vpn_agent_request_credentials(struct vpn_agent *agent,
				       const struct vpn_agent_target *target,
				       const struct vpn_challenge *challenge, bool auth_failure,
				       vpn_agent_credentials_fn cb, void *data)
{
	struct field fields[] = {
		{ "Username", "string", "mandatory", NULL },
		{ "Password", "password", "mandatory", NULL },
		{ NULL }, { NULL }, { NULL }, { NULL },
	};
	unsigned int n = 2;
	struct l_dbus_message *msg;
	struct request *req;

	if (challenge) {
		fields[n++] = (struct field){ OTP_FIELD, challenge->echo ? "string" : "password",
					      "mandatory", NULL };
		fields[n++] = (struct field){ CHALLENGE_FIELD, "string", "informational",
					      challenge->text };
	}
	if (auth_failure)
		fields[n++] = (struct field){ AUTH_FAILURE_FIELD, "string", "informational", NULL };
	msg = request_input(agent, target, fields, NULL);
	if (!msg)
		return 0;
	req = l_new(struct request, 1);
	req->cb = cb;
	req->data = data;
	return l_dbus_send_with_reply(agent->dbus, msg, credentials_reply, req, l_free);
}

/* As credentials_reply: straight to the caller, nothing kept. */
static void key_password_reply(struct l_dbus_message *reply, void *data)
{
	struct key_request *req = data;
	struct l_dbus_message_iter dict, value;
	const char *key, *text, *password = NULL;

	if (l_dbus_message_is_error(reply) ||
	    !l_dbus_message_get_arguments(reply, "a{sv}", &dict)) {
		req->cb(-EIO, NULL, req->data);
		return;
	}
	while (l_dbus_message_iter_next_entry(&dict, &key, &value))
		if (!strcmp(key, KEY_PASSWORD_FIELD) &&
		    l_dbus_message_iter_get_variant(&value, "s", &text))
			password = text;
	req->cb(0, password, req->data);
}

uint32_t vpn_agent_request_key_password(struct vpn_agent *agent,
					const struct vpn_agent_target *target,
					vpn_agent_key_password_fn cb, void *data)
{
	static const struct field fields[] = {
		{ KEY_PASSWORD_FIELD, "password", "mandatory", NULL }, { NULL }
	};
	static const struct controls controls = {
		.present = true, .allow_store = false, .allow_retrieve = false, .keep = true,
	};
	struct l_dbus_message *msg = request_input(agent, target, fields, &controls);
	struct key_request *req;

	if (!msg)
		return 0;
	req = l_new(struct key_request, 1);
	req->cb = cb;
	req->data = data;
	return l_dbus_send_with_reply(agent->dbus, msg, key_password_reply, req, l_free);
}

void vpn_agent_cancel(struct vpn_agent *agent, uint32_t id)
{
	if (id && agent->dbus)
		l_dbus_cancel(agent->dbus, id);
}

void vpn_agent_report_error(struct vpn_agent *agent, const char *conn_path,
			    const char *requester, const char *error)
{
	struct l_dbus_message *msg;
	const char *sender, *path;

	if (!agent->dbus || !vpn_agents_find(agent->registered, requester, &sender, &path))
		return;
	msg = l_dbus_message_new_method_call(agent->dbus, sender, path,
					     VPN_AGENT_INTERFACE, "ReportError");
	l_dbus_message_set_arguments(msg, "os", conn_path, error);
	l_dbus_message_set_no_reply(msg, true);
	l_dbus_send(agent->dbus, msg);
}
