/* The manager ties bearers, technologies and services together: the
 * bearers' drivers register technologies and services through it; it ranks
 * the services, applies what follows (default route, per-service tables,
 * DNS, sessions, tethering, the clock) once per main-loop turn, and keeps
 * the aggregate state and the settings. */
#pragma once

#include <stdbool.h>
#include <ell/ell.h>

#include "service.h"

struct connd_config;
struct connd_options;
struct technology;

struct manager *manager_new(struct l_dbus *dbus, const struct connd_config *config,
			    const struct connd_options *opts);
/* Takes over the managed links: removes what a previous run left, then
 * brings the links up and starts their services. */
int manager_start(struct manager *manager);
/* Stops every service and removes every address and route connd added. */
void manager_free(struct manager *manager);

struct l_dbus *manager_dbus(const struct manager *manager);
const char *manager_state_name(const struct manager *manager);
bool manager_offline_mode(const struct manager *manager);
int manager_set_offline_mode(struct manager *manager, bool offline);
/* Services in ConnMan's order: the first is the default service. */
const struct l_queue *manager_services(const struct manager *manager);
struct service *manager_find_service(const struct manager *manager, const char *path);
struct technology *manager_find_technology(const struct manager *manager, const char *path);
struct technology *manager_technology_of_type(const struct manager *manager, const char *type);
/* The technologies that exist now, in the order they came. */
const struct l_queue *manager_technologies(const struct manager *manager);
int manager_set_powered(struct manager *manager, struct technology *tech, bool powered);
/* tether_ctl_set (manager-tethering.h): 0 done, 1 when done() will tell,
 * or a negative errno. */
int manager_set_tethering(struct manager *manager, struct technology *tech, bool on,
			  void (*done)(int result, const char *message, void *data), void *data);
/* Tethering's controller (manager-tethering.h), for the D-Bus twins. */
struct tether_ctl *manager_tethering(const struct manager *manager);
/* A bearer's own tethering link (its access point) went by itself. */
void manager_tethering_lost(struct manager *manager, struct technology *tech);
/* MAC addresses of the tethered clients holding a lease. */
char **manager_tethering_clients(const struct manager *manager);
struct dhcp_server_lease;
/* Every current lease of the tethering DHCP server (none while off). */
void manager_foreach_tethering_lease(const struct manager *manager,
				     void (*fn)(const struct dhcp_server_lease *lease, void *data),
				     void *data);

/* Sessions, which the manager owns (see manager-sessions.h). */
struct manager_sessions *manager_sessions(const struct manager *manager);

struct agents *manager_agents(const struct manager *manager);
/* The provisioning files' entries (manager-provision.h). */
struct provisioning *manager_provisioning(const struct manager *manager);
struct dbus_callers;
/* The callers' credentials, for the check atop configuring methods. */
struct dbus_callers *manager_callers(const struct manager *manager);

/* For bearer drivers. */
struct rtnl;
struct rtnl_link_info;
struct technology_driver;

/* A bearer: set up once at start, told about every link (kernel events). */
struct bearer_module {
	const char *name;
	void *(*init)(struct manager *manager);
	void (*exit)(void *bearer);
	void (*link_changed)(void *bearer, const struct rtnl_link_info *link);
	void (*link_removed)(void *bearer, const struct rtnl_link_info *link);
	/* Optional: after each pass over the services (states, ranks, routes). */
	void (*services_changed)(void *bearer);
	/* Optional: the provisioning files were read again (a change). */
	void (*provisioning_changed)(void *bearer);
};

const struct connd_config *manager_config(const struct manager *manager);
const char *manager_state_dir(const struct manager *manager);
/* --vpn-config-dir: the VPNs' provisioning files. */
const char *manager_vpn_config_dir(const struct manager *manager);

struct rtnl *manager_rtnl(const struct manager *manager);
/* -i was given: only the links it names are managed, whatever their kind. */
bool manager_names_devices(const struct manager *manager);
/* Whether -i, -I and NetworkInterfaceBlacklist let connd manage the link. */
bool manager_may_manage(const struct manager *manager, const char *ifname);
/* Position of the first -i pattern naming the link: earlier ranks first. */
unsigned int manager_device_rank(const struct manager *manager, const char *ifname);
/* The technology shows on the bus with its saved Powered, until removed. */
struct technology *manager_add_technology(struct manager *manager,
					  const struct technology_driver *driver, void *data);
void manager_remove_technology(struct manager *manager, struct technology *tech);
/* The service, with its saved settings and any provisioning applied, joins
 * the ranked list; removing one frees it. */
struct service *manager_add_service(struct manager *manager, const struct service_desc *desc);
void manager_remove_service(struct manager *manager, struct service *svc);

