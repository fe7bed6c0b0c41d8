/* connd's net.connman.iwd.Agent: the object iwd asks for a network's
 * credentials while connecting. Each request is handed to the owner (the
 * Wi-Fi bearer, which asks the user's net.connman.Agent) and answered or
 * refused later; iwd's Cancel withdraws it. Only iwd may call it. */
#pragma once

#include <stdbool.h>
#include <ell/ell.h>

#define IWD_AGENT_PATH "/net/connman/connd/iwd_agent"

enum iwd_agent_kind {
	IWD_AGENT_PASSPHRASE,		/* RequestPassphrase(o) → s */
	IWD_AGENT_PRIVATE_KEY,		/* RequestPrivateKeyPassphrase(o) → s */
	IWD_AGENT_USER_AND_PASSWORD,	/* RequestUserNameAndPassword(o) → ss */
	IWD_AGENT_USER_PASSWORD,	/* RequestUserPassword(os) → s */
};

struct iwd_agent_request;

struct iwd_agent_ops {
	/* Whether the caller is iwd. */
	bool (*trusted)(const char *sender, void *data);
	/* A request: answer it with iwd_agent_reply() or iwd_agent_refuse(). */
	void (*request)(struct iwd_agent_request *req, void *data);
	/* iwd withdrew it (or left): it is freed when this returns. */
	void (*cancelled)(struct iwd_agent_request *req, void *data);
};

struct iwd_agent *iwd_agent_new(struct l_dbus *dbus, const struct iwd_agent_ops *ops,
				void *data);
/* Refuses what is pending. */
void iwd_agent_free(struct iwd_agent *agent);

enum iwd_agent_kind iwd_agent_request_kind(const struct iwd_agent_request *req);
const char *iwd_agent_request_network(const struct iwd_agent_request *req);
const char *iwd_agent_request_user(const struct iwd_agent_request *req);	/* or NULL */
/* The owner's own pointer for the request (NULL at first). */
void iwd_agent_request_set_data(struct iwd_agent_request *req, void *data);
void *iwd_agent_request_data(const struct iwd_agent_request *req);
/* Answer: `user` only for IWD_AGENT_USER_AND_PASSWORD. Frees the request. */
void iwd_agent_reply(struct iwd_agent_request *req, const char *user, const char *secret);
/* net.connman.iwd.Agent.Error.Canceled. Frees the request. */
void iwd_agent_refuse(struct iwd_agent_request *req);
/* Every pending request is withdrawn (iwd left the bus): cancelled() each. */
void iwd_agent_drop_all(struct iwd_agent *agent);
