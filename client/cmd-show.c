/* The read-only commands: state, clock, technologies, services, sessions, stats. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ell/ell.h>

#include "connctl.h"

static int show_root(struct ctl *c, const char *interface)
{
	struct value *props;
	int code = ctl_get_properties(c, "/", interface, &props);

	if (code)
		return code;
	if (c->json) {
		value_print_json(stdout, props);
		fputc('\n', stdout);
	} else {
		value_print_properties(stdout, props);
	}
	value_free(props);
	return EXIT_OK;
}

int cmd_state(struct ctl *c, int argc, char **argv)
{
	if (argc > 0)
		return usage_error("state takes no arguments");
	return show_root(c, "Manager");
}

int cmd_clock(struct ctl *c, int argc, char **argv)
{
	if (argc > 0)
		return usage_error("clock takes no arguments");
	return show_root(c, "Clock");
}

static void print_objects_json(struct l_queue *objects)
{
	const struct l_queue_entry *e;

	fputc('[', stdout);
	for (e = l_queue_get_entries(objects); e; e = e->next) {
		print_object_json(e->data);
		if (e->next)
			fputc(',', stdout);
	}
	fputs("]\n", stdout);
}

static void print_object_text(const struct object *o)
{
	printf("%s\n", o->path);
	value_print_properties(stdout, o->props);
}

int cmd_technologies(struct ctl *c, int argc, char **argv)
{
	struct l_queue *techs;
	const struct l_queue_entry *e;
	int code;

	if (argc > 0)
		return usage_error("technologies takes no arguments");
	code = ctl_get_objects(c, "GetTechnologies", &techs);
	if (code)
		return code;
	if (c->json)
		print_objects_json(techs);
	else
		for (e = l_queue_get_entries(techs); e; e = e->next)
			print_object_text(e->data);
	object_list_free(techs);
	return EXIT_OK;
}

/* connmanctl's state column: O online, R ready, a association,
 * c configuration, d disconnect, blank otherwise. */
static char state_letter(const char *state)
{
	static const char *const names[] = { "online", "ready", "association", "configuration",
					     "disconnect" };
	static const char letters[] = "ORacd";

	for (size_t i = 0; state && i < L_ARRAY_SIZE(names); i++)
		if (!strcmp(state, names[i]))
			return letters[i];
	return ' ';
}

static void print_service_line(const struct object *o)
{
	const char *name = value_dict_str(o->props, "Name");

	printf("%c%c%c %-20s %s\n", value_dict_bool(o->props, "Favorite", false) ? '*' : ' ',
	       value_dict_bool(o->props, "AutoConnect", false) ? 'A' : ' ',
	       state_letter(value_dict_str(o->props, "State")), name ? name : "<hidden>", o->id);
}

static int show_service(struct ctl *c, const char *arg)
{
	struct l_queue *services;
	struct object *s;
	int code = ctl_find_object(c, "GetServices", SERVICE_PREFIX, arg, &services, &s);

	if (code)
		return code;
	if (c->json) {
		print_object_json(s);
		fputc('\n', stdout);
	} else {
		print_object_text(s);
	}
	object_list_free(services);
	return EXIT_OK;
}

int cmd_services(struct ctl *c, int argc, char **argv)
{
	struct l_queue *services;
	const struct l_queue_entry *e;
	int code;

	if (argc > 1)
		return usage_error("services takes at most one service");
	if (argc == 1)
		return show_service(c, argv[0]);
	code = ctl_get_objects(c, "GetServices", &services);
	if (code)
		return code;
	if (c->json)
		print_objects_json(services);
	else
		for (e = l_queue_get_entries(services); e; e = e->next)
			print_service_line(e->data);
	object_list_free(services);
	return EXIT_OK;
}

/* Session support shows in the Manager's introspection data. */
static int has_sessions(struct ctl *c, bool *supported)
{
	struct l_dbus_message *reply;
	const char *xml;
	int code = ctl_call(c, ctl_method(c, "/", "org.freedesktop.DBus.Introspectable",
					   "Introspect"), CALL_TIMEOUT_MS, "Introspect", &reply);

	if (code)
		return code;
	if (!l_dbus_message_get_arguments(reply, "s", &xml)) {
		l_dbus_message_unref(reply);
		return fail(EXIT_DBUS, "Introspect: unexpected reply");
	}
	*supported = strstr(xml, "\"CreateSession\"") != NULL;
	l_dbus_message_unref(reply);
	return EXIT_OK;
}

/* Session objects, as the daemon's ObjectManager lists them. */
static int list_sessions(struct ctl *c, struct value *paths)
{
	struct l_dbus_message_iter objects, interfaces, props;
	struct l_dbus_message *reply;
	const char *path, *interface;
	int code = ctl_call(c, ctl_method(c, "/", "org.freedesktop.DBus.ObjectManager",
					   "GetManagedObjects"), CALL_TIMEOUT_MS,
			    "GetManagedObjects", &reply);

	if (code)
		return code;
	if (!l_dbus_message_get_arguments(reply, "a{oa{sa{sv}}}", &objects)) {
		l_dbus_message_unref(reply);
		return fail(EXIT_DBUS, "GetManagedObjects: unexpected reply");
	}
	while (l_dbus_message_iter_next_entry(&objects, &path, &interfaces))
		while (l_dbus_message_iter_next_entry(&interfaces, &interface, &props))
			if (!strcmp(interface, CONNMAN_SERVICE ".Session"))
				value_array_add(paths, value_new_string(path));
	l_dbus_message_unref(reply);
	return EXIT_OK;
}

static void print_sessions(struct ctl *c, bool supported, const struct value *paths)
{
	const struct l_queue_entry *e;

	if (c->json) {
		printf("{\"available\":%s,\"sessions\":[", supported ? "true" : "false");
		for (e = l_queue_get_entries(paths->items); e; e = e->next) {
			const struct value *p = e->data;

			printf("%s{\"path\":", e == l_queue_get_entries(paths->items) ? "" : ",");
			json_print_string(stdout, p->str);
			fputc('}', stdout);
		}
		fputs("]}\n", stdout);
		return;
	}
	for (e = l_queue_get_entries(paths->items); e; e = e->next)
		printf("%s\n", ((const struct value *)e->data)->str);
}

int cmd_sessions(struct ctl *c, int argc, char **argv)
{
	struct value *paths;
	bool supported = false;
	int code;

	if (argc > 0)
		return usage_error("sessions takes no arguments");
	code = has_sessions(c, &supported);
	if (code)
		return code;
	paths = value_new_array();
	if (supported)
		code = list_sessions(c, paths);
	if (code == EXIT_OK)
		print_sessions(c, supported, paths);
	value_free(paths);
	if (code == EXIT_OK && !supported)
		return fail(EXIT_DBUS, "sessions are not available: the daemon has no Session "
			    "support (Manager.CreateSession)");
	return code;
}

static const struct {
	const char *key;	/* ConnMan's Counter names */
	const char *file;
} counters[] = {
	{ "RX.Bytes", "rx_bytes" }, { "RX.Packets", "rx_packets" },
	{ "RX.Errors", "rx_errors" }, { "RX.Dropped", "rx_dropped" },
	{ "TX.Bytes", "tx_bytes" }, { "TX.Packets", "tx_packets" },
	{ "TX.Errors", "tx_errors" }, { "TX.Dropped", "tx_dropped" },
};

static int read_counter(const char *ifname, const char *file, uint64_t *out)
{
	char *path = l_strdup_printf("/sys/class/net/%s/statistics/%s", ifname, file);
	FILE *f = fopen(path, "re");
	int err = 0;

	l_free(path);
	if (!f)
		return -errno;
	if (fscanf(f, "%" SCNu64, out) != 1)
		err = -EIO;
	fclose(f);
	return err;
}

/* Interface names come from the daemon; keep them inside /sys/class/net. */
static bool sane_ifname(const char *name)
{
	return name && *name && *name != '.' && !strchr(name, '/') && strlen(name) < 16;
}

static int read_counters(const char *ifname, struct value *stats)
{
	for (size_t i = 0; i < L_ARRAY_SIZE(counters); i++) {
		uint64_t n;
		int err = read_counter(ifname, counters[i].file, &n);

		if (err < 0)
			return fail(EXIT_DBUS, "cannot read /sys/class/net/%s/statistics/%s: %s "
				    "(run connctl in the daemon's network namespace)", ifname,
				    counters[i].file, strerror(-err));
		value_dict_add(stats, counters[i].key, value_new_uint(n));
	}
	return EXIT_OK;
}

static void print_stats(struct ctl *c, const struct object *s, const char *ifname,
			const struct value *stats)
{
	if (!c->json) {
		printf("%s\n  Interface = %s\n", s->path, ifname);
		value_print_properties(stdout, stats);
		return;
	}
	fputs("{\"id\":", stdout);
	json_print_string(stdout, s->id);
	fputs(",\"path\":", stdout);
	json_print_string(stdout, s->path);
	fputs(",\"interface\":", stdout);
	json_print_string(stdout, ifname);
	fputs(",\"statistics\":", stdout);
	value_print_json(stdout, stats);
	fputs("}\n", stdout);
}

int cmd_stats(struct ctl *c, int argc, char **argv)
{
	struct l_queue *services;
	struct object *s;
	struct value *stats;
	const char *ifname;
	int code;

	if (argc != 1)
		return usage_error("stats takes one service");
	code = ctl_find_object(c, "GetServices", SERVICE_PREFIX, argv[0], &services, &s);
	if (code)
		return code;
	ifname = value_dict_str(value_dict_get(s->props, "Ethernet"), "Interface");
	if (!sane_ifname(ifname)) {
		object_list_free(services);
		return fail(EXIT_DBUS, "%s has no network interface", s->id);
	}
	stats = value_new_dict();
	code = read_counters(ifname, stats);
	if (code == EXIT_OK)
		print_stats(c, s, ifname, stats);
	value_free(stats);
	object_list_free(services);
	return code;
}
