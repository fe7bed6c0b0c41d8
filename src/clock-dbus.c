/* net.connman.Clock on "/": marshalling only; src/clock.c decides. */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <ell/ell.h>

#include "clock.h"
#include "clock-dbus.h"
#include "dbus-util.h"
#include "manager-dbus.h"
#include "log-excerpt.h"
#include "names.h"

#define CLOCK_INTERFACE CONND_SERVICE ".Clock"
#define CLOCK_PATH "/"

static void append_time(struct l_dbus_message_builder *b, void *c)
{
	uint64_t now = (uint64_t)time(NULL);

	l_dbus_message_builder_append_basic(b, 't', &now);
}

static void append_time_updates(struct l_dbus_message_builder *b, void *c)
{
	l_dbus_message_builder_append_basic(b, 's', clock_time_updates(c));
}

static void append_timezone(struct l_dbus_message_builder *b, void *c)
{
	char *zone = clock_timezone(c);

	l_dbus_message_builder_append_basic(b, 's', zone ? zone : "");
	l_free(zone);
}

static bool has_timezone(void *c)
{
	char *zone = clock_timezone(c);
	bool has = zone != NULL;

	l_free(zone);
	return has;
}

static void append_timezone_updates(struct l_dbus_message_builder *b, void *c)
{
	l_dbus_message_builder_append_basic(b, 's', clock_timezone_updates(c));
}

static void append_timeservers(struct l_dbus_message_builder *b, void *c)
{
	dbus_append_strv(b, clock_timeservers(c));
}

static void append_synced(struct l_dbus_message_builder *b, void *c)
{
	bool synced = clock_timeserver_synced(c);

	l_dbus_message_builder_append_basic(b, 'b', &synced);
}

static const struct dbus_property clock_properties[] = {
	{ "Time", "t", append_time },
	{ "TimeUpdates", "s", append_time_updates },
	{ "Timezone", "s", append_timezone, has_timezone },
	{ "TimezoneUpdates", "s", append_timezone_updates },
	{ "Timeservers", "as", append_timeservers },
	{ "TimeserverSynced", "b", append_synced },
	{ }
};

static struct l_dbus_message *get_properties(struct l_dbus *dbus, struct l_dbus_message *msg,
					     void *user_data)
{
	return dbus_reply_properties(msg, clock_properties, user_data);
}

static struct l_dbus_message *reply(struct l_dbus_message *msg, int err, const char *what)
{
	if (err == -EPERM)
		return dbus_error(msg, "PermissionDenied", "%s", what);
	if (err == -EINVAL)
		return dbus_error_invalid_args(msg, "%s", what);
	if (err < 0)
		return dbus_error_errno(msg, err);
	return l_dbus_message_new_method_return(msg);
}

static struct l_dbus_message *set_string(struct l_dbus_message *msg, struct clock *c,
					 const char *name, struct l_dbus_message_iter *value)
{
	const char *text;

	if (!l_dbus_message_iter_get_variant(value, "s", &text))
		return dbus_error_invalid_args(msg, "%s takes a string", name);
	if (!strcmp(name, "TimeUpdates"))
		return reply(msg, clock_set_time_updates(c, text), "TimeUpdates is auto or manual");
	if (!strcmp(name, "TimezoneUpdates"))
		return reply(msg, clock_set_timezone_updates(c, text),
			     "TimezoneUpdates is auto or manual");
	return reply(msg, clock_set_timezone(c, text),
		     clock_timezone_updates(c)[0] == 'a' ?
		     "Timezone can be set only while TimezoneUpdates is manual" :
		     "Timezone must name a zone of the zoneinfo database, e.g. Europe/Paris");
}


static struct l_dbus_message *set_property(struct l_dbus *dbus, struct l_dbus_message *msg,
					   void *user_data)
{
	struct l_dbus_message *denied;
	struct clock *c = user_data;
	struct l_dbus_message_iter value;
	const char *name, *bad = NULL;
	char **servers = NULL, text[LOG_EXCERPT_SIZE];
	uint64_t seconds;
	int err;

	if (!manager_dbus_may_configure(dbus, msg, CLOCK_INTERFACE, set_property, &denied))
		return denied;

	if (!l_dbus_message_get_arguments(msg, "sv", &name, &value))
		return dbus_error_invalid_args(msg, "Expected a property name and a variant value");
	if (!strcmp(name, "TimeUpdates") || !strcmp(name, "TimezoneUpdates") ||
	    !strcmp(name, "Timezone"))
		return set_string(msg, c, name, &value);
	if (!strcmp(name, "Time")) {
		if (!l_dbus_message_iter_get_variant(&value, "t", &seconds))
			return dbus_error_invalid_args(msg, "Time takes a uint64 (seconds)");
		return reply(msg, clock_set_time(c, seconds),
			     "Time can be set only while TimeUpdates is manual and "
			     "SetSystemClock allows it");
	}
	if (!strcmp(name, "Timeservers")) {
		if (dbus_parse_strv(&value, name_is_timeserver, &servers, &bad) < 0)
			return bad ? dbus_error_invalid_args(msg, "Timeservers: invalid entry '%s'",
							     log_excerpt(text, sizeof(text), bad)) :
				     dbus_error_invalid_args(msg, "Timeservers takes an array of strings");
		err = clock_set_timeservers(c, servers);
		l_strv_free(servers);
		return reply(msg, err, "Timeservers: invalid entry");
	}
	return dbus_error_invalid_property(msg, name);
}

static void setup_clock_interface(struct l_dbus_interface *iface)
{
	l_dbus_interface_method(iface, "GetProperties", 0, get_properties, "a{sv}", "",
				"properties");
	l_dbus_interface_method(iface, "SetProperty", 0, set_property, "", "sv", "name", "value");
	l_dbus_interface_signal(iface, "PropertyChanged", 0, "sv", "name", "value");
}

void clock_dbus_register(struct l_dbus *dbus, struct clock *c)
{
	if (!dbus)
		return;
	l_dbus_register_interface(dbus, CLOCK_INTERFACE, setup_clock_interface, NULL, false);
	l_dbus_object_add_interface(dbus, CLOCK_PATH, CLOCK_INTERFACE, c);
}

void clock_dbus_unregister(struct l_dbus *dbus)
{
	if (!dbus)
		return;
	l_dbus_object_remove_interface(dbus, CLOCK_PATH, CLOCK_INTERFACE);
	l_dbus_unregister_interface(dbus, CLOCK_INTERFACE);
}

void clock_dbus_emit(struct l_dbus *dbus, struct clock *c, const char *property)
{
	if (dbus)
		dbus_emit_property_changed(dbus, CLOCK_PATH, CLOCK_INTERFACE, clock_properties,
					   property, c);
}
