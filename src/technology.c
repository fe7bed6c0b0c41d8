#include <errno.h>
#include <ell/ell.h>

#include "technology.h"

struct technology {
	struct manager *manager;
	const struct technology_driver *driver;
	void *driver_data;
	char *path;
	bool powered;		/* what the user asked for */
	bool connected;		/* any of its services ready or online */
	bool tethering;
};

struct technology *technology_new(struct manager *manager, const struct technology_driver *driver,
				  void *driver_data)
{
	struct technology *tech = l_new(struct technology, 1);

	tech->manager = manager;
	tech->driver = driver;
	tech->driver_data = driver_data;
	tech->path = l_strdup_printf("/net/connman/technology/%s", driver->type);
	return tech;
}

void technology_free(struct technology *tech)
{
	if (!tech)
		return;
	l_free(tech->path);
	l_free(tech);
}

const char *technology_type(const struct technology *tech) { return tech->driver->type; }
const char *technology_name(const struct technology *tech) { return tech->driver->name; }
const char *technology_path(const struct technology *tech) { return tech->path; }
struct manager *technology_manager(const struct technology *tech) { return tech->manager; }
const struct technology_driver *technology_driver(const struct technology *tech) { return tech->driver; }
void *technology_driver_data(const struct technology *tech) { return tech->driver_data; }
bool technology_powered(const struct technology *tech) { return tech->powered; }
bool technology_connected(const struct technology *tech) { return tech->connected; }
bool technology_tethering(const struct technology *tech) { return tech->tethering; }

static bool set_flag(bool *flag, bool value)
{
	if (*flag == value)
		return false;
	*flag = value;
	return true;
}

bool technology_set_powered(struct technology *tech, bool powered)
{
	return set_flag(&tech->powered, powered);
}

bool technology_set_connected(struct technology *tech, bool connected)
{
	return set_flag(&tech->connected, connected);
}

bool technology_set_tethering(struct technology *tech, bool tethering)
{
	return set_flag(&tech->tethering, tethering);
}

int technology_scan(struct technology *tech, technology_scan_done_fn done, void *done_data)
{
	if (!tech->driver->scan)
		return -EOPNOTSUPP;
	if (!tech->powered)
		return -ENETDOWN;
	return tech->driver->scan(tech, done, done_data, tech->driver_data);
}
