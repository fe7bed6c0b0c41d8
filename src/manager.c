#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <arpa/inet.h>
#include <ell/ell.h>

#include "clock.h"
#include "config.h"
#include "firewall.h"
#include "ipv4-config.h"
#include "agents.h"
#include "manager.h"
#include "manager-private.h"
#include "manager-sessions.h"
#include "marks.h"
#include "options.h"
#include "nd-options.h"
#include "routing.h"
#include "rtnl.h"
#include "service-settings.h"
#include "storage.h"
#include "technology.h"
#include "tethering.h"



static bool matches_any(char *const *patterns, const char *ifname)
{
	for (; patterns && *patterns; patterns++)
		if (fnmatch(*patterns, ifname, 0) == 0)
			return true;
	return false;
}

static bool blacklisted(const struct manager *m, const char *ifname)
{
	for (char *const *p = m->config->network_interface_blacklist; p && *p; p++)
		if (**p && !strncmp(ifname, *p, strlen(*p)))
			return true;
	return false;
}

/* Position of the first -i pattern that matches: an earlier pattern is preferred. */
static unsigned int device_rank(const struct manager *m, const char *ifname)
{
	unsigned int i = 0;

	for (char *const *p = m->opts->devices; p && *p; p++, i++)
		if (fnmatch(*p, ifname, 0) == 0)
			return i;
	return i;
}

static bool is_managed(const struct manager *m, const struct rtnl_link_info *link)
{
	if (link->type != ARPHRD_ETHER || !link->has_mac || !strcmp(link->ifname, "lo"))
		return false;
	if (matches_any(m->opts->nodevices, link->ifname))
		return false;
	if (m->opts->devices)
		return matches_any(m->opts->devices, link->ifname);
	if (!strcmp(link->kind, "bridge") || !strcmp(link->kind, "tun"))
		return false;
	return !blacklisted(m, link->ifname);
}

static bool service_has_ifindex(const void *a, const void *b)
{
	return service_ifindex(a) == L_PTR_TO_INT(b);
}

static bool service_has_path(const void *a, const void *b)
{
	return !strcmp(service_path(a), b);
}

static int state_rank(enum service_state state)
{
	switch (state) {
	case SERVICE_STATE_ONLINE: return 0;
	case SERVICE_STATE_READY: return 1;
	case SERVICE_STATE_CONFIGURATION:
	case SERVICE_STATE_ASSOCIATION: return 2;
	case SERVICE_STATE_DISCONNECT:
	case SERVICE_STATE_FAILURE:
	case SERVICE_STATE_IDLE: return 3;
	}
	return 3;
}

/* ConnMan's order: connected before the rest, then the configured preference. */
static int compare_services(const void *a, const void *b, void *user_data)
{
	int ra = state_rank(service_get_state(a)), rb = state_rank(service_get_state(b));

	if (ra != rb)
		return ra - rb;
	if (service_order(a) != service_order(b))
		return service_order(a) < service_order(b) ? -1 : 1;
	return strcmp(service_id(a), service_id(b));
}

static const char *aggregate_state(const struct manager *m)
{
	const struct l_queue_entry *e;
	bool ready = false;

	if (m->offline_mode)
		return "offline";
	for (e = l_queue_get_entries(m->services); e; e = e->next) {
		enum service_state s = service_get_state(e->data);

		if (s == SERVICE_STATE_ONLINE)
			return "online";
		ready |= s == SERVICE_STATE_READY;
	}
	return ready ? "ready" : "idle";
}

static void flush_services_changed(struct l_idle *idle, void *user_data)
{
	struct manager *m = user_data;

	l_idle_remove(m->services_changed);
	m->services_changed = NULL;
	manager_dbus_emit_services_changed(m, m->added, m->removed_paths);
	l_queue_clear(m->added, NULL);
	l_queue_clear(m->removed_paths, l_free);
}

/* Coalesced, as ConnMan does: one ServicesChanged per burst of changes. */
static void schedule_services_changed(struct manager *m)
{
	if (m->services_changed || !m->dbus)
		return;
	m->services_changed = l_idle_create(flush_services_changed, m, NULL);
}

static void update_slot_table6(struct manager *m, struct service *svc)
{
	const struct ipv6_status *v6 = service_ipv6(svc);
	struct slot_route6 route = {
		.ifindex = service_ifindex(svc),
		.address = v6->address,
		.prefix_len = v6->prefix_len,
		.gateway = v6->gateway,
	};
	bool up = service_state_is_connected(service_get_state(svc)) &&
		  !IN6_IS_ADDR_UNSPECIFIED(&v6->address);

	routing_slot_set6(m->routing, service_slot(svc), up ? &route : NULL);
}

/* Each service's own tables, for the sessions bound to it. */
static void update_slot_tables(struct manager *m)
{
	const struct l_queue_entry *e;

	for (e = l_queue_get_entries(m->services); e; e = e->next) {
		const struct ipv4_settings *ip = service_ipv4(e->data);
		struct default_route route = {
			.ifindex = service_ifindex(e->data),
			.gateway = ip->gateway,
			.source = ip->address,
		};
		bool up = service_state_is_connected(service_get_state(e->data)) && ip->address;

		if (service_slot(e->data)) {
			routing_slot_set(m->routing, service_slot(e->data), up ? &route : NULL,
					 ip->prefix_len);
			update_slot_table6(m, e->data);
		}
	}
}

static void update_routes(struct manager *m)
{
	const struct l_queue_entry *e;
	struct default_route routes[16];
	unsigned int n = 0;

	for (e = l_queue_get_entries(m->services); e && n < L_ARRAY_SIZE(routes); e = e->next) {
		const struct ipv4_settings *ip = service_ipv4(e->data);

		if (!service_state_is_connected(service_get_state(e->data)) || !ip->gateway)
			continue;
		routes[n++] = (struct default_route) {
			.ifindex = service_ifindex(e->data),
			.gateway = ip->gateway,
			.source = ip->address,
		};
	}
	routing_set_defaults(m->routing, routes, n);
	update_slot_tables(m);
}

static void update_technology_connected(struct manager *m)
{
	const struct l_queue_entry *e;
	bool connected = false;

	if (!m->ethernet)
		return;
	for (e = l_queue_get_entries(m->services); e; e = e->next)
		connected |= service_state_is_connected(service_get_state(e->data));
	if (connected == m->ethernet->connected)
		return;
	m->ethernet->connected = connected;
	technology_dbus_emit(m->dbus, m->ethernet, "Connected");
}

static bool same_order(const struct l_queue *a, const struct l_queue *b)
{
	const struct l_queue_entry *ea = l_queue_get_entries(a), *eb = l_queue_get_entries(b);

	for (; ea && eb; ea = ea->next, eb = eb->next)
		if (ea->data != eb->data)
			return false;
	return !ea && !eb;
}

/* Re-ranks after a state or address change and applies what follows from it. */
static void reevaluate(struct manager *m)
{
	struct l_queue *sorted = l_queue_new();
	const struct l_queue_entry *e;
	const char *state;

	for (e = l_queue_get_entries(m->services); e; e = e->next)
		l_queue_insert(sorted, e->data, compare_services, NULL);
	if (!same_order(sorted, m->services))
		schedule_services_changed(m);
	l_queue_destroy(m->services, NULL);
	m->services = sorted;

	update_routes(m);
	update_technology_connected(m);
	manager_sessions_update(m->sessions);
	manager_update_tethering(m);
	manager_update_dns(m);
	manager_update_clock(m);
	state = aggregate_state(m);
	if (state != m->state) {
		m->state = state;
		l_info("state %s", state);
		manager_dbus_emit_state(m);
	}
}

static char *service_settings_name(const struct service *svc)
{
	return l_strdup_printf("%s/settings", service_id(svc));
}

struct saved_file {
	const char *dir;
	const char *name;
};

static void warn_saved_value(const char *key, const char *why, void *data)
{
	const struct saved_file *file = data;

	l_warn("%s/%s: %s: %s; ignored", file->dir, file->name, key, why);
}

static void load_service(struct manager *m, struct service *svc)
{
	char *name = service_settings_name(svc);
	struct l_settings *settings = storage_load(m->opts->state_dir, name);
	struct saved_file file = { m->opts->state_dir, name };
	struct service_saved saved;

	service_settings_parse(settings, service_id(svc), &saved, warn_saved_value, &file);
	service_restore(svc, &saved);
	service_saved_clear(&saved);
	l_settings_free(settings);
	l_free(name);
}

static void save_service(struct manager *m, struct service *svc)
{
	char *name = service_settings_name(svc);
	struct service_saved saved;
	struct l_settings *settings;

	service_snapshot(svc, &saved);
	settings = service_settings_build(service_id(svc), &saved);
	storage_save(m->opts->state_dir, name, settings);
	l_settings_free(settings);
	service_saved_clear(&saved);
	l_free(name);
}

/* What a user configured, and the last DHCP address (for INIT-REBOOT). */
static bool prop_is_saved(enum service_prop prop)
{
	switch (prop) {
	case SERVICE_PROP_AUTOCONNECT:
	case SERVICE_PROP_IPV4_CONFIG:
	case SERVICE_PROP_IPV6_CONFIG:
	case SERVICE_PROP_NAMESERVERS_CONFIG:
	case SERVICE_PROP_TIMESERVERS_CONFIG:
	case SERVICE_PROP_DOMAINS_CONFIG:
	case SERVICE_PROP_IPV4:
		return true;
	case SERVICE_PROP_STATE:
	case SERVICE_PROP_ERROR:
	case SERVICE_PROP_ETHERNET:
	case SERVICE_PROP_IPV6:
	case SERVICE_PROP_NAMESERVERS:
	case SERVICE_PROP_TIMESERVERS:
	case SERVICE_PROP_DOMAINS:
		return false;
	}
	return false;
}

static void service_notified(struct service *svc, enum service_prop prop, void *user_data)
{
	struct manager *m = user_data;

	service_dbus_emit(m->dbus, svc, prop);
	if (prop == SERVICE_PROP_ERROR && service_error(svc))
		agents_report_error(m->agents, svc, service_error(svc));
	/* A provisioned configuration is the file's, not the user's: not saved. */
	if (prop_is_saved(prop) && !service_immutable(svc) &&
	    (prop != SERVICE_PROP_IPV4 || service_ipv4(svc)->address))
		save_service(m, svc);
	if (prop == SERVICE_PROP_STATE) {
		l_info("%s: %s", service_id(svc), service_state_name(service_get_state(svc)));
		reevaluate(m);
	} else if (prop == SERVICE_PROP_IPV4) {
		update_routes(m);
	} else if (prop == SERVICE_PROP_IPV6) {
		update_slot_tables(m);
	} else if (prop == SERVICE_PROP_NAMESERVERS || prop == SERVICE_PROP_DOMAINS) {
		manager_update_tethering(m);
		manager_update_dns(m);
	} else if (prop == SERVICE_PROP_TIMESERVERS) {
		manager_update_clock(m);
	}
}

static void ensure_technology(struct manager *m)
{
	if (m->ethernet)
		return;
	m->ethernet = technology_new(m, "ethernet", "Wired");
	m->ethernet->powered = m->ethernet_powered;
	technology_dbus_add(m->dbus, m->ethernet);
	manager_dbus_emit_technology_added(m, m->ethernet);
}

static void drop_technology_if_unused(struct manager *m)
{
	char *path;

	if (!m->ethernet || !l_queue_isempty(m->services))
		return;
	path = l_strdup(m->ethernet->path);
	technology_dbus_remove(m->dbus, m->ethernet);
	technology_free(m->ethernet);
	m->ethernet = NULL;
	manager_dbus_emit_technology_removed(m, path);
	l_free(path);
}

static bool links_should_be_up(const struct manager *m)
{
	return m->ethernet_powered && !m->offline_mode;
}

static void assign_slot(struct manager *m, struct service *svc)
{
	unsigned int slot = l_uintset_find_unused_min(m->slots);
	int err;

	if (slot > MARK_SLOT_MAX) {
		l_warn("%s: no routing slot left; sessions cannot use it", service_id(svc));
		return;
	}
	err = routing_slot_add(m->routing, slot);
	if (err < 0) {
		l_warn("%s: cannot set up its routing table: %s", service_id(svc), strerror(-err));
		return;
	}
	l_uintset_put(m->slots, slot);
	service_set_slot(svc, slot);
}

static void release_slot(struct manager *m, struct service *svc)
{
	if (!service_slot(svc))
		return;
	routing_slot_remove(m->routing, service_slot(svc));
	l_uintset_take(m->slots, service_slot(svc));
	service_set_slot(svc, 0);
}

static void add_service(struct manager *m, const struct rtnl_link_info *link)
{
	struct service *svc = service_new(&m->env, link, device_rank(m, link->ifname));

	load_service(m, svc);
	manager_provision_service(m, svc);
	assign_slot(m, svc);
	l_info("%s: managing as %s", link->ifname, service_id(svc));
	ensure_technology(m);
	l_queue_insert(m->services, svc, compare_services, NULL);
	service_dbus_add(m->dbus, svc, m);
	l_queue_push_tail(m->added, svc);
	schedule_services_changed(m);
	if (links_should_be_up(m) != !!(link->flags & IFF_UP))
		rtnl_link_set_up(m->rtnl, link->ifindex, links_should_be_up(m));
	service_update_link(svc, link);
}

/* SLAAC is the kernel's: ask it what the link has now. */
static void ipv6_changed(int ifindex, void *user_data)
{
	struct manager *m = user_data;
	struct service *svc = l_queue_find(m->services, service_has_ifindex,
					   L_INT_TO_PTR(ifindex));
	struct ipv6_status status;

	if (!svc)
		return;
	if (rtnl_ipv6_status(m->rtnl, ifindex, service_ipv6_config(svc)->privacy ==
			     IPV6_PRIVACY_PREFERRED, &status) == 0)
		service_update_ipv6(svc, &status);
}

static void link_changed(const struct rtnl_link_info *link, void *user_data)
{
	struct manager *m = user_data;
	struct service *svc = l_queue_find(m->services, service_has_ifindex,
					   L_INT_TO_PTR(link->ifindex));

	if (svc) {
		service_update_link(svc, link);
		/* Also after lost events, which are replayed as link dumps. */
		ipv6_changed(link->ifindex, m);
		return;
	}
	if (is_managed(m, link))
		add_service(m, link);
}

static void remove_service(struct manager *m, struct service *svc)
{
	l_info("%s: gone", service_id(svc));
	l_queue_remove(m->services, svc);
	if (!l_queue_remove(m->added, svc))
		l_queue_push_tail(m->removed_paths, l_strdup(service_path(svc)));
	service_dbus_remove(m->dbus, svc);
	release_slot(m, svc);
	service_free(svc);
	reevaluate(m);
	schedule_services_changed(m);
	drop_technology_if_unused(m);
}

static void link_removed(const struct rtnl_link_info *link, void *user_data)
{
	struct manager *m = user_data;
	struct service *svc = l_queue_find(m->services, service_has_ifindex,
					   L_INT_TO_PTR(link->ifindex));

	if (svc)
		remove_service(m, svc);
}

/* At start, addresses carrying our protocol are leftovers of a previous run;
 * later, a new address may take tethering's subnet. */
static void addr_changed(bool added, const struct rtnl_addr_info *addr, void *user_data)
{
	struct manager *m = user_data;

	if (m->started) {
		if (added)
			manager_tethering_address_added(m);
		return;
	}
	if (!added || addr->proto != RTNL_PROTO_CONND)
		return;
	l_info("removing stale address from ifindex %d", addr->ifindex);
	rtnl_addr4_del(m->rtnl, addr->ifindex, addr->address, addr->prefix_len);
}

static void nd_options(int ifindex, const uint8_t *opts, size_t len, void *user_data)
{
	struct manager *m = user_data;
	struct service *svc = l_queue_find(m->services, service_has_ifindex,
					   L_INT_TO_PTR(ifindex));
	struct nd_dns_info info;

	if (!svc)
		return;
	memset(&info, 0, sizeof(info));
	/* What came before a malformed option is still good, as the kernel
	 * itself takes the options it understands. */
	if (nd_parse_dns_options(opts, len, &info) < 0)
		l_debug("%s: malformed option in a router advertisement", service_ifname(svc));
	if (info.n_servers || info.n_domains)
		service_update_ipv6_dns(svc, &info);
}

static const struct rtnl_handlers rtnl_handlers = {
	.link_changed = link_changed,
	.link_removed = link_removed,
	.addr_changed = addr_changed,
	.ipv6_changed = ipv6_changed,
	.nd_options = nd_options,
};

struct manager *manager_new(struct l_dbus *dbus, const struct connd_config *config,
			    const struct connd_options *opts)
{
	struct manager *m = l_new(struct manager, 1);

	m->dbus = dbus;
	m->config = config;
	m->opts = opts;
	m->services = l_queue_new();
	m->added = l_queue_new();
	m->removed_paths = l_queue_new();
	m->ethernet_powered = true;
	m->state = "idle";
	m->slots = l_uintset_new_from_range(1, MARK_SLOT_MAX);
	return m;
}

#define GLOBAL_SETTINGS "settings"

/* connd's [Wired] TetheringSubnet: "192.168.5.0/24". */
static void load_tether_subnet(struct manager *m, const struct l_settings *s)
{
	char *text = l_settings_get_string(s, "Wired", "TetheringSubnet");
	char *slash = text ? strchr(text, '/') : NULL;
	struct in_addr a;

	if (!text)
		return;
	if (slash && !strcmp(slash, "/24") && (*slash = '\0', inet_pton(AF_INET, text, &a) == 1) &&
	    (ntohl(a.s_addr) & 0xff) == 0)
		m->tether_subnet = (struct ipv4_net) { a.s_addr, 24 };
	else
		l_warn("%s/" GLOBAL_SETTINGS ": Wired.TetheringSubnet is not a /24; ignored",
		       m->opts->state_dir);
	l_free(text);
}

/* ConnMan's global settings file: [global] OfflineMode, [Wired] Enable and
 * Tethering, plus connd's [Wired] TetheredServices (which links to bridge
 * again when tethering comes back after a restart) and IPv4ForwardingBefore
 * (what to set the forwarding switch back to, even after a crash). */
static void load_global_settings(struct manager *m)
{
	struct l_settings *s = storage_load(m->opts->state_dir, GLOBAL_SETTINGS);
	bool value;

	if (!s)
		return;
	if (l_settings_get_bool(s, "global", "OfflineMode", &value))
		m->offline_mode = value;
	else if (l_settings_has_key(s, "global", "OfflineMode"))
		l_warn("%s/" GLOBAL_SETTINGS ": OfflineMode is not a boolean; ignored",
		       m->opts->state_dir);
	if (l_settings_get_bool(s, "Wired", "Enable", &value))
		m->ethernet_powered = value;
	else if (l_settings_has_key(s, "Wired", "Enable"))
		l_warn("%s/" GLOBAL_SETTINGS ": Wired.Enable is not a boolean; ignored",
		       m->opts->state_dir);
	if (l_settings_get_bool(s, "Wired", "Tethering", &value))
		m->tethering_saved = value;
	else if (l_settings_has_key(s, "Wired", "Tethering"))
		l_warn("%s/" GLOBAL_SETTINGS ": Wired.Tethering is not a boolean; ignored",
		       m->opts->state_dir);
	m->tethered_saved = l_settings_get_string_list(s, "Wired", "TetheredServices", ';');
	if (l_settings_get_bool(s, "Wired", "IPv4ForwardingBefore", &value))
		m->forwarding_before = value ? '1' : '0';
	load_tether_subnet(m, s);
	clock_load(m->clock, s);
	l_settings_free(s);
}

static char **tethered_ids(const struct manager *m)
{
	char **ids = l_new(char *, 1);

	for (const struct l_queue_entry *e = l_queue_get_entries(m->services); e; e = e->next)
		if (service_tethered(e->data))
			ids = l_strv_append(ids, service_id(e->data));
	return ids;
}

void manager_save_global_settings(struct manager *m)
{
	struct l_settings *s = l_settings_new();
	char **ids = m->tethering ? tethered_ids(m) : NULL;

	l_settings_set_bool(s, "global", "OfflineMode", m->offline_mode);
	l_settings_set_bool(s, "Wired", "Enable", m->ethernet_powered);
	l_settings_set_bool(s, "Wired", "Tethering", m->tethering != NULL);
	if (ids && ids[0])
		l_settings_set_string_list(s, "Wired", "TetheredServices", ids, ';');
	l_strv_free(ids);
	if (m->tether_subnet.prefix_len) {
		char net[INET_ADDRSTRLEN], text[24];

		snprintf(text, sizeof(text), "%s/24", ipv4_ntop(m->tether_subnet.address, net));
		l_settings_set_string(s, "Wired", "TetheringSubnet", text);
	}
	if (m->forwarding_before)
		l_settings_set_bool(s, "Wired", "IPv4ForwardingBefore", m->forwarding_before == '1');
	if (m->clock)
		clock_save(m->clock, s);
	storage_save(m->opts->state_dir, GLOBAL_SETTINGS, s);
	l_settings_free(s);
}

static void service_behind_portal(struct service *svc, const char *url, void *data)
{
	struct manager *m = data;

	l_info("%s: online check answered by someone else: captive portal?", service_id(svc));
	agents_request_browser(m->agents, svc, url);
}

static const struct l_queue *services_of(void *data)
{
	return ((struct manager *)data)->services;
}

static int read_usage(struct service *svc, struct link_counters *usage, void *data)
{
	return rtnl_link_stats(((struct manager *)data)->rtnl, service_ifindex(svc), usage);
}

static void init_service_env(struct manager *m)
{
	const struct connd_config *c = m->config;

	m->env = (struct service_env) {
		.rtnl = m->rtnl,
		.online_url = c->enable_online_check ? c->online_check_ipv4_url : NULL,
		.online_url6 = c->enable_online_check ? c->online_check_ipv6_url : NULL,
		.online_timeout_ms = c->online_check_timeout,
		.online_initial_interval = c->online_check_initial_interval,
		.online_max_interval = c->online_check_max_interval,
		.notify = service_notified,
		.portal = service_behind_portal,
		.notify_data = m,
	};
}

/* A bridge of ours left by a crash would block tethering: it goes. */
static void remove_stale_bridge(struct manager *m)
{
	int ifindex = if_nametoindex(TETHER_BRIDGE);

	if (ifindex > 0 && rtnl_link_del(m->rtnl, ifindex) == 0)
		l_info("removed the %s bridge a previous run left", TETHER_BRIDGE);
}

static const struct l_queue *ranked_services(void *data)
{
	return ((struct manager *)data)->services;
}

/* The firewall is the manager's: sessions and tethering share it. */
static void start_sessions(struct manager *m)
{
	m->firewall = firewall_new();
	if (!m->firewall)
		l_error("nftables unavailable (%s): sessions cannot steer traffic", strerror(errno));
	m->sessions = manager_sessions_new(&(struct manager_sessions_deps) {
		.dbus = m->dbus, .routing = m->routing, .firewall = m->firewall,
		.policy_dir = m->opts->policy_dir, .services = ranked_services, .data = m,
	});
}

int manager_start(struct manager *m)
{
	int err;

	m->rtnl = rtnl_new(&rtnl_handlers, m);
	if (!m->rtnl)
		return -errno ? -errno : -ENOMEM;
	m->routing = routing_new(m->rtnl);
	init_service_env(m);
	m->agents = agents_new(m->dbus);
	agents_set_usage_source(m->agents, services_of, read_usage, m);
	manager_start_clock(m);
	load_global_settings(m);
	start_sessions(m);
	manager_start_dns(m);
	m->state = aggregate_state(m);
	err = routing_flush_stale(m->routing);
	if (err > 0)
		l_info("removed %d stale routes and rules", err);
	rtnl_dump_addrs(m->rtnl);
	remove_stale_bridge(m);
	m->started = true;
	manager_dbus_register(m);
	manager_register_clock(m);
	manager_start_provisioning(m);
	err = rtnl_dump_links(m->rtnl);
	if (err == 0)
		manager_restore_tethering(m);
	return err;
}

void manager_free(struct manager *m)
{
	struct service *svc;

	if (!m)
		return;
	manager_stop_tethering(m);
	manager_stop_provisioning(m);
	manager_stop_clock(m);
	manager_stop_dns(m);
	manager_sessions_free(m->sessions);
	m->sessions = NULL;
	firewall_free(m->firewall);
	m->firewall = NULL;
	agents_free(m->agents);
	/* Routes first: removing an address would take its routes with it. */
	if (m->routing)
		routing_set_defaults(m->routing, NULL, 0);
	while ((svc = l_queue_pop_head(m->services))) {
		service_shutdown(svc);
		release_slot(m, svc);
		service_dbus_remove(m->dbus, svc);
		service_free(svc);
	}
	routing_free(m->routing);
	if (m->ethernet) {
		technology_dbus_remove(m->dbus, m->ethernet);
		technology_free(m->ethernet);
	}
	rtnl_free(m->rtnl);
	l_queue_destroy(m->services, NULL);
	/* Last: tearing services down may have asked for a ServicesChanged. */
	l_idle_remove(m->services_changed);
	l_uintset_free(m->slots);
	l_queue_destroy(m->added, NULL);
	l_queue_destroy(m->removed_paths, l_free);
	l_strv_free(m->tethered_saved);
	l_free(m);
}

struct service **manager_services_snapshot(const struct manager *m, unsigned int *n)
{
	struct service **out = l_new(struct service *, l_queue_length(m->services) + 1);
	const struct l_queue_entry *e;

	*n = 0;
	for (e = l_queue_get_entries(m->services); e; e = e->next)
		out[(*n)++] = e->data;
	return out;
}

struct l_dbus *manager_dbus(const struct manager *m) { return m->dbus; }
struct agents *manager_agents(const struct manager *m) { return m->agents; }
struct manager_sessions *manager_sessions(const struct manager *m) { return m->sessions; }
const char *manager_state_name(const struct manager *m) { return m->state; }
bool manager_offline_mode(const struct manager *m) { return m->offline_mode; }
const struct l_queue *manager_services(const struct manager *m) { return m->services; }
struct technology *manager_ethernet(const struct manager *m) { return m->ethernet; }

struct service *manager_find_service(const struct manager *m, const char *path)
{
	return l_queue_find(m->services, service_has_path, path);
}

struct technology *manager_find_technology(const struct manager *m, const char *path)
{
	return m->ethernet && !strcmp(m->ethernet->path, path) ? m->ethernet : NULL;
}

/* Powering a technology down takes its links down, as ConnMan does; the
 * services then lose carrier and go idle through the usual path. */
static void apply_link_power(struct manager *m)
{
	const struct l_queue_entry *e;
	bool up = links_should_be_up(m);

	for (e = l_queue_get_entries(m->services); e; e = e->next)
		rtnl_link_set_up(m->rtnl, service_ifindex(e->data), up);
}

int manager_set_powered(struct manager *m, struct technology *tech, bool powered)
{
	if (tech->powered == powered)
		return -EALREADY;
	tech->powered = powered;
	m->ethernet_powered = powered;
	manager_save_global_settings(m);
	apply_link_power(m);
	technology_dbus_emit(m->dbus, tech, "Powered");
	return 0;
}

int manager_set_offline_mode(struct manager *m, bool offline)
{
	if (m->offline_mode == offline)
		return 0;
	m->offline_mode = offline;
	manager_save_global_settings(m);
	apply_link_power(m);
	manager_dbus_emit_offline_mode(m);
	reevaluate(m);
	return 0;
}
