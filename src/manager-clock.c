/* The manager's side of net.connman.Clock: the clock follows the default
 * service's timeservers, its settings live in the global settings file. */
#include <string.h>
#include <ell/ell.h>

#include "clock.h"
#include "clock-dbus.h"
#include "config.h"
#include "manager-dns.h"
#include "manager-private.h"

static void clock_changed(const char *property, void *data)
{
	struct manager *m = data;

	clock_dbus_emit(m->dbus, m->clock, property);
	if (!strcmp(property, "TimeUpdates") || !strcmp(property, "TimezoneUpdates") ||
	    !strcmp(property, "Timeservers"))
		manager_save_global_settings(m);
}

void manager_start_clock(struct manager *m)
{
	const struct connd_config *cfg = m->config;
	struct clock_options opts = {
		.localtime_path = cfg->localtime_file,
		.zoneinfo_dir = cfg->zoneinfo_dir,
		.set_system_clock = cfg->set_system_clock,
		.fallback_timeservers = cfg->fallback_timeservers,
	};

	m->clock = clock_new(&opts, clock_changed, m);
}

void manager_register_clock(struct manager *m)
{
	clock_dbus_register(m->dbus, m->clock);
}

/* Names are resolved through our own proxy when it runs. */
void manager_update_clock(struct manager *m)
{
	struct service *def = l_queue_peek_head(m->services);
	char **servers, **nameservers;

	if (!m->clock)
		return;
	if (!def || !service_state_is_connected(service_get_state(def))) {
		clock_set_service(m->clock, NULL, NULL);
		return;
	}
	servers = service_timeservers(def);
	nameservers = service_nameservers(def);
	clock_set_service(m->clock, servers ? servers : (char *[]) { NULL },
			  manager_dns_proxy_running(m->dns) ? "127.0.0.1" : nameservers ? nameservers[0] : NULL);
	l_strv_free(servers);
	l_strv_free(nameservers);
}

void manager_stop_clock(struct manager *m)
{
	clock_dbus_unregister(m->dbus);
	clock_free(m->clock);
	m->clock = NULL;
}
