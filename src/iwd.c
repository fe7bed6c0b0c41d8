#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <ell/ell.h>

#include "dbus-objects.h"
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
	struct dbus_objects *objs;
	char *agent_path;
	const struct iwd_ops *ops;
	void *data;
	bool present;
	bool network_config;
	char *owner;			/* iwd's unique name while present */
	struct l_queue *objects;	/* in the order iwd told them */
	struct l_hashmap *by_path;	/* the same, by object path: a scan of hundreds of
					 * networks looks each up at every property */
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

static bool remove_all(const void *key, void *value, void *user_data)
{
	return true;
}

struct iwd_object *iwd_find(const struct iwd *iwd, const char *path)
{
	return path ? l_hashmap_lookup(iwd->by_path, path) : NULL;
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

/* One property from its variant (NULL: the property or its interface
 * went); of another type than connd expects, it reads as unset. */
static void read_property(struct iwd_object *obj, size_t i, struct l_dbus_message_iter *variant)
{
	char *field = (char *)obj + properties[i].offset;
	struct l_dbus_message_iter list;
	const char *text = NULL;
	char sig[2] = { properties[i].type, 0 };
	bool flag = false;

	switch (properties[i].type) {
	case 'a':
		l_strv_free(*(char ***)field);
		*(char ***)field = NULL;
		if (variant && l_dbus_message_iter_get_variant(variant, "as", &list))
			while (l_dbus_message_iter_next_entry(&list, &text))
				*(char ***)field = l_strv_append(*(char ***)field, text);
		return;
	case 'b':
		if (!variant || !l_dbus_message_iter_get_variant(variant, "b", &flag))
			flag = false;
		*(bool *)field = flag;
		return;
	default:
		if (!variant || !l_dbus_message_iter_get_variant(variant, sig, &text))
			text = NULL;
		l_free(*(char **)field);
		*(char **)field = l_strdup(text);
		return;
	}
}

/* The table's entry for an interface's property, or -1: not followed. */
static int property_index(int index, const char *name)
{
	for (size_t i = 0; i < L_ARRAY_SIZE(properties); i++)
		if (properties[i].interface == 1u << index && !strcmp(name, properties[i].name))
			return i;
	return -1;
}

/* Every property of an interface unset: it went, or is read anew. */
static void clear_properties(struct iwd_object *obj, int index)
{
	for (size_t i = 0; i < L_ARRAY_SIZE(properties); i++)
		if (properties[i].interface == 1u << index)
			read_property(obj, i, NULL);
}

/* a{sv}: the properties connd follows, read; the rest skipped. */
static void read_properties(struct iwd_object *obj, int index, struct l_dbus_message_iter *dict)
{
	struct l_dbus_message_iter variant;
	const char *name;

	while (l_dbus_message_iter_next_entry(dict, &name, &variant)) {
		int i = property_index(index, name);

		if (i >= 0)
			read_property(obj, i, &variant);
	}
}

static void read_signals(struct iwd *iwd, const char *station);
static void finish_scans(struct iwd *iwd, const char *station, int error);

/* An interface of an object came (or came again: read anew). */
static void interface_added(const char *path, const char *interface,
			    struct l_dbus_message_iter *props, void *user_data)
{
	struct iwd *iwd = user_data;
	int index = interface_index(interface);
	struct iwd_object *obj;

	if (index < 0)
		return;
	obj = iwd_find(iwd, path);
	if (!obj) {
		obj = l_new(struct iwd_object, 1);
		obj->path = l_strdup(path);
		l_queue_push_tail(iwd->objects, obj);
		l_hashmap_insert(iwd->by_path, obj->path, obj);
	}
	l_debug("%s: %s added", path, interface_names[index]);
	obj->interfaces |= 1u << index;
	clear_properties(obj, index);
	read_properties(obj, index, props);
	if (1u << index == IWD_STATION && iwd->present)
		read_signals(iwd, path);
	schedule_changed(iwd);
}

static void interface_removed(const char *path, const char *interface, void *user_data)
{
	struct iwd *iwd = user_data;
	int index = interface_index(interface);
	struct iwd_object *obj = iwd_find(iwd, path);
	struct iwd_object blank = { 0 };

	if (index < 0 || !obj || !(obj->interfaces & 1u << index))
		return;
	l_debug("%s: %s removed", obj->path, interface_names[index]);
	/* What the interface said goes with it. */
	clear_properties(obj, index);
	if (1u << index == IWD_NETWORK)
		obj->has_signal = blank.has_signal;
	if (1u << index == IWD_STATION)
		obj->hidden_types = blank.hidden_types;
	obj->interfaces &= ~(1u << index);
	if (1u << index == IWD_STATION)
		finish_scans(iwd, obj->path, -ENODEV);
	if (!obj->interfaces) {
		l_queue_remove(iwd->objects, obj);
		l_hashmap_remove(iwd->by_path, obj->path);
		object_free(obj);
	}
	schedule_changed(iwd);
}

/* A station's scan is over once its Scanning turns false: its networks'
 * signals are read then. */
static void properties_changed(const char *path, const char *interface,
			       struct l_dbus_message_iter *changed,
			       struct l_dbus_message_iter *invalidated, void *user_data)
{
	struct iwd *iwd = user_data;
	int index = interface_index(interface);
	struct iwd_object *obj = iwd_find(iwd, path);
	struct l_dbus_message_iter variant;
	const char *name;
	bool scan_over = false;
	int i;

	if (index < 0 || !obj || !(obj->interfaces & 1u << index))
		return;
	while (l_dbus_message_iter_next_entry(changed, &name, &variant)) {
		i = property_index(index, name);
		if (i < 0)
			continue;
		l_debug("%s: %s changed", obj->path, name);
		read_property(obj, i, &variant);
		if (1u << index == IWD_STATION && !strcmp(name, "Scanning"))
			scan_over = !obj->scanning;
	}
	while (l_dbus_message_iter_next_entry(invalidated, &name)) {
		i = property_index(index, name);
		if (i >= 0)
			read_property(obj, i, NULL);
	}
	if (scan_over)
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

bool iwd_is_sender(const struct iwd *iwd, const char *sender)
{
	return iwd->present && iwd->owner && sender && !strcmp(iwd->owner, sender);
}

static void agent_setup(struct l_dbus_message *msg, void *data)
{
	l_dbus_message_set_arguments(msg, "o", data);
}

/* GetManagedObjects answered: iwd's objects are all here. Its unique name
 * is the only one that may call connd's iwd agent. */
static void objects_ready(const char *owner, void *user_data)
{
	struct iwd *iwd = user_data;

	iwd->present = true;
	l_free(iwd->owner);
	iwd->owner = l_strdup(owner);
	l_info("iwd is on the bus");
	for (const struct l_queue_entry *e = l_queue_get_entries(iwd->objects); e; e = e->next) {
		const struct iwd_object *obj = e->data;

		if (obj->interfaces & IWD_STATION)
			read_signals(iwd, obj->path);
	}
	if (iwd->agent_path)
		call_internal(iwd, IWD_SERVICE, IWD_ROOT, "net.connman.iwd.AgentManager",
			      "RegisterAgent", agent_setup, agent_registered, iwd->agent_path);
	call_internal(iwd, IWD_SERVICE, IWD_ROOT, "net.connman.iwd.Daemon", "GetInfo", NULL,
		      info_reply, NULL);
}

static void fail_calls(struct iwd *iwd);

/* iwd left the bus, its objects with it. */
static void objects_gone(void *user_data)
{
	struct iwd *iwd = user_data;
	bool was = iwd->present;

	iwd->present = false;
	l_free(iwd->owner);
	iwd->owner = NULL;
	cancel_internal(iwd);
	l_hashmap_foreach_remove(iwd->by_path, remove_all, NULL);
	l_queue_clear(iwd->objects, object_free);
	fail_calls(iwd);
	if (was) {
		l_info("iwd left the bus");
		iwd->ops->vanished(iwd->data);
	}
	schedule_changed(iwd);
}

static const struct dbus_objects_ops objects_ops = {
	.added = interface_added,
	.removed = interface_removed,
	.changed = properties_changed,
	.ready = objects_ready,
	.gone = objects_gone,
};

struct iwd *iwd_new(struct l_dbus *dbus, const char *agent_path, const struct iwd_ops *ops,
		    void *data)
{
	struct iwd *iwd = l_new(struct iwd, 1);

	iwd->dbus = dbus;
	iwd->agent_path = l_strdup(agent_path);
	iwd->ops = ops;
	iwd->data = data;
	iwd->objects = l_queue_new();
	iwd->by_path = l_hashmap_string_new();
	iwd->calls = l_queue_new();
	iwd->internal = l_queue_new();
	iwd->objs = dbus_objects_new(dbus, IWD_SERVICE, "/", &objects_ops, iwd);
	if (!iwd->objs) {
		iwd_free(iwd);
		return NULL;
	}
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
	dbus_objects_free(iwd->objs);
	l_idle_remove(iwd->idle);
	l_hashmap_destroy(iwd->by_path, NULL);
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
	struct iwd_call *call;

	if (!done) {
		l_dbus_message_set_no_reply(msg, true);
		return l_dbus_send(iwd->dbus, msg);
	}
	call = l_new(struct iwd_call, 1);
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
