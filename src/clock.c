#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <ell/ell.h>

#include "clock.h"
#include "names.h"
#include "sntp.h"

#define SNTP_TIMEOUT_MS 2000
#define RESYNC_SECONDS 1024		/* after a success, as ntpd's longest poll */
#define RETRY_MIN_SECONDS 16
/* Offsets below this are slewed by adjtime(), larger ones stepped. */
#define STEP_THRESHOLD_US 128000

struct clock {
	char *localtime_path, *zoneinfo_dir;
	bool set_system_clock;
	char **fallback;
	bool time_auto, timezone_auto;
	char **user_servers;
	char **service_servers;		/* the default service's */
	char *resolver;
	bool synced;
	struct sntp *sntp;
	struct l_timeout *resync;
	unsigned int retry_seconds;
	clock_changed_fn changed;
	void *data;
};

static void sync_now(struct clock *c);
static void set_synced(struct clock *c, bool synced);

struct clock *clock_new(const struct clock_options *opts, clock_changed_fn changed, void *data)
{
	struct clock *c = l_new(struct clock, 1);

	c->localtime_path = l_strdup(opts->localtime_path);
	c->zoneinfo_dir = l_strdup(opts->zoneinfo_dir);
	c->set_system_clock = opts->set_system_clock;
	c->fallback = l_strv_copy((char **)opts->fallback_timeservers);
	c->time_auto = c->timezone_auto = true;
	c->retry_seconds = RETRY_MIN_SECONDS;
	c->changed = changed;
	c->data = data;
	return c;
}

void clock_free(struct clock *c)
{
	if (!c)
		return;
	sntp_free(c->sntp);
	l_timeout_remove(c->resync);
	l_strv_free(c->fallback);
	l_strv_free(c->user_servers);
	l_strv_free(c->service_servers);
	l_free(c->resolver);
	l_free(c->localtime_path);
	l_free(c->zoneinfo_dir);
	l_free(c);
}

static void notify(struct clock *c, const char *property)
{
	if (c->changed)
		c->changed(property, c->data);
}

/* ---- settings ---- */

static void load_mode(const struct l_settings *s, const char *key, bool *is_auto)
{
	char *value = l_settings_get_string(s, "global", key);

	if (value && (!strcmp(value, "auto") || !strcmp(value, "manual")))
		*is_auto = !strcmp(value, "auto");
	else if (value)
		l_warn("settings: %s must be auto or manual; ignored", key);
	l_free(value);
}

void clock_load(struct clock *c, const struct l_settings *settings)
{
	char **servers = l_settings_get_string_list(settings, "global", "Timeservers", ';');

	load_mode(settings, "TimeUpdates", &c->time_auto);
	load_mode(settings, "TimezoneUpdates", &c->timezone_auto);
	if (servers && clock_set_timeservers(c, servers) < 0)
		l_warn("settings: Timeservers has an invalid entry; ignored");
	l_strv_free(servers);
}

void clock_save(const struct clock *c, struct l_settings *settings)
{
	l_settings_set_string(settings, "global", "TimeUpdates", clock_time_updates(c));
	l_settings_set_string(settings, "global", "TimezoneUpdates", clock_timezone_updates(c));
	if (c->user_servers && c->user_servers[0])
		l_settings_set_string_list(settings, "global", "Timeservers", c->user_servers, ';');
}

/* ---- properties ---- */

const char *clock_time_updates(const struct clock *c)
{
	return c->time_auto ? "auto" : "manual";
}

const char *clock_timezone_updates(const struct clock *c)
{
	return c->timezone_auto ? "auto" : "manual";
}

char **clock_timeservers(const struct clock *c)
{
	return c->user_servers;
}

bool clock_timeserver_synced(const struct clock *c)
{
	return c->synced;
}

static int parse_mode(const char *value, bool *is_auto)
{
	if (strcmp(value, "auto") && strcmp(value, "manual"))
		return -EINVAL;
	*is_auto = !strcmp(value, "auto");
	return 0;
}

int clock_set_time_updates(struct clock *c, const char *value)
{
	bool is_auto;

	if (parse_mode(value, &is_auto) < 0)
		return -EINVAL;
	if (is_auto == c->time_auto)
		return 0;
	c->time_auto = is_auto;
	notify(c, "TimeUpdates");
	/* As ConnMan: manual stops SNTP at once, so an answer still on its way
	 * is never applied, and the time is no longer the timeservers'. */
	sync_now(c);
	if (!is_auto)
		set_synced(c, false);
	return 0;
}

int clock_set_timezone_updates(struct clock *c, const char *value)
{
	bool is_auto;

	if (parse_mode(value, &is_auto) < 0)
		return -EINVAL;
	if (is_auto != c->timezone_auto) {
		c->timezone_auto = is_auto;
		notify(c, "TimezoneUpdates");
	}
	return 0;
}


int clock_set_timeservers(struct clock *c, char *const *servers)
{
	char **clean = NULL;

	for (char *const *s = servers; s && *s; s++) {
		if (!**s)
			continue;
		if (!name_is_timeserver(*s)) {
			l_strv_free(clean);
			return -EINVAL;
		}
		clean = l_strv_append(clean, *s);
	}
	if (l_strv_eq(clean, c->user_servers)) {
		l_strv_free(clean);
		return 0;
	}
	l_strv_free(c->user_servers);
	c->user_servers = clean;
	notify(c, "Timeservers");
	sync_now(c);
	return 0;
}

/* ---- timezone ---- */

/* A zone name: relative, no "." or ".." component, plain characters. */
static bool valid_zone_name(const char *zone)
{
	const char *p;

	if (!*zone || zone[0] == '/' || strlen(zone) > 128)
		return false;
	for (p = zone; *p; p++)
		if (!l_ascii_isalnum(*p) && !strchr("/_-+", *p))
			return false;
	for (p = zone; p; p = strchr(p, '/')) {
		p += *p == '/';
		if (*p == '/' || *p == '\0')
			return false;
	}
	return !strstr(zone, "..");
}

/* The zone file must be a TZif file, so that a directory or a stray file
 * under the zoneinfo directory is never linked. */
static bool is_zone_file(const char *path)
{
	char magic[4];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	bool ok = fd >= 0 && read(fd, magic, sizeof(magic)) == 4 && !memcmp(magic, "TZif", 4);

	if (fd >= 0)
		close(fd);
	return ok;
}

char *clock_timezone(const struct clock *c)
{
	char target[PATH_MAX];
	ssize_t n = readlink(c->localtime_path, target, sizeof(target) - 1);
	const char *zone;
	size_t dir_len = strlen(c->zoneinfo_dir);

	if (n <= 0)
		return NULL;
	target[n] = '\0';
	if (!strncmp(target, c->zoneinfo_dir, dir_len) && target[dir_len] == '/')
		zone = target + dir_len + 1;
	else if ((zone = strstr(target, "zoneinfo/")))
		zone += strlen("zoneinfo/");
	else
		return NULL;
	return valid_zone_name(zone) ? l_strdup(zone) : NULL;
}

int clock_set_timezone(struct clock *c, const char *zone)
{
	char *target, *tmp;
	int err = 0;

	if (c->timezone_auto)
		return -EPERM;
	if (!valid_zone_name(zone))
		return -EINVAL;
	target = l_strdup_printf("%s/%s", c->zoneinfo_dir, zone);
	if (!is_zone_file(target)) {
		l_free(target);
		return -EINVAL;
	}
	/* A new link renamed over the old one: never a moment without it. */
	tmp = l_strdup_printf("%s.connd-%d", c->localtime_path, (int)getpid());
	unlink(tmp);
	if (symlink(target, tmp) < 0 || rename(tmp, c->localtime_path) < 0) {
		err = -errno;
		unlink(tmp);
	}
	l_free(tmp);
	l_free(target);
	if (err == 0) {
		l_info("clock: timezone %s (%s)", zone, c->localtime_path);
		notify(c, "Timezone");
	}
	return err;
}

int clock_set_time(struct clock *c, uint64_t seconds)
{
	struct timespec ts = { .tv_sec = (time_t)seconds };

	if (c->time_auto || !c->set_system_clock)
		return -EPERM;
	if (clock_settime(CLOCK_REALTIME, &ts) < 0)
		return -errno;
	notify(c, "Time");
	return 0;
}

/* ---- synchronisation ---- */

static char **all_servers(const struct clock *c)
{
	char **all = l_new(char *, 1);
	char *const *lists[] = { c->service_servers, c->user_servers, c->fallback };

	for (size_t i = 0; i < L_ARRAY_SIZE(lists); i++)
		for (char *const *s = lists[i]; s && *s; s++)
			if (!l_strv_contains(all, *s))
				all = l_strv_append(all, *s);
	return all;
}

static void apply_offset(struct clock *c, int64_t offset_us)
{
	if (!c->set_system_clock)
		return;
	if (offset_us > STEP_THRESHOLD_US || offset_us < -STEP_THRESHOLD_US) {
		struct timespec now;
		int64_t ns;

		clock_gettime(CLOCK_REALTIME, &now);
		ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec + offset_us * 1000;
		now.tv_sec = (time_t)(ns / 1000000000);
		now.tv_nsec = (long)(ns % 1000000000);
		if (clock_settime(CLOCK_REALTIME, &now) < 0)
			l_warn("clock: cannot step the clock: %s", strerror(errno));
	} else {
		struct timeval delta = { .tv_sec = offset_us / 1000000,
					 .tv_usec = offset_us % 1000000 };

		if (adjtime(&delta, NULL) < 0)
			l_warn("clock: cannot slew the clock: %s", strerror(errno));
	}
}

static void resync_due(struct l_timeout *timeout, void *user_data)
{
	struct clock *c = user_data;

	l_timeout_remove(c->resync);
	c->resync = NULL;
	sync_now(c);
}

static void schedule(struct clock *c, unsigned int seconds)
{
	l_timeout_remove(c->resync);
	c->resync = l_timeout_create(seconds, resync_due, c, NULL);
	if (!c->resync)
		l_warn("clock: no timer for the next sync in %us (out of file descriptors)",
		       seconds);
}

static void set_synced(struct clock *c, bool synced)
{
	if (c->synced == synced)
		return;
	c->synced = synced;
	notify(c, "TimeserverSynced");
}

static void synced(int err, const struct sntp_result *r, const char *server, void *data)
{
	struct clock *c = data;
	/* Freed last: server points into it. */
	struct sntp *finished = c->sntp;

	c->sntp = NULL;
	if (err < 0) {
		l_info("clock: no timeserver answered; again in %u s", c->retry_seconds);
		set_synced(c, false);
		schedule(c, c->retry_seconds);
		if (c->retry_seconds < RESYNC_SECONDS)
			c->retry_seconds *= 2;
		sntp_free(finished);
		return;
	}
	l_info("clock: %s (stratum %u): offset %+.6f s, delay %.6f s%s", server, r->stratum,
	       r->offset_us / 1e6, r->delay_us / 1e6,
	       c->set_system_clock ? "" : "; not setting the clock (SetSystemClock is off)");
	apply_offset(c, r->offset_us);
	c->retry_seconds = RETRY_MIN_SECONDS;
	set_synced(c, true);
	schedule(c, RESYNC_SECONDS);
	sntp_free(finished);
}

static void sync_now(struct clock *c)
{
	char **servers;

	sntp_free(c->sntp);
	c->sntp = NULL;
	l_timeout_remove(c->resync);
	c->resync = NULL;
	if (!c->time_auto || !c->service_servers)
		return;
	servers = all_servers(c);
	if (servers[0])
		c->sntp = sntp_start(servers, c->resolver, SNTP_TIMEOUT_MS, synced, c);
	l_strv_free(servers);
}

void clock_set_service(struct clock *c, char *const *service_servers, const char *resolver)
{
	/* NULL means offline; an empty list still allows the user's and fallback servers. */
	char **servers = service_servers ? l_strv_copy((char **)service_servers) : NULL;

	if (service_servers && !servers)
		servers = l_new(char *, 1);
	if (l_strv_eq(servers, c->service_servers) && l_streq0(resolver, c->resolver) &&
	    (!servers || c->sntp || c->resync)) {
		l_strv_free(servers);
		return;
	}
	l_strv_free(c->service_servers);
	c->service_servers = servers;
	l_free(c->resolver);
	c->resolver = l_strdup(resolver);
	c->retry_seconds = RETRY_MIN_SECONDS;
	sync_now(c);
}
