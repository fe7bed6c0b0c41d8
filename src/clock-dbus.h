/* net.connman.Clock on the root object. */
#pragma once

struct clock;
struct l_dbus;

void clock_dbus_register(struct l_dbus *dbus, struct clock *c);
void clock_dbus_unregister(struct l_dbus *dbus);
void clock_dbus_emit(struct l_dbus *dbus, struct clock *c, const char *property);
