/* The manager's services, of every bearer: created and removed by the
 * drivers, ranked as ConnMan ranks them, kept across restarts, and one
 * re-evaluation pass per main-loop turn that applies what follows from a
 * change (routes, per-service tables, Connected, sessions, tethering, DNS,
 * the clock, the aggregate State). */
#include <errno.h>
#include <string.h>
#include <ell/ell.h>

#include "agents.h"
#include "config.h"
#include "firewall.h"
#include "manager.h"
#include "manager-clock.h"
#include "manager-dns.h"
#include "manager-provision.h"
#include "manager-sessions.h"
#include "manager-tethering.h"
#include "manager-private.h"
#include "marks.h"
#include "options.h"
#include "portal.h"
#include "ipv4-routes.h"
#include "routing.h"
#include "rtnl.h"
#include "service-rank.h"
#include "service-settings.h"
#include "storage.h"
#include "technology.h"
#include "manager-dbus.h"
#include "service-dbus.h"
#include "technology-dbus.h"
#include "uts-names.h"

static void rank_key(const struct manager *m, const struct service *svc,
		     struct service_rank_key *key)
{
	*key = (struct service_rank_key) {
		.state = service_get_state(svc),
		.carries_default = service_carries_default(svc) &&
				   service_state_is_connected(service_get_state(svc)),
		.unrouted = !service_ipv4(svc)->gateway &&
			    IN6_IS_ADDR_UNSPECIFIED(&service_ipv6(svc)->gateway),
		.favorite = service_favorite(svc),
		.type = service_type(svc),
		.preferred = service_rank_index(m->config->preferred_technologies,
						service_type(svc)),
		.user = service_rank_index(m->user_order, service_id(svc)),
		.order = service_order(svc),
		.strength = service_strength(svc),
		.id = service_id(svc),
	};
}

static int compare_services(const void *a, const void *b, void *user_data)
{
	struct service_rank_key ka, kb;

	rank_key(user_data, a, &ka);
	rank_key(user_data, b, &kb);
	return service_rank_compare(&ka, &kb);
}

static bool connected(const struct service *svc)
{
	return service_state_is_connected(service_get_state(svc));
}

/* The first service, while it is connected. */
static struct service *default_service(const struct manager *m)
{
	struct service *first = l_queue_peek_head(m->services);

	return first && connected(first) ? first : NULL;
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
		.via_link = service_link_is_l3(svc),
	};
	bool up = connected(svc) && !IN6_IS_ADDR_UNSPECIFIED(&v6->address);

	routing_slot_set6(m->routing, service_slot(svc), up ? &route : NULL);
}

_Static_assert(ROUTING_SLOT_EXTRA >= DHCP_MAX_ROUTES, "a slot holds all of a lease's routes");

/* The links sessions' traffic can leave by (their services have tables):
 * counting on each starts before its table's routes let traffic out. */
static void update_session_links(struct manager *m)
{
	struct firewall_link *links;
	const struct l_queue_entry *e;
	size_t n = 0;

	if (!m->firewall)
		return;
	links = l_new(struct firewall_link, l_queue_length(m->services) + 1);
	for (e = l_queue_get_entries(m->services); e; e = e->next) {
		int ifindex = service_ifindex(e->data);
		size_t i;

		if (!service_slot(e->data) || !connected(e->data) || ifindex <= 0)
			continue;
		for (i = 0; i < n && links[i].ifindex != ifindex; i++)
			;
		if (i == n)
			links[n++] = (struct firewall_link) {
				.ifindex = ifindex, .no_header = service_link_is_l3(e->data),
			};
	}
	firewall_session_links(m->firewall, links, n);
	l_free(links);
}

/* Each service's own tables, for the sessions bound to it. */
static void update_slot_tables(struct manager *m)
{
	const struct l_queue_entry *e;

	update_session_links(m);

	for (e = l_queue_get_entries(m->services); e; e = e->next) {
		const struct ipv4_settings *ip = service_ipv4(e->data);
		struct default_route route = {
			.ifindex = service_ifindex(e->data),
			.gateway = ip->gateway,
			.source = ip->address,
			.via_link = service_link_is_l3(e->data),
		};
		bool up = connected(e->data) && ip->address;
		const struct ipv4_routes *lease = service_ipv4_routes(e->data);

		if (service_slot(e->data)) {
			routing_slot_set(m->routing, service_slot(e->data), up ? &route : NULL,
					 ip->prefix_len, lease->installed, lease->n);
			update_slot_table6(m, e->data);
		}
	}
}

/* Manual IPv6 gateways, in the services' order (SLAAC's routes are the
 * kernel's). */
static void update_routes6(struct manager *m)
{
	const struct l_queue_entry *e;
	struct default_route6 routes[16];
	unsigned int n = 0;

	for (e = l_queue_get_entries(m->services); e && n < L_ARRAY_SIZE(routes); e = e->next) {
		const struct ipv6_settings *manual = service_ipv6_manual(e->data);

		if (manual && !IN6_IS_ADDR_UNSPECIFIED(&manual->gateway))
			routes[n++] = (struct default_route6) { service_ifindex(e->data),
								manual->gateway };
	}
	routing_set_defaults6(m->routing, routes, n);
}

static void update_routes(struct manager *m)
{
	const struct l_queue_entry *e;
	struct default_route routes[16];
	unsigned int n = 0;

	for (e = l_queue_get_entries(m->services); e && n < L_ARRAY_SIZE(routes); e = e->next) {
		const struct ipv4_settings *ip = service_ipv4(e->data);

		if (!connected(e->data) || !ip->gateway)
			continue;
		routes[n++] = (struct default_route) {
			.ifindex = service_ifindex(e->data),
			.gateway = ip->gateway,
			.source = ip->address,
		};
	}
	routing_set_defaults(m->routing, routes, n);
	update_routes6(m);
	update_slot_tables(m);
}

static bool same_order(const struct l_queue *a, const struct l_queue *b)
{
	const struct l_queue_entry *ea = l_queue_get_entries(a), *eb = l_queue_get_entries(b);

	for (; ea && eb; ea = ea->next, eb = eb->next)
		if (ea->data != eb->data)
			return false;
	return !ea && !eb;
}

static void rerank(struct manager *m)
{
	struct l_queue *sorted = l_queue_new();
	const struct l_queue_entry *e;

	for (e = l_queue_get_entries(m->services); e; e = e->next)
		l_queue_insert(sorted, e->data, compare_services, m);
	if (!same_order(sorted, m->services))
		schedule_services_changed(m);
	l_queue_destroy(m->services, NULL);
	m->services = sorted;
}

/* SingleConnectedTechnology: the service connected last stays, the others
 * go (without holding them down: they may come back when it goes). */
static void keep_single_connection(struct manager *m)
{
	struct service *newest = NULL, **all;
	unsigned int n;

	if (!m->config->single_connected_technology)
		return;
	all = manager_services_snapshot(m, &n);
	for (unsigned int i = 0; i < n; i++)
		if (connected(all[i]) && (!newest ||
		    service_connected_at(all[i]) > service_connected_at(newest)))
			newest = all[i];
	for (unsigned int i = 0; i < n; i++)
		if (all[i] != newest && connected(all[i])) {
			l_info("%s: disconnected, %s is the single connection", service_id(all[i]),
			       service_id(newest));
			service_disconnect_by_policy(all[i]);
		}
	l_free(all);
}

/* With none connected or connecting, the best service that may autoconnect
 * tries; the gate in may_autoconnect() holds the rest back meanwhile. */
static void autoconnect_next(struct manager *m)
{
	unsigned int n;
	struct service **all;

	if (!m->config->single_connected_technology)
		return;
	all = manager_services_snapshot(m, &n);
	for (unsigned int i = 0; i < n; i++)
		service_try_autoconnect(all[i]);
	l_free(all);
}

static void update_technologies(struct manager *m)
{
	for (const struct l_queue_entry *t = l_queue_get_entries(m->technologies); t; t = t->next) {
		bool any = false;

		for (const struct l_queue_entry *e = l_queue_get_entries(m->services); e; e = e->next)
			any |= connected(e->data) &&
			       !strcmp(service_type(e->data), technology_type(t->data));
		if (technology_set_connected(t->data, any))
			technology_dbus_emit(m->dbus, t->data, "Connected");
	}
}

/* The default service's lease names the system, where main.conf allows. */
static void update_uts_names(struct manager *m)
{
	struct service *def = default_service(m);

	if (def)
		uts_names_apply(m->config->allow_hostname_updates, service_dhcp_hostname(def),
				m->config->allow_domainname_updates, service_dhcp_domainname(def));
}

/* The one pass: everything that follows from the services' states,
 * addresses and servers, computed once however many changes came. */
static void reevaluate(struct manager *m)
{
	const char *state;

	l_idle_remove(m->pass);
	m->pass = NULL;
	rerank(m);
	keep_single_connection(m);
	update_routes(m);
	update_technologies(m);
	manager_sessions_update(m->sessions);
	tether_ctl_update(m->tether);
	manager_update_dns(m);
	manager_clock_follow(m->clock, default_service(m), manager_dns_proxy_running(m->dns));
	update_uts_names(m);
	state = aggregate_state(m);
	if (state != m->state) {
		m->state = state;
		l_info("state %s", state);
		manager_dbus_emit_state(m);
	}
	autoconnect_next(m);
	manager_notify_bearers(m);
}

static void pass_now(struct l_idle *idle, void *user_data)
{
	reevaluate(user_data);
}

void manager_schedule_pass(struct manager *m)
{
	if (!m->pass && !m->stopping)
		m->pass = l_idle_create(pass_now, m, NULL);
}

/* For what cannot wait for the pass: a service about to be freed must not
 * stay bound to sessions until the end of the main-loop turn. */
void manager_run_pass(struct manager *m)
{
	if (!m->stopping)
		reevaluate(m);
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

/* What was saved for the service; a service never saved autoconnects if
 * its type is among DefaultAutoConnectTechnologies. */
static void load_saved(struct manager *m, const struct service *svc, struct service_saved *saved)
{
	char *name = service_settings_name(svc);
	struct l_settings *settings = storage_load(m->opts->state_dir, name);
	struct saved_file file = { m->opts->state_dir, name };

	service_settings_parse(settings, service_id(svc), saved, warn_saved_value, &file);
	if (!settings || !l_settings_has_group(settings, service_id(svc)))
		saved->autoconnect = service_rank_index(m->config->default_autoconnect_technologies,
							service_type(svc)) >= 0;
	l_settings_free(settings);
	l_free(name);
}

static void load_service(struct manager *m, struct service *svc)
{
	struct service_saved saved;

	load_saved(m, svc, &saved);
	service_restore(svc, &saved);
	service_saved_clear(&saved);
}

/* Provisioning let go of the service: the user's configuration, as saved
 * (the file was not written while the service was provisioned). */
static void restore_user_config(struct service *svc, void *data)
{
	struct service_saved saved;

	load_saved(data, svc, &saved);
	service_set_ipv4_config(svc, &saved.ipv4);
	service_set_ipv6_config(svc, &saved.ipv6);
	service_set_nameservers_config(svc, saved.nameservers);
	service_set_timeservers_config(svc, saved.timeservers);
	service_set_domains_config(svc, saved.domains);
	service_saved_clear(&saved);
}

/* Service.Remove: the user's settings go with the network, as ConnMan's
 * Remove forgets them. Without the file, load_saved() gives the defaults
 * (AutoConnect as DefaultAutoConnectTechnologies says, DHCP, ...); they
 * apply at once, and their announcements save them under the id. */
static void forget_service(struct service *svc, void *data)
{
	struct manager *m = data;
	char *name = service_settings_name(svc);
	struct service_saved defaults;

	storage_remove(m->opts->state_dir, name);
	load_saved(m, svc, &defaults);
	service_reset_config(svc, &defaults);
	service_saved_clear(&defaults);
	l_free(name);
	l_info("%s: removed, its settings forgotten", service_id(svc));
}

static struct service **services_now(void *data, unsigned int *n)
{
	return manager_services_snapshot(data, n);
}

static void provisioning_reloaded(void *data)
{
	manager_notify_provisioning(data);
}

const struct provisioning_ops manager_provisioning_ops = {
	.services = services_now,
	.restore_user = restore_user_config,
	.reloaded = provisioning_reloaded,
};

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
	case SERVICE_PROP_PROXY_CONFIG:
	case SERVICE_PROP_IPV4:
		return true;
	case SERVICE_PROP_STATE:
	case SERVICE_PROP_ERROR:
	case SERVICE_PROP_ETHERNET:
	case SERVICE_PROP_IPV6:
	case SERVICE_PROP_NAMESERVERS:
	case SERVICE_PROP_TIMESERVERS:
	case SERVICE_PROP_DOMAINS:
	case SERVICE_PROP_NAME:
	case SERVICE_PROP_STRENGTH:
	case SERVICE_PROP_FAVORITE:
	case SERVICE_PROP_ROAMING:
	case SERVICE_PROP_PROXY:
	case SERVICE_PROP_DELEGATED_PREFIX:
		return false;
	}
	return false;
}

/* What the pass must look at again after this property changed. */
static bool prop_needs_pass(enum service_prop prop)
{
	switch (prop) {
	case SERVICE_PROP_STATE:
	case SERVICE_PROP_IPV4:
	case SERVICE_PROP_IPV6:
	case SERVICE_PROP_NAMESERVERS:
	case SERVICE_PROP_DOMAINS:
	case SERVICE_PROP_TIMESERVERS:
	case SERVICE_PROP_STRENGTH:
	case SERVICE_PROP_FAVORITE:
	case SERVICE_PROP_IPV6_CONFIG:	/* a manual gateway is a default route */
	case SERVICE_PROP_DELEGATED_PREFIX:	/* tethering announces it */
		return true;
	case SERVICE_PROP_ERROR:
	case SERVICE_PROP_AUTOCONNECT:
	case SERVICE_PROP_ETHERNET:
	case SERVICE_PROP_IPV4_CONFIG:
	case SERVICE_PROP_NAMESERVERS_CONFIG:
	case SERVICE_PROP_TIMESERVERS_CONFIG:
	case SERVICE_PROP_DOMAINS_CONFIG:
	case SERVICE_PROP_NAME:
	case SERVICE_PROP_ROAMING:
	case SERVICE_PROP_PROXY:
	case SERVICE_PROP_PROXY_CONFIG:
		return false;
	}
	return true;
}

static void service_notified(struct service *svc, enum service_prop prop, void *user_data)
{
	struct manager *m = user_data;

	service_dbus_emit(m->dbus, svc, prop);
	/* A provisioned configuration is the file's, not the user's: not saved. */
	if (prop_is_saved(prop) && !service_immutable(svc) &&
	    (prop != SERVICE_PROP_IPV4 || service_ipv4(svc)->address))
		save_service(m, svc);
	if (prop == SERVICE_PROP_STATE) {
		l_info("%s: %s", service_id(svc), service_state_name(service_get_state(svc)));
		manager_sessions_service_state_changed(m->sessions);
	}
	if (prop_needs_pass(prop))
		manager_schedule_pass(m);
}

static bool asked_about(const void *svc, const void *question)
{
	return service_error_question(svc) == L_PTR_TO_INT(question);
}

static void error_answered(int question, bool retry, void *data)
{
	struct manager *m = data;
	struct service *svc = l_queue_find(m->services, asked_about, L_INT_TO_PTR(question));

	if (svc)
		service_error_answered(svc, question, retry);
}

static int report_error(struct service *svc, const char *error, void *data)
{
	struct manager *m = data;

	return agents_report_error(m->agents, svc, error, error_answered, m);
}

static bool service_has_path(const void *a, const void *b)
{
	return !strcmp(service_path(a), b);
}

static struct service *find_by_path(const char *path, void *data)
{
	return manager_find_service(data, path);
}

/* SingleConnectedTechnology: while a service is connected or connecting,
 * no other connects by itself. */
static bool service_may_autoconnect(const struct service *svc, void *data)
{
	struct manager *m = data;

	if (!m->config->single_connected_technology)
		return true;
	for (const struct l_queue_entry *e = l_queue_get_entries(m->services); e; e = e->next)
		if (e->data != svc && service_rank_class(service_get_state(e->data)) < 2)
			return false;
	return true;
}

static void *service_portal_start(struct service *svc, const char *check_url, int family,
				  const struct online_answer *answer, void *data)
{
	struct manager *m = data;

	l_info("%s: online check answered by someone else: captive portal?", service_id(svc));
	return portal_start(m->agents, svc, m->config->online_check_timeout,
			    m->config->captive_portal_ca_file, check_url, family, answer);
}

static void service_portal_end(void *portal, void *data)
{
	portal_free(portal);
}

/* A new order with `svc` just before (or after) `target`: the connected
 * services keep their current order otherwise, and go first. */
static char **reorder(const struct manager *m, const struct service *svc,
		      const struct service *target, bool before)
{
	char **order = l_new(char *, 1);

	for (const struct l_queue_entry *e = l_queue_get_entries(m->services); e; e = e->next) {
		if (e->data == svc)
			continue;
		if (e->data == target && before)
			order = l_strv_append(order, service_id(svc));
		order = l_strv_append(order, service_id(e->data));
		if (e->data == target && !before)
			order = l_strv_append(order, service_id(svc));
	}
	return order;
}

/* ConnMan's rule: both favorites, in the same state (ready and online
 * count as one). The one moved down loses online until checked again,
 * so the user's order takes effect at once. */
static int move_service(struct service *svc, struct service *target, bool before, void *data)
{
	struct manager *m = data;
	struct service *down = before ? target : svc;
	struct service *up = before ? svc : target;

	if (!service_favorite(svc))
		return -EOPNOTSUPP;
	if (target == svc || !service_favorite(target))
		return -EINVAL;
	if (service_get_state(svc) != service_get_state(target) &&
	    !(connected(svc) && connected(target)))
		return -EINVAL;
	l_strv_free(m->user_order);
	m->user_order = reorder(m, svc, target, before);
	l_info("%s moved %s %s", service_id(svc), before ? "before" : "after", service_id(target));
	manager_save_global_settings(m);
	if (service_get_state(down) == SERVICE_STATE_ONLINE &&
	    service_get_state(up) == SERVICE_STATE_READY)
		service_recheck_online(down);
	manager_schedule_pass(m);
	return 0;
}

/* The agent's answer changes nothing: the service keeps asking the API,
 * which tells when the login went through. */
static void portal_api_browser_done(int result, void *data)
{
}

/* RFC 8908: the network's own API says captive and where to log in. */
static void service_portal_api(struct service *svc, const char *url, void *data)
{
	struct manager *m = data;

	l_info("%s: captive portal at %s (Captive Portal API): asking the agent", service_id(svc),
	       url);
	if (agents_request_browser(m->agents, svc, url, portal_api_browser_done, NULL) < 0)
		l_info("%s: no agent to open the portal's page", service_id(svc));
}

/* The uplink wins: a lease in tethering's subnet moves the bridge, never
 * the other way round. */
static void claim_subnet(int ifindex, uint32_t address, uint8_t prefix_len, void *data)
{
	struct manager *m = data;

	tether_ctl_claim(m->tether, ifindex, address, prefix_len);
}

static const struct l_queue *services_of(void *data)
{
	return ((struct manager *)data)->services;
}

static int read_usage(struct service *svc, struct link_counters *usage, void *data)
{
	return rtnl_link_stats(((struct manager *)data)->rtnl, service_ifindex(svc), usage);
}

void manager_init_services(struct manager *m)
{
	const struct connd_config *c = m->config;
	enum online_interval_style style = ONLINE_INTERVAL_FIBONACCI;

	/* config.c admits only the two names. */
	online_interval_style_parse(c->online_check_interval_style, &style);
	m->env = (struct service_env) {
		.rtnl = m->rtnl,
		.ticker = m->ticker,
		.state_dir = m->opts->state_dir,
		.online_url = c->enable_online_check ? c->online_check_ipv4_url : NULL,
		.online_url6 = c->enable_online_check ? c->online_check_ipv6_url : NULL,
		.online_timeout_ms = c->online_check_timeout,
		.online_initial_interval = c->online_check_initial_interval,
		.online_max_interval = c->online_check_max_interval,
		.online_interval_style = style,
		.fallback_nameservers = c->fallback_nameservers,
		.notify = service_notified,
		.portal_start = service_portal_start,
		.portal_end = service_portal_end,
		.may_autoconnect = service_may_autoconnect,
		.find = find_by_path,
		.move = move_service,
		.portal_api = service_portal_api,
		.forget = forget_service,
		.report_error = report_error,
		.claim_subnet = claim_subnet,
		.captive_ca_file = c->captive_portal_ca_file,
		.notify_data = m,
	};
	agents_set_usage_source(m->agents, services_of, read_usage, m);
}

/* Round robin: a slot freed by a service that went is handed out again
 * only after every other free one, since sockets marked for it may still be
 * open (routing_slot_remove) and would follow the newcomer. */
static unsigned int next_free_slot(struct manager *m)
{
	unsigned int slot = m->last_slot < MARK_SLOT_MAX ?
			    l_uintset_find_unused(m->slots, m->last_slot + 1) : MARK_SLOT_MAX + 1;

	return slot <= MARK_SLOT_MAX ? slot : l_uintset_find_unused_min(m->slots);
}

static void assign_slot(struct manager *m, struct service *svc)
{
	unsigned int slot = next_free_slot(m);
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
	m->last_slot = slot;
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

struct service *manager_add_service(struct manager *m, const struct service_desc *desc)
{
	struct service *svc = service_new(&m->env, desc);

	load_service(m, svc);
	provisioning_apply(m->provisioning, svc);
	assign_slot(m, svc);
	l_info("%s: managing as %s", service_ifname(svc), service_id(svc));
	l_queue_insert(m->services, svc, compare_services, m);
	service_dbus_add(m->dbus, svc);
	l_queue_push_tail(m->added, svc);
	schedule_services_changed(m);
	return svc;
}

void manager_remove_service(struct manager *m, struct service *svc)
{
	l_info("%s: gone", service_id(svc));
	l_queue_remove(m->services, svc);
	if (!l_queue_remove(m->added, svc))
		l_queue_push_tail(m->removed_paths, l_strdup(service_path(svc)));
	service_dbus_remove(m->dbus, svc);
	release_slot(m, svc);
	service_free(svc);
	manager_run_pass(m);
	schedule_services_changed(m);
}

/* Every service stops and removes what it added to the kernel. */
void manager_free_services(struct manager *m)
{
	struct service *svc;

	/* What the services do on their way out concerns nobody any more. */
	m->stopping = true;
	l_idle_remove(m->pass);
	m->pass = NULL;
	/* Routes first: removing an address would take its routes with it. */
	if (m->routing)
		routing_set_defaults(m->routing, NULL, 0);
	while ((svc = l_queue_pop_head(m->services))) {
		service_shutdown(svc);
		release_slot(m, svc);
		service_dbus_remove(m->dbus, svc);
		service_free(svc);
	}
	/* Last: tearing services down may have asked for a ServicesChanged. */
	l_idle_remove(m->services_changed);
	m->services_changed = NULL;
}

const char *manager_aggregate_state(const struct manager *m)
{
	return aggregate_state(m);
}

struct service *manager_find_service(const struct manager *m, const char *path)
{
	return l_queue_find(m->services, service_has_path, path);
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
