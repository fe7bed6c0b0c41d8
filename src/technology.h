/* A technology as ConnMan presents it (net.connman.Technology): one per
 * bearer type that has a device now. A bearer's driver registers it through
 * the manager (manager_add_technology) and is told when the user switches it
 * on or off or asks it to scan; the manager keeps the objects, their
 * Powered setting across restarts and their Connected summary. */
#pragma once

#include <stdbool.h>

struct manager;
struct technology;

/* Called once a scan ends: 0, or a negative errno. */
typedef void (*technology_scan_done_fn)(int result, void *data);

struct tether_ap;
/* A bearer's own tethering link is up: its ifindex (> 0), or a negative
 * errno and a sentence for the user saying what failed. */
typedef void (*technology_tether_done_fn)(int result, const char *message, void *data);

struct technology_driver {
	const char *type;	/* ConnMan's type: "ethernet", "wifi", "vpn", ... */
	const char *name;	/* ConnMan's name, also the settings group: "Wired", "WiFi" */
	/* Powered changed (by the user or offline mode): `on` is whether the
	 * bearer's devices should now be up. */
	void (*set_powered)(struct technology *tech, bool on, void *data);
	/* Optional: NULL means the bearer cannot scan (NotSupported). */
	int (*scan)(struct technology *tech, technology_scan_done_fn done, void *done_data,
		    void *data);
	/* Optional, for a bearer that tethers through a link it brings up
	 * itself (Wi-Fi's access point) rather than bridging its free links:
	 * 0 and done called once (asynchronously), or a negative errno and
	 * done never called. tether_stop takes any such link of the bearer
	 * down, one it is starting included; the bridge let go of it first.
	 * When the link goes by itself, the bearer tells
	 * manager_tethering_lost(). */
	int (*tether_start)(struct technology *tech, const struct tether_ap *ap,
			    technology_tether_done_fn done, void *done_data, void *data);
	void (*tether_stop)(struct technology *tech, void *data);
};

struct technology *technology_new(struct manager *manager, const struct technology_driver *driver,
				  void *driver_data);
void technology_free(struct technology *tech);

const char *technology_type(const struct technology *tech);
const char *technology_name(const struct technology *tech);
const char *technology_path(const struct technology *tech);
struct manager *technology_manager(const struct technology *tech);
const struct technology_driver *technology_driver(const struct technology *tech);
void *technology_driver_data(const struct technology *tech);
bool technology_powered(const struct technology *tech);
bool technology_connected(const struct technology *tech);
bool technology_tethering(const struct technology *tech);
/* The state as the manager decides it; each returns whether it changed. */
bool technology_set_powered(struct technology *tech, bool powered);
bool technology_set_connected(struct technology *tech, bool connected);
bool technology_set_tethering(struct technology *tech, bool tethering);
int technology_scan(struct technology *tech, technology_scan_done_fn done, void *done_data);
