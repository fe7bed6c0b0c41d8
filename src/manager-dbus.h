/* net.connman.Manager at "/" (manager-dbus.c): marshalling only; the
 * manager decides. Registering it also registers the Service, Technology
 * and Session interfaces. */
#pragma once

#include "dbus-caller.h"

struct l_queue;
struct manager;
struct technology;

void manager_dbus_register(struct manager *manager);
void manager_dbus_unregister(struct manager *manager);
void manager_dbus_emit_state(struct manager *manager);
void manager_dbus_emit_offline_mode(struct manager *manager);
/* The whole ranked list: full properties for `added`, empty dicts for the rest. */
void manager_dbus_emit_services_changed(struct manager *manager, const struct l_queue *added,
					const struct l_queue *removed_paths);
void manager_dbus_emit_technology_added(struct manager *manager, struct technology *tech);
void manager_dbus_emit_technology_removed(struct manager *manager, const char *path);
/* MAC addresses of tethering clients new since the last signal, and gone. */
void manager_dbus_emit_tethering_clients_changed(struct manager *manager, char **registered,
						 char **removed);

/* The check atop every method that configures (dbus-caller.h), for the
 * Manager, Technology, Service and Clock interfaces alike: false means
 * return *reply (NULL while the caller's credentials are asked for). */
bool manager_dbus_may_configure(struct l_dbus *dbus, struct l_dbus_message *msg,
				const char *interface, dbus_method_fn method,
				struct l_dbus_message **reply);
