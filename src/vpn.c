/* The VPN manager: net.connman.vpn's Manager side (Create, Remove, the
 * list, the agent) and the vpn bearer. Each connection is vpn-conn.c's. */
#include <errno.h>
#include <string.h>
#include <ell/ell.h>

#include "manager.h"
#include "names.h"
#include "rtnl.h"
#include "vpn.h"
#include "vpn-agent.h"
#include "vpn-auth-errors.h"
#include "vpn-conn.h"
#include "vpn-dbus.h"
#include "vpn-provider.h"
#include "vpn-provision.h"
#include "vpn-settings.h"

#define MAX_CONNECTIONS 256

struct vpn {
	struct vpn_context ctx;
	struct l_queue *conns;
	struct l_uintset *ids;		/* table numbers and link names */
	struct vpn_provision *provision;	/* the *.config files */
};

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
	return !strcmp(vpn_conn_ident(a), b);
}

static bool has_path(const void *a, const void *b)
{
	return !strcmp(vpn_conn_path(a), b);
}

bool vpn_key_known(const char *type, const char *key)
{
	const struct vpn_provider *p = vpn_provider_find(type);

	return p && p->key_known(key);
}

bool vpn_key_secret(const char *type, const char *key)
{
	const struct vpn_provider *p = vpn_provider_find(type);

	return p && p->key_secret && p->key_secret(key);
}

/* NULL for a type connd runs here, a reason for one it does not, "" for
 * one nobody knows. */
static const char *check_type(const char *type)
{
	static const char *const later[] = { "openconnect", "vpnc", "l2tp", "pptp", NULL };
	const struct vpn_provider *p = vpn_provider_find(type);
	const char *why = NULL;

	if (p)
		return p->available && p->available(&why) < 0 ? why : NULL;
	if (l_strv_contains((char **)later, type))
		return "this VPN type is not supported by connd (openvpn and wireguard only)";
	return "";
}

static int check_keys(const struct vpn_request *req, const char **why)
{
	const struct vpn_provider *p = vpn_provider_find(req->type);

	for (char **k = req->keys; k && k[0]; k += 2) {
		if (!k[1] || !p->key_known(k[0])) {
			*why = "unknown provider key";
			return -EINVAL;
		}
		if (!p->value_valid(k[0], k[1])) {
			*why = "invalid provider value";
			return -EINVAL;
		}
	}
	return 0;
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
	if (req->auth_error_limit &&
	    vpn_auth_error_limit_parse(req->auth_error_limit, &(unsigned int){ 0 }) < 0) {
		*why = "AuthErrorLimit must be a number";
		return -EINVAL;
	}
	return check_keys(req, why);
}

static struct vpn_conn *add_conn(struct vpn *vpn, const struct vpn_request *req, char *ident)
{
	unsigned int id = l_uintset_find_unused_min(vpn->ids);
	struct vpn_conn *conn;

	l_uintset_put(vpn->ids, id);
	conn = vpn_conn_new(&vpn->ctx, vpn_provider_find(req->type), id, ident, req);
	l_queue_push_tail(vpn->conns, conn);
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
		if (vpn_conn_immutable(conn) && !req->immutable) {
			*why = "the connection is provisioned (immutable)";
			return -EPERM;
		}
		if (strcmp(vpn_conn_type(conn), req->type)) {
			*why = "a connection of another Type has this Host and Domain";
			return -EEXIST;
		}
		vpn_conn_update(conn, req);
	} else {
		if (l_queue_length(vpn->conns) >= MAX_CONNECTIONS) {
			l_free(ident);
			*why = "too many VPN connections";
			return -ENOSPC;
		}
		conn = add_conn(vpn, req, ident);
	}
	vpn_conn_set_immutable(conn, req->immutable);
	if (!req->immutable)	/* a provisioned one lives in its file */
		vpn_conn_save(conn);
	*out = conn;
	return 0;
}

static void remove_conn(struct vpn *vpn, struct vpn_conn *conn)
{
	l_queue_remove(vpn->conns, conn);
	l_uintset_take(vpn->ids, vpn_conn_id(conn));
	vpn_conn_remove(conn);
}

int vpn_remove(struct vpn *vpn, const char *path)
{
	struct vpn_conn *conn = l_queue_find(vpn->conns, has_path, path);

	if (!conn)
		return -ENOENT;
	if (vpn_conn_immutable(conn))
		return -EPERM;
	remove_conn(vpn, conn);
	return 0;
}

int vpn_remove_provisioned(struct vpn *vpn, const char *path)
{
	struct vpn_conn *conn = l_queue_find(vpn->conns, has_path, path);

	if (!conn)
		return -ENOENT;
	remove_conn(vpn, conn);
	return 0;
}

struct vpn_conn *vpn_find(const struct vpn *vpn, const char *path)
{
	return l_queue_find(vpn->conns, has_path, path);
}

const struct l_queue *vpn_connections(const struct vpn *vpn)
{
	return vpn->conns;
}

int vpn_register_agent(struct vpn *vpn, const char *sender, const char *path)
{
	return vpn_agent_register(vpn->ctx.agent, sender, path);
}

int vpn_unregister_agent(struct vpn *vpn, const char *sender, const char *path)
{
	return vpn_agent_unregister(vpn->ctx.agent, sender, path);
}

/* ---- the bearer ---- */

static void restore(const char *file, const struct vpn_request *req, void *data)
{
	struct vpn *vpn = data;
	struct vpn_conn *conn;
	const char *why = NULL;

	if (vpn_create(vpn, req, &conn, &why) < 0)
		l_warn("%s/%s: not restored: %s", vpn->ctx.state_dir, file, why);
}

static void *vpn_new(struct manager *manager)
{
	struct vpn *vpn = l_new(struct vpn, 1);

	vpn->ctx.manager = manager;
	vpn->ctx.dbus = manager_dbus(manager);
	vpn->ctx.state_dir = manager_state_dir(manager);
	vpn->ctx.agent = vpn_agent_new(vpn->ctx.dbus);
	vpn->conns = l_queue_new();
	vpn->ids = l_uintset_new_from_range(1, MAX_CONNECTIONS);
	vpn_dbus_register(vpn->ctx.dbus, vpn);
	vpn_settings_load_all(vpn->ctx.state_dir, restore, vpn);
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
	while ((conn = l_queue_pop_head(vpn->conns)))
		vpn_conn_free(conn);
	vpn_dbus_unregister(vpn->ctx.dbus);
	l_queue_destroy(vpn->conns, NULL);
	l_uintset_free(vpn->ids);
	vpn_agent_free(vpn->ctx.agent);
	l_free(vpn);
}

static void services_changed(void *data)
{
	struct vpn *vpn = data;

	for (const struct l_queue_entry *e = l_queue_get_entries(vpn->conns); e; e = e->next)
		vpn_conn_services_changed(e->data);
}

static bool has_link(const void *a, const void *b)
{
	return vpn_conn_has_link(a, b);
}

/* A provider's link that no connection has: a killed connd's leftover
 * (kernel links outlive it), seen in the links' dump at start. */
static void link_changed(void *data, const struct rtnl_link_info *link)
{
	struct vpn *vpn = data;
	const struct vpn_provider *p = vpn_provider_of_link(link->ifname, link->kind);

	if (!p || !p->stale_kind || l_queue_find(vpn->conns, has_link, link->ifname))
		return;
	if (rtnl_link_del(manager_rtnl(vpn->ctx.manager), link->ifindex) == 0)
		l_info("vpn: removed the %s link %s a previous run left", link->kind, link->ifname);
}

const struct bearer_module vpn_bearer = {
	.name = "vpn",
	.init = vpn_new,
	.exit = vpn_free,
	.link_changed = link_changed,
	.services_changed = services_changed,
};
