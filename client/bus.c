/* Blocking calls for connctl: send, then turn ELL's main loop until the
 * reply, a timeout or the loss of the bus. */
#include <errno.h>
#include <ell/ell.h>

#include "bus.h"

#define CONNECT_TIMEOUT_MS 5000

struct bus {
	struct l_dbus *dbus;
	bool ready;
	bool disconnected;
};

struct pending {
	struct l_dbus_message *reply;
	bool done;
};

static void bus_ready(void *user_data)
{
	((struct bus *)user_data)->ready = true;
}

static void bus_lost(void *user_data)
{
	((struct bus *)user_data)->disconnected = true;
}

bool bus_run_until(struct bus *bus, const bool *done, int timeout_ms)
{
	uint64_t deadline = l_time_now() + (uint64_t)(timeout_ms < 0 ? 0 : timeout_ms) * 1000;

	while (!*done && !bus->disconnected) {
		uint64_t now = l_time_now();

		if (timeout_ms >= 0 && now >= deadline)
			break;
		l_main_iterate(timeout_ms < 0 ? -1 : (int)((deadline - now) / 1000) + 1);
	}
	return *done;
}

struct bus *bus_open(char **why)
{
	struct bus *bus = l_new(struct bus, 1);

	bus->dbus = l_dbus_new_default(L_DBUS_SYSTEM_BUS);
	if (!bus->dbus) {
		*why = l_strdup("cannot connect to the system bus");
		l_free(bus);
		return NULL;
	}
	l_dbus_set_ready_handler(bus->dbus, bus_ready, bus, NULL);
	l_dbus_set_disconnect_handler(bus->dbus, bus_lost, bus, NULL);
	if (!bus_run_until(bus, &bus->ready, CONNECT_TIMEOUT_MS)) {
		*why = l_strdup(bus->disconnected ? "the system bus closed the connection"
						  : "the system bus did not answer");
		bus_close(bus);
		return NULL;
	}
	return bus;
}

void bus_close(struct bus *bus)
{
	if (!bus)
		return;
	l_dbus_set_disconnect_handler(bus->dbus, NULL, NULL, NULL);
	l_dbus_destroy(bus->dbus);
	l_free(bus);
}

struct l_dbus *bus_dbus(struct bus *bus)
{
	return bus->dbus;
}

bool bus_disconnected(const struct bus *bus)
{
	return bus->disconnected;
}

struct l_dbus_message *bus_method(struct bus *bus, const char *path, const char *interface,
				  const char *method)
{
	char *full = l_strdup_printf(CONNMAN_SERVICE ".%s", interface);
	struct l_dbus_message *msg;

	/* Standard interfaces are given in full. */
	msg = l_dbus_message_new_method_call(bus->dbus, CONNMAN_SERVICE, path,
					     l_str_has_prefix(interface, "org.") ? interface : full,
					     method);
	l_free(full);
	return msg;
}

static void reply_received(struct l_dbus_message *reply, void *user_data)
{
	struct pending *p = user_data;

	p->reply = l_dbus_message_ref(reply);
	p->done = true;
}

int bus_call(struct bus *bus, struct l_dbus_message *call, int timeout_ms,
	     struct l_dbus_message **reply)
{
	struct pending p = { 0 };
	uint32_t serial;

	if (!l_dbus_message_get_signature(call))
		l_dbus_message_set_arguments(call, "");
	serial = l_dbus_send_with_reply(bus->dbus, call, reply_received, &p, NULL);
	if (!serial)
		return -ECONNRESET;
	if (!bus_run_until(bus, &p.done, timeout_ms)) {
		if (!bus->disconnected)
			l_dbus_cancel(bus->dbus, serial);
		return bus->disconnected ? -ECONNRESET : -ETIMEDOUT;
	}
	*reply = p.reply;
	return 0;
}
