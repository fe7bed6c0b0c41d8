/* net.connman.Manager at "/": marshalling only; the manager decides. */
#include <errno.h>
#include <string.h>
#include <ell/ell.h>

#include "agents.h"
#include "dbus-util.h"
#include "manager.h"
#include "technology.h"
#include "manager-dbus.h"
#include "service-dbus.h"
#include "session-dbus.h"
#include "technology-dbus.h"
#include "vpn-dbus.h"

#define MANAGER_INTERFACE CONND_SERVICE ".Manager"

static void append_state(struct l_dbus_message_builder *b, void *object)
{
	l_dbus_message_builder_append_basic(b, 's', manager_state_name(object));
}

static void append_offline_mode(struct l_dbus_message_builder *b, void *object)
{
	bool offline = manager_offline_mode(object);

	l_dbus_message_builder_append_basic(b, 'b', &offline);
}

/* SessionMode is kept by ConnMan for compatibility only; it has no effect. */
static void append_session_mode(struct l_dbus_message_builder *b, void *object)
{
	bool session_mode = false;

	l_dbus_message_builder_append_basic(b, 'b', &session_mode);
}

static const struct dbus_property manager_properties[] = {
	{ "State", "s", append_state },
	{ "OfflineMode", "b", append_offline_mode },
	{ "SessionMode", "b", append_session_mode },
	{ }
};

static struct l_dbus_message *get_properties(struct l_dbus *dbus, struct l_dbus_message *msg,
					     void *user_data)
{
	return dbus_reply_properties(msg, manager_properties, user_data);
}

static struct l_dbus_message *set_property(struct l_dbus *dbus, struct l_dbus_message *msg,
					   void *user_data)
{
	struct l_dbus_message *denied;
	struct manager *m = user_data;
	struct l_dbus_message_iter value;
	const char *name;
	bool flag;
	int err;

	if (!manager_dbus_may_configure(dbus, msg, MANAGER_INTERFACE, set_property, &denied))
		return denied;

	if (!l_dbus_message_get_arguments(msg, "sv", &name, &value))
		return dbus_error_invalid_args(msg, "Expected a property name and a variant value");
	if (strcmp(name, "OfflineMode") && strcmp(name, "SessionMode"))
		return dbus_error_invalid_property(msg, name);
	if (!l_dbus_message_iter_get_variant(&value, "b", &flag))
		return dbus_error_invalid_args(msg, "%s takes a boolean", name);
	if (!strcmp(name, "OfflineMode")) {
		err = manager_set_offline_mode(m, flag);
		if (err < 0)
			return dbus_error_errno(msg, err);
	}
	return l_dbus_message_new_method_return(msg);
}

/* a(oa{sv}) of the given objects, each with its full property dict. */
static void append_object(struct l_dbus_message_builder *b, const char *path,
			  void (*append_props)(struct l_dbus_message_builder *, void *), void *object)
{
	l_dbus_message_builder_enter_struct(b, "oa{sv}");
	l_dbus_message_builder_append_basic(b, 'o', path);
	append_props(b, object);
	l_dbus_message_builder_leave_struct(b);
}

static void append_service_props(struct l_dbus_message_builder *b, void *object)
{
	service_dbus_append_properties(b, object);
}

static void append_technology_props(struct l_dbus_message_builder *b, void *object)
{
	technology_dbus_append_properties(b, object);
}

static void append_empty_dict(struct l_dbus_message_builder *b, void *object)
{
	l_dbus_message_builder_enter_array(b, "{sv}");
	l_dbus_message_builder_leave_array(b);
}

static struct l_dbus_message *get_technologies(struct l_dbus *dbus, struct l_dbus_message *msg,
					       void *user_data)
{
	struct l_dbus_message *reply = l_dbus_message_new_method_return(msg);
	struct l_dbus_message_builder *b = l_dbus_message_builder_new(reply);
	const struct l_queue_entry *e;

	l_dbus_message_builder_enter_array(b, "(oa{sv})");
	for (e = l_queue_get_entries(manager_technologies(user_data)); e; e = e->next)
		append_object(b, technology_path(e->data), append_technology_props, e->data);
	l_dbus_message_builder_leave_array(b);
	l_dbus_message_builder_finalize(b);
	l_dbus_message_builder_destroy(b);
	return reply;
}

static struct l_dbus_message *get_services(struct l_dbus *dbus, struct l_dbus_message *msg,
					   void *user_data)
{
	struct l_dbus_message *reply = l_dbus_message_new_method_return(msg);
	struct l_dbus_message_builder *b = l_dbus_message_builder_new(reply);
	const struct l_queue_entry *e;

	l_dbus_message_builder_enter_array(b, "(oa{sv})");
	for (e = l_queue_get_entries(manager_services(user_data)); e; e = e->next)
		append_object(b, service_path(e->data), append_service_props, e->data);
	l_dbus_message_builder_leave_array(b);
	l_dbus_message_builder_finalize(b);
	l_dbus_message_builder_destroy(b);
	return reply;
}

/* No Wi-Fi P2P: an empty list, which connmanctl asks for at start. */
static struct l_dbus_message *get_peers(struct l_dbus *dbus, struct l_dbus_message *msg,
					void *user_data)
{
	struct l_dbus_message *reply = l_dbus_message_new_method_return(msg);

	l_dbus_message_set_arguments(reply, "a(oa{sv})", 0);
	return reply;
}

static struct l_dbus_message *get_tethering_clients(struct l_dbus *dbus,
						    struct l_dbus_message *msg, void *user_data)
{
	struct l_dbus_message *denied;
	struct l_dbus_message *reply;
	struct l_dbus_message_builder *b;
	char **macs;

	if (!manager_dbus_may_configure(dbus, msg, MANAGER_INTERFACE, get_tethering_clients,
					&denied))
		return denied;

	reply = l_dbus_message_new_method_return(msg);
	b = l_dbus_message_builder_new(reply);
	macs = manager_tethering_clients(user_data);
	dbus_append_strv(b, macs);
	l_dbus_message_builder_finalize(b);
	l_dbus_message_builder_destroy(b);
	l_strv_free(macs);
	return reply;
}

static struct l_dbus_message *agent_result(struct l_dbus_message *msg, int err)
{
	if (err == -EEXIST)
		return dbus_error(msg, "AlreadyExists", "This client already registered one");
	if (err == -ENOENT)
		return dbus_error(msg, "NotRegistered", "No such object registered by this client");
	if (err == -EPERM)
		return dbus_error(msg, "PermissionDenied", "Registered by another client");
	return err < 0 ? dbus_error_errno(msg, err) : l_dbus_message_new_method_return(msg);
}

static struct l_dbus_message *register_agent(struct l_dbus *dbus, struct l_dbus_message *msg,
					     void *user_data)
{
	struct l_dbus_message *denied, *bad;
	const char *path;

	if (!manager_dbus_may_configure(dbus, msg, MANAGER_INTERFACE, register_agent, &denied))
		return denied;

	if (!l_dbus_message_get_arguments(msg, "o", &path))
		return dbus_error_invalid_args(msg, "Expected an object path");
	bad = dbus_check_client_path(msg, "The agent", path);
	if (bad)
		return bad;
	return agent_result(msg, agents_register_agent(manager_agents(user_data),
						       l_dbus_message_get_sender(msg), path));
}

static struct l_dbus_message *unregister_agent(struct l_dbus *dbus, struct l_dbus_message *msg,
					       void *user_data)
{
	struct l_dbus_message *denied;
	const char *path;

	if (!manager_dbus_may_configure(dbus, msg, MANAGER_INTERFACE, unregister_agent, &denied))
		return denied;

	if (!l_dbus_message_get_arguments(msg, "o", &path))
		return dbus_error_invalid_args(msg, "Expected an object path");
	return agent_result(msg, agents_unregister_agent(manager_agents(user_data),
							 l_dbus_message_get_sender(msg), path));
}

static struct l_dbus_message *register_counter(struct l_dbus *dbus, struct l_dbus_message *msg,
					       void *user_data)
{
	struct l_dbus_message *denied, *bad;
	const char *path;
	uint32_t accuracy, period;

	if (!manager_dbus_may_configure(dbus, msg, MANAGER_INTERFACE, register_counter, &denied))
		return denied;

	if (!l_dbus_message_get_arguments(msg, "ouu", &path, &accuracy, &period))
		return dbus_error_invalid_args(msg, "Expected a path, an accuracy and a period");
	if (period == 0 || period > AGENTS_COUNTER_PERIOD_MAX)
		return dbus_error_invalid_args(msg, "The period must be from 1 to %u seconds",
					       AGENTS_COUNTER_PERIOD_MAX);
	bad = dbus_check_client_path(msg, "The counter", path);
	if (bad)
		return bad;
	return agent_result(msg, agents_register_counter(manager_agents(user_data),
							 l_dbus_message_get_sender(msg), path,
							 accuracy, period));
}

static struct l_dbus_message *unregister_counter(struct l_dbus *dbus, struct l_dbus_message *msg,
						 void *user_data)
{
	struct l_dbus_message *denied;
	const char *path;

	if (!manager_dbus_may_configure(dbus, msg, MANAGER_INTERFACE, unregister_counter, &denied))
		return denied;

	if (!l_dbus_message_get_arguments(msg, "o", &path))
		return dbus_error_invalid_args(msg, "Expected an object path");
	return agent_result(msg, agents_unregister_counter(manager_agents(user_data),
							   l_dbus_message_get_sender(msg), path));
}

/* ConnMan's deprecated VPN methods: the VPN module (vpn-dbus.c) answers. */
static struct l_dbus_message *connect_provider(struct l_dbus *dbus, struct l_dbus_message *msg,
					       void *user_data)
{
	struct l_dbus_message *denied;

	if (!manager_dbus_may_configure(dbus, msg, MANAGER_INTERFACE, connect_provider, &denied))
		return denied;
	return vpn_dbus_connect_provider(dbus, msg);
}

static struct l_dbus_message *remove_provider(struct l_dbus *dbus, struct l_dbus_message *msg,
					      void *user_data)
{
	struct l_dbus_message *denied;

	if (!manager_dbus_may_configure(dbus, msg, MANAGER_INTERFACE, remove_provider, &denied))
		return denied;
	return vpn_dbus_remove_provider(dbus, msg);
}

/* ConnMan's methods for features connd does not have: declared with
 * ConnMan's signatures so that introspection matches, answered
 * NotSupported. Nothing stands behind them, so any caller may ask. */

static struct l_dbus_message *no_private_network(struct l_dbus *dbus,
						 struct l_dbus_message *msg, void *user_data)
{
	return dbus_error(msg, "NotSupported", "%s: connd has no private networks",
			  l_dbus_message_get_member(msg));
}

static struct l_dbus_message *no_p2p(struct l_dbus *dbus, struct l_dbus_message *msg,
				     void *user_data)
{
	return dbus_error(msg, "NotSupported", "%s: connd has no Wi-Fi P2P",
			  l_dbus_message_get_member(msg));
}

/* The manager is found through the bus, so objects that know nothing of it
 * (services, the clock) share its callers. */
bool manager_dbus_may_configure(struct l_dbus *dbus, struct l_dbus_message *msg,
				const char *interface, dbus_method_fn method,
				struct l_dbus_message **reply)
{
	struct manager *m = l_dbus_object_get_data(dbus, "/", MANAGER_INTERFACE);

	return dbus_callers_check(m ? manager_callers(m) : NULL, msg, interface, method, reply);
}

static void setup_manager_interface(struct l_dbus_interface *iface)
{
	l_dbus_interface_method(iface, "GetProperties", 0, get_properties, "a{sv}", "",
				"properties");
	l_dbus_interface_method(iface, "SetProperty", 0, set_property, "", "sv", "name", "value");
	l_dbus_interface_method(iface, "GetTechnologies", 0, get_technologies, "a(oa{sv})", "",
				"technologies");
	l_dbus_interface_method(iface, "GetServices", 0, get_services, "a(oa{sv})", "",
				"services");
	l_dbus_interface_method(iface, "GetPeers", 0, get_peers, "a(oa{sv})", "", "peers");
	l_dbus_interface_method(iface, "GetTetheringClients", 0, get_tethering_clients, "as", "",
				"tethering_clients");
	l_dbus_interface_method(iface, "RegisterAgent", 0, register_agent, "", "o", "path");
	l_dbus_interface_method(iface, "UnregisterAgent", 0, unregister_agent, "", "o", "path");
	l_dbus_interface_method(iface, "RegisterCounter", 0, register_counter, "", "ouu", "path",
				"accuracy", "period");
	l_dbus_interface_method(iface, "UnregisterCounter", 0, unregister_counter, "", "o",
				"path");
	l_dbus_interface_method(iface, "CreateSession", L_DBUS_METHOD_FLAG_ASYNC, session_dbus_create,
				"o", "a{sv}o", "session", "settings", "notifier");
	l_dbus_interface_method(iface, "DestroySession", 0, session_dbus_destroy, "", "o",
				"session");
	l_dbus_interface_method(iface, "GetSessionStatistics", 0, session_dbus_statistics_all,
				"a(oa{sv})", "", "statistics");
	l_dbus_interface_method(iface, "GetSessionCounters", 0, session_dbus_counters_all,
				"a(otttt)", "", "counters");
	l_dbus_interface_method(iface, "ConnectProvider",
				L_DBUS_METHOD_FLAG_DEPRECATED | L_DBUS_METHOD_FLAG_ASYNC,
				connect_provider, "o", "a{sv}", "path", "provider");
	l_dbus_interface_method(iface, "RemoveProvider", L_DBUS_METHOD_FLAG_DEPRECATED,
				remove_provider, "", "o", "provider");
	l_dbus_interface_method(iface, "RequestPrivateNetwork", 0, no_private_network, "oa{sv}h",
				"", "path", "settings", "socket");
	l_dbus_interface_method(iface, "ReleasePrivateNetwork", 0, no_private_network, "", "o",
				"path");
	l_dbus_interface_method(iface, "RegisterPeerService", 0, no_p2p, "", "a{sv}b",
				"specification", "master");
	l_dbus_interface_method(iface, "UnregisterPeerService", 0, no_p2p, "", "a{sv}",
				"specification");
	l_dbus_interface_signal(iface, "PropertyChanged", 0, "sv", "name", "value");
	l_dbus_interface_signal(iface, "TechnologyAdded", 0, "oa{sv}", "path", "properties");
	l_dbus_interface_signal(iface, "TechnologyRemoved", 0, "o", "path");
	l_dbus_interface_signal(iface, "ServicesChanged", 0, "a(oa{sv})ao", "changed", "removed");
	l_dbus_interface_signal(iface, "PeersChanged", 0, "a(oa{sv})ao", "changed", "removed");
	l_dbus_interface_signal(iface, "TetheringClientsChanged", 0, "asas", "registered",
				"removed");
}

void manager_dbus_register(struct manager *m)
{
	struct l_dbus *dbus = manager_dbus(m);

	if (!dbus)
		return;
	l_dbus_register_interface(dbus, MANAGER_INTERFACE, setup_manager_interface, NULL, false);
	service_dbus_register_interface(dbus);
	technology_dbus_register_interface(dbus);
	session_dbus_register_interface(dbus);
	l_dbus_object_add_interface(dbus, "/", MANAGER_INTERFACE, m);
	l_dbus_object_manager_enable(dbus, "/");
}

/* Calls still queued in the bus socket are read after the manager is gone
 * (main's last flush): without the interface they get UnknownInterface, not
 * a freed manager. */
void manager_dbus_unregister(struct manager *m)
{
	struct l_dbus *dbus = manager_dbus(m);

	if (dbus)
		l_dbus_object_remove_interface(dbus, "/", MANAGER_INTERFACE);
}

void manager_dbus_emit_state(struct manager *m)
{
	dbus_emit_property_changed(manager_dbus(m), "/", MANAGER_INTERFACE, manager_properties,
				   "State", m);
}

void manager_dbus_emit_offline_mode(struct manager *m)
{
	dbus_emit_property_changed(manager_dbus(m), "/", MANAGER_INTERFACE, manager_properties,
				   "OfflineMode", m);
}

static bool same_pointer(const void *a, const void *b)
{
	return a == b;
}

void manager_dbus_emit_services_changed(struct manager *m, const struct l_queue *added,
					const struct l_queue *removed_paths)
{
	struct l_dbus *dbus = manager_dbus(m);
	struct l_dbus_message *signal;
	struct l_dbus_message_builder *b;
	const struct l_queue_entry *e;

	if (!dbus)
		return;
	signal = l_dbus_message_new_signal(dbus, "/", MANAGER_INTERFACE, "ServicesChanged");
	b = l_dbus_message_builder_new(signal);
	l_dbus_message_builder_enter_array(b, "(oa{sv})");
	for (e = l_queue_get_entries(manager_services(m)); e; e = e->next) {
		bool is_new = l_queue_find((struct l_queue *)added, same_pointer, e->data) != NULL;

		append_object(b, service_path(e->data),
			      is_new ? append_service_props : append_empty_dict, e->data);
	}
	l_dbus_message_builder_leave_array(b);
	l_dbus_message_builder_enter_array(b, "o");
	for (e = l_queue_get_entries(removed_paths); e; e = e->next)
		l_dbus_message_builder_append_basic(b, 'o', e->data);
	l_dbus_message_builder_leave_array(b);
	l_dbus_message_builder_finalize(b);
	l_dbus_message_builder_destroy(b);
	l_dbus_send(dbus, signal);
}

void manager_dbus_emit_technology_added(struct manager *m, struct technology *tech)
{
	struct l_dbus *dbus = manager_dbus(m);
	struct l_dbus_message *signal;
	struct l_dbus_message_builder *b;

	if (!dbus)
		return;
	signal = l_dbus_message_new_signal(dbus, "/", MANAGER_INTERFACE, "TechnologyAdded");
	b = l_dbus_message_builder_new(signal);
	l_dbus_message_builder_append_basic(b, 'o', technology_path(tech));
	technology_dbus_append_properties(b, tech);
	l_dbus_message_builder_finalize(b);
	l_dbus_message_builder_destroy(b);
	l_dbus_send(dbus, signal);
}

void manager_dbus_emit_technology_removed(struct manager *m, const char *path)
{
	struct l_dbus *dbus = manager_dbus(m);
	struct l_dbus_message *signal;

	if (!dbus)
		return;
	signal = l_dbus_message_new_signal(dbus, "/", MANAGER_INTERFACE, "TechnologyRemoved");
	l_dbus_message_set_arguments(signal, "o", path);
	l_dbus_send(dbus, signal);
}

void manager_dbus_emit_tethering_clients_changed(struct manager *m, char **registered,
						 char **removed)
{
	struct l_dbus *dbus = manager_dbus(m);
	struct l_dbus_message *signal;
	struct l_dbus_message_builder *b;

	if (!dbus)
		return;
	signal = l_dbus_message_new_signal(dbus, "/", MANAGER_INTERFACE, "TetheringClientsChanged");
	b = l_dbus_message_builder_new(signal);
	dbus_append_strv(b, registered);
	dbus_append_strv(b, removed);
	l_dbus_message_builder_finalize(b);
	l_dbus_message_builder_destroy(b);
	l_dbus_send(dbus, signal);
}
