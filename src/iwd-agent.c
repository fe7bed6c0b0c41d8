#include <string.h>
#include <ell/ell.h>

#include "iwd-agent.h"

#define AGENT_INTERFACE "net.connman.iwd.Agent"

struct iwd_agent {
	struct l_dbus *dbus;
	const struct iwd_agent_ops *ops;
	void *data;
	struct l_queue *pending;	/* struct iwd_agent_request */
};

struct iwd_agent_request {
	struct iwd_agent *agent;
	struct l_dbus_message *msg;	/* iwd's call, to answer */
	enum iwd_agent_kind kind;
	char *network;
	char *user;
	void *owner_data;
};

static void request_free(struct iwd_agent_request *req)
{
	l_queue_remove(req->agent->pending, req);
	l_dbus_message_unref(req->msg);
	l_free(req->network);
	l_free(req->user);
	l_free(req);
}

enum iwd_agent_kind iwd_agent_request_kind(const struct iwd_agent_request *req)
{
	return req->kind;
}

const char *iwd_agent_request_network(const struct iwd_agent_request *req)
{
	return req->network;
}

const char *iwd_agent_request_user(const struct iwd_agent_request *req)
{
	return req->user;
}

void iwd_agent_request_set_data(struct iwd_agent_request *req, void *data)
{
	req->owner_data = data;
}

void *iwd_agent_request_data(const struct iwd_agent_request *req)
{
	return req->owner_data;
}

void iwd_agent_reply(struct iwd_agent_request *req, const char *user, const char *secret)
{
	struct l_dbus_message *reply = l_dbus_message_new_method_return(req->msg);

	if (req->kind == IWD_AGENT_USER_AND_PASSWORD)
		l_dbus_message_set_arguments(reply, "ss", user, secret);
	else
		l_dbus_message_set_arguments(reply, "s", secret);
	l_dbus_send(req->agent->dbus, reply);
	request_free(req);
}

void iwd_agent_refuse(struct iwd_agent_request *req)
{
	l_dbus_send(req->agent->dbus,
		    l_dbus_message_new_error(req->msg, AGENT_INTERFACE ".Error.Canceled",
					     "the user's agent gave no answer"));
	request_free(req);
}

static struct l_dbus_message *untrusted(struct l_dbus_message *msg)
{
	return l_dbus_message_new_error(msg, "net.connman.Error.PermissionDenied",
					"only iwd may call this agent");
}

/* Every request method: (o network [, s user]). */
static struct l_dbus_message *request(struct iwd_agent *agent, struct l_dbus_message *msg,
				      enum iwd_agent_kind kind)
{
	struct iwd_agent_request *req;
	const char *network, *user = NULL;
	bool ok = kind == IWD_AGENT_USER_PASSWORD ?
		l_dbus_message_get_arguments(msg, "os", &network, &user) :
		l_dbus_message_get_arguments(msg, "o", &network);

	if (!agent->ops->trusted(l_dbus_message_get_sender(msg), agent->data))
		return untrusted(msg);
	if (!ok)
		return l_dbus_message_new_error(msg, "net.connman.Error.InvalidArguments",
						"bad arguments");
	req = l_new(struct iwd_agent_request, 1);
	req->agent = agent;
	req->msg = l_dbus_message_ref(msg);
	req->kind = kind;
	req->network = l_strdup(network);
	req->user = l_strdup(user);
	l_queue_push_tail(agent->pending, req);
	agent->ops->request(req, agent->data);
	return NULL;	/* answered later */
}

static struct l_dbus_message *request_passphrase(struct l_dbus *dbus, struct l_dbus_message *msg,
						 void *data)
{
	return request(data, msg, IWD_AGENT_PASSPHRASE);
}

static struct l_dbus_message *request_private_key(struct l_dbus *dbus,
						  struct l_dbus_message *msg, void *data)
{
	return request(data, msg, IWD_AGENT_PRIVATE_KEY);
}

static struct l_dbus_message *request_user_and_password(struct l_dbus *dbus,
							struct l_dbus_message *msg, void *data)
{
	return request(data, msg, IWD_AGENT_USER_AND_PASSWORD);
}

static struct l_dbus_message *request_user_password(struct l_dbus *dbus,
						    struct l_dbus_message *msg, void *data)
{
	return request(data, msg, IWD_AGENT_USER_PASSWORD);
}

static void cancel_request(struct iwd_agent *agent, struct iwd_agent_request *req)
{
	l_queue_remove(agent->pending, req);
	agent->ops->cancelled(req, agent->data);
	l_dbus_send(agent->dbus, l_dbus_message_new_error(req->msg, AGENT_INTERFACE ".Error.Canceled",
							  "withdrawn"));
	request_free(req);
}

/* iwd withdraws its one outstanding request (timed out, user-canceled, ...). */
static struct l_dbus_message *cancel(struct l_dbus *dbus, struct l_dbus_message *msg, void *data)
{
	struct iwd_agent *agent = data;
	struct iwd_agent_request *req;
	const char *reason = "";

	if (!agent->ops->trusted(l_dbus_message_get_sender(msg), agent->data))
		return untrusted(msg);
	l_dbus_message_get_arguments(msg, "s", &reason);
	l_info("iwd withdrew its request for credentials: %s", reason);
	while ((req = l_queue_peek_head(agent->pending)))
		cancel_request(agent, req);
	return l_dbus_message_new_method_return(msg);
}

static struct l_dbus_message *release(struct l_dbus *dbus, struct l_dbus_message *msg,
				      void *data)
{
	struct iwd_agent *agent = data;

	if (!agent->ops->trusted(l_dbus_message_get_sender(msg), agent->data))
		return untrusted(msg);
	iwd_agent_drop_all(agent);
	return l_dbus_message_new_method_return(msg);
}

static void setup_interface(struct l_dbus_interface *iface)
{
	l_dbus_interface_method(iface, "Release", 0, release, "", "");
	l_dbus_interface_method(iface, "RequestPassphrase", 0, request_passphrase, "s", "o",
				"passphrase", "network");
	l_dbus_interface_method(iface, "RequestPrivateKeyPassphrase", 0, request_private_key,
				"s", "o", "passphrase", "network");
	l_dbus_interface_method(iface, "RequestUserNameAndPassword", 0,
				request_user_and_password, "ss", "o", "user", "password",
				"network");
	l_dbus_interface_method(iface, "RequestUserPassword", 0, request_user_password, "s",
				"os", "password", "network", "user");
	l_dbus_interface_method(iface, "Cancel", 0, cancel, "", "s", "reason");
}

struct iwd_agent *iwd_agent_new(struct l_dbus *dbus, const struct iwd_agent_ops *ops, void *data)
{
	struct iwd_agent *agent = l_new(struct iwd_agent, 1);

	agent->dbus = dbus;
	agent->ops = ops;
	agent->data = data;
	agent->pending = l_queue_new();
	if (!l_dbus_register_interface(dbus, AGENT_INTERFACE, setup_interface, NULL, false) ||
	    !l_dbus_object_add_interface(dbus, IWD_AGENT_PATH, AGENT_INTERFACE, agent))
		l_warn("cannot offer connd's agent to iwd");
	return agent;
}

void iwd_agent_drop_all(struct iwd_agent *agent)
{
	struct iwd_agent_request *req;

	while ((req = l_queue_peek_head(agent->pending)))
		cancel_request(agent, req);
}

void iwd_agent_free(struct iwd_agent *agent)
{
	if (!agent)
		return;
	iwd_agent_drop_all(agent);
	l_dbus_object_remove_interface(agent->dbus, IWD_AGENT_PATH, AGENT_INTERFACE);
	l_dbus_unregister_interface(agent->dbus, AGENT_INTERFACE);
	l_queue_destroy(agent->pending, NULL);
	l_free(agent);
}
