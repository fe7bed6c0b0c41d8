#include <errno.h>
#include <string.h>
#include <ell/ell.h>

#include "vpn-agent.h"

#define VPN_AGENT_INTERFACE "net.connman.vpn.Agent"

struct vpn_agent {
	struct l_dbus *dbus;
	char *sender;
	char *path;
	unsigned int watch;		/* the agent's bus name leaving */
	struct l_idle *gone;		/* it left: forget it after the watch's callback */
};

struct request {
	vpn_agent_credentials_fn cb;
	void *data;
};

struct vpn_agent *vpn_agent_new(struct l_dbus *dbus)
{
	struct vpn_agent *agent = l_new(struct vpn_agent, 1);

	agent->dbus = dbus;
	return agent;
}

static void forget(struct vpn_agent *agent)
{
	l_idle_remove(agent->gone);
	agent->gone = NULL;
	if (agent->watch && agent->dbus)
		l_dbus_remove_watch(agent->dbus, agent->watch);
	agent->watch = 0;
	l_free(agent->sender);
	l_free(agent->path);
	agent->sender = agent->path = NULL;
}

void vpn_agent_free(struct vpn_agent *agent)
{
	if (!agent)
		return;
	forget(agent);
	l_free(agent);
}

static void forget_idle(struct l_idle *idle, void *data)
{
	forget(data);
}

/* The watch is removed outside its own callback, as agents.c does. */
static void agent_left(struct l_dbus *dbus, void *data)
{
	struct vpn_agent *agent = data;

	l_info("vpn: the agent %s left the bus", agent->sender);
	l_free(agent->path);
	agent->path = NULL;		/* no more requests to it */
	if (!agent->gone)
		agent->gone = l_idle_create(forget_idle, agent, NULL);
}

int vpn_agent_register(struct vpn_agent *agent, const char *sender, const char *path)
{
	if (agent->path)
		return -EEXIST;
	forget(agent);	/* one that left, not yet forgotten */
	agent->sender = l_strdup(sender);
	agent->path = l_strdup(path);
	if (agent->dbus)
		agent->watch = l_dbus_add_disconnect_watch(agent->dbus, sender, agent_left, agent,
							   NULL);
	return 0;
}

int vpn_agent_unregister(struct vpn_agent *agent, const char *sender, const char *path)
{
	if (!agent->path || strcmp(agent->path, path) || strcmp(agent->sender, sender))
		return -ENOENT;
	forget(agent);
	return 0;
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

uint32_t vpn_agent_request_credentials(struct vpn_agent *agent, const char *conn_path,
				       vpn_agent_credentials_fn cb, void *data)
{
	struct l_dbus_message *msg;
	struct l_dbus_message_builder *b;
	struct request *req;

	if (!agent->path || !agent->dbus)
		return 0;
	msg = l_dbus_message_new_method_call(agent->dbus, agent->sender, agent->path,
					     VPN_AGENT_INTERFACE, "RequestInput");
	b = l_dbus_message_builder_new(msg);
	l_dbus_message_builder_append_basic(b, 'o', conn_path);
	l_dbus_message_builder_enter_array(b, "{sv}");
	append_field(b, "Username", "string");
	append_field(b, "Password", "password");
	l_dbus_message_builder_leave_array(b);
	l_dbus_message_builder_finalize(b);
	l_dbus_message_builder_destroy(b);
	req = l_new(struct request, 1);
	req->cb = cb;
	req->data = data;
	return l_dbus_send_with_reply(agent->dbus, msg, credentials_reply, req, l_free);
}

void vpn_agent_cancel(struct vpn_agent *agent, uint32_t id)
{
	if (id && agent->dbus)
		l_dbus_cancel(agent->dbus, id);
}

void vpn_agent_report_error(struct vpn_agent *agent, const char *conn_path, const char *error)
{
	struct l_dbus_message *msg;

	if (!agent->path || !agent->dbus)
		return;
	msg = l_dbus_message_new_method_call(agent->dbus, agent->sender, agent->path,
					     VPN_AGENT_INTERFACE, "ReportError");
	l_dbus_message_set_arguments(msg, "os", conn_path, error);
	l_dbus_message_set_no_reply(msg, true);
	l_dbus_send(agent->dbus, msg);
}
