/* A client of another service's objects through its
 * org.freedesktop.DBus.ObjectManager: while the service owns its name,
 * GetManagedObjects once it appears, then its InterfacesAdded,
 * InterfacesRemoved and PropertiesChanged, each handed on as it comes. It
 * keeps no copy of the objects: the owner keeps what it follows, from
 * dictionaries given as ELL iterators valid during the callback only.
 * Signals that come before the GetManagedObjects reply are dropped: the
 * service sent that reply after them, so it holds their outcome.
 *
 * Each signal is watched once, from dbus_objects_new to dbus_objects_free,
 * which removes every watch with the function that made it and cancels the
 * call in flight: nothing of it is left for a signal to reach. (ELL 0.56's
 * l_dbus_client watches InterfacesAdded and InterfacesRemoved anew each time
 * the service appears and removes only the last pair, and removes its
 * service watch as if it were a signal watch: someone else's goes instead.) */
#pragma once

#include <ell/ell.h>

struct dbus_objects;

struct dbus_objects_ops {
	/* One interface of an object, with its properties (a{sv}): from
	 * GetManagedObjects or InterfacesAdded. It may come again for an
	 * interface already added; its properties then replace the old. */
	void (*added)(const char *path, const char *interface, struct l_dbus_message_iter *props,
		      void *data);
	void (*removed)(const char *path, const char *interface, void *data);
	/* PropertiesChanged: changed (a{sv}) and invalidated (as). */
	void (*changed)(const char *path, const char *interface,
			struct l_dbus_message_iter *changed,
			struct l_dbus_message_iter *invalidated, void *data);
	/* GetManagedObjects answered and every object in it added; owner is
	 * the service's unique name (the sender of its signals). */
	void (*ready)(const char *owner, void *data);
	/* The service left the bus: its objects went with it, not told one by
	 * one. Signals are dropped until the next ready. */
	void (*gone)(void *data);
};

/* service: a well-known name; root: the path of its ObjectManager. */
struct dbus_objects *dbus_objects_new(struct l_dbus *dbus, const char *service, const char *root,
				      const struct dbus_objects_ops *ops, void *data);
/* Removes every watch and cancels GetManagedObjects; no callback runs after.
 * Accepts NULL. */
void dbus_objects_free(struct dbus_objects *objs);
