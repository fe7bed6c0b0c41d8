/* VPN connections, ConnMan's net.connman.vpn, in connd's own process: the
 * vpn bearer. Each connection runs its tunnel through a provider of its
 * Type (vpn-provider.h: OpenVPN, WireGuard) and is a service `vpn_<ident>`
 * of type vpn in net.connman, whose state, addresses and nameservers follow
 * the tunnel. Its routes live in a table of its own (vpn-routes.h,
 * routing-vpn.h), with the host route to its server kept on the bearer
 * beneath; without SplitRouting it carries the default route and is the
 * default service, so its DNS answers every name. Connections are kept
 * across restarts (vpn-settings.h) in the format of ConnMan's .config files'
 * [provider_*] groups; agent credentials never are. The manager is vpn.c,
 * a connection vpn-conn.c, the agent vpn-agent.c, the D-Bus twin
 * vpn-dbus.c. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct bearer_module;
struct l_dbus_message;
struct vpn;
struct vpn_conn;

extern const struct bearer_module vpn_bearer;

enum vpn_state {
	VPN_STATE_IDLE,
	VPN_STATE_CONFIGURATION,
	VPN_STATE_READY,
	VPN_STATE_DISCONNECT,
	VPN_STATE_FAILURE,
};

const char *vpn_state_name(enum vpn_state state);

/* One route of UserRoutes or ServerRoutes, as ConnMan's API carries it. */
struct vpn_route {
	int family;		/* AF_INET, AF_INET6 */
	uint8_t network[16];	/* network byte order, masked */
	uint8_t prefix_len;
	bool has_gateway;
	uint8_t gateway[16];	/* the family's; kept and reported, see vpn-routes.c */
};

/* What Create (or a provisioning file) asks for, validated by vpn_create. */
struct vpn_request {
	const char *type, *name, *host, *domain;
	const char *auth_error_limit;	/* AuthErrorLimit's text; NULL: the provider's */
	char **keys;			/* provider keys: "OpenVPN.X", value, ... NULL */
	struct vpn_route *user_routes;	/* NULL: none */
	unsigned int n_user_routes;
	bool split_routing;
	bool immutable;			/* from a provisioning file (vpn-provision.h) */
};

/* Whether a provider key (ConnMan's "OpenVPN.*") is known for `type`. */
bool vpn_key_known(const char *type, const char *key);
/* A key kept but never shown on the bus (WireGuard's private and
 * preshared keys). */
bool vpn_key_secret(const char *type, const char *key);
/* 0 and the connection (a new one, or the existing one of the same host and
 * domain, updated); -EINVAL with *why; -EOPNOTSUPP with *why for a type
 * connd does not run (a clear reason: openconnect, vpnc, l2tp, pptp are not
 * supported; WireGuard needs the kernel's family). */
int vpn_create(struct vpn *vpn, const struct vpn_request *req, struct vpn_conn **out,
	       const char **why);
int vpn_remove(struct vpn *vpn, const char *path);
/* The object path a request's connection has (or would have). */
char *vpn_request_path(const struct vpn_request *req);
/* A provisioned connection whose file entry went away: removed even though
 * it is immutable. -ENOENT when there is none. */
int vpn_remove_provisioned(struct vpn *vpn, const char *path);
struct vpn_conn *vpn_find(const struct vpn *vpn, const char *path);
/* In creation order. */
const struct l_queue *vpn_connections(const struct vpn *vpn);
int vpn_register_agent(struct vpn *vpn, const char *sender, const char *path);
int vpn_unregister_agent(struct vpn *vpn, const char *sender, const char *path);

/* Called with 0 once connected, or a negative errno. */
typedef void (*vpn_connect_done_fn)(struct vpn_conn *conn, int result, void *data);
/* `requester`: the bus name the attempt is for (Connect's caller,
 * Connect2's argument), whose agent is asked for credentials; NULL: the
 * default agent (a Service.Connect). */
int vpn_conn_connect(struct vpn_conn *conn, const char *requester, vpn_connect_done_fn done,
		     void *data);
int vpn_conn_disconnect(struct vpn_conn *conn);
/* A provider key or one of Domain, SplitRouting (bool as "true"/"false");
 * value NULL clears it. -EINVAL bad value, -ENOENT unknown, -EPERM immutable. */
int vpn_conn_set(struct vpn_conn *conn, const char *key, const char *value);
int vpn_conn_set_user_routes(struct vpn_conn *conn, const struct vpn_route *routes,
			     unsigned int n);

const char *vpn_conn_path(const struct vpn_conn *conn);
/* Its service's, /net/connman/service/vpn_<ident>. */
const char *vpn_conn_service_path(const struct vpn_conn *conn);
enum vpn_state vpn_conn_state(const struct vpn_conn *conn);
const char *vpn_conn_type(const struct vpn_conn *conn);
const char *vpn_conn_name(const struct vpn_conn *conn);
const char *vpn_conn_host(const struct vpn_conn *conn);
const char *vpn_conn_domain(const struct vpn_conn *conn);
/* AuthErrorLimit as set; NULL: the provider's default. */
const char *vpn_conn_auth_error_limit(const struct vpn_conn *conn);
bool vpn_conn_immutable(const struct vpn_conn *conn);
bool vpn_conn_split_routing(const struct vpn_conn *conn);
int vpn_conn_index(const struct vpn_conn *conn);	/* -1 while no tun */
/* The pushed configuration while connected; NULL otherwise. */
const struct vpn_env *vpn_conn_env(const struct vpn_conn *conn);
char **vpn_conn_keys(const struct vpn_conn *conn);	/* pairs, borrowed */
const struct vpn_route *vpn_conn_user_routes(const struct vpn_conn *conn, unsigned int *n);
