/* net.connman.Clock's logic: time and timezone update modes, the user's
 * timeservers, the timezone as a symbolic link at a configurable localtime
 * path, and SNTP against the default service's timeservers. The system
 * clock is set only when the configuration allows it. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct clock;
struct l_settings;

struct clock_options {
	const char *localtime_path;	/* e.g. /etc/localtime */
	const char *zoneinfo_dir;	/* e.g. /usr/share/zoneinfo */
	bool set_system_clock;
	char *const *fallback_timeservers;
};

/* A property changed ("TimeUpdates", "Timeservers", "TimeserverSynced", ...). */
typedef void (*clock_changed_fn)(const char *property, void *data);

struct clock *clock_new(const struct clock_options *opts, clock_changed_fn changed, void *data);
void clock_free(struct clock *c);

/* ConnMan's keys in the global settings file's [global] group. */
void clock_load(struct clock *c, const struct l_settings *settings);
void clock_save(const struct clock *c, struct l_settings *settings);

const char *clock_time_updates(const struct clock *c);		/* "auto" or "manual" */
const char *clock_timezone_updates(const struct clock *c);
char **clock_timeservers(const struct clock *c);		/* the user's; may be NULL */
bool clock_timeserver_synced(const struct clock *c);
/* The zone the localtime link names ("Europe/Paris"), or NULL. Caller frees. */
char *clock_timezone(const struct clock *c);

/* -EINVAL for a value that is neither "auto" nor "manual". */
int clock_set_time_updates(struct clock *c, const char *value);
int clock_set_timezone_updates(struct clock *c, const char *value);
/* -EINVAL for an entry that is no address or host name. */
int clock_set_timeservers(struct clock *c, char *const *servers);
/* -EPERM unless TimezoneUpdates is manual; -EINVAL for a name that is not a
 * zone under the zoneinfo directory; else points the localtime link at it. */
int clock_set_timezone(struct clock *c, const char *zone);
/* -EPERM unless TimeUpdates is manual and setting the clock is allowed. */
int clock_set_time(struct clock *c, uint64_t seconds);

/* The default service's timeservers (NULL when none is connected) and the
 * nameserver that resolves their names: synchronises when they change and
 * TimeUpdates is auto. */
void clock_set_service(struct clock *c, char *const *service_servers, const char *resolver);
