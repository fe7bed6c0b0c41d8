#include <errno.h>
#include <string.h>
#include <ell/ell.h>

#include "vpn-agent.h"
#include "vpn-agents.h"

#define VPN_AGENT_INTERFACE "net.connman.vpn.Agent"
#define KEY_PASSWORD_FIELD "OpenVPN.PrivateKeyPassword"

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

/* {Username, Password}: {Type, Requirement}, as ConnMan's vpnd asks. */
static void append_field(struct l_dbus_message_builder *b, const char *name, const char *type)
{
	l_dbus_message_builder_enter_dict(b, "sv");
	l_dbus_message_builder_append_basic(b, 's', name);
	l_dbus_message_builder_enter_variant(b, "a{sv}");
	l_dbus_message_builder_enter_array(b, "{sv}");
	l_dbus_message_builder_enter_dict(b, "sv");
	l_dbus_message_builder_append_basic(b, 's', "Type");
	l_dbus_message_builder_enter_variant(b, "s");
	l_dbus_message_builder_append_basic(b, 's', type);
	l_dbus_message_builder_leave_variant(b);
	l_dbus_message_builder_leave_dict(b);
	l_dbus_message_builder_enter_dict(b, "sv");
	l_dbus_message_builder_append_basic(b, 's', "Requirement");
	l_dbus_message_builder_enter_variant(b, "s");
	l_dbus_message_builder_append_basic(b, 's', "mandatory");
	l_dbus_message_builder_leave_variant(b);
	l_dbus_message_builder_leave_dict(b);
	l_dbus_message_builder_leave_array(b);
	l_dbus_message_builder_leave_variant(b);
	l_dbus_message_builder_leave_dict(b);
}

/* The answer goes straight to the caller; nothing of it is kept. */
static void credentials_reply(struct l_dbus_message *reply, void *data)
{
	struct request *req = data;
	struct l_dbus_message_iter dict, value;
	const char *key, *text, *user = NULL, *pass = NULL;

	if (l_dbus_message_is_error(reply) ||
	    !l_dbus_message_get_arguments(reply, "a{sv}", &dict)) {
		req->cb(-EIO, NULL, NULL, req->data);
		return;
	}
	while (l_dbus_message_iter_next_entry(&dict, &key, &value))
		if (l_dbus_message_iter_get_variant(&value, "s", &text)) {
			if (!strcmp(key, "Username"))
				user = text;
			else if (!strcmp(key, "Password"))
				pass = text;
		}
	req->cb(0, user, pass, req->data);
}

/* RequestInput(conn_path, fields) to `requester`'s agent: fields are
 * name, type pairs. NULL when no agent is registered. */
static struct l_dbus_message *request_input(struct vpn_agent *agent, const char *conn_path,
					    const char *requester, const char *const *fields)
{
	struct l_dbus_message *msg;
	struct l_dbus_message_builder *b;
	const char *sender, *path;

	if (!agent->dbus || !vpn_agents_find(agent->registered, requester, &sender, &path))
		return NULL;
	l_debug("vpn: %s for %s asked of the agent %s", fields[0], conn_path, sender);
	msg = l_dbus_message_new_method_call(agent->dbus, sender, path,
					     VPN_AGENT_INTERFACE, "RequestInput");
	b = l_dbus_message_builder_new(msg);
	l_dbus_message_builder_append_basic(b, 'o', conn_path);
	l_dbus_message_builder_enter_array(b, "{sv}");
	for (; fields[0]; fields += 2)
		append_field(b, fields[0], fields[1]);
	l_dbus_message_builder_leave_array(b);
	l_dbus_message_builder_finalize(b);
	l_dbus_message_builder_destroy(b);
	return msg;
}

uint32_t vpn_agent_request_credentials(struct vpn_agent *agent, const char *conn_path,
				       const char *requester, vpn_agent_credentials_fn cb,
				       void *data)
{
	static const char *const fields[] = {
		"Username", "string", "Password", "password", NULL
	};
	struct l_dbus_message *msg = request_input(agent, conn_path, requester, fields);
	struct request *req;

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

uint32_t vpn_agent_request_key_password(struct vpn_agent *agent, const char *conn_path,
					const char *requester, vpn_agent_key_password_fn cb,
					void *data)
{
	static const char *const fields[] = { KEY_PASSWORD_FIELD, "password", NULL };
	struct l_dbus_message *msg = request_input(agent, conn_path, requester, fields);
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
