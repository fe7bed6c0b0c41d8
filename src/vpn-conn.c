#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <ell/ell.h>

#include "config.h"
#include "manager.h"
#include "names.h"
#include "routing-vpn.h"
#include "rtnl.h"
#include "service.h"
#include "vpn.h"
#include "vpn-agent.h"
#include "vpn-auth-errors.h"
#include "vpn-conn.h"
#include "vpn-dbus.h"
#include "vpn-env.h"
#include "vpn-provider.h"
#include "vpn-routes.h"
#include "vpn-settings.h"

#define CONNECT_TIMEOUT_S 60

struct vpn_conn {
	struct vpn_context ctx;
	const struct vpn_provider *provider;
	unsigned int id;
	char *ident;
	char *path;
	char *type, *name, *host, *domain;
	char **keys;			/* pairs */
	struct vpn_route *user_routes;
	unsigned int n_user_routes;
	bool split_routing;
	bool immutable;
	enum vpn_state state;
	bool failed;			/* the last attempt failed: idle shows as failure */
	char ifname[IF_NAMESIZE];
	int ifindex;			/* 0 while no tunnel */
	struct vpn_tunnel *tunnel;
	struct l_idle *exited;		/* the tunnel ended: handled outside its callback */
	struct l_idle *failing;		/* a failure found inside the provider's callbacks */
	struct l_idle *applying;	/* the tunnel came up: applied outside its callback */
	const char *fail_reason;
	char exit_reason[96];
	bool have_env;
	struct vpn_env env;
	struct vpn_table *table;
	struct service *svc;
	struct l_timeout *connect_timeout;
	uint32_t agent_call;		/* RequestInput under way */
	char *requester;		/* the bus name the attempt is for: its agent is asked */
	bool auth_failed;		/* the server refused the credentials */
	char *auth_error_limit;		/* AuthErrorLimit as set; NULL: the provider's */
	struct vpn_auth_errors auth_errors;
	vpn_connect_done_fn done;
	void *done_data;
};

static const char *const state_names[] = {
	[VPN_STATE_IDLE] = "idle",
	[VPN_STATE_CONFIGURATION] = "configuration",
	[VPN_STATE_READY] = "ready",
	[VPN_STATE_DISCONNECT] = "disconnect",
	[VPN_STATE_FAILURE] = "failure",
};

const char *vpn_state_name(enum vpn_state state)
{
	return state_names[state];
}

static void emit(struct vpn_conn *conn, const char *name)
{
	vpn_dbus_emit(conn->ctx.dbus, conn, name);
}

static void set_state(struct vpn_conn *conn, enum vpn_state state)
{
	if (conn->state == state)
		return;
	l_info("vpn %s: %s -> %s", conn->ident, state_names[conn->state], state_names[state]);
	conn->state = state;
	if (state == VPN_STATE_READY)
		vpn_auth_errors_connected(&conn->auth_errors, l_time_now() / L_USEC_PER_SEC);
	emit(conn, "State");
}

void vpn_conn_save(struct vpn_conn *conn)
{
	struct vpn_request req = {
		.type = conn->type, .name = conn->name, .host = conn->host,
		.domain = conn->domain, .keys = conn->keys, .user_routes = conn->user_routes,
		.n_user_routes = conn->n_user_routes, .split_routing = conn->split_routing,
		.auth_error_limit = conn->auth_error_limit,
	};

	vpn_settings_save(conn->ctx.state_dir, conn->ident, &req);
}

/* ---- routes ---- */

static bool has_address(struct service *svc, int family)
{
	return family == AF_INET ? service_ipv4(svc)->address != 0 :
				   !IN6_IS_ADDR_UNSPECIFIED(&service_ipv6(svc)->address);
}

/* The service the tunnel's packets leave through: the best connected one
 * that is not a VPN and has an address of the server's family. */
static struct service *uplink(const struct vpn_conn *conn, int family)
{
	const struct l_queue_entry *e;

	for (e = l_queue_get_entries(manager_services(conn->ctx.manager)); e; e = e->next)
		if (strcmp(service_type(e->data), "vpn") &&
		    service_state_is_connected(service_get_state(e->data)) &&
		    has_address(e->data, family))
			return e->data;
	return NULL;
}

static void apply_routes(struct vpn_conn *conn)
{
	struct service *up = uplink(conn, AF_INET), *up6 = uplink(conn, AF_INET6);
	struct vpn_routes_in in = {
		.env = conn->have_env ? &conn->env : NULL, .ifindex = conn->ifindex,
		.split_routing = conn->split_routing, .user_routes = conn->user_routes,
		.n_user_routes = conn->n_user_routes,
		.uplink_ifindex = up ? service_ifindex(up) : 0, .uplink = up ? service_ipv4(up) : NULL,
		.uplink6_ifindex = up6 ? service_ifindex(up6) : 0,
		.uplink6 = up6 ? service_ipv6(up6) : NULL,
	};
	int err = vpn_routes_apply(conn->table, &in);

	if (err < 0)
		l_warn("vpn %s: routes: %s", conn->ident, strerror(-err));
}

/* ---- the tunnel's life ---- */

static void copy_env(struct vpn_env *to, const struct vpn_env *from)
{
	vpn_env_clear(to);
	*to = *from;
	to->nameservers = l_strv_copy(from->nameservers);
	to->domains = l_strv_copy(from->domains);
}

static void forget_env(struct vpn_conn *conn)
{
	vpn_env_clear(&conn->env);
	memset(&conn->env, 0, sizeof(conn->env));
	conn->have_env = false;
}

static void emit_tunnel(struct vpn_conn *conn)
{
	emit(conn, "Index");
	emit(conn, "IPv4");
	emit(conn, "IPv6");
	emit(conn, "Nameservers");
	emit(conn, "ServerRoutes");
}

static void fail(struct vpn_conn *conn, const char *why);

/* What the tunnel carries becomes the service's: its link, fixed address,
 * IPv6, DNS; the routes are the VPN table's. */
static void apply_tunnel(struct l_idle *idle, void *data)
{
	struct vpn_conn *conn = data;
	const struct vpn_env *env = &conn->env;
	struct rtnl_link_info link = { .type = ARPHRD_NONE, .mtu = 1500 };
	struct ipv6_settings v6 = { .method = IPV6_METHOD_OFF };
	bool first = conn->state == VPN_STATE_CONFIGURATION;

	l_idle_remove(conn->applying);
	conn->applying = NULL;
	link.ifindex = if_nametoindex(conn->ifname);
	if (!link.ifindex) {
		fail(conn, "the tunnel's link is gone");
		return;
	}
	l_strlcpy(link.ifname, conn->ifname, sizeof(link.ifname));
	if (env->link_layer)
		link.type = ARPHRD_ETHER;	/* a tap: frames carry a header */
	conn->ifindex = link.ifindex;
	rtnl_link_set_up(manager_rtnl(conn->ctx.manager), link.ifindex, true);
	if (first)
		service_set_link(conn->svc, &link);
	service_set_fixed_ipv4(conn->svc, env->address, env->prefix_len);
	if (!IN6_IS_ADDR_UNSPECIFIED(&env->address6)) {
		v6.method = IPV6_METHOD_MANUAL;
		v6.address = env->address6;
		v6.prefix_len = env->prefix_len6;
	}
	service_set_ipv6_config(conn->svc, &v6);
	service_set_bearer_dns(conn->svc, env->nameservers, env->domains);
	service_set_carries_default(conn->svc, vpn_routes_carry_default(env, conn->split_routing));
	apply_routes(conn);
	emit_tunnel(conn);
	if (first)
		service_link_ready(conn->svc);
}

/* Kept now, applied at the end of this turn: what it sets off may stop
 * the tunnel, whose callback this is. */
static void tunnel_up(const struct vpn_env *env, void *data)
{
	struct vpn_conn *conn = data;

	if (strcmp(env->dev, conn->ifname)) {
		l_warn("vpn %s: the tunnel names %s, not %s; ignored", conn->ident, env->dev,
		       conn->ifname);
		return;
	}
	copy_env(&conn->env, env);
	conn->have_env = true;
	if (!conn->applying)
		conn->applying = l_idle_create(apply_tunnel, conn, NULL);
}

static void exit_idle(struct l_idle *idle, void *data)
{
	struct vpn_conn *conn = data;

	l_idle_remove(conn->exited);
	conn->exited = NULL;
	fail(conn, conn->auth_failed ? "authentication failed" : conn->exit_reason);
}

static void tunnel_exited(const char *why, void *data)
{
	struct vpn_conn *conn = data;

	l_strlcpy(conn->exit_reason, why, sizeof(conn->exit_reason));
	if (!conn->exited)
		conn->exited = l_idle_create(exit_idle, conn, NULL);
}

static void failing_idle(struct l_idle *idle, void *data)
{
	struct vpn_conn *conn = data;

	l_idle_remove(conn->failing);
	conn->failing = NULL;
	fail(conn, conn->fail_reason);
}

/* From inside the provider's callbacks, which must not see it freed. */
static void fail_soon(struct vpn_conn *conn, const char *why)
{
	conn->fail_reason = why;
	if (!conn->failing)
		conn->failing = l_idle_create(failing_idle, conn, NULL);
}

/* The agent's answer goes straight to the provider; connd keeps no copy. */
static void credentials_answered(int result, const struct vpn_agent_credentials *answer,
				 void *data)
{
	struct vpn_conn *conn = data;

	conn->agent_call = 0;
	if (result < 0) {
		fail(conn, "the agent gave no credentials");
		return;
	}
	if (!answer->username || !answer->password ||
	    conn->provider->send_credentials(conn->tunnel, answer->username, answer->password,
					     answer->otp) < 0)
		fail(conn, "the agent's credentials could not be used");
}

static struct vpn_agent_target agent_target(const struct vpn_conn *conn)
{
	return (struct vpn_agent_target) {
		.path = conn->path, .requester = conn->requester,
		.host = conn->host, .name = conn->name,
	};
}

static unsigned int auth_error_limit(const struct vpn_conn *conn)
{
	unsigned int limit;

	if (vpn_auth_error_limit_parse(conn->auth_error_limit, &limit) < 0)
		limit = conn->provider->auth_error_limit;
	return limit;
}

static bool tell_auth_failure(const struct vpn_conn *conn)
{
	return vpn_auth_errors_tell(&conn->auth_errors, auth_error_limit(conn),
				    l_time_now() / L_USEC_PER_SEC);
}

static void need_credentials(const struct vpn_challenge *challenge, void *data)
{
	struct vpn_conn *conn = data;
	struct vpn_agent_target target = agent_target(conn);

	if (conn->agent_call)
		return;
	conn->agent_call = vpn_agent_request_credentials(conn->ctx.agent, &target,
							 challenge, tell_auth_failure(conn),
							 credentials_answered, conn);
	if (!conn->agent_call)
		fail_soon(conn, "credentials needed, and no VPN agent is registered");
}

/* Told to the agent (ReportError) and shown as failure once the tunnel
 * ends (openvpn: --auth-retry none). */
static void report_auth_failure(struct vpn_conn *conn)
{
	conn->auth_failed = true;
	vpn_auth_errors_refused(&conn->auth_errors);
	vpn_agent_report_error(conn->ctx.agent, conn->path, conn->requester, "auth-failed");
}

static void auth_failed(void *data)
{
	struct vpn_conn *conn = data;

	l_warn("vpn %s: the server refused the credentials", conn->ident);
	report_auth_failure(conn);
}

/* The agent's answer goes straight to the provider; connd keeps no copy. */
static void key_password_answered(int result, const char *password, void *data)
{
	struct vpn_conn *conn = data;

	conn->agent_call = 0;
	if (result < 0) {
		fail(conn, "the agent gave no private key password");
		return;
	}
	if (!password || !conn->provider->send_key_password ||
	    conn->provider->send_key_password(conn->tunnel, password) < 0)
		fail(conn, "the agent's private key password could not be used");
}

static void need_key_password(void *data)
{
	struct vpn_conn *conn = data;
	struct vpn_agent_target target = agent_target(conn);

	if (conn->agent_call)
		return;
	conn->agent_call = vpn_agent_request_key_password(conn->ctx.agent, &target,
							  key_password_answered, conn);
	if (!conn->agent_call)
		fail_soon(conn, "the private key needs a password, and no VPN agent is registered");
}

/* As a refused login: the agent hears of it, the tunnel ends (openvpn:
 * --auth-retry none), the connection shows failure, and the next Connect
 * asks again. */
static void key_password_failed(void *data)
{
	struct vpn_conn *conn = data;

	l_warn("vpn %s: the private key's password is wrong", conn->ident);
	report_auth_failure(conn);
}

static const struct vpn_tunnel_ops tunnel_ops = {
	.up = tunnel_up,
	.exited = tunnel_exited,
	.need_credentials = need_credentials,
	.auth_failed = auth_failed,
	.need_key_password = need_key_password,
	.key_password_failed = key_password_failed,
};

static void stop_tunnel(struct vpn_conn *conn)
{
	l_timeout_remove(conn->connect_timeout);
	conn->connect_timeout = NULL;
	l_idle_remove(conn->exited);
	conn->exited = NULL;
	l_idle_remove(conn->failing);
	conn->failing = NULL;
	l_idle_remove(conn->applying);
	conn->applying = NULL;
	vpn_agent_cancel(conn->ctx.agent, conn->agent_call);
	conn->agent_call = 0;
	conn->provider->stop(conn->tunnel);
	conn->tunnel = NULL;
	forget_env(conn);
	conn->ifindex = 0;
	if (conn->table)
		apply_routes(conn);
	if (conn->svc) {
		service_set_bearer_dns(conn->svc, NULL, NULL);
		service_set_carries_default(conn->svc, false);
	}
	emit_tunnel(conn);
}

/* The attempt or the tunnel ended on its own: the service leaves its
 * connected or connecting state, and the connection shows failure. */
static void fail(struct vpn_conn *conn, const char *why)
{
	enum service_state s = service_get_state(conn->svc);

	l_warn("vpn %s: %s", conn->ident, why);
	conn->failed = true;
	if (!conn->auth_failed)
		vpn_auth_errors_other_failure(&conn->auth_errors);
	if (s == SERVICE_STATE_ASSOCIATION) {
		service_link_failed(conn->svc, "connect-failed");
	} else if (service_state_is_connected(s) || s == SERVICE_STATE_CONFIGURATION) {
		service_set_available(conn->svc, false);
		service_set_available(conn->svc, true);
	}
	stop_tunnel(conn);
	set_state(conn, VPN_STATE_FAILURE);
}

static void connect_expired(struct l_timeout *timeout, void *data)
{
	fail(data, "no tunnel within " L_STRINGIFY(CONNECT_TIMEOUT_S) " seconds");
}

/* service_driver.connect: the link layer of a VPN is its tunnel. */
static int driver_connect(struct service *svc, void *data)
{
	struct vpn_conn *conn = data;
	struct vpn_start_params p = {
		.ident = conn->ident, .id = conn->id, .host = conn->host, .ifname = conn->ifname,
		.keys = conn->keys, .config = manager_config(conn->ctx.manager),
		.state_dir = conn->ctx.state_dir, .rtnl = manager_rtnl(conn->ctx.manager),
	};
	int err;

	conn->failed = conn->auth_failed = false;
	set_state(conn, VPN_STATE_CONFIGURATION);
	err = conn->provider->start(&p, &tunnel_ops, conn, &conn->tunnel);
	if (err < 0) {
		conn->failed = true;
		set_state(conn, VPN_STATE_FAILURE);
		return err;
	}
	conn->connect_timeout = l_timeout_create(CONNECT_TIMEOUT_S, connect_expired, conn, NULL);
	return 0;
}

static void driver_disconnect(struct service *svc, void *data)
{
	struct vpn_conn *conn = data;

	if (!conn->tunnel && !conn->have_env)
		return;
	if (conn->state == VPN_STATE_READY)
		set_state(conn, VPN_STATE_DISCONNECT);
	stop_tunnel(conn);
	if (!conn->failed)
		set_state(conn, VPN_STATE_IDLE);
}

static void driver_provider(const struct service *svc, struct service_provider *out, void *data)
{
	const struct vpn_conn *conn = data;

	*out = (struct service_provider){ .host = conn->host, .domain = conn->domain,
					  .name = conn->name, .type = conn->type,
					  .split_routing = conn->split_routing };
}

static const struct service_driver vpn_service_driver = {
	.connect = driver_connect,
	.disconnect = driver_disconnect,
	.provider = driver_provider,
};

/* ---- requests ---- */

static void service_done(struct service *svc, int result, void *data)
{
	struct vpn_conn *conn = data;
	vpn_connect_done_fn done = conn->done;

	conn->done = NULL;
	if (done)
		done(conn, result, conn->done_data);
}

int vpn_conn_connect(struct vpn_conn *conn, const char *requester, vpn_connect_done_fn done,
		     void *data)
{
	int err;

	if (conn->done)
		return -EINPROGRESS;
	l_free(conn->requester);
	conn->requester = l_strdup(requester);
	conn->done = done;
	conn->done_data = data;
	err = service_connect(conn->svc, service_done, conn);
	if (err < 0)
		conn->done = NULL;
	return err;
}

int vpn_conn_disconnect(struct vpn_conn *conn)
{
	if (conn->state == VPN_STATE_IDLE || conn->state == VPN_STATE_FAILURE)
		return -ENOTCONN;
	return service_disconnect(conn->svc);
}

/* The service's state, as the connection shows it. */
void vpn_conn_services_changed(struct vpn_conn *conn)
{
	enum service_state s = service_get_state(conn->svc);

	switch (s) {
	case SERVICE_STATE_READY:
	case SERVICE_STATE_ONLINE:
		if (conn->have_env) {
			l_timeout_remove(conn->connect_timeout);
			conn->connect_timeout = NULL;
			set_state(conn, VPN_STATE_READY);
			apply_routes(conn);	/* the bearer beneath may have changed */
		}
		break;
	case SERVICE_STATE_ASSOCIATION:
	case SERVICE_STATE_CONFIGURATION:
	case SERVICE_STATE_DISCONNECT:
		break;
	case SERVICE_STATE_IDLE:
	case SERVICE_STATE_FAILURE:
		/* The service left while the tunnel was up (a policy disconnect). */
		if (conn->tunnel || conn->have_env)
			driver_disconnect(conn->svc, conn);
		break;
	}
}

static bool bool_text(const char *value, bool *out)
{
	if (!strcmp(value, "true"))
		*out = true;
	else if (!strcmp(value, "false"))
		*out = false;
	else
		return false;
	return true;
}

static char **set_key(char **keys, const char *key, const char *value)
{
	char **out = l_new(char *, 1);

	for (char **k = keys; k && k[0] && k[1]; k += 2)
		if (strcmp(k[0], key)) {
			out = l_strv_append(out, k[0]);
			out = l_strv_append(out, k[1]);
		}
	if (value) {
		out = l_strv_append(out, key);
		out = l_strv_append(out, value);
	}
	l_strv_free(keys);
	return out;
}

int vpn_conn_set(struct vpn_conn *conn, const char *key, const char *value)
{
	bool split;

	if (conn->immutable)
		return -EPERM;
	if (!strcmp(key, "SplitRouting")) {
		if (!bool_text(value ? value : "false", &split))
			return -EINVAL;
		conn->split_routing = split;
		if (conn->svc && conn->have_env)
			service_set_carries_default(conn->svc,
						    vpn_routes_carry_default(&conn->env, split));
		apply_routes(conn);
	} else if (!strcmp(key, "AuthErrorLimit")) {
		unsigned int limit;

		if (value && *value && vpn_auth_error_limit_parse(value, &limit) < 0)
			return -EINVAL;
		l_free(conn->auth_error_limit);
		conn->auth_error_limit = value && *value ? l_strdup(value) : NULL;
	} else if (!strcmp(key, "Domain")) {
		if (value && *value && !name_is_domain(value))
			return -EINVAL;
		l_free(conn->domain);
		conn->domain = value && *value ? l_strdup(value) : NULL;
	} else if (conn->provider->key_known(key)) {
		if (value && !conn->provider->value_valid(key, value))
			return -EINVAL;
		conn->keys = set_key(conn->keys, key, value);
	} else {
		return -ENOENT;
	}
	vpn_auth_errors_forget(&conn->auth_errors);
	vpn_conn_save(conn);
	emit(conn, key);
	return 0;
}

int vpn_conn_set_user_routes(struct vpn_conn *conn, const struct vpn_route *routes,
			     unsigned int n)
{
	if (conn->immutable)
		return -EPERM;
	l_free(conn->user_routes);
	conn->user_routes = n ? l_memdup(routes, n * sizeof(*routes)) : NULL;
	conn->n_user_routes = n;
	apply_routes(conn);
	vpn_conn_save(conn);
	emit(conn, "UserRoutes");
	return 0;
}

void vpn_conn_set_immutable(struct vpn_conn *conn, bool immutable)
{
	if (conn->immutable == immutable)
		return;
	conn->immutable = immutable;
	emit(conn, "Immutable");
}

/* ---- life ---- */

void vpn_conn_update(struct vpn_conn *conn, const struct vpn_request *req)
{
	l_free(conn->name);
	l_free(conn->domain);
	l_strv_free(conn->keys);
	l_free(conn->user_routes);
	conn->name = l_strdup(req->name);
	conn->domain = req->domain && *req->domain ? l_strdup(req->domain) : NULL;
	l_free(conn->auth_error_limit);
	conn->auth_error_limit = l_strdup(req->auth_error_limit);
	conn->keys = l_strv_copy(req->keys);
	conn->user_routes = req->n_user_routes ?
		l_memdup(req->user_routes, req->n_user_routes * sizeof(*req->user_routes)) : NULL;
	conn->n_user_routes = req->n_user_routes;
	conn->split_routing = req->split_routing;
}

struct vpn_conn *vpn_conn_new(const struct vpn_context *ctx, const struct vpn_provider *provider,
			      unsigned int id, char *ident, const struct vpn_request *req)
{
	struct vpn_conn *conn = l_new(struct vpn_conn, 1);
	char *svc_id = l_strdup_printf("vpn_%s", ident);
	struct rtnl_link_info none = { .ifindex = 0 };
	struct service_desc desc = {
		.type = "vpn", .id = svc_id, .name = req->name, .driver = &vpn_service_driver,
		.driver_data = conn, .link = &none,
	};

	conn->ctx = *ctx;
	conn->provider = provider;
	conn->ident = ident;
	conn->id = id;
	conn->path = l_strdup_printf("/net/connman/vpn/connection/%s", ident);
	conn->type = l_strdup(req->type);
	conn->host = l_strdup(req->host);
	snprintf(conn->ifname, sizeof(conn->ifname), "%s%u", provider->ifname_prefix, id);
	conn->table = vpn_table_new(manager_rtnl(ctx->manager), id);
	vpn_conn_update(conn, req);
	conn->svc = manager_add_service(ctx->manager, &desc);
	service_set_autoconnect(conn->svc, false);
	service_set_available(conn->svc, true);
	l_free(svc_id);
	vpn_dbus_add(ctx->dbus, conn);
	return conn;
}

void vpn_conn_free(struct vpn_conn *conn)
{
	vpn_dbus_remove(conn->ctx.dbus, conn);
	conn->svc = NULL;
	stop_tunnel(conn);
	vpn_table_free(conn->table);
	l_free(conn->ident);
	l_free(conn->path);
	l_free(conn->type);
	l_free(conn->name);
	l_free(conn->host);
	l_free(conn->domain);
	l_free(conn->auth_error_limit);
	l_strv_free(conn->keys);
	l_free(conn->user_routes);
	l_free(conn->requester);
	l_free(conn);
}

void vpn_conn_remove(struct vpn_conn *conn)
{
	service_disconnect_by_policy(conn->svc);
	stop_tunnel(conn);
	manager_remove_service(conn->ctx.manager, conn->svc);
	conn->svc = NULL;
	vpn_settings_remove(conn->ctx.state_dir, conn->ident);
	vpn_conn_free(conn);
}

/* ---- accessors ---- */

bool vpn_conn_has_link(const struct vpn_conn *conn, const char *ifname)
{
	return conn->tunnel && !strcmp(conn->ifname, ifname);
}

unsigned int vpn_conn_id(const struct vpn_conn *conn) { return conn->id; }
const char *vpn_conn_ident(const struct vpn_conn *conn) { return conn->ident; }
const char *vpn_conn_path(const struct vpn_conn *conn) { return conn->path; }
const char *vpn_conn_service_path(const struct vpn_conn *conn) { return service_path(conn->svc); }
const char *vpn_conn_type(const struct vpn_conn *conn) { return conn->type; }
const char *vpn_conn_name(const struct vpn_conn *conn) { return conn->name; }
const char *vpn_conn_host(const struct vpn_conn *conn) { return conn->host; }
const char *vpn_conn_domain(const struct vpn_conn *conn) { return conn->domain; }
const char *vpn_conn_auth_error_limit(const struct vpn_conn *conn)
{
	return conn->auth_error_limit;
}
bool vpn_conn_immutable(const struct vpn_conn *conn) { return conn->immutable; }
bool vpn_conn_split_routing(const struct vpn_conn *conn) { return conn->split_routing; }
int vpn_conn_index(const struct vpn_conn *conn) { return conn->ifindex ? conn->ifindex : -1; }
char **vpn_conn_keys(const struct vpn_conn *conn) { return conn->keys; }
enum vpn_state vpn_conn_state(const struct vpn_conn *conn) { return conn->state; }

const struct vpn_env *vpn_conn_env(const struct vpn_conn *conn)
{
	return conn->have_env ? &conn->env : NULL;
}

const struct vpn_route *vpn_conn_user_routes(const struct vpn_conn *conn, unsigned int *n)
{
	*n = conn->n_user_routes;
	return conn->user_routes;
}
