/* net.connman.vpn (vpn-dbus.c): the Manager at "/" and a Connection object
 * per VPN; marshalling and type checks only, vpn.c decides. */
#pragma once

struct l_dbus;
struct vpn;
struct vpn_conn;

#define VPN_SERVICE "net.connman.vpn"

void vpn_dbus_register(struct l_dbus *dbus, struct vpn *vpn);
void vpn_dbus_unregister(struct l_dbus *dbus);
void vpn_dbus_add(struct l_dbus *dbus, struct vpn_conn *conn);
void vpn_dbus_remove(struct l_dbus *dbus, struct vpn_conn *conn);
/* A property of the connection changed: PropertyChanged(name, value). */
void vpn_dbus_emit(struct l_dbus *dbus, struct vpn_conn *conn, const char *name);
