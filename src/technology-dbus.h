/* net.connman.Technology objects (technology-dbus.c): marshalling only;
 * the manager decides. */
#pragma once

struct l_dbus;
struct l_dbus_message_builder;
struct technology;

void technology_dbus_register_interface(struct l_dbus *dbus);
void technology_dbus_add(struct l_dbus *dbus, struct technology *tech);
void technology_dbus_remove(struct l_dbus *dbus, struct technology *tech);
void technology_dbus_emit(struct l_dbus *dbus, struct technology *tech, const char *property);
void technology_dbus_append_properties(struct l_dbus_message_builder *b, struct technology *tech);
