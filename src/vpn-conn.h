/* One VPN connection: its settings, its service vpn_<ident> in net.connman
 * (whose driver it is: the service's link layer is the tunnel), and the
 * life of its tunnel through its provider (vpn-provider.h): configuration
 * → ready once the tunnel is up and the service ready, failure when the
 * tunnel ends by itself or never comes, idle after Disconnect. Its routes
 * are vpn-routes.h's, its saved form vpn-settings.h's. The manager
 * (vpn.c) creates, finds and removes connections; the accessors and
 * requests the D-Bus twin uses are in vpn.h. */
#pragma once

#include <stdbool.h>

struct l_dbus;
struct manager;
struct vpn_agent;
struct vpn_conn;
struct vpn_provider;
struct vpn_request;

/* What a connection uses of the manager around it (borrowed). */
struct vpn_context {
	struct manager *manager;
	struct l_dbus *dbus;
	struct vpn_agent *agent;
	const char *state_dir;
};

/* The connection, its service (idle, not autoconnected) and its D-Bus
 * object; `req` valid for `provider`, ident taken, id unique (1..N). */
struct vpn_conn *vpn_conn_new(const struct vpn_context *ctx, const struct vpn_provider *provider,
			      unsigned int id, char *ident, const struct vpn_request *req);
/* Its tunnel stopped, its D-Bus object gone; its service must be gone
 * (removed by vpn_conn_remove, or by the manager at exit). */
void vpn_conn_free(struct vpn_conn *conn);
/* Remove(): disconnected, its service and saved settings removed, freed. */
void vpn_conn_remove(struct vpn_conn *conn);
/* Create() of an existing one: its fields replaced. */
void vpn_conn_update(struct vpn_conn *conn, const struct vpn_request *req);
void vpn_conn_save(struct vpn_conn *conn);
/* Provisioned by a file (vpn-provision.h): no change over D-Bus. */
void vpn_conn_set_immutable(struct vpn_conn *conn, bool immutable);
/* After each pass of the manager over the services: the connection follows
 * its service's state and the uplink beneath. */
void vpn_conn_services_changed(struct vpn_conn *conn);

/* Whether its tunnel is up or starting on the link `ifname`. */
bool vpn_conn_has_link(const struct vpn_conn *conn, const char *ifname);
unsigned int vpn_conn_id(const struct vpn_conn *conn);
const char *vpn_conn_ident(const struct vpn_conn *conn);
