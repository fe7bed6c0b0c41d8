/* The client of iwd (net.connman.iwd on the system bus). While iwd owns its
 * name, its objects (adapters, devices with their stations, networks, known
 * networks) are followed through its ObjectManager and PropertiesChanged
 * as plain structs, and the last scan's signal of each network is read with
 * GetOrderedNetworks, its hidden access points with GetHiddenAccessPoints. The owner is told once per main-loop turn that
 * something changed, and re-reads what it needs; when iwd leaves the bus
 * every object goes at once. Methods are asynchronous: each returns a call
 * id for iwd_cancel and reports once, unless cancelled. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <ell/ell.h>

#include "wifi-ident.h"

#define IWD_SERVICE "net.connman.iwd"

enum iwd_interface {
	IWD_ADAPTER = 1 << 0,
	IWD_DEVICE = 1 << 1,
	IWD_STATION = 1 << 2,
	IWD_NETWORK = 1 << 3,
	IWD_KNOWN = 1 << 4,
	IWD_ACCESS_POINT = 1 << 5,
	IWD_N_INTERFACES = 6,
};

/* One object path of iwd and what its interfaces say; fields of an
 * interface the object lacks are zero. */
struct iwd_object {
	char *path;
	unsigned int interfaces;	/* enum iwd_interface bits */
	bool powered;			/* Adapter or Device */
	char **supported_modes;		/* Adapter: "station", "ap", ... */
	char *name;			/* Device: its ifname; Network, KnownNetwork: the SSID */
	char *address;			/* Device: its MAC as text */
	char *adapter;			/* Device */
	char *mode;			/* Device: "station", "ap", "ad-hoc" */
	char *state;			/* Station: "connected", "connecting", "disconnected", ... */
	char *connected_network;	/* Station */
	bool scanning;			/* Station */
	/* Station: 1 << enum wifi_security for each kind of hidden access
	 * point in the last scan (GetHiddenAccessPoints), and the strongest
	 * signal of each kind (100 * dBm). */
	unsigned int hidden_types;
	int16_t hidden_signal[4];
	char *device;			/* Network */
	char *known;			/* Network: its KnownNetwork's path, if known */
	bool connected;			/* Network */
	char *type;			/* Network, KnownNetwork: "open", "psk", ... */
	bool autoconnect;		/* KnownNetwork */
	bool hidden;			/* KnownNetwork */
	bool started;			/* AccessPoint */
	char *ap_name;			/* AccessPoint: the SSID it broadcasts */
	int32_t signal;			/* Network: 100 * dBm, from the last ordered list */
	bool has_signal;
};

struct iwd_ops {
	/* Objects came, changed or went: once per main-loop turn. */
	void (*changed)(void *data);
	/* iwd is on the bus with its objects read (network_config: its
	 * EnableNetworkConfiguration is on), or left it. */
	void (*appeared)(bool network_config, void *data);
	void (*vanished)(void *data);
};

/* agent_path: the net.connman.iwd.Agent object to register with iwd each
 * time it appears (NULL: none). */
struct iwd *iwd_new(struct l_dbus *dbus, const char *agent_path, const struct iwd_ops *ops,
		    void *data);
void iwd_free(struct iwd *iwd);

bool iwd_present(const struct iwd *iwd);
/* Whether a D-Bus sender is iwd itself (its agent calls are checked). */
bool iwd_is_sender(const struct iwd *iwd, const char *sender);
/* Every object now, as struct iwd_object (do not keep them past a change). */
const struct l_queue *iwd_objects(const struct iwd *iwd);
struct iwd_object *iwd_find(const struct iwd *iwd, const char *path);

/* error: 0, or a negative errno with iwd's error name (NULL when the call
 * failed locally). A call with no done asks for no reply: nothing waits for
 * it, and neither iwd_cancel nor iwd_free() takes it back, so it goes out
 * even as connd stops. */
typedef void (*iwd_done_fn)(int error, const char *name, void *data);

uint32_t iwd_network_connect(struct iwd *iwd, const char *network, iwd_done_fn done, void *data);
uint32_t iwd_connect_hidden(struct iwd *iwd, const char *station, const char *ssid,
			    iwd_done_fn done, void *data);
uint32_t iwd_station_disconnect(struct iwd *iwd, const char *station, iwd_done_fn done,
				void *data);
/* Reports once the station's Scanning is false again and the networks'
 * signals are read. */
uint32_t iwd_station_scan(struct iwd *iwd, const char *station, iwd_done_fn done, void *data);
uint32_t iwd_known_forget(struct iwd *iwd, const char *known, iwd_done_fn done, void *data);
uint32_t iwd_set_bool(struct iwd *iwd, const char *path, enum iwd_interface interface,
		      const char *property, bool value, iwd_done_fn done, void *data);
uint32_t iwd_set_string(struct iwd *iwd, const char *path, enum iwd_interface interface,
			const char *property, const char *value, iwd_done_fn done, void *data);
/* AccessPoint.Start replies once the AP beacons (or failed to). */
uint32_t iwd_ap_start(struct iwd *iwd, const char *path, const char *ssid, const char *psk,
		      iwd_done_fn done, void *data);
uint32_t iwd_ap_stop(struct iwd *iwd, const char *path, iwd_done_fn done, void *data);
void iwd_cancel(struct iwd *iwd, uint32_t id);
