/* net.connman.Service objects (service-dbus.c): marshalling and type checks
 * only; the service module validates meaning and acts. */
#pragma once

#include "service.h"

struct l_dbus;
struct l_dbus_message_builder;

void service_dbus_register_interface(struct l_dbus *dbus);
void service_dbus_add(struct l_dbus *dbus, struct service *svc);
void service_dbus_remove(struct l_dbus *dbus, struct service *svc);
void service_dbus_emit(struct l_dbus *dbus, struct service *svc, enum service_prop prop);
void service_dbus_append_properties(struct l_dbus_message_builder *b, struct service *svc);
