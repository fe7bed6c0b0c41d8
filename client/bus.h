/* A blocking request/reply layer over ELL's asynchronous l_dbus, which is
 * what a one-shot command line tool wants. */
#pragma once

#include <stdbool.h>
#include <ell/ell.h>

#define CONNMAN_SERVICE "net.connman"

struct bus;

/* Connects to the system bus (DBUS_SYSTEM_BUS_ADDRESS honoured) and waits
 * until it is usable; NULL with a reason in *why otherwise. */
struct bus *bus_open(char **why);
void bus_close(struct bus *bus);
struct l_dbus *bus_dbus(struct bus *bus);

/* A method call to net.connman; interface is "Manager", "Service", ... */
struct l_dbus_message *bus_method(struct bus *bus, const char *path, const char *interface,
				  const char *method);
/* Sends `call` (consumed) and waits up to timeout_ms. 0 with *reply set,
 * possibly to an error reply; -ETIMEDOUT or -ECONNRESET without one. */
int bus_call(struct bus *bus, struct l_dbus_message *call, int timeout_ms,
	     struct l_dbus_message **reply);
/* Runs the main loop until *done, the bus goes away or timeout_ms passes
 * (negative: no limit). Returns *done. */
bool bus_run_until(struct bus *bus, const bool *done, int timeout_ms);
bool bus_disconnected(const struct bus *bus);
