#include <ell/ell.h>

#include "dbus-objects.h"

struct dbus_objects {
	struct l_dbus *dbus;
	char *service;
	char *root;
	const struct dbus_objects_ops *ops;
	void *data;
	unsigned int service_watch;	/* l_dbus_add_service_watch */
	unsigned int added_watch;	/* l_dbus_add_signal_watch, the three */
	unsigned int removed_watch;
	unsigned int changed_watch;
	uint32_t objects_call;		/* GetManagedObjects in flight */
	bool ready;			/* its reply read: signals count */
};

/* a{sa{sv}}: the interfaces of one object. */
static void add_object(struct dbus_objects *objs, const char *path,
		       struct l_dbus_message_iter *interfaces)
{
	struct l_dbus_message_iter props;
	const char *interface;

	while (l_dbus_message_iter_next_entry(interfaces, &interface, &props))
		objs->ops->added(path, interface, &props, objs->data);
}

static void interfaces_added(struct l_dbus_message *msg, void *user_data)
{
	struct dbus_objects *objs = user_data;
	struct l_dbus_message_iter interfaces;
	const char *path;

	if (objs->ready && l_dbus_message_get_arguments(msg, "oa{sa{sv}}", &path, &interfaces))
		add_object(objs, path, &interfaces);
}

static void interfaces_removed(struct l_dbus_message *msg, void *user_data)
{
	struct dbus_objects *objs = user_data;
	struct l_dbus_message_iter interfaces;
	const char *path, *interface;

	if (!objs->ready || !l_dbus_message_get_arguments(msg, "oas", &path, &interfaces))
		return;
	while (l_dbus_message_iter_next_entry(&interfaces, &interface))
		objs->ops->removed(path, interface, objs->data);
}

static void properties_changed(struct l_dbus_message *msg, void *user_data)
{
	struct dbus_objects *objs = user_data;
	struct l_dbus_message_iter changed, invalidated;
	const char *interface, *path = l_dbus_message_get_path(msg);

	if (objs->ready && path &&
	    l_dbus_message_get_arguments(msg, "sa{sv}as", &interface, &changed, &invalidated))
		objs->ops->changed(path, interface, &changed, &invalidated, objs->data);
}

/* a{oa{sa{sv}}}: every object. Its sender is the service's unique name. */
static void objects_reply(struct l_dbus_message *reply, void *user_data)
{
	struct dbus_objects *objs = user_data;
	struct l_dbus_message_iter objects, interfaces;
	const char *path, *name = NULL;

	objs->objects_call = 0;
	if (l_dbus_message_get_error(reply, &name, NULL) ||
	    !l_dbus_message_get_arguments(reply, "a{oa{sa{sv}}}", &objects)) {
		l_warn("%s: GetManagedObjects failed: %s", objs->service, name ? name : "bad reply");
		return;
	}
	while (l_dbus_message_iter_next_entry(&objects, &path, &interfaces))
		add_object(objs, path, &interfaces);
	objs->ready = true;
	objs->ops->ready(l_dbus_message_get_sender(reply), objs->data);
}

/* ELL may call this from inside l_dbus_add_service_watch, when it knows
 * the owner already. */
static void service_appeared(struct l_dbus *dbus, void *user_data)
{
	struct dbus_objects *objs = user_data;

	l_dbus_cancel(dbus, objs->objects_call);
	objs->ready = false;
	objs->objects_call = l_dbus_method_call(dbus, objs->service, objs->root,
						L_DBUS_INTERFACE_OBJECT_MANAGER,
						"GetManagedObjects", NULL, objects_reply, objs,
						NULL);
}

static void service_vanished(struct l_dbus *dbus, void *user_data)
{
	struct dbus_objects *objs = user_data;

	l_dbus_cancel(dbus, objs->objects_call);
	objs->objects_call = 0;
	objs->ready = false;
	objs->ops->gone(objs->data);
}

/* The signal watches come first: they are on the bus before the service
 * can be asked for its objects. */
struct dbus_objects *dbus_objects_new(struct l_dbus *dbus, const char *service, const char *root,
				      const struct dbus_objects_ops *ops, void *data)
{
	struct dbus_objects *objs = l_new(struct dbus_objects, 1);

	objs->dbus = dbus;
	objs->service = l_strdup(service);
	objs->root = l_strdup(root);
	objs->ops = ops;
	objs->data = data;
	objs->added_watch = l_dbus_add_signal_watch(dbus, service, root,
						    L_DBUS_INTERFACE_OBJECT_MANAGER,
						    "InterfacesAdded", L_DBUS_MATCH_NONE,
						    interfaces_added, objs);
	objs->removed_watch = l_dbus_add_signal_watch(dbus, service, root,
						      L_DBUS_INTERFACE_OBJECT_MANAGER,
						      "InterfacesRemoved", L_DBUS_MATCH_NONE,
						      interfaces_removed, objs);
	objs->changed_watch = l_dbus_add_signal_watch(dbus, service, NULL,
						      L_DBUS_INTERFACE_PROPERTIES,
						      "PropertiesChanged", L_DBUS_MATCH_NONE,
						      properties_changed, objs);
	if (!objs->added_watch || !objs->removed_watch || !objs->changed_watch) {
		dbus_objects_free(objs);
		return NULL;
	}
	objs->service_watch = l_dbus_add_service_watch(dbus, service, service_appeared,
						       service_vanished, objs, NULL);
	if (!objs->service_watch) {
		dbus_objects_free(objs);
		return NULL;
	}
	return objs;
}

void dbus_objects_free(struct dbus_objects *objs)
{
	if (!objs)
		return;
	if (objs->service_watch)
		l_dbus_remove_watch(objs->dbus, objs->service_watch);
	if (objs->added_watch)
		l_dbus_remove_signal_watch(objs->dbus, objs->added_watch);
	if (objs->removed_watch)
		l_dbus_remove_signal_watch(objs->dbus, objs->removed_watch);
	if (objs->changed_watch)
		l_dbus_remove_signal_watch(objs->dbus, objs->changed_watch);
	l_dbus_cancel(objs->dbus, objs->objects_call);
	l_free(objs->service);
	l_free(objs->root);
	l_free(objs);
}
