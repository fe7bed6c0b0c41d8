/* connctl: a command line client for net.connman (connd or ConnMan). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ell/ell.h>

#include "connd-config.h"
#include "connctl.h"

struct command {
	const char *name;
	int (*run)(struct ctl *c, int argc, char **argv);
};

static const struct command commands[] = {
	{ "state", cmd_state },
	{ "clock", cmd_clock },
	{ "technologies", cmd_technologies },
	{ "services", cmd_services },
	{ "sessions", cmd_sessions },
	{ "stats", cmd_stats },
	{ "enable", cmd_enable },
	{ "disable", cmd_disable },
	{ "tether", cmd_tether },
	{ "config", cmd_config },
	{ "connect", cmd_connect },
	{ "disconnect", cmd_disconnect },
	{ "monitor", cmd_monitor },
	{ }
};

static void usage(FILE *out)
{
	fputs("Usage: connctl [--json] COMMAND [ARGS]\n"
	      "  state                          the global connection state\n"
	      "  clock                          time, timezone and timeservers (net.connman.Clock)\n"
	      "  technologies                   technologies and their properties\n"
	      "  services [SERVICE]             the service list, or one service's properties\n"
	      "  sessions                       application sessions, if the daemon has them\n"
	      "  stats SERVICE                  RX/TX counters of the service's interface\n"
	      "  enable|disable TECH|offline    power a technology, or offline mode\n"
	      "  tether TECH on|off [SSID PASSPHRASE]\n"
	      "  config SERVICE OPTION...       --ipv4 dhcp|off|manual ADDR MASK [GW]\n"
	      "                                 --ipv6 auto [disabled|enabled|preferred]|off\n"
	      "                                 --ipv6 manual ADDR PREFIXLEN [GW]\n"
	      "                                 --nameservers|--timeservers|--domains [VALUE...]\n"
	      "                                 --autoconnect yes|no\n"
	      "  connect|disconnect SERVICE\n"
	      "  monitor [--count N] [--timeout SECONDS]\n"
	      "Options: --json (machine-readable output), --help, --version\n"
	      "Exit status: 0 ok, 1 daemon or bus error, 2 usage, 3 not found, 4 already so\n",
	      out);
}

int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("connctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'connctl --help'.\n", stderr);
	return EXIT_USAGE;
}

int fail(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("connctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

static const struct {
	const char *name;
	int code;
} error_codes[] = {
	{ "net.connman.Error.AlreadyEnabled", EXIT_ALREADY },
	{ "net.connman.Error.AlreadyDisabled", EXIT_ALREADY },
	{ "net.connman.Error.AlreadyConnected", EXIT_ALREADY },
	{ "net.connman.Error.NotConnected", EXIT_ALREADY },
	{ "net.connman.Error.NotFound", EXIT_NOT_FOUND },
	{ "org.freedesktop.DBus.Error.UnknownObject", EXIT_NOT_FOUND },
	{ }
};

static int error_code(const char *name)
{
	for (int i = 0; error_codes[i].name; i++)
		if (!strcmp(error_codes[i].name, name))
			return error_codes[i].code;
	return EXIT_DBUS;
}

static int report_error(struct l_dbus_message *reply, const char *what)
{
	const char *name = "?", *text = "";

	l_dbus_message_get_error(reply, &name, &text);
	if (!strcmp(name, "org.freedesktop.DBus.Error.ServiceUnknown") ||
	    !strcmp(name, "org.freedesktop.DBus.Error.NameHasNoOwner"))
		return fail(EXIT_DBUS, "%s: %s: the connection manager is not running (%s)", what,
			    name, text);
	return fail(error_code(name), "%s: %s: %s", what, name, text);
}

/* The bus is opened on first use, so that usage errors never wait for it. */
struct bus *ctl_bus(struct ctl *c, int *code)
{
	char *why = NULL;

	if (!c->bus)
		c->bus = bus_open(&why);
	if (!c->bus) {
		*code = fail(EXIT_DBUS, "%s", why);
		l_free(why);
	}
	return c->bus;
}

struct l_dbus_message *ctl_method(struct ctl *c, const char *path, const char *interface,
				  const char *method)
{
	int code;

	return ctl_bus(c, &code) ? bus_method(c->bus, path, interface, method) : NULL;
}

int ctl_call(struct ctl *c, struct l_dbus_message *call, int timeout_ms, const char *what,
	     struct l_dbus_message **reply)
{
	int err;

	*reply = NULL;
	if (!call)
		return EXIT_DBUS;	/* ctl_method() said why */
	err = bus_call(c->bus, call, timeout_ms, reply);

	if (err == -ETIMEDOUT)
		return fail(EXIT_DBUS, "%s: no answer within %d s", what, timeout_ms / 1000);
	if (err < 0)
		return fail(EXIT_DBUS, "%s: lost the system bus", what);
	if (l_dbus_message_is_error(*reply)) {
		int code = report_error(*reply, what);

		l_dbus_message_unref(*reply);
		*reply = NULL;
		return code;
	}
	return EXIT_OK;
}

int ctl_get_properties(struct ctl *c, const char *path, const char *interface,
		       struct value **props)
{
	struct l_dbus_message *reply;
	struct l_dbus_message_iter dict;
	int code = ctl_call(c, ctl_method(c, path, interface, "GetProperties"),
			    CALL_TIMEOUT_MS, interface, &reply);

	if (code)
		return code;
	if (!l_dbus_message_get_arguments(reply, "a{sv}", &dict)) {
		l_dbus_message_unref(reply);
		return fail(EXIT_DBUS, "%s.GetProperties: unexpected reply signature %s", interface,
			    l_dbus_message_get_signature(reply));
	}
	*props = value_from_dict(&dict);
	l_dbus_message_unref(reply);
	return EXIT_OK;
}

static void object_free(void *data)
{
	struct object *o = data;

	l_free(o->path);
	value_free(o->props);
	l_free(o);
}

void object_list_free(struct l_queue *objects)
{
	l_queue_destroy(objects, object_free);
}

int ctl_get_objects(struct ctl *c, const char *method, struct l_queue **objects)
{
	struct l_dbus_message *reply;
	struct l_dbus_message_iter list, dict;
	const char *path;
	int code = ctl_call(c, ctl_method(c, "/", "Manager", method), CALL_TIMEOUT_MS,
			    method, &reply);

	if (code)
		return code;
	if (!l_dbus_message_get_arguments(reply, "a(oa{sv})", &list)) {
		l_dbus_message_unref(reply);
		return fail(EXIT_DBUS, "%s: unexpected reply signature %s", method,
			    l_dbus_message_get_signature(reply));
	}
	*objects = l_queue_new();
	while (l_dbus_message_iter_next_entry(&list, &path, &dict)) {
		struct object *o = l_new(struct object, 1);

		o->path = l_strdup(path);
		o->id = strrchr(o->path, '/') + 1;
		o->props = value_from_dict(&dict);
		l_queue_push_tail(*objects, o);
	}
	l_dbus_message_unref(reply);
	return EXIT_OK;
}

const char *service_id(const char *arg)
{
	return l_str_has_prefix(arg, SERVICE_PREFIX) ? arg + strlen(SERVICE_PREFIX) : arg;
}

static bool object_has_id(const void *a, const void *b)
{
	return !strcmp(((const struct object *)a)->id, b);
}

int ctl_find_object(struct ctl *c, const char *method, const char *prefix, const char *name,
		    struct l_queue **objects, struct object **found)
{
	const char *id = l_str_has_prefix(name, prefix) ? name + strlen(prefix) : name;
	int code = ctl_get_objects(c, method, objects);

	if (code)
		return code;
	*found = l_queue_find(*objects, object_has_id, id);
	if (*found)
		return EXIT_OK;
	object_list_free(*objects);
	*objects = NULL;
	return fail(EXIT_NOT_FOUND, "no %s '%s'",
		    !strcmp(method, "GetServices") ? "service" : "technology", id);
}

int ctl_set_property(struct ctl *c, const char *path, const char *interface, const char *name,
		     const char *signature, variant_fn append, const void *data, const char *what)
{
	struct l_dbus_message *call = ctl_method(c, path, interface, "SetProperty");
	struct l_dbus_message_builder *b;
	struct l_dbus_message *reply;
	int code;

	if (!call)
		return EXIT_DBUS;
	b = l_dbus_message_builder_new(call);
	l_dbus_message_builder_append_basic(b, 's', name);
	l_dbus_message_builder_enter_variant(b, signature);
	append(b, data);
	l_dbus_message_builder_leave_variant(b);
	l_dbus_message_builder_finalize(b);
	l_dbus_message_builder_destroy(b);
	code = ctl_call(c, call, CALL_TIMEOUT_MS, what, &reply);
	l_dbus_message_unref(reply);
	return code;
}

void print_object_json(const struct object *o)
{
	fputs("{\"id\":", stdout);
	json_print_string(stdout, o->id);
	fputs(",\"path\":", stdout);
	json_print_string(stdout, o->path);
	fputs(",\"properties\":", stdout);
	value_print_json(stdout, o->props);
	fputc('}', stdout);
}

/* --json may come anywhere; the rest keeps its order. */
static int take_global_options(int *argc, char **argv, struct ctl *c)
{
	int n = 1;

	for (int i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			c->json = true;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--version") || !strcmp(argv[i], "-v")) {
			printf("connctl %s\n", CONND_VERSION);
			return 0;
		} else {
			argv[n++] = argv[i];
		}
	}
	*argc = n;
	return 1;
}

static int run(const struct command *cmd, struct ctl *c, int argc, char **argv)
{
	int code;

	if (!l_main_init())
		return fail(EXIT_DBUS, "cannot start the main loop");
	code = cmd->run(c, argc, argv);
	bus_close(c->bus);
	l_main_exit();
	return code;
}

int main(int argc, char **argv)
{
	struct ctl c = { 0 };
	int i;

	if (!take_global_options(&argc, argv, &c))
		return EXIT_OK;
	if (argc < 2)
		return usage_error("a command is needed");
	if (!strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	for (i = 0; commands[i].name; i++)
		if (!strcmp(commands[i].name, argv[1]))
			break;
	if (!commands[i].name)
		return usage_error("unknown command '%s'", argv[1]);
	/* The command sees its own arguments only. */
	return run(&commands[i], &c, argc - 2, argv + 2);
}
