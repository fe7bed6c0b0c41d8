#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <ell/ell.h>

#include "iwd.h"

#define IWD_ROOT "/net/connman/iwd"

static const char *const interface_names[IWD_N_INTERFACES] = {
	"net.connman.iwd.Adapter",
	"net.connman.iwd.Device",
	"net.connman.iwd.Station",
	"net.connman.iwd.Network",
	"net.connman.iwd.KnownNetwork",
	"net.connman.iwd.AccessPoint",
};

/* The properties connd follows, and where each lands in struct iwd_object:
 * 's' and 'o' into a char *, 'b' into a bool, 'a' (as) into a char **. */
static const struct {
	enum iwd_interface interface;
	const char *name;
	char type;
	size_t offset;
} properties[] = {
	{ IWD_ADAPTER, "Powered", 'b', offsetof(struct iwd_object, powered) },
	{ IWD_ADAPTER, "SupportedModes", 'a', offsetof(struct iwd_object, supported_modes) },
	{ IWD_DEVICE, "Name", 's', offsetof(struct iwd_object, name) },
	{ IWD_DEVICE, "Address", 's', offsetof(struct iwd_object, address) },
	{ IWD_DEVICE, "Powered", 'b', offsetof(struct iwd_object, powered) },
	{ IWD_DEVICE, "Adapter", 'o', offsetof(struct iwd_object, adapter) },
	{ IWD_DEVICE, "Mode", 's', offsetof(struct iwd_object, mode) },
	{ IWD_STATION, "State", 's', offsetof(struct iwd_object, state) },
	{ IWD_STATION, "ConnectedNetwork", 'o', offsetof(struct iwd_object, connected_network) },
	{ IWD_STATION, "Scanning", 'b', offsetof(struct iwd_object, scanning) },
	{ IWD_NETWORK, "Name", 's', offsetof(struct iwd_object, name) },
	{ IWD_NETWORK, "Connected", 'b', offsetof(struct iwd_object, connected) },
	{ IWD_NETWORK, "Device", 'o', offsetof(struct iwd_object, device) },
	{ IWD_NETWORK, "Type", 's', offsetof(struct iwd_object, type) },
	{ IWD_NETWORK, "KnownNetwork", 'o', offsetof(struct iwd_object, known) },
	{ IWD_KNOWN, "Name", 's', offsetof(struct iwd_object, name) },
	{ IWD_KNOWN, "Type", 's', offsetof(struct iwd_object, type) },
	{ IWD_KNOWN, "Hidden", 'b', offsetof(struct iwd_object, hidden) },
	{ IWD_KNOWN, "AutoConnect", 'b', offsetof(struct iwd_object, autoconnect) },
	{ IWD_ACCESS_POINT, "Started", 'b', offsetof(struct iwd_object, started) },
	{ IWD_ACCESS_POINT, "Name", 's', offsetof(struct iwd_object, ap_name) },
};

struct iwd {
	struct l_dbus *dbus;
	struct l_dbus_client *client;
	char *agent_path;
	const struct iwd_ops *ops;
	void *data;
	bool present;
	bool network_config;
	char *owner;			/* iwd's unique name while present */
	struct l_queue *objects;
	struct l_idle *idle;		/* the coalesced "changed" */
	struct l_queue *calls;		/* struct iwd_call: the owner's */
	struct l_queue *internal;	/* struct internal_call: our own */
};

struct iwd_call {
	struct iwd *iwd;
	iwd_done_fn done;
	void *data;
	char *station;			/* scans: whose Scanning to wait for */
	uint32_t id;
	bool waiting;			/* a scan past its reply: moved to iwd->scans */
};

static int interface_index(const char *name)
{
	for (int i = 0; i < IWD_N_INTERFACES; i++)
		if (!strcmp(name, interface_names[i]))
			return i;
	return -1;
}

static void changed_now(struct l_idle *idle, void *user_data)
{
	struct iwd *iwd = user_data;

	l_idle_remove(iwd->idle);
	iwd->idle = NULL;
	iwd->ops->changed(iwd->data);
}

static void schedule_changed(struct iwd *iwd)
{
	if (!iwd->idle)
		iwd->idle = l_idle_create(changed_now, iwd, NULL);
}

static bool has_path(const void *obj, const void *path)
{
	return !strcmp(((const struct iwd_object *)obj)->path, path);
}

struct iwd_object *iwd_find(const struct iwd *iwd, const char *path)
{
	return path ? l_queue_find(iwd->objects, has_path, path) : NULL;
}

static void object_free(void *data)
{
	struct iwd_object *obj = data;

	/* Interfaces share fields (Name, Type): each freed once. */
	l_free(obj->name);
	l_free(obj->address);
	l_free(obj->adapter);
	l_free(obj->mode);
	l_free(obj->state);
	l_free(obj->connected_network);
	l_free(obj->device);
	l_free(obj->known);
	l_free(obj->type);
	l_strv_free(obj->supported_modes);
	l_free(obj->ap_name);
	l_free(obj->path);
	l_free(obj);
}

static char **read_strv(struct l_dbus_proxy *proxy, const char *name)
{
	struct l_dbus_message_iter list;
	const char *text;
	char **out = NULL;

	if (!proxy || !l_dbus_proxy_get_property(proxy, name, "as", &list))
		return NULL;
	while (l_dbus_message_iter_next_entry(&list, &text))
		out = l_strv_append(out, text);
	return out;
}

/* Reads one property from the proxy's copy (gone or of another type: unset). */
static void read_property(struct iwd_object *obj, struct l_dbus_proxy *proxy, size_t i)
{
	char *field = (char *)obj + properties[i].offset;
	const char *text = NULL;
	char sig[2] = { properties[i].type, 0 };
	bool flag = false;

	if (properties[i].type == 'a') {
		l_strv_free(*(char ***)field);
		*(char ***)field = read_strv(proxy, properties[i].name);
		return;
	}
	if (properties[i].type == 'b') {
		if (!l_dbus_proxy_get_property(proxy, properties[i].name, sig, &flag))
			flag = false;
		*(bool *)field = flag;
		return;
	}
	if (!l_dbus_proxy_get_property(proxy, properties[i].name, sig, &text))
		text = NULL;
	l_free(*(char **)field);
	*(char **)field = l_strdup(text);
}

static void read_properties(struct iwd_object *obj, struct l_dbus_proxy *proxy, int index,
			    const char *only)
{
	for (size_t i = 0; i < L_ARRAY_SIZE(properties); i++)
		if (properties[i].interface == 1u << index &&
		    (!only || !strcmp(only, properties[i].name)))
			read_property(obj, proxy, i);
}

static void read_signals(struct iwd *iwd, const char *station);
static void finish_scans(struct iwd *iwd, const char *station, int error);

static void proxy_added(struct l_dbus_proxy *proxy, void *user_data)
{
	struct iwd *iwd = user_data;
	const char *path = l_dbus_proxy_get_path(proxy);
	int index = interface_index(l_dbus_proxy_get_interface(proxy));
	struct iwd_object *obj;

	if (index < 0)
		return;
	obj = iwd_find(iwd, path);
	if (!obj) {
		obj = l_new(struct iwd_object, 1);
		obj->path = l_strdup(path);
		l_queue_push_tail(iwd->objects, obj);
	}
	l_debug("%s: %s added", path, interface_names[index]);
	obj->interfaces |= 1u << index;
	obj->proxies[index] = proxy;
	read_properties(obj, proxy, index, NULL);
	if (1u << index == IWD_STATION && iwd->present)
		read_signals(iwd, path);
	schedule_changed(iwd);
}

static void proxy_removed(struct l_dbus_proxy *proxy, void *user_data)
{
	struct iwd *iwd = user_data;
	int index = interface_index(l_dbus_proxy_get_interface(proxy));
	struct iwd_object *obj = iwd_find(iwd, l_dbus_proxy_get_path(proxy));
	struct iwd_object blank = { 0 };

	if (index < 0 || !obj)
		return;
	l_debug("%s: %s removed", obj->path, interface_names[index]);
	/* What the interface said goes with it. */
	read_properties(obj, NULL, index, NULL);
	if (1u << index == IWD_NETWORK)
		obj->has_signal = blank.has_signal;
	if (1u << index == IWD_STATION)
		obj->hidden_types = blank.hidden_types;
	obj->interfaces &= ~(1u << index);
	obj->proxies[index] = NULL;
	if (1u << index == IWD_STATION)
		finish_scans(iwd, obj->path, -ENODEV);
	if (!obj->interfaces) {
		l_queue_remove(iwd->objects, obj);
		object_free(obj);
	}
	schedule_changed(iwd);
}

static void property_changed(struct l_dbus_proxy *proxy, const char *name,
			     struct l_dbus_message *msg, void *user_data)
{
	struct iwd *iwd = user_data;
	int index = interface_index(l_dbus_proxy_get_interface(proxy));
	struct iwd_object *obj = iwd_find(iwd, l_dbus_proxy_get_path(proxy));

	if (index < 0 || !obj)
		return;
	l_debug("%s: %s changed", obj->path, name);
	read_properties(obj, proxy, index, name);
	if (1u << index == IWD_STATION && !strcmp(name, "Scanning") && !obj->scanning)
		read_signals(iwd, obj->path);
	schedule_changed(iwd);
}

static void set_signal(struct iwd *iwd, const char *path, int16_t signal)
{
	struct iwd_object *net = iwd_find(iwd, path);

	if (!net)
		return;
	net->signal = signal;
	net->has_signal = true;
}

/* An internal call (GetOrderedNetworks, GetInfo, RegisterAgent): cancelled
 * when iwd goes or connd stops. */
struct internal_call {
	struct iwd *iwd;
	char *path;
	uint32_t id;
};

static void internal_call_free(void *data)
{
	struct internal_call *c = data;

	l_queue_remove(c->iwd->internal, c);
	l_free(c->path);
	l_free(c);
}

static void call_internal(struct iwd *iwd, const char *dest, const char *path,
			  const char *interface, const char *method, l_dbus_message_func_t setup,
			  l_dbus_message_func_t reply, void *setup_data)
{
	struct internal_call *c = l_new(struct internal_call, 1);
	struct l_dbus_message *msg = l_dbus_message_new_method_call(iwd->dbus, dest, path,
								    interface, method);

	c->iwd = iwd;
	c->path = l_strdup(path);
	if (setup)
		setup(msg, setup_data);
	else
		l_dbus_message_set_arguments(msg, "");
	c->id = l_dbus_send_with_reply(iwd->dbus, msg, reply, c, internal_call_free);
	if (!c->id) {
		l_free(c->path);
		l_free(c);
		return;
	}
	l_queue_push_tail(iwd->internal, c);
}

static void cancel_internal(struct iwd *iwd)
{
	struct internal_call *c;

	while ((c = l_queue_peek_head(iwd->internal)))
		l_dbus_cancel(iwd->dbus, c->id);	/* frees c */
}

/* a(on): the networks of the last scan, best first. A scan waiting for
 * this station is done once they are read (or cannot be). */
static void ordered_networks_reply(struct l_dbus_message *reply, void *user_data)
{
	struct internal_call *c = user_data;
	struct iwd *iwd = c->iwd;
	struct l_dbus_message_iter list;
	const char *net;
	int16_t signal;

	if (!l_dbus_message_is_error(reply) &&
	    l_dbus_message_get_arguments(reply, "a(on)", &list)) {
		while (l_dbus_message_iter_next_entry(&list, &net, &signal))
			set_signal(iwd, net, signal);
		schedule_changed(iwd);
	}
	finish_scans(iwd, c->path, 0);
}

/* a(sns): address, signal, type of each hidden access point. An iwd
 * without the method has none to show. */
static void hidden_reply(struct l_dbus_message *reply, void *user_data)
{
	struct internal_call *c = user_data;
	struct iwd_object *st = iwd_find(c->iwd, c->path);
	struct l_dbus_message_iter list;
	const char *address, *type;
	enum wifi_security security;
	unsigned int types = 0;
	int16_t signal, best[L_ARRAY_SIZE(st->hidden_signal)];

	if (!st)
		return;
	if (!l_dbus_message_is_error(reply) &&
	    l_dbus_message_get_arguments(reply, "a(sns)", &list))
		while (l_dbus_message_iter_next_entry(&list, &address, &signal, &type)) {
			if (wifi_security_from_iwd(type, &security) < 0 ||
			    (size_t)security >= L_ARRAY_SIZE(best))
				continue;
			if (!(types & 1u << security) || signal > best[security])
				best[security] = signal;
			types |= 1u << security;
		}
	for (size_t i = 0; i < L_ARRAY_SIZE(best); i++)
		if (types & 1u << i)
			st->hidden_signal[i] = best[i];
	st->hidden_types = types;
	schedule_changed(c->iwd);
}

/* Hidden access points first: iwd answers in order, so they are known
 * when the ordered list ends a scan. */
static void read_signals(struct iwd *iwd, const char *station)
{
	call_internal(iwd, IWD_SERVICE, station, interface_names[2], "GetHiddenAccessPoints",
		      NULL, hidden_reply, NULL);
	call_internal(iwd, IWD_SERVICE, station, interface_names[2], "GetOrderedNetworks", NULL,
		      ordered_networks_reply, NULL);
}

/* Daemon.GetInfo: a{sv}, of which NetworkConfigurationEnabled matters. */
static void info_reply(struct l_dbus_message *reply, void *user_data)
{
	struct internal_call *c = user_data;
	struct iwd *iwd = c->iwd;
	struct l_dbus_message_iter dict, value;
	const char *key;
	bool on = false;

	if (!l_dbus_message_is_error(reply) && l_dbus_message_get_arguments(reply, "a{sv}", &dict))
		while (l_dbus_message_iter_next_entry(&dict, &key, &value))
			if (!strcmp(key, "NetworkConfigurationEnabled"))
				l_dbus_message_iter_get_variant(&value, "b", &on);
	iwd->network_config = on;
	iwd->ops->appeared(on, iwd->data);
}

static void agent_registered(struct l_dbus_message *reply, void *user_data)
{
	const char *name = NULL;

	if (l_dbus_message_get_error(reply, &name, NULL))
		l_warn("iwd refused connd's agent: %s", name);
}

static void owner_setup(struct l_dbus_message *msg, void *data)
{
	l_dbus_message_set_arguments(msg, "s", IWD_SERVICE);
}

/* iwd's unique name: only it may call connd's iwd agent. */
static void owner_reply(struct l_dbus_message *reply, void *user_data)
{
	struct internal_call *c = user_data;
	const char *owner;

	if (!l_dbus_message_get_arguments(reply, "s", &owner))
		return;
	l_free(c->iwd->owner);
	c->iwd->owner = l_strdup(owner);
}

bool iwd_is_sender(const struct iwd *iwd, const char *sender)
{
	return iwd->present && iwd->owner && sender && !strcmp(iwd->owner, sender);
}

static void agent_setup(struct l_dbus_message *msg, void *data)
{
	l_dbus_message_set_arguments(msg, "o", data);
}

/* GetManagedObjects answered: iwd's objects are all here. */
static void client_ready(struct l_dbus_client *client, void *user_data)
{
	struct iwd *iwd = user_data;

	iwd->present = true;
	l_info("iwd is on the bus");
	for (const struct l_queue_entry *e = l_queue_get_entries(iwd->objects); e; e = e->next) {
		const struct iwd_object *obj = e->data;

		if (obj->interfaces & IWD_STATION)
			read_signals(iwd, obj->path);
	}
	if (iwd->agent_path)
		call_internal(iwd, IWD_SERVICE, IWD_ROOT, "net.connman.iwd.AgentManager",
			      "RegisterAgent", agent_setup, agent_registered, iwd->agent_path);
	call_internal(iwd, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
		      "GetNameOwner", owner_setup, owner_reply, NULL);
	call_internal(iwd, IWD_SERVICE, IWD_ROOT, "net.connman.iwd.Daemon", "GetInfo", NULL,
		      info_reply, NULL);
}

static void fail_calls(struct iwd *iwd);

/* ELL drops its proxies right after this, without telling each. */
static void client_gone(struct l_dbus *dbus, void *user_data)
{
	struct iwd *iwd = user_data;
	bool was = iwd->present;

	iwd->present = false;
	l_free(iwd->owner);
	iwd->owner = NULL;
	cancel_internal(iwd);
	l_queue_clear(iwd->objects, object_free);
	fail_calls(iwd);
	if (was) {
		l_info("iwd left the bus");
		iwd->ops->vanished(iwd->data);
	}
	schedule_changed(iwd);
}

struct iwd *iwd_new(struct l_dbus *dbus, const char *agent_path, const struct iwd_ops *ops,
		    void *data)
{
	struct iwd *iwd = l_new(struct iwd, 1);

	iwd->dbus = dbus;
	iwd->agent_path = l_strdup(agent_path);
	iwd->ops = ops;
	iwd->data = data;
	iwd->objects = l_queue_new();
	iwd->calls = l_queue_new();
	iwd->internal = l_queue_new();
	iwd->client = l_dbus_client_new(dbus, IWD_SERVICE, "/");
	if (!iwd->client) {
		iwd_free(iwd);
		return NULL;
	}
	l_dbus_client_set_disconnect_handler(iwd->client, client_gone, iwd, NULL);
	l_dbus_client_set_ready_handler(iwd->client, client_ready, iwd, NULL);
	l_dbus_client_set_proxy_handlers(iwd->client, proxy_added, proxy_removed,
					 property_changed, iwd, NULL);
	return iwd;
}

void iwd_free(struct iwd *iwd)
{
	struct iwd_call *call;

	if (!iwd)
		return;
	cancel_internal(iwd);
	while ((call = l_queue_peek_head(iwd->calls)))
		iwd_cancel(iwd, call->id);
	l_dbus_client_destroy(iwd->client);
	l_idle_remove(iwd->idle);
	l_queue_destroy(iwd->objects, object_free);
	l_queue_destroy(iwd->calls, NULL);
	l_queue_destroy(iwd->internal, NULL);
	l_free(iwd->agent_path);
	l_free(iwd->owner);
	l_free(iwd);
}

bool iwd_present(const struct iwd *iwd)
{
	return iwd->present;
}

const struct l_queue *iwd_objects(const struct iwd *iwd)
{
	return iwd->objects;
}

/* The caller's calls. A scan stays listed past its reply until the
 * station's Scanning turns false and the signals are read. */
static void call_free(void *data)
{
	struct iwd_call *call = data;

	if (call->waiting)
		return;		/* the scan lives on in iwd->calls */
	l_queue_remove(call->iwd->calls, call);
	l_free(call->station);
	l_free(call);
}

static void call_destroy(struct iwd_call *call)
{
	l_queue_remove(call->iwd->calls, call);
	l_free(call->station);
	l_free(call);
}

static int error_errno(const char *name)
{
	if (!strcmp(name, "net.connman.iwd.Aborted"))
		return -ECANCELED;
	if (!strcmp(name, "net.connman.iwd.InProgress"))
		return -EINPROGRESS;
	if (!strcmp(name, "net.connman.iwd.Busy"))
		return -EBUSY;
	if (!strcmp(name, "net.connman.iwd.NotConnected"))
		return -ENOTCONN;
	if (!strcmp(name, "net.connman.iwd.NotFound"))
		return -ENOENT;
	if (!strcmp(name, "net.connman.iwd.NotSupported"))
		return -EOPNOTSUPP;
	if (!strcmp(name, "net.connman.iwd.AlreadyExists"))
		return -EEXIST;
	if (!strcmp(name, "net.connman.iwd.InvalidArguments"))
		return -EINVAL;
	return -EIO;
}

static void call_reply(struct l_dbus_message *reply, void *user_data)
{
	struct iwd_call *call = user_data;
	const char *name = NULL;
	int err = 0;

	if (l_dbus_message_get_error(reply, &name, NULL))
		err = error_errno(name);
	/* A scan already under way counts as ours. */
	if (call->station && (!err || err == -EINPROGRESS)) {
		call->waiting = true;
		return;
	}
	call->done(err, name, call->data);
}

static uint32_t send_call(struct iwd *iwd, struct l_dbus_message *msg, const char *station,
			  iwd_done_fn done, void *data)
{
	struct iwd_call *call = l_new(struct iwd_call, 1);

	call->iwd = iwd;
	call->done = done;
	call->data = data;
	call->station = l_strdup(station);
	call->id = l_dbus_send_with_reply(iwd->dbus, msg, call_reply, call, call_free);
	if (!call->id) {
		l_free(call->station);
		l_free(call);
		return 0;
	}
	l_queue_push_tail(iwd->calls, call);
	return call->id;
}

static struct l_dbus_message *new_call(struct iwd *iwd, const char *path, int index,
				       const char *method)
{
	if (!iwd->present || !path)
		return NULL;
	return l_dbus_message_new_method_call(iwd->dbus, IWD_SERVICE, path,
					      interface_names[index], method);
}

static uint32_t call_simple(struct iwd *iwd, const char *path, int index, const char *method,
			    const char *station, iwd_done_fn done, void *data)
{
	struct l_dbus_message *msg = new_call(iwd, path, index, method);

	if (!msg)
		return 0;
	l_dbus_message_set_arguments(msg, "");
	return send_call(iwd, msg, station, done, data);
}

uint32_t iwd_network_connect(struct iwd *iwd, const char *network, iwd_done_fn done, void *data)
{
	return call_simple(iwd, network, 3, "Connect", NULL, done, data);
}

uint32_t iwd_connect_hidden(struct iwd *iwd, const char *station, const char *ssid,
			    iwd_done_fn done, void *data)
{
	struct l_dbus_message *msg = new_call(iwd, station, 2, "ConnectHiddenNetwork");

	if (!msg)
		return 0;
	l_dbus_message_set_arguments(msg, "s", ssid);
	return send_call(iwd, msg, NULL, done, data);
}

uint32_t iwd_station_disconnect(struct iwd *iwd, const char *station, iwd_done_fn done,
				void *data)
{
	return call_simple(iwd, station, 2, "Disconnect", NULL, done, data);
}

uint32_t iwd_station_scan(struct iwd *iwd, const char *station, iwd_done_fn done, void *data)
{
	return call_simple(iwd, station, 2, "Scan", station, done, data);
}

uint32_t iwd_known_forget(struct iwd *iwd, const char *known, iwd_done_fn done, void *data)
{
	return call_simple(iwd, known, 4, "Forget", NULL, done, data);
}

/* Properties.Set(interface, property, variant of `type`): `value` points to
 * a bool for 'b', is the string itself for 's', as ELL's builder takes them. */
static uint32_t set_property(struct iwd *iwd, const char *path, enum iwd_interface interface,
			     const char *property, char type, const void *value,
			     iwd_done_fn done, void *data)
{
	const char signature[2] = { type, '\0' };
	struct l_dbus_message *msg;
	struct l_dbus_message_builder *b;

	if (!iwd->present || !path)
		return 0;
	msg = l_dbus_message_new_method_call(iwd->dbus, IWD_SERVICE, path,
					     L_DBUS_INTERFACE_PROPERTIES, "Set");
	b = l_dbus_message_builder_new(msg);
	l_dbus_message_builder_append_basic(b, 's', interface_names[__builtin_ctz(interface)]);
	l_dbus_message_builder_append_basic(b, 's', property);
	l_dbus_message_builder_enter_variant(b, signature);
	l_dbus_message_builder_append_basic(b, type, value);
	l_dbus_message_builder_leave_variant(b);
	l_dbus_message_builder_finalize(b);
	l_dbus_message_builder_destroy(b);
	return send_call(iwd, msg, NULL, done, data);
}

uint32_t iwd_set_bool(struct iwd *iwd, const char *path, enum iwd_interface interface,
		      const char *property, bool value, iwd_done_fn done, void *data)
{
	return set_property(iwd, path, interface, property, 'b', &value, done, data);
}

uint32_t iwd_set_string(struct iwd *iwd, const char *path, enum iwd_interface interface,
			const char *property, const char *value, iwd_done_fn done, void *data)
{
	return set_property(iwd, path, interface, property, 's', value, done, data);
}

uint32_t iwd_ap_start(struct iwd *iwd, const char *path, const char *ssid, const char *psk,
		      iwd_done_fn done, void *data)
{
	struct l_dbus_message *msg = new_call(iwd, path, 5, "Start");

	if (!msg)
		return 0;
	l_dbus_message_set_arguments(msg, "ss", ssid, psk);
	return send_call(iwd, msg, NULL, done, data);
}

uint32_t iwd_ap_stop(struct iwd *iwd, const char *path, iwd_done_fn done, void *data)
{
	return call_simple(iwd, path, 5, "Stop", NULL, done, data);
}

static bool has_id(const void *call, const void *id)
{
	return ((const struct iwd_call *)call)->id == L_PTR_TO_UINT(id);
}

void iwd_cancel(struct iwd *iwd, uint32_t id)
{
	struct iwd_call *call = l_queue_find(iwd->calls, has_id, L_UINT_TO_PTR(id));

	if (!call)
		return;
	if (call->waiting)
		call_destroy(call);
	else
		l_dbus_cancel(iwd->dbus, id);	/* runs call_free */
}

static bool is_waiting_on(const void *data, const void *station)
{
	const struct iwd_call *call = data;

	return call->waiting && (!station || !strcmp(station, call->station));
}

/* Scans waiting on this station (NULL: any) end; each is out of the list
 * before its callback runs, which may cancel or start calls. */
static void finish_scans(struct iwd *iwd, const char *station, int error)
{
	struct iwd_call *call;

	while ((call = l_queue_remove_if(iwd->calls, is_waiting_on, station))) {
		call->done(error, NULL, call->data);
		l_free(call->station);
		l_free(call);
	}
}

/* iwd left: every call fails, scans included. ELL's own replies for the
 * calls in flight come later, as errors. */
static void fail_calls(struct iwd *iwd)
{
	finish_scans(iwd, NULL, -ENODEV);
}
