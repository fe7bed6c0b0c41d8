/* The manager's side of net.connman.Clock: the clock on the bus, following
 * the default service's timeservers; the user's clock settings live in the
 * global settings file, which the manager is asked to save when they change. */
#pragma once

#include <stdbool.h>

struct connd_config;
struct l_dbus;
struct l_settings;
struct manager_clock;
struct service;

struct manager_clock *manager_clock_new(struct l_dbus *dbus, const struct connd_config *cfg,
					void (*save)(void *data), void *data);
/* Also takes it off the bus. */
void manager_clock_free(struct manager_clock *mc);
void manager_clock_register(struct manager_clock *mc);
void manager_clock_load(struct manager_clock *mc, const struct l_settings *settings);
void manager_clock_save(const struct manager_clock *mc, struct l_settings *settings);
/* The default service while it is connected, else NULL; `proxy`: connd's
 * DNS proxy answers on 127.0.0.1, which then resolves the servers' names. */
void manager_clock_follow(struct manager_clock *mc, const struct service *def, bool proxy);
