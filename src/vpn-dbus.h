/* net.connman.vpn (vpn-dbus.c): the Manager at "/" and a Connection object
 * per VPN; marshalling and type checks only, vpn.c decides. */
#pragma once

struct l_dbus;
struct l_dbus_message;
struct vpn;
struct vpn_conn;

#define VPN_SERVICE "net.connman.vpn"

void vpn_dbus_register(struct l_dbus *dbus, struct vpn *vpn);
void vpn_dbus_unregister(struct l_dbus *dbus);
void vpn_dbus_add(struct l_dbus *dbus, struct vpn_conn *conn);
void vpn_dbus_remove(struct l_dbus *dbus, struct vpn_conn *conn);
/* net.connman.Manager's ConnectProvider(a{sv}) → o: Create's keys
 * ("VPN.Domain", routes as "Networks"), then Connect; answered once
 * connected with the VPN's service path (or NULL now: the answer follows).
 * RemoveProvider(o) removes the connection of that service. The caller's
 * right to configure is checked before. */
struct l_dbus_message *vpn_dbus_connect_provider(struct l_dbus *dbus, struct l_dbus_message *msg);
struct l_dbus_message *vpn_dbus_remove_provider(struct l_dbus *dbus, struct l_dbus_message *msg);
/* A property of the connection changed: PropertyChanged(name, value). */
void vpn_dbus_emit(struct l_dbus *dbus, struct vpn_conn *conn, const char *name);
