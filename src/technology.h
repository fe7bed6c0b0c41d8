/* A technology as ConnMan presents it. Only ethernet exists in connd so far;
 * the manager owns the objects and their links. */
#pragma once

#include <stdbool.h>

struct manager;

struct technology {
	struct manager *manager;
	const char *type;	/* "ethernet" */
	const char *name;	/* "Wired" */
	char *path;
	bool powered;		/* what the user asked for */
	bool connected;		/* any of its services ready or online */
	bool tethering;
};

struct technology *technology_new(struct manager *manager, const char *type, const char *name);
void technology_free(struct technology *tech);

/* D-Bus twin (technology-dbus.c). */
void technology_dbus_register_interface(struct l_dbus *dbus);
void technology_dbus_add(struct l_dbus *dbus, struct technology *tech);
void technology_dbus_remove(struct l_dbus *dbus, struct technology *tech);
void technology_dbus_emit(struct l_dbus *dbus, struct technology *tech, const char *property);
void technology_dbus_append_properties(struct l_dbus_message_builder *b, struct technology *tech);
