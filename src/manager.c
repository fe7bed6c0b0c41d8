#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <linux/rtnetlink.h>
#include <ell/ell.h>

#include "config.h"
#include "dbus-caller.h"
#include "firewall.h"
#include "ethernet.h"
#include "wifi.h"
#include "vpn.h"
#include "ipv4-settings.h"
#include "agents.h"
#include "manager.h"
#include "manager-clock.h"
#include "manager-dns.h"
#include "manager-provision.h"
#include "manager-sessions.h"
#include "manager-tethering.h"
#include "manager-private.h"
#include "marks.h"
#include "options.h"
#include "nd-options.h"
#include "routing.h"
#include "rtnl.h"
#include "service-rank.h"
#include "session.h"
#include "service-settings.h"
#include "storage.h"
#include "technology.h"
#include "ticker.h"
#include "manager-dbus.h"
#include "technology-dbus.h"



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

bool manager_names_devices(const struct manager *m)
{
	return m->opts->devices != NULL;
}

/* -I first, then -i when given, else NetworkInterfaceBlacklist. */
bool manager_may_manage(const struct manager *m, const char *ifname)
{
	if (matches_any(m->opts->nodevices, ifname))
		return false;
	if (m->opts->devices)
		return matches_any(m->opts->devices, ifname);
	return !blacklisted(m, ifname);
}

/* Position of the first -i pattern that matches: an earlier pattern is preferred. */
unsigned int manager_device_rank(const struct manager *m, const char *ifname)
{
	unsigned int i = 0;

	for (char *const *p = m->opts->devices; p && *p; p++, i++)
		if (fnmatch(*p, ifname, 0) == 0)
			return i;
	return i;
}

/* The service a link's events are for: the one using the link now, as
 * several (Wi-Fi networks of one radio) may share it; else the first. */
static struct service *service_on_link(const struct manager *m, int ifindex)
{
	struct service *first = NULL;

	for (const struct l_queue_entry *e = l_queue_get_entries(m->services); e; e = e->next) {
		enum service_state state = service_get_state(e->data);

		if (service_ifindex(e->data) != ifindex)
			continue;
		if (service_state_is_connected(state) || service_state_is_connecting(state))
			return e->data;
		if (!first)
			first = e->data;
	}
	return first;
}

/* The bearers, each set up at start in this order; a new bearer is one
 * more line here and a driver of its own. */
static const struct bearer_module *const bearers[] = {
	&ethernet_bearer,
	&wifi_bearer,
	&vpn_bearer,
};

#define N_BEARERS L_ARRAY_SIZE(bearers)

/* A router advertisement's prefix ::/0 becomes, in the kernel, an on-link
 * default route that wins over every router's (metric 256 before 1024):
 * all traffic would be resolved on the link. No router means that. */
static void drop_prefix_default(struct manager *m, struct service *svc, int ifindex,
				uint32_t metric)
{
	struct rtnl_route6 route = {
		.ifindex = ifindex, .table = RT_TABLE_MAIN, .metric = metric,
		.protocol = RTPROT_KERNEL,
	};
	int err = rtnl_route6_del(m->rtnl, &route);

	if (err < 0 && err != -ESRCH)
		l_warn("%s: cannot remove the on-link default route of a prefix ::/0: %s",
		       service_ifname(svc), strerror(-err));
	else if (!err)
		l_info("%s: router advertisement with prefix ::/0: its on-link default route removed",
		       service_ifname(svc));
}

/* SLAAC is the kernel's: ask it what the link has now. */
static void ipv6_changed(int ifindex, void *user_data)
{
	struct manager *m = user_data;
	struct service *svc = service_on_link(m, ifindex);
	struct ipv6_status status;

	if (!svc)
		return;
	if (rtnl_ipv6_status(m->rtnl, ifindex, service_ipv6_config(svc)->privacy ==
			     IPV6_PRIVACY_PREFERRED, &status) < 0)
		return;
	if (status.prefix_default_metric)
		drop_prefix_default(m, svc, ifindex, status.prefix_default_metric);
	service_update_ipv6(svc, &status);
}

static void ipv6_dad_failed(int ifindex, const struct in6_addr *address, void *user_data)
{
	struct manager *m = user_data;
	struct service *svc = service_on_link(m, ifindex);

	if (svc)
		service_ipv6_dad_failed(svc, address);
}

static void link_changed(const struct rtnl_link_info *link, void *user_data)
{
	struct manager *m = user_data;

	for (unsigned int i = 0; m->bearers && i < N_BEARERS; i++)
		if (bearers[i]->link_changed)
			bearers[i]->link_changed(m->bearers[i], link);
	/* Also after lost events, which are replayed as link dumps. */
	ipv6_changed(link->ifindex, m);
}

static void link_removed(const struct rtnl_link_info *link, void *user_data)
{
	struct manager *m = user_data;

	for (unsigned int i = 0; m->bearers && i < N_BEARERS; i++)
		if (bearers[i]->link_removed)
			bearers[i]->link_removed(m->bearers[i], link);
}

/* At start, addresses carrying our protocol are leftovers of a previous run;
 * later, a new address may take tethering's subnet. */
static void addr_changed(bool added, const struct rtnl_addr_info *addr, void *user_data)
{
	struct manager *m = user_data;

	if (m->started) {
		if (added)
			tether_ctl_address_added(m->tether);
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
	struct service *svc = service_on_link(m, ifindex);
	struct nd_dns_info info;

	if (!svc)
		return;
	memset(&info, 0, sizeof(info));
	/* What came before a malformed option is still good, as the kernel
	 * itself takes the options it understands. */
	if (nd_parse_dns_options(opts, len, &info) < 0)
		l_info("%s: router advertisement option malformed (bad length or name): "
		       "it and those after it ignored", service_ifname(svc));
	if (info.truncated)
		l_info("%s: router advertisement names more than %d nameservers or domains: "
		       "the rest ignored", service_ifname(svc), ND_MAX_SERVERS);
	if (info.n_servers || info.n_domains)
		service_update_ipv6_dns(svc, &info);
	if (info.captive_portal[0])
		service_set_ra_captive_portal(svc, info.captive_portal);
}

static const struct rtnl_handlers rtnl_handlers = {
	.link_changed = link_changed,
	.link_removed = link_removed,
	.addr_changed = addr_changed,
	.ipv6_changed = ipv6_changed,
	.ipv6_dad_failed = ipv6_dad_failed,
	.nd_options = nd_options,
};

#define GLOBAL_SETTINGS "settings"

static const struct l_queue *ranked_services(void *data);
static void save_global_settings(void *data);

static bool dns_proxy_runs(void *data)
{
	return manager_dns_proxy_running(((struct manager *)data)->dns);
}

static void update_dns(void *data)
{
	manager_update_dns(data);
}

static void tethering_clients_changed(char **registered, char **removed, void *data)
{
	manager_dbus_emit_tethering_clients_changed(data, registered, removed);
}

static const struct tether_ops tether_ops = {
	.services = ranked_services,
	.dns_proxy_runs = dns_proxy_runs,
	.update_dns = update_dns,
	.save = save_global_settings,
	.clients_changed = tethering_clients_changed,
};

struct manager *manager_new(struct l_dbus *dbus, const struct connd_config *config,
			    const struct connd_options *opts)
{
	struct manager *m = l_new(struct manager, 1);
	struct tether_env tether = {
		.dbus = dbus, .config = config, .ops = &tether_ops, .data = m,
		.settings_dir = opts->state_dir, .settings_name = GLOBAL_SETTINGS,
	};

	m->dbus = dbus;
	m->config = config;
	m->opts = opts;
	m->services = l_queue_new();
	m->added = l_queue_new();
	m->removed_paths = l_queue_new();
	m->technologies = l_queue_new();
	m->enabled = l_queue_new();
	m->state = "idle";
	m->slots = l_uintset_new_from_range(1, MARK_SLOT_MAX);
	m->tether = tether_ctl_new(&tether);
	return m;
}

/* A technology's Enable, kept for it while it is absent too. */
struct tech_enable {
	char *name;	/* the settings group: the technology's name */
	bool enable;
};

static bool enable_named(const void *a, const void *b)
{
	return !strcmp(((const struct tech_enable *)a)->name, b);
}

static void enable_free(void *data)
{
	struct tech_enable *e = data;

	l_free(e->name);
	l_free(e);
}

/* Technologies are on unless saved off. */
static struct tech_enable *enable_entry(struct manager *m, const char *name)
{
	struct tech_enable *e = l_queue_find(m->enabled, enable_named, name);

	if (e)
		return e;
	e = l_new(struct tech_enable, 1);
	e->name = l_strdup(name);
	e->enable = true;
	l_queue_push_tail(m->enabled, e);
	return e;
}

static void load_enabled(struct manager *m, const struct l_settings *s)
{
	char **groups = l_settings_get_groups(s);
	bool value;

	for (char **g = groups; g && *g; g++) {
		if (!strcmp(*g, "global") || !l_settings_has_key(s, *g, "Enable"))
			continue;
		if (l_settings_get_bool(s, *g, "Enable", &value))
			enable_entry(m, *g)->enable = value;
		else
			l_warn("%s/" GLOBAL_SETTINGS ": %s.Enable is not a boolean; ignored",
			       m->opts->state_dir, *g);
	}
	l_strv_free(groups);
}

/* ConnMan's global settings file: [global] OfflineMode, [<Technology>]
 * Enable, plus connd's [global] ServiceOrder (the user's MoveBefore/MoveAfter),
 * [global] TCPFwmarkAcceptBefore (what the DNS proxy's sysctl goes back to,
 * even after a crash), and the keys of tethering (manager-tethering.h) and of
 * the clock. */
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
	load_enabled(m, s);
	l_strv_free(m->user_order);
	m->user_order = l_settings_get_string_list(s, "global", "ServiceOrder", ';');
	if (l_settings_get_bool(s, "global", "TCPFwmarkAcceptBefore", &value))
		m->tcp_marks_before = value ? '1' : '0';
	tether_ctl_load(m->tether, s);
	manager_clock_load(m->clock, s);
	l_settings_free(s);
}

void manager_save_global_settings(struct manager *m)
{
	struct l_settings *s = l_settings_new();

	l_settings_set_bool(s, "global", "OfflineMode", m->offline_mode);
	if (m->user_order && m->user_order[0])
		l_settings_set_string_list(s, "global", "ServiceOrder", m->user_order, ';');
	if (m->tcp_marks_before)
		l_settings_set_bool(s, "global", "TCPFwmarkAcceptBefore", m->tcp_marks_before == '1');
	for (const struct l_queue_entry *e = l_queue_get_entries(m->enabled); e; e = e->next) {
		const struct tech_enable *te = e->data;

		l_settings_set_bool(s, te->name, "Enable", te->enable);
	}
	tether_ctl_save(m->tether, s);
	if (m->clock)
		manager_clock_save(m->clock, s);
	storage_save(m->opts->state_dir, GLOBAL_SETTINGS, s);
	l_settings_free(s);
}

void manager_update_dns(struct manager *m)
{
	uint32_t address = tether_ctl_address(m->tether);
	const struct in6_addr *address6 = tether_ctl_address6(m->tether);
	char bridge[16], bridge6[INET6_ADDRSTRLEN];

	manager_dns_update(m->dns, m->services, address ? ipv4_ntop(address, bridge) : NULL,
			   address6 ? inet_ntop(AF_INET6, address6, bridge6, sizeof(bridge6)) : NULL);
}

/* For the DNS proxy: where session `id`'s queries go now (manager-dns.h). */
static int session_slot(uint32_t id, void *data)
{
	struct manager *m = data;
	struct session *session = manager_sessions_find_id(m->sessions, id);
	struct service *svc;

	if (!session)
		return 0;
	svc = session_service(session);
	return svc && service_slot(svc) ? (int)service_slot(svc) : -ENETUNREACH;
}

static void start_dns(struct manager *m)
{
	struct manager_dns_options opts = {
		.resolv_conf = m->opts->resolv_conf,
		.proxy = !m->opts->nodnsproxy,
		.fallback_nameservers = m->config->fallback_nameservers,
		.session_slot = session_slot,
		.data = m,
		.tcp_marks_before = m->tcp_marks_before,
	};

	m->dns = manager_dns_new(&opts);
	if (manager_dns_tcp_marks_before(m->dns) != m->tcp_marks_before) {
		m->tcp_marks_before = manager_dns_tcp_marks_before(m->dns);
		manager_save_global_settings(m);
	}
	manager_update_dns(m);
}

static const struct l_queue *ranked_services(void *data)
{
	return ((struct manager *)data)->services;
}

static enum firewall_datapath datapath_of(const char *name)
{
	if (!strcmp(name, "bpf"))
		return FIREWALL_DATAPATH_BPF;
	if (!strcmp(name, "nftables"))
		return FIREWALL_DATAPATH_NFTABLES;
	return FIREWALL_DATAPATH_AUTO;
}

/* main.conf's SessionDataPath and SessionCgroup; the environment's
 * CONND_SESSION_DATAPATH and CONND_SESSION_CGROUP win, so that tests pick a
 * path and confine BPF to a cgroup of their own whatever the file says;
 * CONND_SESSION_TCX=off gives them the path of kernels without tcx. */
static struct firewall *new_firewall(const struct connd_config *cfg)
{
	const char *path = getenv("CONND_SESSION_DATAPATH"), *cgroup = getenv("CONND_SESSION_CGROUP");
	const char *tcx = getenv("CONND_SESSION_TCX");

	if (!path || !*path)
		path = cfg->session_data_path;
	if (!cgroup || !*cgroup)
		cgroup = cfg->session_cgroup;
	return firewall_new(&(struct firewall_options) {
		.datapath = datapath_of(path ? path : "auto"), .session_cgroup = cgroup,
		.max_sessions = cfg->max_sessions, .cgroup_egress = l_streq0(tcx, "off"),
	});
}

/* The firewall is the manager's: sessions and tethering share it. */
static void start_sessions(struct manager *m)
{
	m->firewall = new_firewall(m->config);
	if (!m->firewall)
		l_error("nftables unavailable (%s): sessions cannot steer traffic", strerror(errno));
	m->sessions = manager_sessions_new(&(struct manager_sessions_deps) {
		.dbus = m->dbus, .ticker = m->ticker, .routing = m->routing, .firewall = m->firewall,
		.policy_dir = m->opts->policy_dir, .services = ranked_services, .data = m,
		.sessions_per_user = m->config->sessions_per_user,
		.max_sessions = m->config->max_sessions,
	});
}

static void save_global_settings(void *data)
{
	manager_save_global_settings(data);
}

/* Tethering comes back only on a technology that is on. */
static void restore_tethering(struct manager *m)
{
	struct technology *ethernet = manager_technology_of_type(m, "ethernet");

	tether_ctl_restore(m->tether, ethernet && technology_powered(ethernet) &&
			   !m->offline_mode ? ethernet : NULL);
}

int manager_start(struct manager *m)
{
	int err;

	/* First, while descriptors are plenty: nothing on it can fail later. */
	m->ticker = ticker_new();
	if (!m->ticker)
		return -errno;
	m->rtnl = rtnl_new(&rtnl_handlers, m);
	if (!m->rtnl)
		return -errno ? -errno : -ENOMEM;
	m->routing = routing_new(m->rtnl);
	m->agents = agents_new(m->dbus, m->ticker);
	agents_set_input_timeout(m->agents, m->config->input_request_timeout);
	if (m->dbus)
		m->callers = dbus_callers_new(m->dbus, DBUS_ADMIN_GROUP);
	manager_init_services(m);
	m->clock = manager_clock_new(m->dbus, m->config, save_global_settings, m);
	load_global_settings(m);
	start_sessions(m);
	start_dns(m);
	m->state = manager_aggregate_state(m);
	err = routing_flush_stale(m->routing);
	if (err > 0)
		l_info("removed %d stale routes and rules", err);
	rtnl_dump_addrs(m->rtnl);
	/* DHCPv6 leases a killed connd left; a kept lease is confirmed anew. */
	err = rtnl_addr6_flush_proto(m->rtnl, RTNL_PROTO_CONND);
	if (err > 0)
		l_info("removed %d stale IPv6 addresses", err);
	tether_ctl_start(m->tether, m->rtnl, m->firewall);
	m->started = true;
	manager_dbus_register(m);
	manager_clock_register(m->clock);
	m->provisioning = provisioning_new(m->opts->config_dir, &manager_provisioning_ops, m);
	m->bearers = l_new(void *, N_BEARERS);
	for (unsigned int i = 0; i < N_BEARERS; i++)
		m->bearers[i] = bearers[i]->init(m);
	err = rtnl_dump_links(m->rtnl);
	if (err == 0)
		restore_tethering(m);
	return err;
}

static void remove_technologies(struct manager *m)
{
	struct technology *tech;

	while ((tech = l_queue_pop_head(m->technologies))) {
		technology_dbus_remove(m->dbus, tech);
		technology_free(tech);
	}
}

void manager_free(struct manager *m)
{
	if (!m)
		return;
	m->stopping = true;
	/* The sysctl goes back, and its key out of the settings, while the
	 * rest of the state is still whole for them. */
	if (m->dns && m->tcp_marks_before) {
		manager_dns_restore_tcp_marks(m->dns);
		m->tcp_marks_before = 0;
		manager_save_global_settings(m);
	}
	/* Calls still waiting for their caller's credentials are dropped unanswered. */
	dbus_callers_free(m->callers);
	m->callers = NULL;
	tether_ctl_stop(m->tether);
	provisioning_free(m->provisioning);
	m->provisioning = NULL;
	manager_clock_free(m->clock);
	m->clock = NULL;
	/* resolv.conf names the upstreams as they are before the services go down with us. */
	manager_dns_free(m->dns, m->services);
	m->dns = NULL;
	manager_sessions_free(m->sessions);
	m->sessions = NULL;
	firewall_free(m->firewall);
	m->firewall = NULL;
	/* After the services: their portal episodes cancel agent requests. */
	manager_free_services(m);
	agents_free(m->agents);
	for (unsigned int i = 0; m->bearers && i < N_BEARERS; i++)
		bearers[i]->exit(m->bearers[i]);
	l_free(m->bearers);
	routing_free(m->routing);
	remove_technologies(m);
	rtnl_free(m->rtnl);
	l_queue_destroy(m->services, NULL);
	l_queue_destroy(m->technologies, NULL);
	l_queue_destroy(m->enabled, enable_free);
	l_uintset_free(m->slots);
	l_queue_destroy(m->added, NULL);
	l_queue_destroy(m->removed_paths, l_free);
	tether_ctl_free(m->tether);
	l_strv_free(m->user_order);
	ticker_free(m->ticker);
	manager_dbus_unregister(m);
	l_free(m);
}

struct l_dbus *manager_dbus(const struct manager *m) { return m->dbus; }
const struct connd_config *manager_config(const struct manager *m) { return m->config; }
const char *manager_state_dir(const struct manager *m) { return m->opts->state_dir; }
const char *manager_vpn_config_dir(const struct manager *m) { return m->opts->vpn_config_dir; }

void manager_notify_bearers(struct manager *m)
{
	for (unsigned int i = 0; m->bearers && i < N_BEARERS; i++)
		if (bearers[i]->services_changed)
			bearers[i]->services_changed(m->bearers[i]);
}

void manager_notify_provisioning(struct manager *m)
{
	for (unsigned int i = 0; m->bearers && i < N_BEARERS; i++)
		if (bearers[i]->provisioning_changed)
			bearers[i]->provisioning_changed(m->bearers[i]);
}

struct rtnl *manager_rtnl(const struct manager *m) { return m->rtnl; }
struct agents *manager_agents(const struct manager *m) { return m->agents; }
struct provisioning *manager_provisioning(const struct manager *m) { return m->provisioning; }
struct dbus_callers *manager_callers(const struct manager *m) { return m->callers; }
struct manager_sessions *manager_sessions(const struct manager *m) { return m->sessions; }
const char *manager_state_name(const struct manager *m) { return m->state; }
bool manager_offline_mode(const struct manager *m) { return m->offline_mode; }
const struct l_queue *manager_services(const struct manager *m) { return m->services; }
const struct l_queue *manager_technologies(const struct manager *m) { return m->technologies; }

static bool technology_has_path(const void *a, const void *b)
{
	return !strcmp(technology_path(a), b);
}

static bool technology_has_type(const void *a, const void *b)
{
	return !strcmp(technology_type(a), b);
}

struct technology *manager_find_technology(const struct manager *m, const char *path)
{
	return l_queue_find(m->technologies, technology_has_path, path);
}

struct technology *manager_technology_of_type(const struct manager *m, const char *type)
{
	return l_queue_find(m->technologies, technology_has_type, type);
}

struct technology *manager_add_technology(struct manager *m, const struct technology_driver *driver,
					  void *data)
{
	struct technology *tech = technology_new(m, driver, data);

	technology_set_powered(tech, enable_entry(m, driver->name)->enable);
	l_queue_push_tail(m->technologies, tech);
	technology_dbus_add(m->dbus, tech);
	manager_dbus_emit_technology_added(m, tech);
	tether_ctl_technology_added(m->tether, tech, technology_powered(tech) && !m->offline_mode);
	return tech;
}

/* Its services are gone already: the driver removed them first. */
void manager_remove_technology(struct manager *m, struct technology *tech)
{
	char *path = l_strdup(technology_path(tech));

	tether_ctl_technology_removed(m->tether, tech);
	l_queue_remove(m->technologies, tech);
	technology_dbus_remove(m->dbus, tech);
	technology_free(tech);
	manager_dbus_emit_technology_removed(m, path);
	l_free(path);
}

/* What the bearers' devices should be: powered, and not in offline mode. */
static void apply_power(struct manager *m, struct technology *tech)
{
	const struct technology_driver *driver = technology_driver(tech);

	if (driver->set_powered)
		driver->set_powered(tech, technology_powered(tech) && !m->offline_mode,
				    technology_driver_data(tech));
}

int manager_set_tethering(struct manager *m, struct technology *tech, bool on,
			  void (*done)(int result, const char *message, void *data), void *data)
{
	return tether_ctl_set(m->tether, tech, on, done, data);
}

struct tether_ctl *manager_tethering(const struct manager *m)
{
	return m->tether;
}

void manager_tethering_lost(struct manager *m, struct technology *tech)
{
	tether_ctl_lost(m->tether, tech);
}

char **manager_tethering_clients(const struct manager *m)
{
	return tether_ctl_clients(m->tether);
}

void manager_foreach_tethering_lease(const struct manager *m,
				     void (*fn)(const struct dhcp_server_lease *lease, void *data),
				     void *data)
{
	tether_ctl_foreach_lease(m->tether, fn, data);
}

int manager_set_powered(struct manager *m, struct technology *tech, bool powered)
{
	if (!technology_set_powered(tech, powered))
		return -EALREADY;
	enable_entry(m, technology_name(tech))->enable = powered;
	manager_save_global_settings(m);
	apply_power(m, tech);
	technology_dbus_emit(m->dbus, tech, "Powered");
	return 0;
}

int manager_set_offline_mode(struct manager *m, bool offline)
{
	if (m->offline_mode == offline)
		return 0;
	m->offline_mode = offline;
	manager_save_global_settings(m);
	for (const struct l_queue_entry *e = l_queue_get_entries(m->technologies); e; e = e->next)
		apply_power(m, e->data);
	manager_dbus_emit_offline_mode(m);
	manager_schedule_pass(m);
	return 0;
}
