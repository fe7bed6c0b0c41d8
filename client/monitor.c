/* connctl monitor: every net.connman signal as a line, in connmanctl's
 * layout or as one JSON object per line, until a signal, a count or a
 * timeout ends it. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ell/ell.h>

#include "connctl.h"

struct monitor {
	struct ctl *ctl;
	long remaining;		/* lines still wanted; < 0: no limit */
	bool done;
};

static const char *short_interface(const char *interface)
{
	return l_str_has_prefix(interface, CONNMAN_SERVICE ".") ? interface + 12 : interface;
}

static const char *path_id(const char *path)
{
	return strcmp(path, "/") ? strrchr(path, '/') + 1 : "";
}

static void print_header_json(struct l_dbus_message *msg)
{
	fputs("{\"interface\":", stdout);
	json_print_string(stdout, l_dbus_message_get_interface(msg));
	fputs(",\"path\":", stdout);
	json_print_string(stdout, l_dbus_message_get_path(msg));
	fputs(",\"id\":", stdout);
	json_print_string(stdout, path_id(l_dbus_message_get_path(msg)));
	fputs(",\"signal\":", stdout);
	json_print_string(stdout, l_dbus_message_get_member(msg));
}

static void print_header_text(struct l_dbus_message *msg)
{
	printf("%-12s %-20s ", short_interface(l_dbus_message_get_interface(msg)),
	       path_id(l_dbus_message_get_path(msg)));
}

static void print_property_changed(struct ctl *c, struct l_dbus_message *msg)
{
	struct l_dbus_message_iter variant;
	struct value *value;
	const char *name;

	if (!l_dbus_message_get_arguments(msg, "sv", &name, &variant))
		return;
	value = value_from_variant(&variant);
	if (c->json) {
		fputs(",\"name\":", stdout);
		json_print_string(stdout, name);
		fputs(",\"value\":", stdout);
		value_print_json(stdout, value);
	} else {
		printf("%s = ", name);
		value_print_text(stdout, value);
	}
	value_free(value);
}

/* Service ids of the changed and removed lists. */
static void print_services_changed(struct ctl *c, struct l_dbus_message *msg)
{
	struct l_dbus_message_iter changed, removed, dict;
	struct value *ids = value_new_array(), *gone = value_new_array();
	const char *path;

	if (l_dbus_message_get_arguments(msg, "a(oa{sv})ao", &changed, &removed)) {
		while (l_dbus_message_iter_next_entry(&changed, &path, &dict))
			value_array_add(ids, value_new_string(path_id(path)));
		while (l_dbus_message_iter_next_entry(&removed, &path))
			value_array_add(gone, value_new_string(path_id(path)));
	}
	if (c->json) {
		fputs(",\"changed\":", stdout);
		value_print_json(stdout, ids);
		fputs(",\"removed\":", stdout);
		value_print_json(stdout, gone);
	} else {
		fputs("ServicesChanged ", stdout);
		value_print_text(stdout, ids);
		fputs(" removed ", stdout);
		value_print_text(stdout, gone);
	}
	value_free(ids);
	value_free(gone);
}

/* TechnologyAdded (oa{sv}) and TechnologyRemoved (o). */
static void print_object_signal(struct ctl *c, struct l_dbus_message *msg)
{
	struct l_dbus_message_iter dict;
	const char *path = NULL;

	if (!l_dbus_message_get_arguments(msg, "o", &path))
		l_dbus_message_get_arguments(msg, "oa{sv}", &path, &dict);
	if (c->json) {
		fputs(",\"object\":", stdout);
		json_print_string(stdout, path ? path : "");
	} else {
		printf("%s %s", l_dbus_message_get_member(msg), path ? path_id(path) : "");
	}
}

static void signal_received(struct l_dbus_message *msg, void *user_data)
{
	struct monitor *m = user_data;
	const char *interface = l_dbus_message_get_interface(msg);
	const char *member = l_dbus_message_get_member(msg);

	if (m->done || !interface || !l_str_has_prefix(interface, CONNMAN_SERVICE "."))
		return;
	if (m->ctl->json)
		print_header_json(msg);
	else
		print_header_text(msg);
	if (!strcmp(member, "PropertyChanged"))
		print_property_changed(m->ctl, msg);
	else if (!strcmp(member, "ServicesChanged"))
		print_services_changed(m->ctl, msg);
	else if (!strcmp(member, "TechnologyAdded") || !strcmp(member, "TechnologyRemoved"))
		print_object_signal(m->ctl, msg);
	else if (!m->ctl->json)
		fputs(member, stdout);
	fputs(m->ctl->json ? "}\n" : "\n", stdout);
	if (m->remaining > 0 && --m->remaining == 0)
		m->done = true;
}

static void stop(void *user_data)
{
	((struct monitor *)user_data)->done = true;
}

static int parse_number(const char *arg, long *out)
{
	char *end;

	*out = strtol(arg, &end, 10);
	return *arg && !*end && *out > 0 ? 0 : -1;
}

/* A round trip to the bus daemon: once it answers, the match rule sent
 * before it is in force, so no signal after our return is missed. */
static void sync_with_bus(struct bus *bus)
{
	struct l_dbus_message *call, *reply = NULL;

	call = l_dbus_message_new_method_call(bus_dbus(bus), "org.freedesktop.DBus",
					      "/org/freedesktop/DBus", "org.freedesktop.DBus",
					      "GetId");
	if (bus_call(bus, call, CALL_TIMEOUT_MS, &reply) == 0)
		l_dbus_message_unref(reply);
}

static int watch(struct ctl *c, struct monitor *m, long timeout_s)
{
	struct l_signal *sigint = l_signal_create(SIGINT, stop, m, NULL);
	struct l_signal *sigterm = l_signal_create(SIGTERM, stop, m, NULL);
	struct bus *bus;
	unsigned int id;
	int code = EXIT_OK;

	bus = ctl_bus(c, &code);
	if (!bus)
		goto out;
	id = l_dbus_add_signal_watch(bus_dbus(bus), CONNMAN_SERVICE, NULL, NULL, NULL,
				     L_DBUS_MATCH_NONE, signal_received, m);
	sync_with_bus(bus);
	bus_run_until(bus, &m->done, timeout_s > 0 ? (int)(timeout_s * 1000) : -1);
	if (bus_disconnected(bus))
		code = fail(EXIT_DBUS, "monitor: lost the system bus");
	l_dbus_remove_signal_watch(bus_dbus(bus), id);
out:
	l_signal_remove(sigint);
	l_signal_remove(sigterm);
	return code;
}

int cmd_monitor(struct ctl *c, int argc, char **argv)
{
	struct monitor m = { .ctl = c, .remaining = -1 };
	long timeout_s = 0;

	for (int i = 0; i < argc; i += 2) {
		long *target = !strcmp(argv[i], "--count") ? &m.remaining
			     : !strcmp(argv[i], "--timeout") ? &timeout_s : NULL;

		if (!target)
			return usage_error("monitor: unknown option '%s'", argv[i]);
		if (i + 1 >= argc || parse_number(argv[i + 1], target) < 0)
			return usage_error("monitor: %s needs a positive number", argv[i]);
	}
	/* Lines must reach a pipe as they happen. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	return watch(c, &m, timeout_s);
}
