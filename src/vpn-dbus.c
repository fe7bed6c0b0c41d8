/* net.connman.vpn: marshalling only; vpn.c decides. Errors carry
 * ConnMan's vpnd names (net.connman.vpn.Error.*). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <ell/ell.h>

#include "dbus-util.h"
#include "ipv4-settings.h"
#include "manager-dbus.h"
#include "vpn.h"
#include "vpn-dbus.h"
#include "vpn-env.h"

#define VPN_MANAGER_INTERFACE VPN_SERVICE ".Manager"
#define VPN_CONNECTION_INTERFACE VPN_SERVICE ".Connection"
#define VPN_ERROR VPN_SERVICE ".Error"
#define VPN_MANAGER_PATH "/"
#define MAX_USER_ROUTES 64

static struct l_dbus_message *vpn_error(struct l_dbus_message *msg, const char *name,
					const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static struct l_dbus_message *vpn_error(struct l_dbus_message *msg, const char *name,
					const char *fmt, ...)
{
	struct l_dbus_message *reply;
	va_list ap;

	va_start(ap, fmt);
	reply = dbus_error_v(msg, VPN_ERROR, name, fmt, ap);
	va_end(ap);
	return reply;
}

static struct l_dbus_message *errno_reply(struct l_dbus_message *msg, int err, const char *why)
{
	static const struct { int err; const char *name; } names[] = {
		{ EINVAL, "InvalidArguments" }, { EOPNOTSUPP, "NotSupported" },
		{ EPERM, "PermissionDenied" }, { ENOENT, "NotFound" },
		{ EEXIST, "AlreadyExists" }, { EINPROGRESS, "InProgress" },
		{ EISCONN, "AlreadyConnected" }, { ENOTCONN, "NotConnected" },
		{ EALREADY, "InProgress" }, { ETIMEDOUT, "OperationTimeout" },
		{ ECANCELED, "OperationAborted" }, { ECONNABORTED, "OperationAborted" },
	};
	const char *name = "Failed";

	for (size_t i = 0; i < L_ARRAY_SIZE(names); i++)
		if (names[i].err == -err)
			name = names[i].name;
	return vpn_error(msg, name, "%s", why ? why : strerror(-err));
}

/* A provisioned connection is its file's: ConnMan's vpnd answers
 * NotSupported to a change. */
static struct l_dbus_message *immutable_reply(struct l_dbus_message *msg,
					      const struct vpn_conn *conn)
{
	return vpn_error(msg, "NotSupported", "%s is provisioned by a .config file",
			 vpn_conn_path(conn));
}

/* connd's own check of configuring callers (dbus-caller.h), its refusal
 * renamed into vpnd's error space as ConnMan's vpnd answers. */
static bool may_configure(struct l_dbus *dbus, struct l_dbus_message *msg,
			  const char *interface, dbus_method_fn method,
			  struct l_dbus_message **reply)
{
	const char *name, *text;
	struct l_dbus_message *denied;

	if (manager_dbus_may_configure(dbus, msg, interface, method, reply))
		return true;
	denied = *reply;
	if (denied && l_dbus_message_get_error(denied, &name, &text)) {
		*reply = vpn_error(msg, "PermissionDenied", "%s", text);
		l_dbus_message_unref(denied);
	}
	return false;
}

/* ---- properties ---- */

static void append_str(struct l_dbus_message_builder *b, const char *s)
{
	l_dbus_message_builder_append_basic(b, 's', s ? s : "");
}

static void p_state(struct l_dbus_message_builder *b, void *c)
{
	append_str(b, vpn_state_name(vpn_conn_state(c)));
}

static void p_type(struct l_dbus_message_builder *b, void *c) { append_str(b, vpn_conn_type(c)); }
static void p_name(struct l_dbus_message_builder *b, void *c) { append_str(b, vpn_conn_name(c)); }
static void p_host(struct l_dbus_message_builder *b, void *c) { append_str(b, vpn_conn_host(c)); }
static void p_domain(struct l_dbus_message_builder *b, void *c) { append_str(b, vpn_conn_domain(c)); }

static bool has_domain(void *c)
{
	return vpn_conn_domain(c) != NULL;
}

static void p_auth_error_limit(struct l_dbus_message_builder *b, void *c)
{
	append_str(b, vpn_conn_auth_error_limit(c));
}

static bool has_auth_error_limit(void *c)
{
	return vpn_conn_auth_error_limit(c) != NULL;
}

static void p_immutable(struct l_dbus_message_builder *b, void *c)
{
	bool v = vpn_conn_immutable(c);

	l_dbus_message_builder_append_basic(b, 'b', &v);
}

static void p_split(struct l_dbus_message_builder *b, void *c)
{
	bool v = vpn_conn_split_routing(c);

	l_dbus_message_builder_append_basic(b, 'b', &v);
}

/* As ConnMan's vpnd: no Index without a tunnel (nor a signal when it goes). */
static bool has_index(void *c)
{
	return vpn_conn_index(c) >= 0;
}

static void p_index(struct l_dbus_message_builder *b, void *c)
{
	int32_t index = vpn_conn_index(c);

	l_dbus_message_builder_append_basic(b, 'i', &index);
}

static void p_ipv4(struct l_dbus_message_builder *b, void *c)
{
	const struct vpn_env *env = vpn_conn_env(c);
	char addr[INET_ADDRSTRLEN], mask[INET_ADDRSTRLEN];

	l_dbus_message_builder_enter_array(b, "{sv}");
	if (env && env->address) {
		dbus_dict_str(b, "Address", ipv4_ntop(env->address, addr));
		dbus_dict_str(b, "Netmask", ipv4_ntop(ipv4_prefix_to_mask(env->prefix_len), mask));
	}
	/* ConnMan's vpnd names the server the gateway, and shows the peer. */
	if (env && env->server)
		dbus_dict_str(b, "Gateway", ipv4_ntop(env->server, addr));
	if (env && env->peer)
		dbus_dict_str(b, "Peer", ipv4_ntop(env->peer, addr));
	l_dbus_message_builder_leave_array(b);
}

static void p_ipv6(struct l_dbus_message_builder *b, void *c)
{
	const struct vpn_env *env = vpn_conn_env(c);
	char addr[INET6_ADDRSTRLEN];

	l_dbus_message_builder_enter_array(b, "{sv}");
	if (env && !IN6_IS_ADDR_UNSPECIFIED(&env->address6)) {
		inet_ntop(AF_INET6, &env->address6, addr, sizeof(addr));
		dbus_dict_str(b, "Address", addr);
		dbus_dict_u8(b, "PrefixLength", env->prefix_len6);
	}
	l_dbus_message_builder_leave_array(b);
}

static void p_nameservers(struct l_dbus_message_builder *b, void *c)
{
	const struct vpn_env *env = vpn_conn_env(c);

	dbus_append_strv(b, env ? env->nameservers : NULL);
}

/* {ProtocolFamily: i, Network: s, Netmask: s[, Gateway: s]} as ConnMan's;
 * IPv6's Netmask is the prefix length. `gateway`: NULL when none. */
static void append_route(struct l_dbus_message_builder *b, int family, const void *network,
			 uint8_t prefix_len, const void *gateway)
{
	char net[INET6_ADDRSTRLEN], mask[INET6_ADDRSTRLEN], gw[INET6_ADDRSTRLEN];
	int32_t pf = family == AF_INET ? 4 : 6;

	inet_ntop(family, network, net, sizeof(net));
	if (family == AF_INET)
		ipv4_ntop(ipv4_prefix_to_mask(prefix_len), mask);
	else
		snprintf(mask, sizeof(mask), "%u", prefix_len);
	l_dbus_message_builder_enter_array(b, "{sv}");
	l_dbus_message_builder_enter_dict(b, "sv");
	l_dbus_message_builder_append_basic(b, 's', "ProtocolFamily");
	l_dbus_message_builder_enter_variant(b, "i");
	l_dbus_message_builder_append_basic(b, 'i', &pf);
	l_dbus_message_builder_leave_variant(b);
	l_dbus_message_builder_leave_dict(b);
	dbus_dict_str(b, "Network", net);
	dbus_dict_str(b, "Netmask", mask);
	if (gateway && inet_ntop(family, gateway, gw, sizeof(gw)))
		dbus_dict_str(b, "Gateway", gw);
	l_dbus_message_builder_leave_array(b);
}

static void p_user_routes(struct l_dbus_message_builder *b, void *c)
{
	unsigned int n;
	const struct vpn_route *r = vpn_conn_user_routes(c, &n);

	l_dbus_message_builder_enter_array(b, "a{sv}");
	for (unsigned int i = 0; i < n; i++)
		append_route(b, r[i].family, r[i].network, r[i].prefix_len,
			     r[i].has_gateway ? r[i].gateway : NULL);
	l_dbus_message_builder_leave_array(b);
}

static void p_server_routes(struct l_dbus_message_builder *b, void *c)
{
	const struct vpn_env *env = vpn_conn_env(c);

	l_dbus_message_builder_enter_array(b, "a{sv}");
	for (unsigned int i = 0; env && i < env->n_routes; i++) {
		const struct vpn_env_route4 *r = &env->routes[i];

		append_route(b, AF_INET, &r->network, r->prefix_len, r->gateway ? &r->gateway : NULL);
	}
	for (unsigned int i = 0; env && i < env->n_routes6; i++) {
		const struct vpn_env_route6 *r = &env->routes6[i];

		append_route(b, AF_INET6, &r->network, r->prefix_len,
			     IN6_IS_ADDR_UNSPECIFIED(&r->gateway) ? NULL : &r->gateway);
	}
	l_dbus_message_builder_leave_array(b);
}

static const struct dbus_property conn_properties[] = {
	{ "State", "s", p_state },
	{ "Type", "s", p_type },
	{ "Name", "s", p_name },
	{ "Domain", "s", p_domain, has_domain },
	{ "Host", "s", p_host },
	{ "Immutable", "b", p_immutable },
	{ "Index", "i", p_index, has_index },
	{ "IPv4", "a{sv}", p_ipv4 },
	{ "IPv6", "a{sv}", p_ipv6 },
	{ "Nameservers", "as", p_nameservers },
	{ "UserRoutes", "aa{sv}", p_user_routes },
	{ "ServerRoutes", "aa{sv}", p_server_routes },
	{ "AuthErrorLimit", "s", p_auth_error_limit, has_auth_error_limit },
	{ "SplitRouting", "b", p_split },
	{ }
};

/* The table's properties, then the provider's keys as strings. */
static void append_conn(struct l_dbus_message_builder *b, struct vpn_conn *conn)
{
	l_dbus_message_builder_enter_array(b, "{sv}");
	dbus_append_property_entries(b, conn_properties, conn);
	for (char **k = vpn_conn_keys(conn); k && k[0] && k[1]; k += 2)
		if (!vpn_key_secret(vpn_conn_type(conn), k[0]))
			dbus_dict_str(b, k[0], k[1]);
	l_dbus_message_builder_leave_array(b);
}

void vpn_dbus_emit(struct l_dbus *dbus, struct vpn_conn *conn, const char *name)
{
	struct l_dbus_message *signal;
	struct l_dbus_message_builder *b;
	char **k;

	if (!dbus || vpn_key_secret(vpn_conn_type(conn), name))
		return;
	for (const struct dbus_property *p = conn_properties; p->name; p++)
		if (!strcmp(p->name, name)) {
			dbus_emit_property_changed(dbus, vpn_conn_path(conn),
						   VPN_CONNECTION_INTERFACE, conn_properties,
						   name, conn);
			return;
		}
	for (k = vpn_conn_keys(conn); k && k[0] && k[1] && strcmp(k[0], name); k += 2)
		;
	signal = l_dbus_message_new_signal(dbus, vpn_conn_path(conn), VPN_CONNECTION_INTERFACE,
					   "PropertyChanged");
	b = l_dbus_message_builder_new(signal);
	l_dbus_message_builder_append_basic(b, 's', name);
	l_dbus_message_builder_enter_variant(b, "s");
	l_dbus_message_builder_append_basic(b, 's', k && k[0] && k[1] ? k[1] : "");
	l_dbus_message_builder_leave_variant(b);
	l_dbus_message_builder_finalize(b);
	l_dbus_message_builder_destroy(b);
	l_dbus_send(dbus, signal);
}

/* ---- Connection ---- */

static struct l_dbus_message *get_properties(struct l_dbus *dbus, struct l_dbus_message *msg,
					     void *user_data)
{
	struct l_dbus_message *reply = l_dbus_message_new_method_return(msg);
	struct l_dbus_message_builder *b = l_dbus_message_builder_new(reply);

	append_conn(b, user_data);
	l_dbus_message_builder_finalize(b);
	l_dbus_message_builder_destroy(b);
	return reply;
}

/* Gateway: "" or absent is none; otherwise an address of the route's family. */
static int parse_route_gateway(const char *text, struct vpn_route *r)
{
	if (!text || !*text)
		return 0;
	if (inet_pton(r->family, text, r->gateway) != 1)
		return -EINVAL;
	r->has_gateway = true;
	return 0;
}

static int parse_route(struct l_dbus_message_iter *dict, struct vpn_route *r)
{
	struct l_dbus_message_iter value;
	const char *key, *network = NULL, *netmask = NULL, *gateway = NULL, *text;
	int32_t pf = 0;
	uint8_t len;

	memset(r, 0, sizeof(*r));
	while (l_dbus_message_iter_next_entry(dict, &key, &value)) {
		if (!strcmp(key, "ProtocolFamily")) {
			if (!l_dbus_message_iter_get_variant(&value, "i", &pf))
				return -EINVAL;
		} else if (!strcmp(key, "Network") || !strcmp(key, "Netmask") ||
			   !strcmp(key, "Gateway")) {
			if (!l_dbus_message_iter_get_variant(&value, "s", &text))
				return -EINVAL;
			if (!strcmp(key, "Network"))
				network = text;
			else if (!strcmp(key, "Netmask"))
				netmask = text;
			else
				gateway = text;
		}
	}
	if (!network || !netmask)
		return -EINVAL;
	if (!pf)
		pf = strchr(network, ':') ? 6 : 4;
	r->family = pf == 6 ? AF_INET6 : pf == 4 ? AF_INET : 0;
	if (!r->family || inet_pton(r->family, network, r->network) != 1 ||
	    parse_route_gateway(gateway, r) < 0)
		return -EINVAL;
	if (r->family == AF_INET) {
		if (ipv4_parse_netmask(netmask, &len) < 0)
			return -EINVAL;
	} else {
		char *end;
		unsigned long l = strtoul(netmask, &end, 10);

		if (*end || !*netmask || l > 128)
			return -EINVAL;
		len = l;
	}
	r->prefix_len = len;
	for (unsigned int bit = len; bit < (r->family == AF_INET ? 32u : 128u); bit++)
		r->network[bit / 8] &= ~(0x80 >> (bit % 8));
	return 0;
}

/* aa{sv} → routes (caller frees); -EINVAL on any malformed entry. */
static int parse_routes(struct l_dbus_message_iter *array, struct vpn_route **out,
			unsigned int *n)
{
	struct l_dbus_message_iter dict;
	struct vpn_route *routes = l_new(struct vpn_route, MAX_USER_ROUTES);

	*n = 0;
	while (l_dbus_message_iter_next_entry(array, &dict)) {
		if (*n >= MAX_USER_ROUTES || parse_route(&dict, &routes[*n]) < 0) {
			l_free(routes);
			return -EINVAL;
		}
		(*n)++;
	}
	*out = routes;
	return 0;
}

/* The D-Bus type a writable property takes, for the error that names it. */
static const char *writable_type(const char *name)
{
	if (!strcmp(name, "UserRoutes"))
		return "an aa{sv}";
	if (!strcmp(name, "SplitRouting"))
		return "a boolean";
	return "a string";
}

/* One property from its variant. -EPROTOTYPE: a value of the wrong type;
 * -EINVAL: malformed; -ENOENT: unknown or read-only; -EPERM: immutable.
 * `empty_clears`: "" and an empty array clear it, as in a Properties dict. */
static int set_one(struct vpn_conn *conn, const char *name, struct l_dbus_message_iter *value,
		   bool empty_clears)
{
	struct l_dbus_message_iter routes;
	struct vpn_route *list;
	const char *text;
	unsigned int n;
	bool flag;
	int err;

	if (!strcmp(name, "UserRoutes")) {
		if (!l_dbus_message_iter_get_variant(value, "aa{sv}", &routes))
			return -EPROTOTYPE;
		if (parse_routes(&routes, &list, &n) < 0)
			return -EINVAL;
		err = vpn_conn_set_user_routes(conn, list, n);
		l_free(list);
		return err;
	}
	if (!strcmp(name, "SplitRouting")) {
		if (!l_dbus_message_iter_get_variant(value, "b", &flag))
			return -EPROTOTYPE;
		return vpn_conn_set(conn, name, flag ? "true" : "false");
	}
	if (!l_dbus_message_iter_get_variant(value, "s", &text))
		return -EPROTOTYPE;
	return vpn_conn_set(conn, name, empty_clears && !*text ? NULL : text);
}

static void name_list_add(char **list, const char *name)
{
	char *old = *list;

	*list = old ? l_strdup_printf("%s,%s", old, name) : l_strdup(name);
	l_free(old);
}

/* SetProperty("Properties", a{sv}), as ConnMan's vpnd: every entry is tried,
 * whatever the others do; the ones that failed are named at the end of the
 * error, InvalidProperty if any was invalid, else PermissionDenied. */
static struct l_dbus_message *set_properties(struct l_dbus_message *msg, struct vpn_conn *conn,
					     struct l_dbus_message_iter *variant)
{
	struct l_dbus_message_iter dict, value;
	struct l_dbus_message *reply;
	char *invalid = NULL, *denied = NULL;
	const char *name;

	if (!l_dbus_message_iter_get_variant(variant, "a{sv}", &dict))
		return vpn_error(msg, "InvalidProperty", "Properties takes an a{sv}");
	while (l_dbus_message_iter_next_entry(&dict, &name, &value)) {
		int err = set_one(conn, name, &value, true);

		if (err == -EPERM)
			name_list_add(&denied, name);
		else if (err < 0)
			name_list_add(&invalid, name);
	}
	if (invalid)
		reply = vpn_error(msg, "InvalidProperty", "Invalid properties %s%s%s", invalid,
				  denied ? "," : "", denied ? denied : "");
	else if (denied)
		reply = vpn_error(msg, "PermissionDenied", "Permission denied %s", denied);
	else
		reply = l_dbus_message_new_method_return(msg);
	l_free(invalid);
	l_free(denied);
	return reply;
}

static struct l_dbus_message *set_property(struct l_dbus *dbus, struct l_dbus_message *msg,
					   void *user_data)
{
	struct vpn_conn *conn = user_data;
	struct l_dbus_message_iter value;
	struct l_dbus_message *denied;
	const char *name;
	int err;

	if (!may_configure(dbus, msg, VPN_CONNECTION_INTERFACE, set_property, &denied))
		return denied;
	if (!l_dbus_message_get_arguments(msg, "sv", &name, &value))
		return vpn_error(msg, "InvalidArguments", "Expected a name and a variant");
	if (vpn_conn_immutable(conn))
		return immutable_reply(msg, conn);
	if (!strcmp(name, "Properties"))
		return set_properties(msg, conn, &value);
	err = set_one(conn, name, &value, false);
	/* A value of the wrong type is ConnMan vpnd's InvalidProperty. */
	if (err == -EPROTOTYPE)
		return vpn_error(msg, "InvalidProperty", "%s takes %s", name, writable_type(name));
	if (err == -EINVAL && !strcmp(name, "UserRoutes"))
		return vpn_error(msg, "InvalidArguments",
				 "UserRoutes takes an array of {ProtocolFamily, Network, "
				 "Netmask} dictionaries");
	if (err == -ENOENT)
		return vpn_error(msg, "InvalidProperty", "Unknown or read-only property '%s'", name);
	if (err < 0)
		return errno_reply(msg, err, NULL);
	return l_dbus_message_new_method_return(msg);
}

static struct l_dbus_message *clear_property(struct l_dbus *dbus, struct l_dbus_message *msg,
					     void *user_data)
{
	struct l_dbus_message *denied;
	const char *name;
	int err;

	if (!may_configure(dbus, msg, VPN_CONNECTION_INTERFACE, clear_property,
					&denied))
		return denied;
	if (!l_dbus_message_get_arguments(msg, "s", &name))
		return vpn_error(msg, "InvalidArguments", "Expected a property name");
	if (vpn_conn_immutable(user_data))
		return immutable_reply(msg, user_data);
	err = !strcmp(name, "UserRoutes") ? vpn_conn_set_user_routes(user_data, NULL, 0) :
					    vpn_conn_set(user_data, name, NULL);
	if (err == -ENOENT)
		return vpn_error(msg, "InvalidProperty", "Unknown or read-only property '%s'", name);
	if (err < 0)
		return errno_reply(msg, err, NULL);
	return l_dbus_message_new_method_return(msg);
}

struct pending_connect {
	struct l_dbus *dbus;
	struct l_dbus_message *msg;
};

static void connect_done(struct vpn_conn *conn, int result, void *data)
{
	struct pending_connect *p = data;
	struct l_dbus_message *msg = p->msg, *reply;
	struct l_dbus *dbus = p->dbus;

	reply = result == 0 ? l_dbus_message_new_method_return(msg) :
		vpn_error(msg, "Failed", "The VPN connection failed (see connd's log: %s)",
			  result == -ECONNABORTED ? "disconnected" : "the tunnel ended or timed out");
	l_dbus_send(dbus, reply);
	l_dbus_message_unref(msg);
	l_free(p);
}

static struct l_dbus_message *do_connect(struct l_dbus *dbus, struct l_dbus_message *msg,
					 void *user_data)
{
	struct l_dbus_message *denied;
	struct pending_connect *p;
	const char *requester = NULL;
	int err;

	if (!may_configure(dbus, msg, VPN_CONNECTION_INTERFACE, do_connect, &denied))
		return denied;
	/* Connect2(s): the original sender of a proxied request; "" or
	 * Connect(): the caller. */
	if (!l_dbus_message_get_arguments(msg, "s", &requester) || !*requester)
		requester = l_dbus_message_get_sender(msg);
	p = l_new(struct pending_connect, 1);
	p->dbus = dbus;
	p->msg = l_dbus_message_ref(msg);
	err = vpn_conn_connect(user_data, requester, connect_done, p);
	if (err < 0) {
		l_dbus_message_unref(msg);
		l_free(p);
		return errno_reply(msg, err, NULL);
	}
	return NULL;
}

static struct l_dbus_message *do_disconnect(struct l_dbus *dbus, struct l_dbus_message *msg,
					    void *user_data)
{
	struct l_dbus_message *denied;
	int err;

	if (!may_configure(dbus, msg, VPN_CONNECTION_INTERFACE, do_disconnect,
					&denied))
		return denied;
	err = vpn_conn_disconnect(user_data);
	if (err < 0)
		return errno_reply(msg, err, NULL);
	return l_dbus_message_new_method_return(msg);
}

static void setup_connection(struct l_dbus_interface *iface)
{
	l_dbus_interface_method(iface, "GetProperties", 0, get_properties, "a{sv}", "",
				"properties");
	l_dbus_interface_method(iface, "SetProperty", 0, set_property, "", "sv", "name", "value");
	l_dbus_interface_method(iface, "ClearProperty", 0, clear_property, "", "s", "name");
	l_dbus_interface_method(iface, "Connect", 0, do_connect, "", "");
	/* Connect2's argument names the bus name a proxied Connect is for, as
	 * in ConnMan: its agent is asked for credentials. */
	l_dbus_interface_method(iface, "Connect2", 0, do_connect, "", "s", "dbus_sender");
	l_dbus_interface_method(iface, "Disconnect", 0, do_disconnect, "", "");
	l_dbus_interface_signal(iface, "PropertyChanged", 0, "sv", "name", "value");
}

void vpn_dbus_add(struct l_dbus *dbus, struct vpn_conn *conn)
{
	struct l_dbus_message *signal;
	struct l_dbus_message_builder *b;

	if (!dbus)
		return;
	l_dbus_object_add_interface(dbus, vpn_conn_path(conn), VPN_CONNECTION_INTERFACE, conn);
	signal = l_dbus_message_new_signal(dbus, VPN_MANAGER_PATH, VPN_MANAGER_INTERFACE,
					   "ConnectionAdded");
	b = l_dbus_message_builder_new(signal);
	l_dbus_message_builder_append_basic(b, 'o', vpn_conn_path(conn));
	append_conn(b, conn);
	l_dbus_message_builder_finalize(b);
	l_dbus_message_builder_destroy(b);
	l_dbus_send(dbus, signal);
}

void vpn_dbus_remove(struct l_dbus *dbus, struct vpn_conn *conn)
{
	struct l_dbus_message *signal;

	if (!dbus)
		return;
	l_dbus_unregister_object(dbus, vpn_conn_path(conn));
	signal = l_dbus_message_new_signal(dbus, VPN_MANAGER_PATH, VPN_MANAGER_INTERFACE,
					   "ConnectionRemoved");
	l_dbus_message_set_arguments(signal, "o", vpn_conn_path(conn));
	l_dbus_send(dbus, signal);
}

/* ---- Manager ---- */

struct create_args {
	struct vpn_request req;
	struct vpn_route *routes;
	char **keys;
};

/* Create's dictionary, or ConnectProvider's (`provider`), whose routes
 * are "Networks" as ConnMan's plugin names them. "VPN.Domain" is Domain
 * for both, as ConnMan's vpnd takes it. */
static struct l_dbus_message *read_create(struct l_dbus_message *msg, struct create_args *a,
					  bool provider)
{
	struct l_dbus_message_iter dict, value, routes;
	const char *key, *text;

	if (!l_dbus_message_get_arguments(msg, "a{sv}", &dict))
		return vpn_error(msg, "InvalidArguments", "%s takes a dictionary (a{sv})",
				 l_dbus_message_get_member(msg));
	a->keys = l_new(char *, 1);
	while (l_dbus_message_iter_next_entry(&dict, &key, &value)) {
		if (!strcmp(key, provider ? "Networks" : "UserRoutes")) {
			if (a->routes || !l_dbus_message_iter_get_variant(&value, "aa{sv}", &routes) ||
			    parse_routes(&routes, &a->routes, &a->req.n_user_routes) < 0)
				return vpn_error(msg, "InvalidArguments", "%s is malformed", key);
			a->req.user_routes = a->routes;
			continue;
		}
		if (!strcmp(key, "SplitRouting")) {
			if (!l_dbus_message_iter_get_variant(&value, "b", &a->req.split_routing))
				return vpn_error(msg, "InvalidArguments",
						 "SplitRouting takes a boolean");
			continue;
		}
		if (!l_dbus_message_iter_get_variant(&value, "s", &text))
			return vpn_error(msg, "InvalidArguments", "%s takes a string", key);
		if (!strcmp(key, "Type"))
			a->req.type = text;
		else if (!strcmp(key, "Name"))
			a->req.name = text;
		else if (!strcmp(key, "Host"))
			a->req.host = text;
		else if (!strcmp(key, "Domain") || !strcmp(key, "VPN.Domain"))
			a->req.domain = text;
		else if (!strcmp(key, "AuthErrorLimit"))
			a->req.auth_error_limit = *text ? text : NULL;
		else if (strchr(key, '.')) {
			/* A provider key: vpn.c says whether its type knows it. */
			a->keys = l_strv_append(a->keys, key);
			a->keys = l_strv_append(a->keys, text);
		}
	}
	a->req.keys = a->keys;
	return NULL;
}

static struct l_dbus_message *create(struct l_dbus *dbus, struct l_dbus_message *msg,
				     void *user_data)
{
	struct create_args a = { { 0 } };
	struct l_dbus_message *reply, *denied;
	struct vpn_conn *conn;
	const char *why = NULL;
	int err;

	if (!may_configure(dbus, msg, VPN_MANAGER_INTERFACE, create, &denied))
		return denied;
	reply = read_create(msg, &a, false);
	if (!reply) {
		err = vpn_create(user_data, &a.req, &conn, &why);
		if (err < 0)
			reply = errno_reply(msg, err, why);
		else
			reply = l_dbus_message_new_method_return(msg);
		if (err == 0)
			l_dbus_message_set_arguments(reply, "o", vpn_conn_path(conn));
	}
	l_strv_free(a.keys);
	l_free(a.routes);
	return reply;
}

static struct l_dbus_message *remove_conn(struct l_dbus *dbus, struct l_dbus_message *msg,
					  void *user_data)
{
	struct l_dbus_message *denied;
	const char *path;
	int err;

	if (!may_configure(dbus, msg, VPN_MANAGER_INTERFACE, remove_conn, &denied))
		return denied;
	if (!l_dbus_message_get_arguments(msg, "o", &path))
		return vpn_error(msg, "InvalidArguments", "Remove takes an object path");
	err = vpn_remove(user_data, path);
	if (err == -EPERM)
		return vpn_error(msg, "NotSupported", "%s is provisioned by a .config file", path);
	if (err == -ENOENT)
		return vpn_error(msg, "NotFound", "No VPN connection at %s", path);
	if (err < 0)
		return errno_reply(msg, err, NULL);
	return l_dbus_message_new_method_return(msg);
}

static struct l_dbus_message *get_connections(struct l_dbus *dbus, struct l_dbus_message *msg,
					      void *user_data)
{
	struct l_dbus_message *reply = l_dbus_message_new_method_return(msg);
	struct l_dbus_message_builder *b = l_dbus_message_builder_new(reply);
	const struct l_queue_entry *e;

	l_dbus_message_builder_enter_array(b, "(oa{sv})");
	for (e = l_queue_get_entries(vpn_connections(user_data)); e; e = e->next) {
		l_dbus_message_builder_enter_struct(b, "oa{sv}");
		l_dbus_message_builder_append_basic(b, 'o', vpn_conn_path(e->data));
		append_conn(b, e->data);
		l_dbus_message_builder_leave_struct(b);
	}
	l_dbus_message_builder_leave_array(b);
	l_dbus_message_builder_finalize(b);
	l_dbus_message_builder_destroy(b);
	return reply;
}

static struct l_dbus_message *agent_call(struct l_dbus_message *msg, struct vpn *vpn, bool reg)
{
	const char *path;
	struct l_dbus_message *bad;
	int err;

	if (!l_dbus_message_get_arguments(msg, "o", &path))
		return vpn_error(msg, "InvalidArguments", "Expected an object path");
	bad = dbus_check_client_path(msg, "agent path", path);
	if (bad)
		return bad;
	err = reg ? vpn_register_agent(vpn, l_dbus_message_get_sender(msg), path) :
		    vpn_unregister_agent(vpn, l_dbus_message_get_sender(msg), path);
	if (err == -EEXIST)
		return vpn_error(msg, "AlreadyExists", "This bus name has an agent registered already");
	if (err == -ENOENT)
		return vpn_error(msg, "NotRegistered", "No such agent registered");
	return l_dbus_message_new_method_return(msg);
}

static struct l_dbus_message *register_agent(struct l_dbus *dbus, struct l_dbus_message *msg,
					     void *user_data)
{
	struct l_dbus_message *denied;

	if (!may_configure(dbus, msg, VPN_MANAGER_INTERFACE, register_agent, &denied))
		return denied;
	return agent_call(msg, user_data, true);
}

static struct l_dbus_message *unregister_agent(struct l_dbus *dbus, struct l_dbus_message *msg,
					       void *user_data)
{
	return agent_call(msg, user_data, false);
}

static void setup_manager(struct l_dbus_interface *iface)
{
	l_dbus_interface_method(iface, "Create", 0, create, "o", "a{sv}", "path", "properties");
	l_dbus_interface_method(iface, "Remove", 0, remove_conn, "", "o", "identifier");
	l_dbus_interface_method(iface, "GetConnections", 0, get_connections, "a(oa{sv})", "",
				"connections");
	l_dbus_interface_method(iface, "RegisterAgent", 0, register_agent, "", "o", "path");
	l_dbus_interface_method(iface, "UnregisterAgent", 0, unregister_agent, "", "o", "path");
	l_dbus_interface_signal(iface, "ConnectionAdded", 0, "oa{sv}", "identifier",
				"properties");
	l_dbus_interface_signal(iface, "ConnectionRemoved", 0, "o", "identifier");
}

void vpn_dbus_register(struct l_dbus *dbus, struct vpn *vpn)
{
	if (!dbus)
		return;
	if (!l_dbus_register_interface(dbus, VPN_MANAGER_INTERFACE, setup_manager, NULL, false) ||
	    !l_dbus_register_interface(dbus, VPN_CONNECTION_INTERFACE, setup_connection, NULL,
				       false))
		l_error("cannot register the net.connman.vpn interfaces");
	l_dbus_object_add_interface(dbus, VPN_MANAGER_PATH, VPN_MANAGER_INTERFACE, vpn);
}

void vpn_dbus_unregister(struct l_dbus *dbus)
{
	if (!dbus)
		return;
	l_dbus_object_remove_interface(dbus, VPN_MANAGER_PATH, VPN_MANAGER_INTERFACE);
	l_dbus_unregister_interface(dbus, VPN_MANAGER_INTERFACE);
	l_dbus_unregister_interface(dbus, VPN_CONNECTION_INTERFACE);
}

/* ---- net.connman.Manager's ConnectProvider and RemoveProvider ---- */

/* ConnMan's deprecated way to a VPN (its net.connman answers them through
 * vpnd): Create with the same keys, then Connect. The answers carry
 * net.connman's error names, as connmand's own. */
static struct l_dbus_message *in_connman_space(struct l_dbus_message *msg,
					       struct l_dbus_message *reply)
{
	static const char prefix[] = VPN_ERROR ".";
	struct l_dbus_message *renamed;
	const char *name, *text;

	if (!reply || !l_dbus_message_get_error(reply, &name, &text) ||
	    strncmp(name, prefix, strlen(prefix)))
		return reply;
	renamed = dbus_error(msg, name + strlen(prefix), "%s", text);
	l_dbus_message_unref(reply);
	return renamed;
}

static struct vpn *vpn_of(struct l_dbus *dbus)
{
	return l_dbus_object_get_data(dbus, VPN_MANAGER_PATH, VPN_MANAGER_INTERFACE);
}

/* As ConnMan: the answer comes once connected, the VPN's service path. */
static void provider_connected(struct vpn_conn *conn, int result, void *data)
{
	struct pending_connect *p = data;
	struct l_dbus_message *reply;

	if (result == 0) {
		reply = l_dbus_message_new_method_return(p->msg);
		l_dbus_message_set_arguments(reply, "o", vpn_conn_service_path(conn));
	} else {
		reply = dbus_error(p->msg, "Failed",
				   "The VPN connection failed (see connd's log: %s)",
				   result == -ECONNABORTED ? "disconnected" :
				   "the tunnel ended or timed out");
	}
	l_dbus_send(p->dbus, reply);
	l_dbus_message_unref(p->msg);
	l_free(p);
}

static struct l_dbus_message *connect_provider(struct l_dbus *dbus, struct l_dbus_message *msg,
					       struct vpn_conn *conn)
{
	struct pending_connect *p = l_new(struct pending_connect, 1);
	int err;

	p->dbus = dbus;
	p->msg = l_dbus_message_ref(msg);
	/* The caller's agent answers for this attempt, as ConnMan passes it on. */
	err = vpn_conn_connect(conn, l_dbus_message_get_sender(msg), provider_connected, p);
	if (err < 0) {
		l_dbus_message_unref(msg);
		l_free(p);
		return errno_reply(msg, err, NULL);
	}
	return NULL;
}

struct l_dbus_message *vpn_dbus_connect_provider(struct l_dbus *dbus, struct l_dbus_message *msg)
{
	struct create_args a = { { 0 } };
	struct vpn *vpn = vpn_of(dbus);
	struct l_dbus_message *reply;
	struct vpn_conn *conn;
	const char *why = NULL;
	int err;

	if (!vpn)
		return dbus_error(msg, "NotSupported", "ConnectProvider: no VPN");
	reply = read_create(msg, &a, true);
	/* ConnMan's plugin asks for these before vpnd sees anything. */
	if (!reply && (!a.req.host || !a.req.domain))
		reply = vpn_error(msg, "InvalidArguments", "ConnectProvider needs Host and VPN.Domain");
	else if (!reply && (!a.req.type || !a.req.name))
		reply = vpn_error(msg, "NotSupported", "ConnectProvider needs Type and Name");
	if (!reply) {
		err = vpn_create(vpn, &a.req, &conn, &why);
		reply = err < 0 ? errno_reply(msg, err, why) : connect_provider(dbus, msg, conn);
	}
	l_strv_free(a.keys);
	l_free(a.routes);
	return in_connman_space(msg, reply);
}

static struct vpn_conn *conn_of_service(const struct vpn *vpn, const char *path)
{
	const struct l_queue_entry *e;

	for (e = l_queue_get_entries(vpn_connections(vpn)); e; e = e->next)
		if (!strcmp(vpn_conn_service_path(e->data), path))
			return e->data;
	return NULL;
}

struct l_dbus_message *vpn_dbus_remove_provider(struct l_dbus *dbus, struct l_dbus_message *msg)
{
	struct vpn *vpn = vpn_of(dbus);
	struct vpn_conn *conn;
	const char *path;
	int err;

	if (!vpn)
		return dbus_error(msg, "NotSupported", "RemoveProvider: no VPN");
	if (!l_dbus_message_get_arguments(msg, "o", &path))
		return dbus_error_invalid_args(msg, "RemoveProvider takes an object path");
	conn = conn_of_service(vpn, path);
	if (!conn)
		return dbus_error(msg, "NotFound", "No VPN service at %s", path);
	err = vpn_remove(vpn, vpn_conn_path(conn));
	if (err == -EPERM)
		return dbus_error(msg, "NotSupported", "%s is provisioned by a .config file", path);
	return err < 0 ? dbus_error_errno(msg, err) : l_dbus_message_new_method_return(msg);
}
