#include <string.h>
#include <ell/ell.h>

#include "clock.h"
#include "clock-dbus.h"
#include "config.h"
#include "manager-clock.h"
#include "service.h"

struct manager_clock {
	struct clock *clock;
	struct l_dbus *dbus;
	void (*save)(void *data);
	void *data;
};

static void clock_changed(const char *property, void *data)
{
	struct manager_clock *mc = data;

	clock_dbus_emit(mc->dbus, mc->clock, property);
	if (!strcmp(property, "TimeUpdates") || !strcmp(property, "TimezoneUpdates") ||
	    !strcmp(property, "Timeservers"))
		mc->save(mc->data);
}

struct manager_clock *manager_clock_new(struct l_dbus *dbus, const struct connd_config *cfg,
					void (*save)(void *data), void *data)
{
	struct manager_clock *mc = l_new(struct manager_clock, 1);
	struct clock_options opts = {
		.localtime_path = cfg->localtime_file,
		.zoneinfo_dir = cfg->zoneinfo_dir,
		.set_system_clock = cfg->set_system_clock,
		.fallback_timeservers = cfg->fallback_timeservers,
	};

	mc->dbus = dbus;
	mc->save = save;
	mc->data = data;
	mc->clock = clock_new(&opts, clock_changed, mc);
	return mc;
}

void manager_clock_free(struct manager_clock *mc)
{
	if (!mc)
		return;
	clock_dbus_unregister(mc->dbus);
	clock_free(mc->clock);
	l_free(mc);
}

void manager_clock_register(struct manager_clock *mc)
{
	clock_dbus_register(mc->dbus, mc->clock);
}

void manager_clock_load(struct manager_clock *mc, const struct l_settings *settings)
{
	clock_load(mc->clock, settings);
}

void manager_clock_save(const struct manager_clock *mc, struct l_settings *settings)
{
	clock_save(mc->clock, settings);
}

void manager_clock_follow(struct manager_clock *mc, const struct service *def, bool proxy)
{
	char **servers, **nameservers;

	if (!mc)
		return;
	if (!def) {
		clock_set_service(mc->clock, NULL, NULL);
		return;
	}
	servers = service_timeservers(def);
	nameservers = service_nameservers(def);
	clock_set_service(mc->clock, servers ? servers : (char *[]) { NULL },
			  proxy ? "127.0.0.1" : nameservers ? nameservers[0] : NULL);
	l_strv_free(servers);
	l_strv_free(nameservers);
}
