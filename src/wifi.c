#include <errno.h>
#include <string.h>
#include <ell/ell.h>

#include "agents.h"
#include "iwd-agent.h"
#include "iwd.h"
#include "manager.h"
#include "manager-provision.h"
#include "provision-wifi.h"
#include "rtnl.h"
#include "service.h"
#include "service-state.h"
#include "technology.h"
#include "tether-ap.h"
#include "wifi-ap.h"
#include "wifi-ident.h"
#include "wifi.h"

struct wifi {
	struct manager *manager;
	struct iwd *iwd;
	struct iwd_agent *agent;
	struct technology *tech;	/* NULL while iwd shows no managed device */
	struct l_queue *links;		/* struct rtnl_link_info: every link, by name */
	struct l_queue *nets;		/* struct wifi_net: one per service */
	struct l_queue *devices;	/* paths of the devices seen, powered as the technology says */
	struct l_queue *scans;		/* struct wifi_scan */
	bool network_config;		/* iwd's EnableNetworkConfiguration: hands off */
	struct l_idle *idle;		/* the coalesced sync */
	struct wifi_ap *ap;		/* tethering's access point, or NULL */
	technology_tether_done_fn tether_done;	/* told once it is up or failed */
	void *tether_data;
	/* Provisioned hidden networks asked of iwd once: "<station> <ident>". */
	struct l_queue *hidden_tried;
	uint32_t hidden_call;		/* the one ConnectHiddenNetwork of those */
	char *hidden_asked;		/* its "<station> <ident>" */
	/* Of those tried, the ones iwd did not find: tried again once their
	 * station has scanned again. */
	struct l_queue *hidden_missed;
};

/* A service and the iwd network it stands for. */
struct wifi_net {
	struct wifi *wifi;
	struct service *svc;
	char id[WIFI_ID_MAX];
	char *network;			/* iwd's Network path */
	char *device;			/* iwd's Device (and Station) path */
	enum wifi_security security;
	uint32_t connect_call;
	bool connecting;		/* asked to connect: waiting for iwd */
	int agent_id;			/* the user's agent's request, or 0 */
	struct iwd_agent_request *iwd_req;	/* iwd's request it answers */
	uint32_t aux_call;		/* Disconnect, Forget, AutoConnect */
	uint32_t leave_call;		/* Station.Disconnect: not adopted meanwhile */
	char *forgetting;		/* the KnownNetwork Remove forgets: not mirrored */
	bool seen;			/* in iwd's list during this sync */
	/* wifi_<mac>_hidden_managed_<security>: stands for the hidden access
	 * points of that security; Connect asks the user for the name, then
	 * iwd for the network (Station.ConnectHiddenNetwork). */
	bool hidden;
	uint8_t ssid[WIFI_SSID_MAX];	/* hidden: the name asked for */
	size_t ssid_len;
	char *secret;			/* hidden: the passphrase, until iwd asks */
	bool provision_tried;		/* provisioned: connd connected it once */
};

struct wifi_scan {
	struct wifi *wifi;
	technology_scan_done_fn done;
	void *data;
	unsigned int left;		/* stations still scanning */
	int result;
	uint32_t calls[8];
};

static void schedule_sync(struct wifi *wifi);

static bool link_named(const void *link, const void *name)
{
	return !strcmp(((const struct rtnl_link_info *)link)->ifname, name);
}

static bool link_indexed(const void *link, const void *ifindex)
{
	return ((const struct rtnl_link_info *)link)->ifindex == L_PTR_TO_INT(ifindex);
}

/* The link of an iwd device connd may manage (-i, -I), or NULL. */
static const struct rtnl_link_info *managed_link(const struct wifi *wifi,
						 const struct iwd_object *dev)
{
	if (!dev || !(dev->interfaces & IWD_DEVICE) || !dev->name)
		return NULL;
	if (!manager_may_manage(wifi->manager, dev->name))
		return NULL;
	return l_queue_find(wifi->links, link_named, dev->name);
}

static bool net_has_id(const void *net, const void *id)
{
	return !strcmp(((const struct wifi_net *)net)->id, id);
}

static bool net_has_network(const void *net, const void *path)
{
	const struct wifi_net *n = net;

	return n->network && !strcmp(n->network, path);
}

static bool powered_wanted(const struct wifi *wifi)
{
	return wifi->tech && technology_powered(wifi->tech) &&
	       !manager_offline_mode(wifi->manager);
}

/* iwd's station is on this network: connecting, connected or roaming. */
static bool station_on(const struct wifi *wifi, const struct wifi_net *net)
{
	const struct iwd_object *st = iwd_find(wifi->iwd, net->device);

	if (!st || !(st->interfaces & IWD_STATION) || !st->state)
		return false;
	if (!l_streq0(st->connected_network, net->network))
		return false;
	return !strcmp(st->state, "connecting") || !strcmp(st->state, "connected") ||
	       !strcmp(st->state, "roaming");
}

static bool network_connected(const struct wifi *wifi, const struct wifi_net *net)
{
	const struct iwd_object *nw = iwd_find(wifi->iwd, net->network);
	const struct iwd_object *st = iwd_find(wifi->iwd, net->device);

	return nw && nw->connected && st && st->state && strcmp(st->state, "connecting");
}

/* What went wrong, in ConnMan's words: iwd says Failed when the handshake
 * fails, which on a secured network is a wrong key. */
static const char *connect_error(const struct wifi_net *net, const char *name)
{
	if (name && !strcmp(name, "net.connman.iwd.Failed") && net->security != WIFI_SECURITY_NONE)
		return "invalid-key";
	return "connect-failed";
}

static void connect_replied(int error, const char *name, void *data)
{
	struct wifi_net *net = data;

	net->connect_call = 0;
	if (!error || error == -EINPROGRESS) {
		schedule_sync(net->wifi);
		return;
	}
	l_info("%s: iwd did not connect: %s", net->id, name ? name : strerror(-error));
	net->connecting = false;
	service_link_failed(net->svc, connect_error(net, name));
	schedule_sync(net->wifi);	/* the station is free again */
}

static int hidden_connect(struct wifi_net *net);

/* service_driver.connect: iwd associates; the sync pass sees it done. */
static int net_connect(struct service *svc, void *data)
{
	struct wifi_net *net = data;
	struct wifi *wifi = net->wifi;

	if (net->hidden)
		return hidden_connect(net);
	net->connecting = true;
	if (station_on(wifi, net)) {
		schedule_sync(wifi);	/* iwd is at it already */
		return 0;
	}
	net->connect_call = iwd_network_connect(wifi->iwd, net->network, connect_replied, net);
	if (!net->connect_call) {
		net->connecting = false;
		return -EIO;
	}
	return 0;
}

static void aux_done(int error, const char *name, void *data)
{
	struct wifi_net *net = data;

	net->aux_call = 0;
	if (!error)
		return;
	l_info("%s: iwd: %s", net->id, name ? name : strerror(-error));
	l_free(net->forgetting);	/* iwd still knows it: still the user's */
	net->forgetting = NULL;
}

static void left(int error, const char *name, void *data)
{
	struct wifi_net *net = data;

	net->leave_call = 0;
	if (error)
		l_info("%s: iwd: %s", net->id, name ? name : strerror(-error));
	schedule_sync(net->wifi);
}

/* The passphrase of a hidden network is kept only until iwd asks. */
static void wipe_secret(struct wifi_net *net)
{
	if (net->secret)
		explicit_bzero(net->secret, strlen(net->secret));
	l_free(net->secret);
	net->secret = NULL;
}

static void drop_agent_request(struct wifi_net *net)
{
	if (net->agent_id)
		agents_cancel(manager_agents(net->wifi->manager), net->agent_id);
	if (net->iwd_req)
		iwd_agent_refuse(net->iwd_req);
	net->agent_id = 0;
	net->iwd_req = NULL;
	wipe_secret(net);
}

/* service_driver.disconnect: the station lets go, unless it is already on
 * another network (the user connected that one) or lost this one. */
static void net_disconnect(struct service *svc, void *data)
{
	struct wifi_net *net = data;
	struct wifi *wifi = net->wifi;
	bool ours = net->connect_call || (!net->hidden && station_on(wifi, net));

	net->connecting = false;
	drop_agent_request(net);
	if (net->connect_call)
		iwd_cancel(wifi->iwd, net->connect_call);
	net->connect_call = 0;
	if (!ours || net->leave_call)
		return;
	net->leave_call = iwd_station_disconnect(wifi->iwd, net->device, left, net);
}

static const char *known_path(const struct wifi_net *net)
{
	const struct iwd_object *nw = iwd_find(net->wifi->iwd, net->network);

	return nw ? nw->known : NULL;
}

/* service_driver.remove: iwd forgets it (passphrase included); a network
 * iwd does not know has nothing to forget. */
static int net_remove(struct service *svc, void *data)
{
	struct wifi_net *net = data;
	const char *known = known_path(net);

	(void)svc;

	if (!known)
		return 0;
	iwd_cancel(net->wifi->iwd, net->aux_call);
	net->aux_call = iwd_known_forget(net->wifi->iwd, known, aux_done, net);
	if (!net->aux_call)
		return -EIO;
	/* Until iwd has let go of it, its AutoConnect is no longer the user's. */
	l_free(net->forgetting);
	net->forgetting = l_strdup(known);
	return 0;
}

/* iwd autoconnects known networks: the user's choice goes to it. */
static void net_autoconnect_changed(struct service *svc, bool on, void *data)
{
	struct wifi_net *net = data;
	const struct iwd_object *kn = iwd_find(net->wifi->iwd, known_path(net));

	if (!kn || kn->autoconnect == on)
		return;
	iwd_cancel(net->wifi->iwd, net->aux_call);
	net->aux_call = iwd_set_bool(net->wifi->iwd, kn->path, IWD_KNOWN, "AutoConnect", on,
				     aux_done, net);
}

static const struct service_driver net_driver = {
	.connect = net_connect,
	.disconnect = net_disconnect,
	.remove = net_remove,
	.autoconnect_changed = net_autoconnect_changed,
};

/* Without its service: the manager frees those itself on shutdown. */
static void net_release(struct wifi_net *net)
{
	struct wifi *wifi = net->wifi;

	l_queue_remove(wifi->nets, net);
	if (net->iwd_req)
		iwd_agent_refuse(net->iwd_req);
	wipe_secret(net);
	iwd_cancel(wifi->iwd, net->connect_call);
	iwd_cancel(wifi->iwd, net->aux_call);
	iwd_cancel(wifi->iwd, net->leave_call);
	l_free(net->forgetting);
	l_free(net->network);
	l_free(net->device);
	l_free(net);
}

static void net_free(struct wifi_net *net)
{
	struct wifi *wifi = net->wifi;

	l_queue_remove(wifi->nets, net);
	manager_remove_service(wifi->manager, net->svc);
	drop_agent_request(net);
	iwd_cancel(wifi->iwd, net->connect_call);
	iwd_cancel(wifi->iwd, net->aux_call);
	iwd_cancel(wifi->iwd, net->leave_call);
	l_free(net->forgetting);
	l_free(net->network);
	l_free(net->device);
	l_free(net);
}

/* Credentials, as ConnMan's agent API names them: a PSK or WEP key is a
 * Passphrase of that type; 802.1X asks Identity and Passphrase. */
static unsigned int agent_fields(const struct wifi_net *net, enum iwd_agent_kind kind,
				 struct agents_field *f)
{
	switch (kind) {
	case IWD_AGENT_PASSPHRASE:
		f[0] = (struct agents_field) { "Passphrase",
			net->security == WIFI_SECURITY_WEP ? "wep" : "psk" };
		return 1;
	case IWD_AGENT_PRIVATE_KEY:
	case IWD_AGENT_USER_PASSWORD:
		f[0] = (struct agents_field) { "Passphrase", "passphrase" };
		return 1;
	case IWD_AGENT_USER_AND_PASSWORD:
		f[0] = (struct agents_field) { "Identity", "string" };
		f[1] = (struct agents_field) { "Passphrase", "passphrase" };
		return 2;
	}
	return 0;
}

static void input_given(int result, const char *const *values, void *data)
{
	struct wifi_net *net = data;
	struct iwd_agent_request *req = net->iwd_req;

	net->agent_id = 0;
	net->iwd_req = NULL;
	if (result < 0) {
		l_info("%s: the agent gave no credentials", net->id);
		iwd_agent_refuse(req);
		return;
	}
	if (iwd_agent_request_kind(req) == IWD_AGENT_USER_AND_PASSWORD)
		iwd_agent_reply(req, values[0], values[1]);
	else
		iwd_agent_reply(req, NULL, values[0]);
}

/* The hidden network being connected whose passphrase iwd asks for
 * (its Network object is new: the path's SSID tells which). */
static struct wifi_net *hidden_asked(const struct wifi *wifi, const char *path)
{
	enum wifi_security security;
	uint8_t ssid[WIFI_SSID_MAX];
	size_t len;

	if (wifi_parse_network_path(path, ssid, &len, &security) < 0)
		return NULL;
	for (const struct l_queue_entry *e = l_queue_get_entries(wifi->nets); e; e = e->next) {
		struct wifi_net *net = e->data;

		if (net->hidden && net->connect_call && net->secret && net->ssid_len == len &&
		    !memcmp(net->ssid, ssid, len))
			return net;
	}
	return NULL;
}

/* The MAC of ConnMan's service ids: iwd's Device.Address, else the link's. */
static void device_mac(const struct iwd_object *dev, const struct rtnl_link_info *link,
		       uint8_t mac[6])
{
	if (wifi_parse_mac(dev->address, mac) < 0)
		memcpy(mac, link->mac, 6);
}

/* The service id and link of a network iwd asks about, from its path: it
 * may be one connd has not listed yet (a hidden one, just named). */
static int network_id(const struct wifi *wifi, const char *path, char id[WIFI_ID_MAX],
		      const struct rtnl_link_info **link)
{
	const char *slash = strrchr(path, '/');
	const struct iwd_object *dev;
	enum wifi_security security;
	uint8_t ssid[WIFI_SSID_MAX], mac[6];
	char *device;
	size_t len;

	if (!slash || wifi_parse_network_path(path, ssid, &len, &security) < 0)
		return -EINVAL;
	device = l_strndup(path, slash - path);
	dev = iwd_find(wifi->iwd, device);
	l_free(device);
	*link = dev ? managed_link(wifi, dev) : NULL;
	if (!*link)
		return -ENODEV;
	device_mac(dev, *link, mac);
	return wifi_service_id(mac, ssid, len, security, id, WIFI_ID_MAX);
}

/* A provisioned network's passphrase goes to iwd without asking anyone,
 * as ConnMan gives it. */
static bool answer_provisioned(const struct wifi *wifi, struct iwd_agent_request *req)
{
	const struct rtnl_link_info *link;
	const char *secret;
	char id[WIFI_ID_MAX];

	if (iwd_agent_request_kind(req) != IWD_AGENT_PASSPHRASE ||
	    network_id(wifi, iwd_agent_request_network(req), id, &link) < 0)
		return false;
	secret = provisioning_wifi_passphrase(manager_provisioning(wifi->manager), id, link->mac,
					      link->ifname);
	if (!secret)
		return false;
	l_info("%s: the passphrase from its provisioning file", id);
	iwd_agent_reply(req, NULL, secret);
	return true;
}

static void agent_request(struct iwd_agent_request *req, void *data)
{
	struct wifi *wifi = data;
	struct wifi_net *net = l_queue_find(wifi->nets, net_has_network,
					    iwd_agent_request_network(req));
	struct wifi_net *hidden = hidden_asked(wifi, iwd_agent_request_network(req));
	struct agents_field fields[2];
	unsigned int n;
	int id;

	if (hidden) {
		/* The user gave it with the name a moment ago. */
		if (iwd_agent_request_kind(req) == IWD_AGENT_PASSPHRASE)
			iwd_agent_reply(req, NULL, hidden->secret);
		else
			iwd_agent_refuse(req);
		wipe_secret(hidden);
		return;
	}
	if (answer_provisioned(wifi, req))
		return;
	if (!net || net->iwd_req) {
		iwd_agent_refuse(req);
		return;
	}
	n = agent_fields(net, iwd_agent_request_kind(req), fields);
	id = agents_request_input(manager_agents(wifi->manager), net->svc, fields, n,
				  input_given, net);
	if (id < 0) {
		l_info("%s: no agent to ask for credentials", net->id);
		iwd_agent_refuse(req);
		return;
	}
	net->agent_id = id;
	net->iwd_req = req;
	iwd_agent_request_set_data(req, net);
}

/* iwd withdrew it (its timeout, or it left): so does the user's agent. */
static void agent_cancelled(struct iwd_agent_request *req, void *data)
{
	struct wifi_net *net = iwd_agent_request_data(req);

	if (!net || net->iwd_req != req)
		return;
	if (net->agent_id)
		agents_cancel(manager_agents(net->wifi->manager), net->agent_id);
	net->agent_id = 0;
	net->iwd_req = NULL;
}

static bool agent_trusted(const char *sender, void *data)
{
	struct wifi *wifi = data;

	return iwd_is_sender(wifi->iwd, sender);
}

static const struct iwd_agent_ops agent_ops = {
	.trusted = agent_trusted,
	.request = agent_request,
	.cancelled = agent_cancelled,
};

/* The service follows iwd: associated, lost, or connected by iwd itself
 * (its autoconnect, or another client). */
static void follow_state(struct wifi *wifi, struct wifi_net *net)
{
	enum service_state state = service_get_state(net->svc);

	if (net->hidden)
		return;	/* driven by its own calls, never by the station */
	l_debug("%s: %s, station %s, network %s", net->id, service_state_name(state),
		station_on(wifi, net) ? "on it" : "elsewhere",
		network_connected(wifi, net) ? "connected" : "not connected");
	if (state == SERVICE_STATE_ASSOCIATION) {
		if (network_connected(wifi, net)) {
			net->connecting = false;
			service_link_ready(net->svc);
		} else if (!net->connect_call && !net->iwd_req && !station_on(wifi, net)) {
			net->connecting = false;
			service_link_failed(net->svc, "connect-failed");
		}
		return;
	}
	if (state == SERVICE_STATE_CONFIGURATION || service_state_is_connected(state)) {
		if (!network_connected(wifi, net) && !station_on(wifi, net)) {
			net->connecting = false;
			if (state == SERVICE_STATE_CONFIGURATION) {
				/* Still connecting: the attempt failed. */
				l_info("%s: iwd lost the network before IP was up", net->id);
				service_link_lost(net->svc, "connect-failed");
				return;
			}
			l_info("%s: iwd lost the network", net->id);
			/* Idle through the usual path; the station is not ours to stop. */
			service_set_available(net->svc, false);
			service_set_available(net->svc, true);
		}
		return;
	}
	/* Not while iwd is still leaving it at connd's request. */
	if ((state == SERVICE_STATE_IDLE || state == SERVICE_STATE_FAILURE) &&
	    !net->leave_call && station_on(wifi, net) && service_connect(net->svc, NULL, NULL) == 0 &&
	    network_connected(wifi, net))
		service_link_ready(net->svc);
}

/* Powered reaches iwd: the adapter first when powering on. */
static void power_done(int error, const char *name, void *data)
{
	if (error)
		l_warn("iwd refused to switch a radio: %s", name ? name : strerror(-error));
}

static void power_device(struct wifi *wifi, const struct iwd_object *dev, bool on)
{
	const struct iwd_object *adapter = iwd_find(wifi->iwd, dev->adapter);

	if (on && adapter && !adapter->powered)
		iwd_set_bool(wifi->iwd, adapter->path, IWD_ADAPTER, "Powered", true, power_done, wifi);
	if (dev->powered != on)
		iwd_set_bool(wifi->iwd, dev->path, IWD_DEVICE, "Powered", on, power_done, wifi);
}

static void set_powered(struct technology *tech, bool on, void *data)
{
	struct wifi *wifi = data;

	for (const struct l_queue_entry *e = l_queue_get_entries(iwd_objects(wifi->iwd)); e;
	     e = e->next)
		if (managed_link(wifi, e->data))
			power_device(wifi, e->data, on);
}

static void scan_free(struct wifi_scan *scan)
{
	l_queue_remove(scan->wifi->scans, scan);
	l_free(scan);
}

static void station_scanned(int error, const char *name, void *data)
{
	struct wifi_scan *scan = data;

	if (error && !scan->result)
		scan->result = error;
	if (--scan->left)
		return;
	scan->done(scan->result, scan->data);
	scan_free(scan);
}

static int scan(struct technology *tech, technology_scan_done_fn done, void *done_data,
		void *data)
{
	struct wifi *wifi = data;
	struct wifi_scan *scan = l_new(struct wifi_scan, 1);

	scan->wifi = wifi;
	scan->done = done;
	scan->data = done_data;
	for (const struct l_queue_entry *e = l_queue_get_entries(iwd_objects(wifi->iwd)); e;
	     e = e->next) {
		const struct iwd_object *st = e->data;
		uint32_t id;

		if (!(st->interfaces & IWD_STATION) || !managed_link(wifi, st) ||
		    scan->left == L_ARRAY_SIZE(scan->calls))
			continue;
		id = iwd_station_scan(wifi->iwd, st->path, station_scanned, scan);
		if (id)
			scan->calls[scan->left++] = id;
	}
	if (!scan->left) {
		l_free(scan);
		return -ENOLINK;	/* no radio on, or none in station mode */
	}
	l_queue_push_tail(wifi->scans, scan);
	return 0;
}

/* The managed device that can be an access point (its adapter lists "ap"
 * in SupportedModes): -ENODEV when there is no managed device, -EOPNOTSUPP
 * when none can. */
static int ap_device(const struct wifi *wifi, const struct iwd_object **out)
{
	bool any = false;

	for (const struct l_queue_entry *e = l_queue_get_entries(iwd_objects(wifi->iwd)); e;
	     e = e->next) {
		const struct iwd_object *dev = e->data, *adapter;

		if (!managed_link(wifi, dev))
			continue;
		any = true;
		adapter = iwd_find(wifi->iwd, dev->adapter);
		if (adapter && l_strv_contains(adapter->supported_modes, "ap")) {
			*out = dev;
			return 0;
		}
	}
	return any ? -EOPNOTSUPP : -ENODEV;
}

static void ap_started(int error, const char *message, void *data)
{
	struct wifi *wifi = data;
	technology_tether_done_fn done = wifi->tether_done;
	const struct rtnl_link_info *link;

	wifi->tether_done = NULL;
	if (error) {
		done(error, message, wifi->tether_data);
		return;
	}
	link = managed_link(wifi, iwd_find(wifi->iwd, wifi_ap_device(wifi->ap)));
	if (!link)
		done(-ENODEV, "the access point's link is gone", wifi->tether_data);
	else
		done(link->ifindex, NULL, wifi->tether_data);
}

static void ap_lost(void *data)
{
	struct wifi *wifi = data;

	manager_tethering_lost(wifi->manager, wifi->tech);
}

static const struct wifi_ap_ops ap_ops = {
	.started = ap_started,
	.lost = ap_lost,
};

/* Tethering: the device leaves station mode (its networks' services go
 * with iwd's Station) and beacons the identifier; tether-ap.h checked it
 * and the passphrase. */
static int tether_start(struct technology *tech, const struct tether_ap *cfg,
			technology_tether_done_fn done, void *done_data, void *data)
{
	struct wifi *wifi = data;
	const struct iwd_object *dev;
	int err;

	if (wifi->ap)
		return -EINPROGRESS;
	if (!powered_wanted(wifi))
		return -ENETDOWN;
	err = ap_device(wifi, &dev);
	if (err < 0)
		return err;
	wifi->ap = wifi_ap_new(wifi->iwd, dev->path, cfg->identifier, cfg->passphrase, &ap_ops,
			       wifi);
	wifi->tether_done = done;
	wifi->tether_data = done_data;
	schedule_sync(wifi);
	return 0;
}

/* Ours stops; with none of ours, one a dead run left on a managed device. */
static void tether_stop(struct technology *tech, void *data)
{
	struct wifi *wifi = data;

	wifi->tether_done = NULL;
	if (wifi->ap) {
		wifi_ap_stop(wifi->ap);
		wifi->ap = NULL;
		return;
	}
	for (const struct l_queue_entry *e = l_queue_get_entries(iwd_objects(wifi->iwd)); e;
	     e = e->next)
		if (managed_link(wifi, e->data))
			wifi_ap_stop_device(wifi->iwd, ((const struct iwd_object *)e->data)->path);
}

static const struct technology_driver wifi_driver = {
	.type = "wifi",
	.name = "WiFi",
	.set_powered = set_powered,
	.scan = scan,
	.tether_start = tether_start,
	.tether_stop = tether_stop,
};

/* What a network of iwd is to connd: its id, security and SSID. */
static int describe(const struct wifi *wifi, const struct iwd_object *nw, char *id,
		    enum wifi_security *security, const struct rtnl_link_info **link)
{
	const struct iwd_object *dev = iwd_find(wifi->iwd, nw->device);
	uint8_t ssid[WIFI_SSID_MAX], mac[6];
	size_t len;

	*link = managed_link(wifi, dev);
	if (!*link || !(dev->interfaces & IWD_STATION))
		return -ENODEV;
	device_mac(dev, *link, mac);
	/* The path has the exact bytes; the name is iwd's text of them. */
	if (wifi_parse_network_path(nw->path, ssid, &len, security) < 0) {
		len = nw->name ? strlen(nw->name) : 0;
		if (len == 0 || len > WIFI_SSID_MAX ||
		    wifi_security_from_iwd(nw->type, security) < 0)
			return -EINVAL;
		memcpy(ssid, nw->name, len);
	}
	return wifi_service_id(mac, ssid, len, *security, id, WIFI_ID_MAX);
}

/* nw: its network, NULL for a hidden service (no Name, as ConnMan's). */
static struct wifi_net *add_net(struct wifi *wifi, const char *id, enum wifi_security security,
				const struct rtnl_link_info *link, const struct iwd_object *nw)
{
	struct wifi_net *net = l_new(struct wifi_net, 1);
	const char *security_names[] = { wifi_security_name(security), NULL };
	struct service_desc desc = {
		.type = "wifi",
		.id = id,
		.name = !nw ? NULL : nw->name ? nw->name : "",
		.security = security_names,
		.favorite = nw && nw->known != NULL,
		.driver = &net_driver,
		.driver_data = net,
		.link = link,
		.order = manager_device_rank(wifi->manager, link->ifname),
		.shared_link = true,
		.bearer_autoconnects = true,
	};

	net->wifi = wifi;
	l_strlcpy(net->id, id, sizeof(net->id));
	net->security = security;
	net->hidden = !nw;
	net->svc = manager_add_service(wifi->manager, &desc);
	l_queue_push_tail(wifi->nets, net);
	service_set_available(net->svc, true);
	return net;
}

/* A network of iwd's last scan: its service, new or updated. */
static struct wifi_net *sync_network(struct wifi *wifi, const struct iwd_object *nw)
{
	const struct rtnl_link_info *link;
	enum wifi_security security;
	char id[WIFI_ID_MAX];
	struct wifi_net *net;
	const struct iwd_object *kn;

	if (describe(wifi, nw, id, &security, &link) < 0)
		return NULL;
	net = l_queue_find(wifi->nets, net_has_id, id);
	if (!net)
		net = add_net(wifi, id, security, link, nw);
	if (!l_streq0(net->network, nw->path)) {
		l_free(net->network);
		net->network = l_strdup(nw->path);
	}
	if (!l_streq0(net->device, nw->device)) {
		l_free(net->device);
		net->device = l_strdup(nw->device);
	}
	service_set_name(net->svc, nw->name ? nw->name : "");
	if (nw->has_signal)
		service_set_strength(net->svc, wifi_strength(nw->signal));
	service_set_favorite(net->svc, nw->known != NULL);
	kn = iwd_find(wifi->iwd, nw->known);
	if (!l_streq0(net->forgetting, nw->known)) {
		l_free(net->forgetting);
		net->forgetting = NULL;
	}
	/* iwd's AutoConnect is the truth for a known network (not one being
	 * forgotten: the service's settings are back to the defaults). */
	if (kn && (kn->interfaces & IWD_KNOWN) && !net->forgetting &&
	    kn->autoconnect != service_autoconnect(net->svc))
		service_set_autoconnect(net->svc, kn->autoconnect);
	return net;
}

static bool string_eq(const void *a, const void *b)
{
	return !strcmp(a, b);
}

/* A device connd has not seen yet is powered as the technology says. */
static void sync_devices(struct wifi *wifi, bool *any)
{
	*any = false;
	for (const struct l_queue_entry *e = l_queue_get_entries(iwd_objects(wifi->iwd)); e;
	     e = e->next) {
		const struct iwd_object *dev = e->data;

		if (!managed_link(wifi, dev))
			continue;
		*any = true;
		if (wifi->tech && !l_queue_find(wifi->devices, string_eq, dev->path)) {
			l_queue_push_tail(wifi->devices, l_strdup(dev->path));
			power_device(wifi, dev, powered_wanted(wifi));
		}
	}
}

/* A hidden service of a station, new or kept: ConnMan's id with "hidden"
 * for the SSID. */
static struct wifi_net *sync_hidden(struct wifi *wifi, const struct iwd_object *st,
				    enum wifi_security security)
{
	const struct rtnl_link_info *link = managed_link(wifi, st);
	char id[WIFI_ID_MAX];
	struct wifi_net *net;
	uint8_t mac[6];

	if (!link)
		return NULL;
	device_mac(st, link, mac);
	if (wifi_service_id(mac, NULL, 0, security, id, sizeof(id)) < 0)
		return NULL;
	net = l_queue_find(wifi->nets, net_has_id, id);
	if (!net)
		net = add_net(wifi, id, security, link, NULL);
	if (!l_streq0(net->device, st->path)) {
		l_free(net->device);
		net->device = l_strdup(st->path);
	}
	service_set_strength(net->svc, wifi_strength(st->hidden_signal[security]));
	return net;
}

/* Hidden services for what iwd can connect by name: open and PSK access
 * points (ConnectHiddenNetwork takes no other); one being connected stays
 * until its attempt ends. */
static void sync_hiddens(struct wifi *wifi, const struct iwd_object *st)
{
	static const enum wifi_security kinds[] = { WIFI_SECURITY_NONE, WIFI_SECURITY_PSK };

	for (size_t i = 0; i < L_ARRAY_SIZE(kinds); i++) {
		struct wifi_net *net = st->hidden_types & 1u << kinds[i] ?
			sync_hidden(wifi, st, kinds[i]) : NULL;

		if (net)
			net->seen = true;
	}
}

static void sync_networks(struct wifi *wifi)
{
	const struct l_queue_entry *e;

	for (e = l_queue_get_entries(wifi->nets); e; e = e->next) {
		struct wifi_net *net = e->data;

		net->seen = net->hidden && service_get_state(net->svc) == SERVICE_STATE_ASSOCIATION;
	}
	for (e = l_queue_get_entries(iwd_objects(wifi->iwd)); e; e = e->next) {
		const struct iwd_object *nw = e->data;
		struct wifi_net *net = nw->interfaces & IWD_NETWORK ? sync_network(wifi, nw) : NULL;

		if (net)
			net->seen = true;
		if (nw->interfaces & IWD_STATION)
			sync_hiddens(wifi, nw);
	}
}

/* ---- provisioned networks (ConnMan's .config files, Type = wifi) ----
 * ConnMan connects a provisioned network by itself. iwd autoconnects the
 * networks it knows; one it does not know yet, connd connects once, when
 * its station has nothing else to do (the passphrase comes from the file,
 * answer_provisioned), and from then on iwd knows it. */

static bool station_busy(const struct wifi *wifi, const char *station)
{
	if (wifi->hidden_call)
		return true;
	for (const struct l_queue_entry *e = l_queue_get_entries(wifi->nets); e; e = e->next) {
		const struct wifi_net *net = e->data;
		enum service_state state = service_get_state(net->svc);

		if (l_streq0(net->device, station) &&
		    (net->connect_call || net->connecting || net->agent_id || net->iwd_req ||
		     net->leave_call || service_state_is_connecting(state) ||
		     service_state_is_connected(state)))
			return true;
	}
	return false;
}

/* The strongest provisioned network in view that iwd does not know yet and
 * connd has not tried since it came into view or the files changed. */
static struct wifi_net *provisioned_candidate(const struct wifi *wifi, const char *station)
{
	struct wifi_net *best = NULL;

	for (const struct l_queue_entry *e = l_queue_get_entries(wifi->nets); e; e = e->next) {
		struct wifi_net *net = e->data;

		if (net->hidden || !net->network || !l_streq0(net->device, station) ||
		    net->provision_tried || !service_immutable(net->svc) ||
		    service_favorite(net->svc) ||
		    (service_get_state(net->svc) != SERVICE_STATE_IDLE &&
		     service_get_state(net->svc) != SERVICE_STATE_FAILURE))
			continue;
		if (!best || service_strength(net->svc) > service_strength(best->svc))
			best = net;
	}
	return best;
}

struct hidden_pick {
	const struct wifi *wifi;
	const struct iwd_object *station;
	const struct rtnl_link_info *link;
	const struct provision_wifi *found;
};

static bool hidden_known(const struct wifi *wifi, const struct provision_wifi *w)
{
	for (const struct l_queue_entry *e = l_queue_get_entries(iwd_objects(wifi->iwd)); e;
	     e = e->next) {
		const struct iwd_object *kn = e->data;
		enum wifi_security security;

		if ((kn->interfaces & IWD_KNOWN) && kn->name && strlen(kn->name) == w->ssid_len &&
		    !memcmp(kn->name, w->ssid, w->ssid_len) &&
		    wifi_security_from_iwd(kn->type, &security) == 0 && security == w->resolved)
			return true;
	}
	return false;
}

static bool hidden_tried(const struct wifi *wifi, const char *station, const char *ident)
{
	for (const struct l_queue_entry *e = l_queue_get_entries(wifi->hidden_tried); e;
	     e = e->next) {
		const char *tried = e->data, *space = strchr(tried, ' ');

		if ((size_t)(space - tried) == strlen(station) && !strncmp(tried, station, space - tried) &&
		    !strcmp(space + 1, ident))
			return true;
	}
	return false;
}

/* A hidden entry this station may try now: access points of its security
 * are in view, on the device it names, iwd does not know it, not tried. */
static void pick_hidden(const struct provision_wifi *w, const uint8_t *mac,
			const char *device_name, void *data)
{
	struct hidden_pick *pick = data;

	if (pick->found || !(pick->station->hidden_types & 1u << w->resolved) ||
	    (mac && memcmp(mac, pick->link->mac, 6)) ||
	    (device_name && strcmp(device_name, pick->link->ifname)) ||
	    /* iwd takes the name as a D-Bus string: text, no NUL. */
	    !l_utf8_validate((const char *)w->ssid, w->ssid_len, NULL) ||
	    memchr(w->ssid, 0, w->ssid_len) || hidden_known(pick->wifi, w) ||
	    hidden_tried(pick->wifi, pick->station->path, w->ident))
		return;
	pick->found = w;
}

/* Not found (iwd's view of the hidden access points may be a scan old, or
 * another network's): asked again after the station's next scan. Any
 * other end (connected, a wrong passphrase) stands. */
static void provisioned_hidden_done(int error, const char *name, void *data)
{
	struct wifi *wifi = data;

	wifi->hidden_call = 0;
	if (error)
		l_info("wifi: iwd did not connect the provisioned hidden network: %s",
		       name ? name : strerror(-error));
	if (error && l_streq0(name, "net.connman.iwd.NotFound"))
		l_queue_push_tail(wifi->hidden_missed, wifi->hidden_asked);
	else
		l_free(wifi->hidden_asked);
	wifi->hidden_asked = NULL;
	schedule_sync(wifi);
}

static bool of_station(const void *tried, const void *station)
{
	size_t len = strlen(station);

	return !strncmp(tried, station, len) && ((const char *)tried)[len] == ' ';
}

/* A scan under way: what it finds is new, so what iwd did not find may be
 * asked again. */
static void retry_missed(struct wifi *wifi, const struct iwd_object *station)
{
	char *missed;

	if (!station->scanning)
		return;
	while ((missed = l_queue_remove_if(wifi->hidden_missed, of_station, station->path))) {
		l_free(l_queue_remove_if(wifi->hidden_tried, string_eq, missed));
		l_free(missed);
	}
}

static void connect_provisioned_hidden(struct wifi *wifi, const struct iwd_object *station,
				       const struct rtnl_link_info *link)
{
	struct hidden_pick pick = { wifi, station, link, NULL };
	char text[WIFI_SSID_MAX + 1];

	retry_missed(wifi, station);
	if (station->scanning)
		return;	/* its hidden access points are about to change */
	provisioning_foreach_hidden(manager_provisioning(wifi->manager), pick_hidden, &pick);
	if (!pick.found)
		return;
	wifi->hidden_asked = l_strdup_printf("%s %s", station->path, pick.found->ident);
	l_queue_push_tail(wifi->hidden_tried, l_strdup(wifi->hidden_asked));
	memcpy(text, pick.found->ssid, pick.found->ssid_len);
	text[pick.found->ssid_len] = '\0';
	l_info("%s: connecting the provisioned hidden network %s", link->ifname, text);
	wifi->hidden_call = iwd_connect_hidden(wifi->iwd, station->path, text,
					       provisioned_hidden_done, wifi);
}

static void connect_provisioned(struct wifi *wifi)
{
	if (!wifi->tech || !powered_wanted(wifi))
		return;
	for (const struct l_queue_entry *e = l_queue_get_entries(iwd_objects(wifi->iwd)); e;
	     e = e->next) {
		const struct iwd_object *st = e->data;
		const struct rtnl_link_info *link = managed_link(wifi, st);
		struct wifi_net *net;

		if (!(st->interfaces & IWD_STATION) || !link || !l_streq0(st->state, "disconnected") ||
		    station_busy(wifi, st->path))
			continue;
		net = provisioned_candidate(wifi, st->path);
		if (!net) {
			connect_provisioned_hidden(wifi, st, link);
			continue;
		}
		net->provision_tried = true;
		l_info("%s: provisioned, not known to iwd yet: connecting it", net->id);
		service_connect(net->svc, NULL, NULL);
	}
}

/* One pass per main-loop turn: the technology, then a service per network
 * of iwd (gone ones removed), each following its network's state; then a
 * provisioned network iwd does not know is connected, if one is waiting. */
static void sync_now(struct wifi *wifi)
{
	const struct l_queue_entry *e;
	struct wifi_net *net;
	bool any = false;

	l_debug("sync: iwd %s", iwd_present(wifi->iwd) ? "present" : "absent");
	/* First, while the technology is still there for what it reports. */
	if (wifi->ap)
		wifi_ap_sync(wifi->ap);
	if (iwd_present(wifi->iwd) && !wifi->network_config) {
		sync_devices(wifi, &any);
		if (any && !wifi->tech) {
			wifi->tech = manager_add_technology(wifi->manager, &wifi_driver, wifi);
			sync_devices(wifi, &any);
		}
	}
	if (any)
		sync_networks(wifi);
	for (e = l_queue_get_entries(wifi->nets); e;) {
		net = e->data;
		e = e->next;
		if (!any || !net->seen)
			net_free(net);
	}
	for (e = l_queue_get_entries(wifi->nets); e; e = e->next)
		follow_state(wifi, e->data);
	if (!any && wifi->tech) {
		manager_remove_technology(wifi->manager, wifi->tech);
		wifi->tech = NULL;
		l_queue_clear(wifi->devices, l_free);
	}
	connect_provisioned(wifi);
}

static void sync_idle(struct l_idle *idle, void *data)
{
	struct wifi *wifi = data;

	l_idle_remove(wifi->idle);
	wifi->idle = NULL;
	sync_now(wifi);
}

static void schedule_sync(struct wifi *wifi)
{
	if (!wifi->idle)
		wifi->idle = l_idle_create(sync_idle, wifi, NULL);
}

/* The named service for the network iwd's station is on now. */
static struct wifi_net *station_network(const struct wifi *wifi, const char *station)
{
	const struct iwd_object *st = iwd_find(wifi->iwd, station);

	if (!st || !st->connected_network)
		return NULL;
	return l_queue_find(wifi->nets, net_has_network, st->connected_network);
}

/* A visible network of this name and security: no need to ask iwd to look. */
static struct wifi_net *named_like(const struct wifi *wifi, const struct wifi_net *hidden)
{
	enum wifi_security security;
	uint8_t ssid[WIFI_SSID_MAX];
	size_t len;

	for (const struct l_queue_entry *e = l_queue_get_entries(wifi->nets); e; e = e->next) {
		struct wifi_net *net = e->data;

		if (!net->hidden && net->network && l_streq0(net->device, hidden->device) &&
		    wifi_parse_network_path(net->network, ssid, &len, &security) == 0 &&
		    security == hidden->security && len == hidden->ssid_len &&
		    !memcmp(ssid, hidden->ssid, len))
			return net;
	}
	return NULL;
}

/* ConnectHiddenNetwork ended: connected, the network has its own service,
 * which the sync pass has made follow the station; it answers Connect. */
static bool same_net(const void *a, const void *b)
{
	return a == b;
}

static void hidden_connected(int error, const char *name, void *data)
{
	struct wifi_net *net = data;
	struct wifi *wifi = net->wifi;
	struct wifi_net *named;

	net->connect_call = 0;
	wipe_secret(net);
	if (error) {
		l_info("%s: iwd did not connect the hidden network: %s", net->id,
		       name ? name : strerror(-error));
		service_link_failed_as(net->svc, connect_error(net, name),
				       error == -ENOENT ? -ENXIO : -EIO);
		return;
	}
	sync_now(wifi);
	if (!l_queue_find(wifi->nets, same_net, net))
		return;	/* gone with its device: its Connect was answered */
	named = station_network(wifi, net->device);
	if (named)
		service_link_handed_over(net->svc, named->svc);
	else
		service_link_failed(net->svc, "connect-failed");	/* iwd left it at once */
}

/* The user's agent answered with the network's name (or SSID bytes) and
 * passphrase: checked before iwd hears of it. */
static void hidden_input_given(int result, const char *const *values, void *data)
{
	struct wifi_net *net = data;
	struct wifi *wifi = net->wifi;
	struct wifi_net *named;
	char text[WIFI_SSID_MAX + 1];

	net->agent_id = 0;
	if (result < 0) {
		l_info("%s: the agent gave no name: %s", net->id, strerror(-result));
		service_link_abandoned(net->svc, result == -ECANCELED ? -ECONNABORTED :
					result == -ETIMEDOUT ? -ETIMEDOUT : -EINVAL);
		return;
	}
	/* iwd takes the name as a D-Bus string: text, no NUL. */
	if (wifi_hidden_ssid(values[0], values[1], net->ssid, &net->ssid_len) < 0 ||
	    !l_utf8_validate((const char *)net->ssid, net->ssid_len, NULL) ||
	    memchr(net->ssid, 0, net->ssid_len)) {
		l_info("%s: the agent's name is empty, past 32 bytes or not text", net->id);
		service_link_abandoned(net->svc, -EINVAL);
		return;
	}
	named = named_like(wifi, net);
	if (named) {
		/* Visible after all (or known to iwd): an ordinary connect. */
		if (service_connect(named->svc, NULL, NULL) == 0 ||
		    service_state_is_connecting(service_get_state(named->svc)))
			service_link_handed_over(net->svc, named->svc);
		else
			service_link_abandoned(net->svc, -EISCONN);
		return;
	}
	memcpy(text, net->ssid, net->ssid_len);
	text[net->ssid_len] = '\0';
	net->secret = net->security == WIFI_SECURITY_NONE ? NULL : l_strdup(values[2]);
	net->connect_call = iwd_connect_hidden(wifi->iwd, net->device, text, hidden_connected, net);
	if (!net->connect_call) {
		wipe_secret(net);
		service_link_failed(net->svc, "connect-failed");
	}
}

/* Connect of a hidden service: the name first, from the user (with the
 * passphrase, in one request, as ConnMan asks). */
static int hidden_connect(struct wifi_net *net)
{
	const struct agents_field fields[] = {
		{ "Name", "string", "SSID", false },
		{ "SSID", "ssid", NULL, true },
		{ "Passphrase", "psk", NULL, false },
	};
	unsigned int n = net->security == WIFI_SECURITY_NONE ? 2 : 3;
	int id;

	id = agents_request_input(manager_agents(net->wifi->manager), net->svc, fields, n,
				  hidden_input_given, net);
	if (id < 0) {
		l_info("%s: no agent to ask the hidden network's name", net->id);
		return id;
	}
	net->agent_id = id;
	return 0;
}

static void iwd_changed(void *data)
{
	sync_now(data);
}

static void iwd_appeared(bool network_config, void *data)
{
	struct wifi *wifi = data;

	wifi->network_config = network_config;
	if (network_config)
		l_warn("iwd configures IP itself (EnableNetworkConfiguration=true): connd leaves "
		       "Wi-Fi alone; set it to false in iwd's main.conf for connd to manage Wi-Fi");
	schedule_sync(wifi);
}

/* Its objects are gone with it; so are its pending requests. */
static void iwd_vanished(void *data)
{
	struct wifi *wifi = data;

	iwd_agent_drop_all(wifi->agent);
	wifi->network_config = false;
	schedule_sync(wifi);
}

static const struct iwd_ops iwd_ops = {
	.changed = iwd_changed,
	.appeared = iwd_appeared,
	.vanished = iwd_vanished,
};

static bool net_on_link(const struct wifi_net *net, int ifindex)
{
	return service_ifindex(net->svc) == ifindex;
}

static void link_changed(void *data, const struct rtnl_link_info *link)
{
	struct wifi *wifi = data;
	struct rtnl_link_info *copy = l_queue_remove_if(wifi->links, link_indexed,
							L_INT_TO_PTR(link->ifindex));

	struct rtnl_link_info was;

	if (!copy)
		copy = l_new(struct rtnl_link_info, 1);
	was = *copy;
	*copy = *link;
	/* cfg80211's wireless events are RTM_NEWLINK messages with little more
	 * than the name: what they lack is kept from the full ones. */
	if (!link->has_mac && was.has_mac) {
		memcpy(copy->mac, was.mac, sizeof(copy->mac));
		copy->has_mac = true;
	}
	if (!link->mtu)
		copy->mtu = was.mtu;
	l_queue_push_tail(wifi->links, copy);
	for (const struct l_queue_entry *e = l_queue_get_entries(wifi->nets); e; e = e->next)
		if (net_on_link(e->data, link->ifindex))
			service_update_link(((struct wifi_net *)e->data)->svc, copy);
	schedule_sync(wifi);
}

static void link_removed(void *data, const struct rtnl_link_info *link)
{
	struct wifi *wifi = data;

	l_free(l_queue_remove_if(wifi->links, link_indexed, L_INT_TO_PTR(link->ifindex)));
	schedule_sync(wifi);
}

static void *wifi_new(struct manager *manager)
{
	struct wifi *wifi = l_new(struct wifi, 1);
	struct l_dbus *dbus = manager_dbus(manager);

	wifi->manager = manager;
	wifi->links = l_queue_new();
	wifi->nets = l_queue_new();
	wifi->devices = l_queue_new();
	wifi->scans = l_queue_new();
	wifi->hidden_tried = l_queue_new();
	wifi->hidden_missed = l_queue_new();
	if (!dbus)
		return wifi;	/* no bus, no iwd */
	wifi->agent = iwd_agent_new(dbus, &agent_ops, wifi);
	wifi->iwd = iwd_new(dbus, IWD_AGENT_PATH, &iwd_ops, wifi);
	return wifi;
}

static void wifi_free(void *data)
{
	struct wifi *wifi = data;
	struct wifi_net *net;
	struct wifi_scan *scan;

	if (!wifi)
		return;
	while ((scan = l_queue_peek_head(wifi->scans))) {
		for (unsigned int i = 0; i < scan->left; i++)
			iwd_cancel(wifi->iwd, scan->calls[i]);
		scan_free(scan);
	}
	while ((net = l_queue_peek_head(wifi->nets)))
		net_release(net);
	wifi_ap_stop(wifi->ap);	/* none once connd's stop ended tethering */
	l_idle_remove(wifi->idle);
	iwd_cancel(wifi->iwd, wifi->hidden_call);
	iwd_free(wifi->iwd);
	iwd_agent_free(wifi->agent);
	l_queue_destroy(wifi->links, l_free);
	l_queue_destroy(wifi->nets, NULL);
	l_queue_destroy(wifi->devices, l_free);
	l_queue_destroy(wifi->scans, NULL);
	l_queue_destroy(wifi->hidden_tried, l_free);
	l_queue_destroy(wifi->hidden_missed, l_free);
	l_free(wifi->hidden_asked);
	l_free(wifi);
}

/* Changed files: what they name now is tried anew (a passphrase put
 * right, a network added). */
static void provisioning_changed(void *data)
{
	struct wifi *wifi = data;

	for (const struct l_queue_entry *e = l_queue_get_entries(wifi->nets); e; e = e->next)
		((struct wifi_net *)e->data)->provision_tried = false;
	l_queue_clear(wifi->hidden_tried, l_free);
	l_queue_clear(wifi->hidden_missed, l_free);
	schedule_sync(wifi);
}

const struct bearer_module wifi_bearer = {
	.name = "wifi",
	.init = wifi_new,
	.exit = wifi_free,
	.link_changed = link_changed,
	.link_removed = link_removed,
	.provisioning_changed = provisioning_changed,
};
