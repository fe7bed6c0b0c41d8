/* The D-Bus twin of sessions: net.connman.Session objects, what their
 * applications are told, and Manager.CreateSession/DestroySession, which the
 * manager's interface routes here (with the manager as user data). */
#pragma once

struct l_dbus;
struct l_dbus_message;
struct manager_sessions;
struct session;
struct session_statistics;

struct l_dbus_message *session_dbus_create(struct l_dbus *dbus, struct l_dbus_message *msg,
					   void *manager);
struct l_dbus_message *session_dbus_destroy(struct l_dbus *dbus, struct l_dbus_message *msg,
					    void *manager);
/* connd extension, Manager.GetSessionStatistics() → a(oa{sv}): the caller's
 * own sessions, each with what its GetStatistics would say. */
struct l_dbus_message *session_dbus_statistics_all(struct l_dbus *dbus,
						   struct l_dbus_message *msg, void *manager);
/* connd extension, Manager.GetSessionCounters() → a(otttt): the same
 * sessions and counters as path, RX packets, RX bytes, TX packets, TX bytes. */
struct l_dbus_message *session_dbus_counters_all(struct l_dbus *dbus,
						 struct l_dbus_message *msg, void *manager);
void session_dbus_register_interface(struct l_dbus *dbus);
void session_dbus_add(struct l_dbus *dbus, struct session *session, struct manager_sessions *ms);
void session_dbus_remove(struct l_dbus *dbus, struct session *session);

/* Notification.Update with the settings that changed (none: nothing sent),
 * Notification.Release, and the pushed statistics (a connd extension). A
 * NULL bus sends nothing. */
void session_dbus_update(struct l_dbus *dbus, struct session *session);
void session_dbus_release(struct l_dbus *dbus, struct session *session);
void session_dbus_statistics(struct l_dbus *dbus, struct session *session,
			     const struct session_statistics *st);
