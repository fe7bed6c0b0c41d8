/* What connctl's command files share: the context, exit codes and the
 * handful of calls every command makes. */
#pragma once

#include <stdbool.h>
#include <ell/ell.h>

#include "bus.h"
#include "value.h"

/* Exit codes scripts may rely on (documented in connctl(1)). */
enum {
	EXIT_OK = 0,
	EXIT_DBUS = 1,		/* the daemon or the bus refused or failed */
	EXIT_USAGE = 2,
	EXIT_NOT_FOUND = 3,	/* no such service, technology or object */
	EXIT_ALREADY = 4,	/* already in the requested state */
};

#define SERVICE_PREFIX "/net/connman/service/"
#define TECHNOLOGY_PREFIX "/net/connman/technology/"
#define CALL_TIMEOUT_MS 30000
#define CONNECT_TIMEOUT_MS 120000

struct ctl {
	struct bus *bus;
	bool json;
};

/* A (path, properties) pair from GetServices/GetTechnologies. */
struct object {
	char *path;
	const char *id;		/* last path element */
	struct value *props;
};

int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The bus, opened on first use; NULL after printing why (*code set). */
struct bus *ctl_bus(struct ctl *c, int *code);
/* A call to net.connman, or NULL if the bus cannot be reached (said why). */
struct l_dbus_message *ctl_method(struct ctl *c, const char *path, const char *interface,
				  const char *method);
/* Sends and waits (a NULL call gives EXIT_DBUS); EXIT_OK with *reply set to a method return, or the exit
 * code for the error after printing it, prefixed with `what`. */
int ctl_call(struct ctl *c, struct l_dbus_message *call, int timeout_ms, const char *what,
	     struct l_dbus_message **reply);
/* Manager.GetProperties or an object's, as a dict. */
int ctl_get_properties(struct ctl *c, const char *path, const char *interface,
		       struct value **props);
/* Manager.GetServices / GetTechnologies as a queue of struct object. */
int ctl_get_objects(struct ctl *c, const char *method, struct l_queue **objects);
void object_list_free(struct l_queue *objects);
/* A service by id or path; EXIT_NOT_FOUND (printed) when absent. */
int ctl_find_object(struct ctl *c, const char *method, const char *prefix, const char *name,
		    struct l_queue **objects, struct object **found);
/* The service id from user input, with or without the path prefix. */
const char *service_id(const char *arg);

typedef void (*variant_fn)(struct l_dbus_message_builder *b, const void *data);
/* SetProperty(name, variant) on a net.connman object. */
int ctl_set_property(struct ctl *c, const char *path, const char *interface, const char *name,
		     const char *signature, variant_fn append, const void *data, const char *what);

void print_object_json(const struct object *o);

int cmd_state(struct ctl *c, int argc, char **argv);
int cmd_clock(struct ctl *c, int argc, char **argv);
int cmd_technologies(struct ctl *c, int argc, char **argv);
int cmd_services(struct ctl *c, int argc, char **argv);
int cmd_sessions(struct ctl *c, int argc, char **argv);
int cmd_stats(struct ctl *c, int argc, char **argv);
int cmd_enable(struct ctl *c, int argc, char **argv);
int cmd_disable(struct ctl *c, int argc, char **argv);
int cmd_tether(struct ctl *c, int argc, char **argv);
int cmd_config(struct ctl *c, int argc, char **argv);
int cmd_connect(struct ctl *c, int argc, char **argv);
int cmd_disconnect(struct ctl *c, int argc, char **argv);
int cmd_monitor(struct ctl *c, int argc, char **argv);
