#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <ell/ell.h>

#include "config.h"
#include "manager.h"
#include "names.h"
#include "routing-vpn.h"
#include "rtnl.h"
#include "service.h"
#include "storage.h"
#include "vpn.h"
#include "vpn-dbus.h"
#include "vpn-env.h"
#include "vpn-openvpn.h"
#include "vpn-provision.h"
#include "wireguard-probe.h"

#define CONNECT_TIMEOUT_S 60
#define MAX_CONNECTIONS 256

struct vpn {
	struct manager *manager;
	struct l_dbus *dbus;
	const char *state_dir;
	const char *openvpn;		/* main.conf's OpenVPN */
	const char *script;		/* main.conf's VPNScript */
	struct l_queue *conns;
	struct l_uintset *ids;		/* table numbers and tun names */
	char *agent_sender;		/* net.connman.vpn.Agent, for credentials */
	char *agent_path;
	unsigned int agent_watch;	/* the agent's bus name leaving */
	struct l_idle *agent_gone;	/* it left: forget it after the watch's callback */
	struct vpn_provision *provision;	/* the *.config files */
};

struct vpn_conn {
	struct vpn *vpn;
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
	int ifindex;			/* 0 while no tun */
	struct openvpn *ov;
	struct l_idle *exited;		/* openvpn ended: handled outside its callback */
	struct l_idle *failing;		/* a failure found inside openvpn's callbacks */
	struct l_idle *applying;	/* the up hook spoke: applied outside its callback */
	const char *fail_reason;
	int exit_status;
	bool have_env;
	struct vpn_env env;
	struct vpn_table *table;
	struct service *svc;
	struct l_timeout *connect_timeout;
	uint32_t agent_call;		/* RequestInput under way */
	bool auth_failed;		/* the server refused the credentials */
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

static void set_state(struct vpn_conn *conn, enum vpn_state state)
{
	if (conn->state == state)
		return;
	l_info("vpn %s: %s -> %s", conn->ident, state_names[conn->state], state_names[state]);
	conn->state = state;
	vpn_dbus_emit(conn->vpn->dbus, conn, "State");
}

static void emit(struct vpn_conn *conn, const char *name)
{
	vpn_dbus_emit(conn->vpn->dbus, conn, name);
}

/* ---- settings ---- */

static char *settings_name(const struct vpn_conn *conn)
{
	return l_strdup_printf("vpn/%s", conn->ident);
}

static char *route_text(const struct vpn_route *r)
{
	char addr[INET6_ADDRSTRLEN];

	inet_ntop(r->family, r->network, addr, sizeof(addr));
	return l_strdup_printf("%s/%u", addr, r->prefix_len);
}

static int parse_route_text(const char *text, struct vpn_route *r)
{
	const char *slash = strchr(text, '/');
	char addr[INET6_ADDRSTRLEN];
	char *end;
	unsigned long len;

	if (!slash || (size_t)(slash - text) >= sizeof(addr))
		return -EINVAL;
	memcpy(addr, text, slash - text);
	addr[slash - text] = '\0';
	memset(r, 0, sizeof(*r));
	r->family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(r->family, addr, r->network) != 1)
		return -EINVAL;
	len = strtoul(slash + 1, &end, 10);
	if (*end || !slash[1] || len > (r->family == AF_INET ? 32u : 128u))
		return -EINVAL;
	r->prefix_len = len;
	return 0;
}

/* Kept as ConnMan's .config files write a VPN: a [provider_<ident>] group,
 * UserRoutes as Networks (ADDR/PREFIXLEN, comma-separated). */
static void save(struct vpn_conn *conn)
{
	struct l_settings *s = l_settings_new();
	char *group = l_strdup_printf("provider_%s", conn->ident), *name = settings_name(conn);
	char **nets = l_new(char *, conn->n_user_routes + 1);
	int err;

	l_settings_set_string(s, group, "Type", conn->type);
	l_settings_set_string(s, group, "Name", conn->name);
	l_settings_set_string(s, group, "Host", conn->host);
	if (conn->domain)
		l_settings_set_string(s, group, "Domain", conn->domain);
	l_settings_set_bool(s, group, "SplitRouting", conn->split_routing);
	for (unsigned int i = 0; i < conn->n_user_routes; i++)
		nets[i] = route_text(&conn->user_routes[i]);
	if (nets[0]) {
		char *joined = l_strjoinv(nets, ',');

		l_settings_set_string(s, group, "Networks", joined);
		l_free(joined);
	}
	for (char **k = conn->keys; k && k[0] && k[1]; k += 2)
		l_settings_set_string(s, group, k[0], k[1]);
	err = storage_save(conn->vpn->state_dir, name, s);
	if (err < 0)
		l_warn("vpn %s: cannot save its settings: %s", conn->ident, strerror(-err));
	l_strv_free(nets);
	l_free(group);
	l_free(name);
	l_settings_free(s);
}

/* ---- routes ---- */

static bool has_address(struct service *svc, int family)
{
	return family == AF_INET ? service_ipv4(svc)->address != 0 :
				   !IN6_IS_ADDR_UNSPECIFIED(&service_ipv6(svc)->address);
}

/* The service the tunnel's packets leave through: the best connected one
 * that is not a VPN and has an address of the server's family. */
static struct service *uplink(const struct vpn *vpn, int family)
{
	const struct l_queue_entry *e;

	for (e = l_queue_get_entries(manager_services(vpn->manager)); e; e = e->next)
		if (strcmp(service_type(e->data), "vpn") &&
		    service_state_is_connected(service_get_state(e->data)) &&
		    has_address(e->data, family))
			return e->data;
	return NULL;
}

static void add4(struct rtnl_route4 *set, unsigned int *n, uint32_t dst, uint8_t len,
		 int ifindex, uint32_t gateway)
{
	struct rtnl_route4 *r = &set[(*n)++];

	memset(r, 0, sizeof(*r));
	r->dst = dst;
	r->dst_len = len;
	r->ifindex = ifindex;
	r->gateway = gateway;
}

static void add6(struct rtnl_route6 *set, unsigned int *n, const void *dst, uint8_t len,
		 int ifindex)
{
	struct rtnl_route6 *r = &set[(*n)++];

	memset(r, 0, sizeof(*r));
	memcpy(&r->dst, dst, 16);
	r->dst_len = len;
	r->ifindex = ifindex;
}

/* The host route to the server keeps the tunnel's own packets on the bearer
 * beneath: on-link when the server is in its subnet, else via its gateway. */
static void add_server_route(const struct vpn_conn *conn, struct rtnl_route4 *set,
			     unsigned int *n)
{
	struct service *up = uplink(conn->vpn, AF_INET);
	const struct ipv4_settings *ip;
	uint32_t mask;

	if (!up || !conn->env.server)
		return;
	ip = service_ipv4(up);
	mask = ipv4_prefix_to_mask(ip->prefix_len);
	if ((conn->env.server & mask) == (ip->address & mask))
		add4(set, n, conn->env.server, 32, service_ifindex(up), 0);
	else if (ip->gateway)
		add4(set, n, conn->env.server, 32, service_ifindex(up), ip->gateway);
}

static bool same_prefix6(const struct in6_addr *a, const struct in6_addr *b, unsigned int len)
{
	for (unsigned int i = 0; i < len && i < 128; i++) {
		uint8_t bit = 0x80 >> (i % 8);

		if ((a->s6_addr[i / 8] & bit) != (b->s6_addr[i / 8] & bit))
			return false;
	}
	return true;
}

/* The same for a server reached over IPv6 (openvpn's trusted_ip6): without
 * it, the tunnel's IPv6 default route would take the tunnel's own packets. */
static void add_server_route6(const struct vpn_conn *conn, struct rtnl_route6 *set,
			      unsigned int *n)
{
	struct service *up = uplink(conn->vpn, AF_INET6);
	const struct ipv6_status *ip;

	if (!up || IN6_IS_ADDR_UNSPECIFIED(&conn->env.server6))
		return;
	ip = service_ipv6(up);
	if (same_prefix6(&conn->env.server6, &ip->address, ip->prefix_len)) {
		add6(set, n, &conn->env.server6, 128, service_ifindex(up));
	} else if (!IN6_IS_ADDR_UNSPECIFIED(&ip->gateway)) {
		add6(set, n, &conn->env.server6, 128, service_ifindex(up));
		set[*n - 1].gateway = ip->gateway;
	}
}

/* Tun links carry no link layer: every route is "dev TUN", no gateway. */
static void apply_routes(struct vpn_conn *conn)
{
	unsigned int n4 = 0, n6 = 0, max = VPN_ENV_MAX_ROUTES + conn->n_user_routes + 2;
	struct rtnl_route4 *v4 = l_new(struct rtnl_route4, max);
	struct rtnl_route6 *v6 = l_new(struct rtnl_route6, max);
	const struct vpn_env *env = &conn->env;
	static const struct in6_addr any6 = IN6ADDR_ANY_INIT;
	int err;

	if (conn->have_env && conn->ifindex) {
		if (!conn->split_routing && env->address)
			add4(v4, &n4, 0, 0, conn->ifindex, 0);
		if (!conn->split_routing && !IN6_IS_ADDR_UNSPECIFIED(&env->address6))
			add6(v6, &n6, &any6, 0, conn->ifindex);
		for (unsigned int i = 0; i < env->n_routes; i++)
			add4(v4, &n4, env->routes[i].network, env->routes[i].prefix_len,
			     conn->ifindex, 0);
		for (unsigned int i = 0; i < env->n_routes6; i++)
			add6(v6, &n6, &env->routes6[i].network, env->routes6[i].prefix_len,
			     conn->ifindex);
		for (unsigned int i = 0; i < conn->n_user_routes; i++) {
			const struct vpn_route *r = &conn->user_routes[i];
			uint32_t net4;

			memcpy(&net4, r->network, 4);
			if (r->family == AF_INET)
				add4(v4, &n4, net4, r->prefix_len, conn->ifindex, 0);
			else
				add6(v6, &n6, r->network, r->prefix_len, conn->ifindex);
		}
		if (n4)
			add_server_route(conn, v4, &n4);
		if (n6)
			add_server_route6(conn, v6, &n6);
	}
	err = vpn_table_set(conn->table, v4, n4, v6, n6);
	if (err < 0)
		l_warn("vpn %s: routes: %s", conn->ident, strerror(-err));
	l_free(v4);
	l_free(v6);
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

/* What the server pushed becomes the service's: its link, fixed address,
 * IPv6, DNS; the routes are the VPN table's. */
static void fail(struct vpn_conn *conn, const char *why);

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
		fail(conn, "the tun is gone");
		return;
	}
	l_strlcpy(link.ifname, conn->ifname, sizeof(link.ifname));
	conn->ifindex = link.ifindex;
	rtnl_link_set_up(manager_rtnl(conn->vpn->manager), link.ifindex, true);
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
	service_set_carries_default(conn->svc, !conn->split_routing);
	apply_routes(conn);
	emit(conn, "Index");
	emit(conn, "IPv4");
	emit(conn, "IPv6");
	emit(conn, "Nameservers");
	emit(conn, "ServerRoutes");
	if (first)
		service_link_ready(conn->svc);
}

/* Kept now, applied at the end of this turn: what it sets off may stop
 * openvpn, whose callback this is. */
static void tunnel_up(const struct vpn_env *env, void *data)
{
	struct vpn_conn *conn = data;

	if (strcmp(env->dev, conn->ifname)) {
		l_warn("vpn %s: the up hook names %s, not %s; ignored", conn->ident, env->dev,
		       conn->ifname);
		return;
	}
	copy_env(&conn->env, env);
	conn->have_env = true;
	if (!conn->applying)
		conn->applying = l_idle_create(apply_tunnel, conn, NULL);
}

static void exit_idle(struct l_idle *idle, void *data);

static void tunnel_exited(int status, void *data)
{
	struct vpn_conn *conn = data;

	conn->exit_status = status;
	if (!conn->exited)
		conn->exited = l_idle_create(exit_idle, conn, NULL);
}

#define VPN_AGENT_INTERFACE "net.connman.vpn.Agent"

static void failing_idle(struct l_idle *idle, void *data)
{
	struct vpn_conn *conn = data;

	l_idle_remove(conn->failing);
	conn->failing = NULL;
	fail(conn, conn->fail_reason);
}

/* From inside openvpn's callbacks, which must not see it freed. */
static void fail_soon(struct vpn_conn *conn, const char *why)
{
	conn->fail_reason = why;
	if (!conn->failing)
		conn->failing = l_idle_create(failing_idle, conn, NULL);
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

/* The agent's answer goes straight to openvpn; connd keeps no copy. */
static void credentials_reply(struct l_dbus_message *reply, void *data)
{
	struct vpn_conn *conn = data;
	struct l_dbus_message_iter dict, value;
	const char *key, *text, *user = NULL, *pass = NULL;

	conn->agent_call = 0;
	if (l_dbus_message_is_error(reply) ||
	    !l_dbus_message_get_arguments(reply, "a{sv}", &dict)) {
		fail(conn, "the agent gave no credentials");
		return;
	}
	while (l_dbus_message_iter_next_entry(&dict, &key, &value))
		if (l_dbus_message_iter_get_variant(&value, "s", &text)) {
			if (!strcmp(key, "Username"))
				user = text;
			else if (!strcmp(key, "Password"))
				pass = text;
		}
	if (!user || !pass || openvpn_send_credentials(conn->ov, user, pass) < 0)
		fail(conn, "the agent's credentials could not be used");
}

static void need_credentials(void *data)
{
	struct vpn_conn *conn = data;
	struct vpn *vpn = conn->vpn;
	struct l_dbus_message *msg;
	struct l_dbus_message_builder *b;

	if (!vpn->agent_path || !vpn->dbus) {
		fail_soon(conn, "credentials needed, and no VPN agent is registered");
		return;
	}
	if (conn->agent_call)
		return;
	msg = l_dbus_message_new_method_call(vpn->dbus, vpn->agent_sender, vpn->agent_path,
					     VPN_AGENT_INTERFACE, "RequestInput");
	b = l_dbus_message_builder_new(msg);
	l_dbus_message_builder_append_basic(b, 'o', conn->path);
	l_dbus_message_builder_enter_array(b, "{sv}");
	append_field(b, "Username", "string");
	append_field(b, "Password", "password");
	l_dbus_message_builder_leave_array(b);
	l_dbus_message_builder_finalize(b);
	l_dbus_message_builder_destroy(b);
	conn->agent_call = l_dbus_send_with_reply(vpn->dbus, msg, credentials_reply, conn, NULL);
}

/* Told to the agent (ReportError) and shown as failure once openvpn ends
 * (--auth-retry none). */
static void report_auth_failure(struct vpn_conn *conn)
{
	struct vpn *vpn = conn->vpn;
	struct l_dbus_message *msg;

	conn->auth_failed = true;
	if (!vpn->agent_path || !vpn->dbus)
		return;
	msg = l_dbus_message_new_method_call(vpn->dbus, vpn->agent_sender, vpn->agent_path,
					     VPN_AGENT_INTERFACE, "ReportError");
	l_dbus_message_set_arguments(msg, "os", conn->path, "auth-failed");
	l_dbus_message_set_no_reply(msg, true);
	l_dbus_send(vpn->dbus, msg);
}

static void auth_failed(void *data)
{
	struct vpn_conn *conn = data;

	l_warn("vpn %s: the server refused the credentials", conn->ident);
	report_auth_failure(conn);
}

/* ConnMan's field (vpn-agent-api.txt); the answer goes straight to openvpn. */
#define KEY_PASSWORD_FIELD "OpenVPN.PrivateKeyPassword"

static void key_password_reply(struct l_dbus_message *reply, void *data)
{
	struct vpn_conn *conn = data;
	struct l_dbus_message_iter dict, value;
	const char *key, *text, *password = NULL;

	conn->agent_call = 0;
	if (l_dbus_message_is_error(reply) ||
	    !l_dbus_message_get_arguments(reply, "a{sv}", &dict)) {
		fail(conn, "the agent gave no private key password");
		return;
	}
	while (l_dbus_message_iter_next_entry(&dict, &key, &value))
		if (!strcmp(key, KEY_PASSWORD_FIELD) &&
		    l_dbus_message_iter_get_variant(&value, "s", &text))
			password = text;
	if (!password || openvpn_send_key_password(conn->ov, password) < 0)
		fail(conn, "the agent's private key password could not be used");
}

static void need_key_password(void *data)
{
	struct vpn_conn *conn = data;
	struct vpn *vpn = conn->vpn;
	struct l_dbus_message *msg;
	struct l_dbus_message_builder *b;

	if (!vpn->agent_path || !vpn->dbus) {
		fail_soon(conn, "the private key needs a password, and no VPN agent is registered");
		return;
	}
	if (conn->agent_call)
		return;
	msg = l_dbus_message_new_method_call(vpn->dbus, vpn->agent_sender, vpn->agent_path,
					     VPN_AGENT_INTERFACE, "RequestInput");
	b = l_dbus_message_builder_new(msg);
	l_dbus_message_builder_append_basic(b, 'o', conn->path);
	l_dbus_message_builder_enter_array(b, "{sv}");
	append_field(b, KEY_PASSWORD_FIELD, "password");
	l_dbus_message_builder_leave_array(b);
	l_dbus_message_builder_finalize(b);
	l_dbus_message_builder_destroy(b);
	conn->agent_call = l_dbus_send_with_reply(vpn->dbus, msg, key_password_reply, conn, NULL);
}

/* As a refused login: the agent hears of it, openvpn ends (auth-retry
 * none), the connection shows failure, and the next Connect asks again. */
static void key_password_failed(void *data)
{
	struct vpn_conn *conn = data;

	l_warn("vpn %s: the private key's password is wrong", conn->ident);
	report_auth_failure(conn);
}

static const struct openvpn_ops openvpn_ops = {
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
	if (conn->agent_call)
		l_dbus_cancel(conn->vpn->dbus, conn->agent_call);
	conn->agent_call = 0;
	openvpn_stop(conn->ov);
	conn->ov = NULL;
	forget_env(conn);
	conn->ifindex = 0;
	if (conn->table)
		apply_routes(conn);
	if (conn->svc) {
		service_set_bearer_dns(conn->svc, NULL, NULL);
		service_set_carries_default(conn->svc, false);
	}
	emit(conn, "Index");
	emit(conn, "IPv4");
	emit(conn, "IPv6");
	emit(conn, "Nameservers");
	emit(conn, "ServerRoutes");
}

/* The attempt or the tunnel ended on its own: the service leaves its
 * connected or connecting state, and the connection shows failure. */
static void fail(struct vpn_conn *conn, const char *why)
{
	enum service_state s = service_get_state(conn->svc);

	l_warn("vpn %s: %s", conn->ident, why);
	conn->failed = true;
	if (s == SERVICE_STATE_ASSOCIATION) {
		service_link_failed(conn->svc, "connect-failed");
	} else if (service_state_is_connected(s) || s == SERVICE_STATE_CONFIGURATION) {
		service_set_available(conn->svc, false);
		service_set_available(conn->svc, true);
	}
	stop_tunnel(conn);
	set_state(conn, VPN_STATE_FAILURE);
}

static void exit_idle(struct l_idle *idle, void *data)
{
	struct vpn_conn *conn = data;
	char why[96];
	int status = conn->exit_status;

	l_idle_remove(conn->exited);
	conn->exited = NULL;
	if (conn->auth_failed)
		snprintf(why, sizeof(why), "authentication failed");
	else if (status == 127)
		snprintf(why, sizeof(why), "openvpn could not be executed");
	else if (status < 0)
		snprintf(why, sizeof(why), "openvpn was killed by signal %d", -status);
	else
		snprintf(why, sizeof(why), "openvpn exited with status %d", status);
	fail(conn, why);
}

static void connect_expired(struct l_timeout *timeout, void *data)
{
	fail(data, "no tunnel within " L_STRINGIFY(CONNECT_TIMEOUT_S) " seconds");
}

/* service_driver.connect: the link layer of a VPN is its tunnel. */
static int driver_connect(struct service *svc, void *data)
{
	struct vpn_conn *conn = data;
	struct openvpn_params p = {
		.binary = conn->vpn->openvpn, .script = conn->vpn->script,
		.host = conn->host, .ifname = conn->ifname, .keys = conn->keys,
	};
	char *management = NULL;
	int err;

	/* Always: openvpn may need a private key's password even without
	 * credentials to ask, and only the key file can tell. */
	p.management = management = l_strdup_printf("%s/vpn-management-%u",
						     conn->vpn->state_dir, conn->id);
	conn->failed = conn->auth_failed = false;
	set_state(conn, VPN_STATE_CONFIGURATION);
	err = openvpn_start(&p, &openvpn_ops, conn, &conn->ov);
	l_free(management);
	if (err == -ENOENT)
		l_error("vpn %s: no openvpn program at %s (main.conf's OpenVPN)", conn->ident,
			p.binary);
	else if (err == -ENOEXEC)
		l_error("vpn %s: no connd-vpn-script at %s (main.conf's VPNScript)", conn->ident,
			p.script);
	else if (err < 0)
		l_error("vpn %s: cannot start openvpn: %s", conn->ident, strerror(-err));
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

	if (!conn->ov && !conn->have_env)
		return;
	if (conn->state == VPN_STATE_READY)
		set_state(conn, VPN_STATE_DISCONNECT);
	stop_tunnel(conn);
	if (!conn->failed)
		set_state(conn, VPN_STATE_IDLE);
}

static const struct service_driver vpn_service_driver = {
	.connect = driver_connect,
	.disconnect = driver_disconnect,
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

int vpn_conn_connect(struct vpn_conn *conn, vpn_connect_done_fn done, void *data)
{
	int err;

	if (conn->done)
		return -EINPROGRESS;
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
static void follow_service(struct vpn_conn *conn)
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
		if (conn->ov || conn->have_env)
			driver_disconnect(conn->svc, conn);
		break;
	}
}

static bool valid_host(const char *host)
{
	return host && *host && strlen(host) < 256 &&
	       (name_is_ip_address(host) || name_is_domain(host));
}

/* ConnMan's identifier: HOST_DOMAIN (or HOST_NAME), every character other
 * than a letter or digit made '_'. */
static char *make_ident(const char *host, const char *domain_or_name)
{
	char *ident = l_strdup_printf("%s_%s", host, domain_or_name);

	for (char *c = ident; *c; c++)
		if (!l_ascii_isalnum(*c))
			*c = '_';
	return ident;
}

static bool has_ident(const void *a, const void *b)
{
	return !strcmp(((const struct vpn_conn *)a)->ident, b);
}

static bool has_path(const void *a, const void *b)
{
	return !strcmp(((const struct vpn_conn *)a)->path, b);
}

bool vpn_key_known(const char *type, const char *key)
{
	return !strcmp(type, "openvpn") && openvpn_key_known(key);
}

static const char *check_type(const char *type)
{
	static const char *const later[] = { "openconnect", "vpnc", "l2tp", "pptp", NULL };

	if (!strcmp(type, "openvpn"))
		return NULL;
	if (!strcmp(type, "wireguard"))
		return wireguard_probe() == 0 ?
			"WireGuard connections are not supported by connd yet" :
			"WireGuard is not available: the kernel has no 'wireguard' generic "
			"netlink family (module not loaded or not built)";
	if (l_strv_contains((char **)later, type))
		return "this VPN type is not supported by connd (openvpn only, for now)";
	return "";
}

static int check_request(const struct vpn_request *req, const char **why)
{
	const char *t;

	if (!req->type || !*req->type) {
		*why = "Type is missing";
		return -EINVAL;
	}
	t = check_type(req->type);
	if (t && *t) {
		*why = t;
		return -EOPNOTSUPP;
	}
	if (t) {
		*why = "unknown Type (openvpn, wireguard, openconnect, vpnc, l2tp, pptp)";
		return -EINVAL;
	}
	if (!req->name || !*req->name || strlen(req->name) > 255) {
		*why = "Name is missing or too long";
		return -EINVAL;
	}
	if (!valid_host(req->host)) {
		*why = "Host must be a host name or an address";
		return -EINVAL;
	}
	if (req->domain && *req->domain && !name_is_domain(req->domain)) {
		*why = "Domain must be a domain name";
		return -EINVAL;
	}
	for (char **k = req->keys; k && k[0]; k += 2) {
		if (!k[1] || !vpn_key_known(req->type, k[0])) {
			*why = "unknown provider key";
			return -EINVAL;
		}
		if (!openvpn_value_valid(k[0], k[1])) {
			*why = "invalid provider value";
			return -EINVAL;
		}
	}
	return 0;
}

static void set_fields(struct vpn_conn *conn, const struct vpn_request *req)
{
	l_free(conn->name);
	l_free(conn->domain);
	l_strv_free(conn->keys);
	l_free(conn->user_routes);
	conn->name = l_strdup(req->name);
	conn->domain = req->domain && *req->domain ? l_strdup(req->domain) : NULL;
	conn->keys = l_strv_copy(req->keys);
	conn->user_routes = req->n_user_routes ?
		l_memdup(req->user_routes, req->n_user_routes * sizeof(*req->user_routes)) : NULL;
	conn->n_user_routes = req->n_user_routes;
	conn->split_routing = req->split_routing;
}

static struct vpn_conn *new_conn(struct vpn *vpn, const struct vpn_request *req, char *ident)
{
	struct vpn_conn *conn = l_new(struct vpn_conn, 1);
	char *id = l_strdup_printf("vpn_%s", ident);
	struct rtnl_link_info none = { .ifindex = 0 };
	struct service_desc desc = {
		.type = "vpn", .id = id, .name = req->name, .driver = &vpn_service_driver,
		.driver_data = conn, .link = &none,
	};

	conn->vpn = vpn;
	conn->ident = ident;
	conn->id = l_uintset_find_unused_min(vpn->ids);
	l_uintset_put(vpn->ids, conn->id);
	conn->path = l_strdup_printf("/net/connman/vpn/connection/%s", ident);
	conn->type = l_strdup(req->type);
	conn->host = l_strdup(req->host);
	snprintf(conn->ifname, sizeof(conn->ifname), "cvpn%u", conn->id);
	conn->table = vpn_table_new(manager_rtnl(vpn->manager), conn->id);
	set_fields(conn, req);
	conn->svc = manager_add_service(vpn->manager, &desc);
	service_set_autoconnect(conn->svc, false);
	service_set_available(conn->svc, true);
	l_free(id);
	l_queue_push_tail(vpn->conns, conn);
	vpn_dbus_add(vpn->dbus, conn);
	return conn;
}

static char *request_ident(const struct vpn_request *req)
{
	return make_ident(req->host, req->domain && *req->domain ? req->domain : req->name);
}

char *vpn_request_path(const struct vpn_request *req)
{
	char *ident = request_ident(req);
	char *path = l_strdup_printf("/net/connman/vpn/connection/%s", ident);

	l_free(ident);
	return path;
}

int vpn_create(struct vpn *vpn, const struct vpn_request *req, struct vpn_conn **out,
	       const char **why)
{
	struct vpn_conn *conn;
	char *ident;
	int err = check_request(req, why);

	if (err < 0)
		return err;
	ident = request_ident(req);
	conn = l_queue_find(vpn->conns, has_ident, ident);
	if (conn) {
		l_free(ident);
		if (conn->immutable && !req->immutable) {
			*why = "the connection is provisioned (immutable)";
			return -EPERM;
		}
		if (strcmp(conn->type, req->type)) {
			*why = "a connection of another Type has this Host and Domain";
			return -EEXIST;
		}
		set_fields(conn, req);
	} else {
		if (l_queue_length(vpn->conns) >= MAX_CONNECTIONS) {
			l_free(ident);
			*why = "too many VPN connections";
			return -ENOSPC;
		}
		conn = new_conn(vpn, req, ident);
	}
	if (conn->immutable != req->immutable) {
		conn->immutable = req->immutable;
		emit(conn, "Immutable");
	}
	if (!conn->immutable)	/* a provisioned one lives in its file */
		save(conn);
	*out = conn;
	return 0;
}

static void free_conn(struct vpn_conn *conn)
{
	stop_tunnel(conn);
	vpn_table_free(conn->table);
	l_uintset_take(conn->vpn->ids, conn->id);
	l_free(conn->ident);
	l_free(conn->path);
	l_free(conn->type);
	l_free(conn->name);
	l_free(conn->host);
	l_free(conn->domain);
	l_strv_free(conn->keys);
	l_free(conn->user_routes);
	l_free(conn);
}

int vpn_remove(struct vpn *vpn, const char *path)
{
	struct vpn_conn *conn = l_queue_find(vpn->conns, has_path, path);
	char *name;

	if (!conn)
		return -ENOENT;
	if (conn->immutable)
		return -EPERM;
	l_queue_remove(vpn->conns, conn);
	service_disconnect_by_policy(conn->svc);
	stop_tunnel(conn);
	manager_remove_service(vpn->manager, conn->svc);
	conn->svc = NULL;
	vpn_dbus_remove(vpn->dbus, conn);
	name = settings_name(conn);
	storage_remove(vpn->state_dir, name);
	l_free(name);
	free_conn(conn);
	return 0;
}

int vpn_remove_provisioned(struct vpn *vpn, const char *path)
{
	struct vpn_conn *conn = l_queue_find(vpn->conns, has_path, path);

	if (!conn)
		return -ENOENT;
	conn->immutable = false;
	return vpn_remove(vpn, path);
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
			service_set_carries_default(conn->svc, !split);
		apply_routes(conn);
	} else if (!strcmp(key, "Domain")) {
		if (value && *value && !name_is_domain(value))
			return -EINVAL;
		l_free(conn->domain);
		conn->domain = value && *value ? l_strdup(value) : NULL;
	} else if (vpn_key_known(conn->type, key)) {
		if (value && !openvpn_value_valid(key, value))
			return -EINVAL;
		conn->keys = set_key(conn->keys, key, value);
	} else {
		return -ENOENT;
	}
	save(conn);
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
	save(conn);
	emit(conn, "UserRoutes");
	return 0;
}

static void forget_agent(struct vpn *vpn)
{
	l_idle_remove(vpn->agent_gone);
	vpn->agent_gone = NULL;
	if (vpn->agent_watch && vpn->dbus)
		l_dbus_remove_watch(vpn->dbus, vpn->agent_watch);
	vpn->agent_watch = 0;
	l_free(vpn->agent_sender);
	l_free(vpn->agent_path);
	vpn->agent_sender = vpn->agent_path = NULL;
}

static void forget_agent_idle(struct l_idle *idle, void *data)
{
	forget_agent(data);
}

/* The watch is removed outside its own callback, as agents.c does. */
static void agent_left(struct l_dbus *dbus, void *data)
{
	struct vpn *vpn = data;

	l_info("vpn: the agent %s left the bus", vpn->agent_sender);
	l_free(vpn->agent_path);
	vpn->agent_path = NULL;		/* no more requests to it */
	if (!vpn->agent_gone)
		vpn->agent_gone = l_idle_create(forget_agent_idle, vpn, NULL);
}

/* A single agent, as in ConnMan's vpnd; a second is refused. It is
 * forgotten when its bus name leaves. */
int vpn_register_agent(struct vpn *vpn, const char *sender, const char *path)
{
	if (vpn->agent_path)
		return -EEXIST;
	forget_agent(vpn);	/* one that left, not yet forgotten */
	vpn->agent_sender = l_strdup(sender);
	vpn->agent_path = l_strdup(path);
	if (vpn->dbus)
		vpn->agent_watch = l_dbus_add_disconnect_watch(vpn->dbus, sender, agent_left, vpn,
							       NULL);
	return 0;
}

int vpn_unregister_agent(struct vpn *vpn, const char *sender, const char *path)
{
	if (!vpn->agent_path || strcmp(vpn->agent_path, path) || strcmp(vpn->agent_sender, sender))
		return -ENOENT;
	forget_agent(vpn);
	return 0;
}

/* ---- restored connections ---- */

static char **read_keys(struct l_settings *s, const char *group)
{
	char **names = l_settings_get_keys(s, group), **keys = l_new(char *, 1);

	for (char **k = names; k && *k; k++) {
		char *value;

		if (!openvpn_key_known(*k))
			continue;
		value = l_settings_get_string(s, group, *k);
		if (value && openvpn_value_valid(*k, value)) {
			keys = l_strv_append(keys, *k);
			keys = l_strv_append(keys, value);
		}
		l_free(value);
	}
	l_strv_free(names);
	return keys;
}

static struct vpn_route *read_networks(const char *text, unsigned int *n)
{
	char **parts = text ? l_strsplit(text, ',') : NULL;
	struct vpn_route *routes = l_new(struct vpn_route, l_strv_length(parts) + 1);

	*n = 0;
	for (char **p = parts; p && *p; p++)
		if (parse_route_text(*p, &routes[*n]) == 0)
			(*n)++;
	l_strv_free(parts);
	return routes;
}

static void load_one(struct vpn *vpn, const char *file)
{
	char *name = l_strdup_printf("vpn/%s", file);
	struct l_settings *s = storage_load(vpn->state_dir, name);
	char **groups = s ? l_settings_get_groups(s) : NULL;
	const char *group = groups && groups[0] ? groups[0] : NULL;
	char *type = NULL, *cname = NULL, *host = NULL, *domain = NULL, *nets = NULL;
	struct vpn_request req = { 0 };
	struct vpn_conn *conn;
	const char *why = NULL;

	if (group && !strncmp(group, "provider_", 9)) {
		type = l_settings_get_string(s, group, "Type");
		cname = l_settings_get_string(s, group, "Name");
		host = l_settings_get_string(s, group, "Host");
		domain = l_settings_get_string(s, group, "Domain");
		nets = l_settings_get_string(s, group, "Networks");
		req = (struct vpn_request) { type, cname, host, domain, read_keys(s, group) };
		l_settings_get_bool(s, group, "SplitRouting", &req.split_routing);
		req.user_routes = read_networks(nets, &req.n_user_routes);
		if (vpn_create(vpn, &req, &conn, &why) < 0)
			l_warn("%s/%s: not restored: %s", vpn->state_dir, name, why);
		l_strv_free(req.keys);
		l_free(req.user_routes);
	}
	l_free(type);
	l_free(cname);
	l_free(host);
	l_free(domain);
	l_free(nets);
	l_strv_free(groups);
	l_settings_free(s);
	l_free(name);
}

static void load_all(struct vpn *vpn)
{
	char *dir = l_strdup_printf("%s/vpn", vpn->state_dir);
	struct dirent **list;
	int n = scandir(dir, &list, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		if (list[i]->d_name[0] != '.' && !strchr(list[i]->d_name, '~'))
			load_one(vpn, list[i]->d_name);
		free(list[i]);
	}
	if (n >= 0)
		free(list);
	l_free(dir);
}

/* ---- the bearer ---- */

static void *vpn_new(struct manager *manager)
{
	struct vpn *vpn = l_new(struct vpn, 1);
	const struct connd_config *config = manager_config(manager);

	vpn->manager = manager;
	vpn->dbus = manager_dbus(manager);
	vpn->state_dir = manager_state_dir(manager);
	vpn->openvpn = config->openvpn;
	vpn->script = config->vpn_script;
	vpn->conns = l_queue_new();
	vpn->ids = l_uintset_new_from_range(1, MAX_CONNECTIONS);
	vpn_dbus_register(vpn->dbus, vpn);
	load_all(vpn);
	vpn->provision = vpn_provision_new(vpn, manager_vpn_config_dir(manager));
	return vpn;
}

/* The manager has stopped the services (the tunnels' driver_disconnect). */
static void vpn_free(void *data)
{
	struct vpn *vpn = data;
	struct vpn_conn *conn;

	if (!vpn)
		return;
	vpn_provision_free(vpn->provision);
	while ((conn = l_queue_pop_head(vpn->conns))) {
		vpn_dbus_remove(vpn->dbus, conn);
		conn->svc = NULL;
		free_conn(conn);
	}
	vpn_dbus_unregister(vpn->dbus);
	l_queue_destroy(vpn->conns, NULL);
	l_uintset_free(vpn->ids);
	forget_agent(vpn);
	l_free(vpn);
}

static void services_changed(void *data)
{
	struct vpn *vpn = data;

	for (const struct l_queue_entry *e = l_queue_get_entries(vpn->conns); e; e = e->next)
		follow_service(e->data);
}

const struct bearer_module vpn_bearer = {
	.name = "vpn",
	.init = vpn_new,
	.exit = vpn_free,
	.services_changed = services_changed,
};

struct vpn_conn *vpn_find(const struct vpn *vpn, const char *path)
{
	return l_queue_find(vpn->conns, has_path, path);
}

const struct l_queue *vpn_connections(const struct vpn *vpn) { return vpn->conns; }
const char *vpn_conn_path(const struct vpn_conn *conn) { return conn->path; }
const char *vpn_conn_type(const struct vpn_conn *conn) { return conn->type; }
const char *vpn_conn_name(const struct vpn_conn *conn) { return conn->name; }
const char *vpn_conn_host(const struct vpn_conn *conn) { return conn->host; }
const char *vpn_conn_domain(const struct vpn_conn *conn) { return conn->domain; }
bool vpn_conn_immutable(const struct vpn_conn *conn) { return conn->immutable; }
bool vpn_conn_split_routing(const struct vpn_conn *conn) { return conn->split_routing; }
int vpn_conn_index(const struct vpn_conn *conn) { return conn->ifindex ? conn->ifindex : -1; }
char **vpn_conn_keys(const struct vpn_conn *conn) { return conn->keys; }

enum vpn_state vpn_conn_state(const struct vpn_conn *conn)
{
	return conn->state;
}

const struct vpn_env *vpn_conn_env(const struct vpn_conn *conn)
{
	return conn->have_env ? &conn->env : NULL;
}

const struct vpn_route *vpn_conn_user_routes(const struct vpn_conn *conn, unsigned int *n)
{
	*n = conn->n_user_routes;
	return conn->user_routes;
}
