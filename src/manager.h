/* The manager ties links, services and technologies together: it turns
 * managed links into services, ranks them, picks the default route through
 * routing, and keeps the aggregate state. */
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
/* Technologies that exist now (at most one so far). */
struct technology *manager_ethernet(const struct manager *manager);
int manager_set_powered(struct manager *manager, struct technology *tech, bool powered);
/* -EALREADY when already so, -ENODEV when no link is free to tether. */
int manager_set_tethering(struct manager *manager, struct technology *tech, bool on);
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

/* D-Bus twins. */
void manager_dbus_register(struct manager *manager);
void manager_dbus_emit_state(struct manager *manager);
void manager_dbus_emit_offline_mode(struct manager *manager);
void manager_dbus_emit_services_changed(struct manager *manager, const struct l_queue *added,
					const struct l_queue *removed_paths);
void manager_dbus_emit_technology_added(struct manager *manager, struct technology *tech);
void manager_dbus_emit_technology_removed(struct manager *manager, const char *path);

struct l_dbus_message *session_dbus_create(struct l_dbus *dbus, struct l_dbus_message *msg,
					   void *manager);
struct l_dbus_message *session_dbus_destroy(struct l_dbus *dbus, struct l_dbus_message *msg,
					    void *manager);
void session_dbus_register_interface(struct l_dbus *dbus);

void service_dbus_register_interface(struct l_dbus *dbus);
void service_dbus_add(struct l_dbus *dbus, struct service *svc, struct manager *manager);
void service_dbus_remove(struct l_dbus *dbus, struct service *svc);
void service_dbus_emit(struct l_dbus *dbus, struct service *svc, enum service_prop prop);
void service_dbus_append_properties(struct l_dbus_message_builder *b, struct service *svc);
