/* The tethering controller: which links go into the bridge, what the pool
 * must avoid, the uplink's nameserver for the clients' DNS, and what
 * tethering keeps across restarts. */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <ell/ell.h>

#include "config.h"
#include "dhcp-server.h"
#include "ippool.h"
#include "ipv4-settings.h"
#include "manager-tethering.h"
#include "rtnl.h"
#include "service.h"
#include "technology.h"
#include "technology-dbus.h"
#include "tether-ap.h"
#include "tether-clients.h"
#include "tether6-prefix.h"
#include "tethering.h"

#define MAX_SUBNETS 64
/* Leases bound or released within this long make one signal, as in ConnMan. */
#define CLIENTS_COALESCE_MS 100

struct tether_ctl {
	struct tether_env env;
	struct rtnl *rtnl;
	struct firewall *fw;		/* NULL when nftables cannot be used */
	struct tethering *tethering;	/* the bridge: NULL while no technology tethers */
	struct technology *wired;	/* the one whose free links it takes, or NULL */
	struct l_queue *aps;		/* struct ap_tech: those tethering by their own AP */
	bool saved_on;			/* wired tethering was on when last saved */
	char **saved_services;		/* the services it bridged then, until restored */
	struct ipv4_net subnet;		/* the last one tethering had, kept across restarts */
	char forwarding_before;		/* '0'/'1' before tethering first set it; 0: none */
	char forwarding6_before;	/* the same for IPv6 */
	uint8_t ula_id[TETHER6_ULA_ID_LEN];	/* the ULA fallback's global ID, */
	bool has_ula_id;			/* made once, kept */
	bool updating;			/* joining links re-enters through the services */
	struct tether_clients *clients;	/* as last told in TetheringClientsChanged */
	struct l_timeout *clients_timer;	/* next look at the leases */
};

/* A technology that tethers through an access point it brings up itself
 * (its driver's tether_start): its settings, kept while it is absent too,
 * and the AP's link while it is in the bridge. */
struct ap_tech {
	struct tether_ctl *ctl;
	char *name;			/* the technology's name, its settings group */
	struct tether_ap settings;
	struct technology *tech;	/* NULL while absent */
	int ifindex;			/* the AP's link in the bridge, 0 while none */
	bool starting;			/* the bearer is bringing it up */
	tether_ctl_done_fn done;	/* the caller waiting for it */
	void *done_data;
	struct l_idle *restore;		/* the decision after the technology came, */
	bool restore_may;		/* and whether it may tether then */
};

static const struct l_queue *services(const struct tether_ctl *t)
{
	return t->env.ops->services(t->env.data);
}

/* The services now, as an array (caller frees): iterate this around
 * anything that may change a service's state, since a state change re-ranks
 * (replaces) the manager's queue. */
static struct service **services_snapshot(const struct tether_ctl *t, unsigned int *n)
{
	const struct l_queue_entry *first = l_queue_get_entries(services(t)), *e;
	struct service **out;

	*n = 0;
	for (e = first; e; e = e->next)
		(*n)++;
	out = l_new(struct service *, *n + 1);
	*n = 0;
	for (e = first; e; e = e->next)
		out[(*n)++] = e->data;
	return out;
}

struct tether_ctl *tether_ctl_new(const struct tether_env *env)
{
	struct tether_ctl *t = l_new(struct tether_ctl, 1);

	t->env = *env;
	t->clients = tether_clients_new();
	t->aps = l_queue_new();
	return t;
}

static void ap_tech_free(void *data)
{
	struct ap_tech *ap = data;

	l_idle_remove(ap->restore);
	tether_ap_clear(&ap->settings);
	l_free(ap->name);
	l_free(ap);
}

static bool ap_named(const void *ap, const void *name)
{
	return !strcmp(((const struct ap_tech *)ap)->name, name);
}

static struct ap_tech *ap_entry(struct tether_ctl *t, const char *name)
{
	struct ap_tech *ap = l_queue_find(t->aps, ap_named, name);

	if (ap)
		return ap;
	ap = l_new(struct ap_tech, 1);
	ap->ctl = t;
	ap->name = l_strdup(name);
	l_queue_push_tail(t->aps, ap);
	return ap;
}

static bool tethers_by_ap(const struct technology *tech)
{
	return technology_driver(tech)->tether_start != NULL;
}

/* The entry of a technology that tethers through its own AP, else NULL. */
static struct ap_tech *ap_of(const struct tether_ctl *t, const struct technology *tech)
{
	if (!tethers_by_ap(tech))
		return NULL;
	return l_queue_find(t->aps, ap_named, technology_name(tech));
}

static bool is_ap_link(const void *ap, const void *ifindex)
{
	return ((const struct ap_tech *)ap)->ifindex == L_PTR_TO_INT(ifindex);
}

/* Whether any technology still tethers: the bridge stays while one does. */
static bool any_tethering(const struct tether_ctl *t)
{
	if (t->wired)
		return true;
	for (const struct l_queue_entry *e = l_queue_get_entries(t->aps); e; e = e->next)
		if (((const struct ap_tech *)e->data)->ifindex)
			return true;
	return false;
}

void tether_ctl_free(struct tether_ctl *t)
{
	if (!t)
		return;
	l_strv_free(t->saved_services);
	l_queue_destroy(t->aps, ap_tech_free);
	l_timeout_remove(t->clients_timer);
	tether_clients_free(t->clients);
	l_free(t);
}

/* A bridge of ours left by a crash would block tethering: it goes. */
void tether_ctl_start(struct tether_ctl *t, struct rtnl *rtnl, struct firewall *fw)
{
	int ifindex = if_nametoindex(TETHER_BRIDGE);

	t->rtnl = rtnl;
	t->fw = fw;
	if (ifindex > 0 && rtnl_link_del(rtnl, ifindex) == 0)
		l_info("removed the %s bridge a previous run left", TETHER_BRIDGE);
}

/* The first nameserver of the default service, if it is connected, for
 * clients' DNS to be redirected to; none when our proxy answers them. */
static char *uplink_dns(const struct tether_ctl *t)
{
	const struct l_queue_entry *head = l_queue_get_entries(services(t));
	struct service *first = head ? head->data : NULL;
	char **servers, *dns = NULL;

	if (t->env.ops->dns_proxy_runs(t->env.data) || !first ||
	    !service_state_is_connected(service_get_state(first)))
		return NULL;
	servers = service_nameservers(first);
	/* Clients are redirected over IPv4: the first IPv4 server. */
	for (char **s = servers; s && *s && !dns; s++)
		if (!strchr(*s, ':'))
			dns = l_strdup(*s);
	l_strv_free(servers);
	return dns;
}

/* Every link's subnet but the bridge's own: an uplink may hold the very
 * address the bridge has. */
static unsigned int used_subnets(struct tether_ctl *t, struct ipv4_net *used)
{
	struct rtnl_addr_info addrs[MAX_SUBNETS];
	int bridge = t->tethering ? tethering_ifindex(t->tethering) : -1;
	int n = rtnl_addr4_list(t->rtnl, addrs, MAX_SUBNETS);
	unsigned int k = 0;

	for (int i = 0; i < n; i++)
		if (addrs[i].ifindex != bridge)
			used[k++] = (struct ipv4_net) { addrs[i].address, addrs[i].prefix_len };
	return k;
}

static bool listed(char *const *patterns, const char *ifname)
{
	for (char *const *p = patterns; p && *p; p++)
		if (fnmatch(*p, ifname, 0) == 0)
			return true;
	return false;
}

/* Connected through something that leads further than the cable: a DHCP
 * lease or a manual address, or IPv6 with a router. A link up on an IPv4
 * link-local address alone is a cable to a machine that has no DHCP server,
 * not an uplink. */
static bool uplink(const struct service *svc)
{
	const struct ipv4_settings *v4 = service_ipv4(svc);
	const struct ipv6_status *v6 = service_ipv6(svc);

	if (!service_state_is_connected(service_get_state(svc)))
		return false;
	return (v4->address && v4->method != IPV4_METHOD_AUTO) ||
	       (!IN6_IS_ADDR_UNSPECIFIED(&v6->address) && !IN6_IS_ADDR_UNSPECIFIED(&v6->gateway));
}

/* A service of the technology tethering its free links; TetheringInterfaces,
 * when it names any link, is the only choice. */
static bool candidate(const struct tether_ctl *t, const struct service *svc)
{
	char *const *wanted = t->env.config->tethering_interfaces;

	if (!t->wired || strcmp(service_type(svc), technology_type(t->wired)))
		return false;
	if (service_tethered(svc) || uplink(svc))
		return false;
	return !wanted || !wanted[0] || listed(wanted, service_ifname(svc));
}

/* Bridging an uplink would cut the device off and serve DHCP into the
 * uplink's network: a link joins only once it is known to lead nowhere — its
 * DHCP found no server (it may sit on a link-local address meanwhile) — or
 * when TetheringInterfaces names it. A link whose DHCP still waits for an
 * answer is not free yet. */
static bool free_to_tether(const struct tether_ctl *t, const struct service *svc)
{
	char *const *wanted = t->env.config->tethering_interfaces;

	if (!candidate(t, svc))
		return false;
	return (wanted && wanted[0]) || service_dhcp_found_no_server(svc);
}

/* Not free yet, but it may become so without anyone's help: it is still
 * configuring, or has no carrier (a cable may come). */
static bool may_become_free(const struct tether_ctl *t, const struct service *svc)
{
	enum service_state state = service_get_state(svc);

	return candidate(t, svc) &&
	       (state == SERVICE_STATE_IDLE || service_state_is_connecting(state));
}

/* The links free to tether now — or, when tethering comes back after a
 * restart, the links it bridged before (they were free then; at start their
 * DHCP has not given up yet). */
static unsigned int pick_links(struct tether_ctl *t, int *ifindexes, unsigned int max)
{
	unsigned int n = 0;

	for (const struct l_queue_entry *e = l_queue_get_entries(services(t)); e && n < max;
	     e = e->next) {
		bool pick = t->saved_services ?
			l_strv_contains(t->saved_services, service_id(e->data)) :
			free_to_tether(t, e->data);

		if (pick)
			ifindexes[n++] = service_ifindex(e->data);
	}
	return n;
}

static bool any_may_become_free(const struct tether_ctl *t)
{
	for (const struct l_queue_entry *e = l_queue_get_entries(services(t)); e; e = e->next)
		if (may_become_free(t, e->data))
			return true;
	return false;
}

static void set_tethered(struct tether_ctl *t, const int *ifindexes, unsigned int n, bool on)
{
	unsigned int count;
	struct service **all = services_snapshot(t, &count);

	for (unsigned int s = 0; s < count; s++)
		for (unsigned int i = 0; i < n; i++)
			if (service_ifindex(all[s]) == ifindexes[i])
				service_set_tethered(all[s], on);
	l_free(all);
}

static void clients_timeout(struct l_timeout *timeout, void *user_data);

static void clients_arm(struct tether_ctl *t, unsigned int ms)
{
	if (t->clients_timer)
		l_timeout_modify_ms(t->clients_timer, ms);
	else
		t->clients_timer = l_timeout_create_ms(ms, clients_timeout, t, NULL);
}

static void earliest_expiry(const struct dhcp_server_lease *lease, void *data)
{
	uint64_t *first = data;

	if (!*first || lease->expires < *first)
		*first = lease->expires;
}

/* The leases (the DHCP server's clock, CLOCK_BOOTTIME seconds) say who is a
 * client: look again just after the first one that ends, since the server
 * tells nothing when a lease expires. */
static void clients_arm_expiry(struct tether_ctl *t)
{
	uint64_t first = 0;
	struct timespec now;

	tether_ctl_foreach_lease(t, earliest_expiry, &first);
	if (!first)
		return;
	clock_gettime(CLOCK_BOOTTIME, &now);
	clients_arm(t, first > (uint64_t)now.tv_sec ? (first - now.tv_sec + 1) * 1000 : 1000);
}

/* The clients now against those last told: TetheringClientsChanged with the
 * difference, if any. */
static void clients_refresh(struct tether_ctl *t)
{
	char **now = tether_ctl_clients(t), **registered, **removed;

	if (tether_clients_update(t->clients, now, &registered, &removed))
		t->env.ops->clients_changed(registered, removed, t->env.data);
	l_strv_free(now);
	l_strv_free(registered);
	l_strv_free(removed);
	clients_arm_expiry(t);
}

static void clients_timeout(struct l_timeout *timeout, void *user_data)
{
	clients_refresh(user_data);
}

static void leases_changed(void *data)
{
	clients_arm(data, CLIENTS_COALESCE_MS);
}

/* The uplink of IPv6 tethering: the default service, when connected. */
static struct service *ipv6_uplink(const struct tether_ctl *t)
{
	const struct l_queue_entry *head = l_queue_get_entries(services(t));
	struct service *first = head ? head->data : NULL;

	if (!first || service_tethered(first) ||
	    !service_state_is_connected(service_get_state(first)))
		return NULL;
	return first;
}

/* What IPv6 tethering announces follows the uplink: its delegated prefix
 * (or none: the ULA fallback), whether it routes IPv6, its domains. */
static void ipv6_uplink_now(const struct tether_ctl *t, struct tether6_uplink *u)
{
	struct service *svc = ipv6_uplink(t);

	*u = (struct tether6_uplink) { .dns = t->env.ops->dns_proxy_runs(t->env.data) };
	if (!svc)
		return;
	u->delegated = service_delegated_prefix(svc);
	u->has_router = !IN6_IS_ADDR_UNSPECIFIED(&service_ipv6(svc)->gateway);
	u->domains = service_domains(svc);
	u->ifname = service_ifname(svc);
}

/* IPv6 comes with tethering; without it IPv4 tethering still works. */
static void start_ipv6(struct tether_ctl *t)
{
	struct tether6_uplink u;
	int err;

	if (!t->has_ula_id) {
		l_getrandom(t->ula_id, sizeof(t->ula_id));
		t->has_ula_id = true;
	}
	ipv6_uplink_now(t, &u);
	err = tethering_start_ipv6(t->tethering, t->ula_id, &u);
	l_strv_free(u.domains);
	if (err < 0)
		l_warn("tethering: no IPv6 on the bridge: %s", strerror(-err));
	if (t->forwarding6_before)
		tethering_set_forwarding6_before(t->tethering, t->forwarding6_before);
	else
		t->forwarding6_before = tethering_forwarding6_before(t->tethering);
}

static void update_ipv6(struct tether_ctl *t)
{
	struct tether6_uplink u;
	int err;

	if (!tethering_address6(t->tethering))
		return;
	ipv6_uplink_now(t, &u);
	err = tethering_set_ipv6(t->tethering, &u);
	l_strv_free(u.domains);
	if (err < 0)
		l_warn("tethering: IPv6 not updated: %s", strerror(-err));
	else if (err > 0)	/* the bridge's address moved: the DNS proxy follows */
		t->env.ops->update_dns(t->env.data);
}

/* The bridge, its subnet, server, rules and IPv6, with these links in it. */
static int start_bridge(struct tether_ctl *t, const int *ifindexes, unsigned int n)
{
	struct ipv4_net used[MAX_SUBNETS];
	unsigned int n_used;
	char *dns;
	int err;

	set_tethered(t, ifindexes, n, true);
	n_used = used_subnets(t, used);
	dns = uplink_dns(t);
	t->tethering = tethering_start(t->rtnl, t->fw, ifindexes, n, used, n_used,
				       t->subnet.prefix_len ? &t->subnet : NULL, dns, &err);
	l_free(dns);
	if (!t->tethering) {
		set_tethered(t, ifindexes, n, false);
		return err;
	}
	t->subnet = *tethering_subnet(t->tethering);
	tethering_set_lease_watch(t->tethering, leases_changed, t);
	if (t->forwarding_before)
		tethering_set_forwarding_before(t->tethering, t->forwarding_before);
	else
		t->forwarding_before = tethering_forwarding_before(t->tethering);
	start_ipv6(t);
	return 0;
}

static void join_free_links(struct tether_ctl *t);

/* The wired technology's free links: into a new bridge, or the one an
 * access point already has. */
static int start_wired(struct tether_ctl *t)
{
	int ifindexes[16];
	unsigned int n = pick_links(t, ifindexes, L_ARRAY_SIZE(ifindexes));
	int err;

	/* `tether on` right after start finds every spare link still waiting
	 * for DHCP: refusing then would make the user guess when to try again.
	 * Tethering turns on and links join as they turn out free; only when
	 * none is free nor may become so (every link an uplink) is it -ENODEV. */
	if (!n && !any_may_become_free(t))
		return -ENODEV;
	if (t->tethering) {
		join_free_links(t);
		return 0;
	}
	err = start_bridge(t, ifindexes, n);
	if (err < 0)
		return err;
	if (n)
		l_info("tethering on %u link(s)", n);
	else
		l_info("tethering on; links join once they turn out free");
	return 0;
}

/* The bridge goes with the last technology that tethered. */
static void stop_bridge(struct tether_ctl *t)
{
	unsigned int n;
	struct service **all;

	if (!t->tethering)
		return;
	tethering_stop(t->tethering);
	t->tethering = NULL;
	t->forwarding_before = 0;
	t->forwarding6_before = 0;
	clients_refresh(t);	/* every client is gone, told before "off" is */
	all = services_snapshot(t, &n);
	for (unsigned int i = 0; i < n; i++)
		service_set_tethered(all[i], false);
	l_free(all);
	l_info("tethering off");
	t->env.ops->update_dns(t->env.data);
}

/* The caller waiting for the AP hears how it went. */
static void ap_finish(struct ap_tech *ap, int result, const char *message)
{
	tether_ctl_done_fn done = ap->done;

	ap->done = NULL;
	if (done)
		done(result, message, ap->done_data);
}

/* The AP leaves the bridge and the bearer takes it down. */
static void ap_down(struct ap_tech *ap)
{
	struct tether_ctl *t = ap->ctl;
	const struct technology_driver *driver = technology_driver(ap->tech);

	if (ap->ifindex && t->tethering)
		tethering_remove_link(t->tethering, ap->ifindex);
	ap->ifindex = 0;
	ap->starting = false;
	driver->tether_stop(ap->tech, technology_driver_data(ap->tech));
}

/* connd stops: every technology stops tethering, what was saved stays for
 * the next start. An access point ends with the bridge that served it (its
 * bearer's requests go out as connd leaves, with no reply to wait for); a
 * caller waiting for one to start hears that it will not. */
void tether_ctl_stop(struct tether_ctl *t)
{
	for (const struct l_queue_entry *e = l_queue_get_entries(t->aps); e; e = e->next) {
		struct ap_tech *ap = e->data;
		bool starting = ap->starting;

		if (!starting && !ap->ifindex)
			continue;
		ap_down(ap);
		if (starting)
			ap_finish(ap, -ECANCELED, "connd is stopping");
	}
	stop_bridge(t);
}

/* main.conf's TetheringTechnologies, as ConnMan reads it: by default
 * (wifi,bluetooth,gadget) ethernet may not tether, since its DHCP server
 * would answer on every cable it is given. */
static bool allowed(const struct tether_ctl *t, const struct technology *tech)
{
	return l_strv_contains(t->env.config->tethering_technologies, technology_type(tech));
}

static void set_flag(struct tether_ctl *t, struct technology *tech, bool on)
{
	technology_set_tethering(tech, on);
	technology_dbus_emit(t->env.dbus, tech, "Tethering");
	t->env.ops->update_dns(t->env.data);
	t->env.ops->save(t->env.data);
}

/* The wired technology's links leave a bridge an access point keeps. */
static void unbridge_wired(struct tether_ctl *t)
{
	unsigned int n;
	struct service **all = services_snapshot(t, &n);

	for (unsigned int i = 0; i < n; i++) {
		if (!service_tethered(all[i]))
			continue;
		tethering_remove_link(t->tethering, service_ifindex(all[i]));
		service_set_tethered(all[i], false);
	}
	l_free(all);
}

static int set_wired(struct tether_ctl *t, struct technology *tech, bool on)
{
	int err;

	if (on) {
		t->wired = tech;
		err = start_wired(t);
		if (err < 0) {
			t->wired = NULL;
			return err;
		}
	} else {
		t->wired = NULL;
		if (any_tethering(t))
			unbridge_wired(t);
		else
			stop_bridge(t);
	}
	set_flag(t, tech, on);
	return 0;
}

/* The bearer's AP is up (result: its ifindex) or could not start: its link
 * joins the bridge, made for it if no other technology tethers. */
static void ap_started(int result, const char *message, void *data)
{
	struct ap_tech *ap = data;
	struct tether_ctl *t = ap->ctl;
	char ifname[IF_NAMESIZE] = "", why[64], text[160];
	int err;

	ap->starting = false;
	if (result < 0) {
		l_warn("tethering: %s: %s", ap->name, message);
		ap_down(ap);
		ap_finish(ap, result, message);
		return;
	}
	if_indextoname(result, ifname);
	err = t->tethering ? tethering_add_link(t->tethering, result) : start_bridge(t, &result, 1);
	if (err < 0) {
		snprintf(why, sizeof(why), "%s", !t->fw ? "nftables is unavailable (no NAT)" :
			 strerror(-err));
		l_warn("tethering: %s's access point %s cannot join the bridge: %s", ap->name, ifname,
		       why);
		ap_down(ap);
		snprintf(text, sizeof(text), "the access point's link cannot join the tethering "
			 "bridge: %s", why);
		ap_finish(ap, err, text);
		return;
	}
	ap->ifindex = result;
	ap->settings.saved_on = true;
	l_info("tethering: %s's access point %s joins the bridge", ap->name, ifname);
	set_flag(t, ap->tech, true);
	ap_finish(ap, 0, NULL);
}

static void ap_off(struct ap_tech *ap)
{
	struct tether_ctl *t = ap->ctl;

	ap_down(ap);
	if (!any_tethering(t))
		stop_bridge(t);
	ap->settings.saved_on = false;
	set_flag(t, ap->tech, false);
}

static int set_ap(struct tether_ctl *t, struct ap_tech *ap, bool on, tether_ctl_done_fn done,
		  void *data)
{
	const struct technology_driver *driver = technology_driver(ap->tech);
	int err;

	if (!on) {
		ap_off(ap);
		return 0;
	}
	if (!ap->settings.identifier || !ap->settings.passphrase)
		return -EINVAL;
	err = driver->tether_start(ap->tech, &ap->settings, ap_started, ap,
				   technology_driver_data(ap->tech));
	if (err < 0)
		return err;
	ap->starting = true;
	ap->done = done;
	ap->done_data = data;
	return 1;
}

int tether_ctl_set(struct tether_ctl *t, struct technology *tech, bool on,
		   tether_ctl_done_fn done, void *data)
{
	struct ap_tech *ap = ap_of(t, tech);

	if (!allowed(t, tech))
		return -EPERM;
	if (ap && ap->starting)
		return -EINPROGRESS;
	if (technology_tethering(tech) == on)
		return -EALREADY;
	if (tethers_by_ap(tech))
		return ap ? set_ap(t, ap, on, done, data) : -ENODEV;
	return set_wired(t, tech, on);
}

void tether_ctl_lost(struct tether_ctl *t, struct technology *tech)
{
	struct ap_tech *ap = ap_of(t, tech);

	if (!ap || !ap->ifindex)
		return;
	l_info("tethering: %s's access point went; %s tethering off", ap->name, ap->name);
	ap_off(ap);
}

static void restore_done(int result, const char *message, void *data)
{
	struct ap_tech *ap = data;

	if (result < 0)
		l_warn("tethering: %s not restored: %s", ap->name, message);
	else
		l_info("tethering: %s restored", ap->name);
}

/* After the technology came (not from inside its driver's own pass): its AP
 * again if it was on, else none left behind by a run that died. */
static void restore_now(struct l_idle *idle, void *data)
{
	struct ap_tech *ap = data;
	struct tether_ctl *t = ap->ctl;
	const struct technology_driver *driver = technology_driver(ap->tech);
	bool may = ap->restore_may;
	int err;

	l_idle_remove(ap->restore);
	ap->restore = NULL;
	if (ap->settings.saved_on && !t->env.config->persistent_tethering_mode)
		l_info("tethering: %s was on; not restored, PersistentTetheringMode is false",
		       ap->name);
	if (ap->settings.saved_on && may && t->env.config->persistent_tethering_mode &&
	    allowed(t, ap->tech)) {
		err = tether_ctl_set(t, ap->tech, true, restore_done, ap);
		if (err < 0 && err != -EALREADY)
			l_warn("tethering: %s not restored: %s", ap->name, strerror(-err));
		if (err >= 0 || err == -EALREADY)
			return;
	}
	if (!technology_tethering(ap->tech))
		driver->tether_stop(ap->tech, technology_driver_data(ap->tech));
}

void tether_ctl_technology_added(struct tether_ctl *t, struct technology *tech, bool may)
{
	struct ap_tech *ap;

	if (!tethers_by_ap(tech))
		return;
	ap = ap_entry(t, technology_name(tech));
	ap->tech = tech;
	ap->restore_may = may;
	if (!ap->restore)
		ap->restore = l_idle_create(restore_now, ap, NULL);
}

void tether_ctl_technology_removed(struct tether_ctl *t, struct technology *tech)
{
	struct ap_tech *ap = ap_of(t, tech);

	if (!ap)
		return;
	l_idle_remove(ap->restore);
	ap->restore = NULL;
	if (ap->starting) {
		ap_down(ap);
		ap_finish(ap, -ENODEV, "the technology went away");
	} else if (ap->ifindex) {
		tether_ctl_lost(t, tech);
	}
	ap->tech = NULL;
}

const struct tether_ap *tether_ctl_ap(const struct tether_ctl *t, const struct technology *tech)
{
	struct ap_tech *ap = ap_of(t, tech);

	return ap ? &ap->settings : NULL;
}

/* A new value of one of the AP's strings, checked, kept and saved. */
static int set_ap_string(struct tether_ctl *t, const struct technology *tech, char **field,
			 const char *value, int (*check)(const char *))
{
	int err = check(value);

	if (err < 0)
		return err;
	if (l_streq0(*field, value))
		return -EALREADY;
	if (*field)
		explicit_bzero(*field, strlen(*field));
	l_free(*field);
	*field = l_strdup(value);
	t->env.ops->save(t->env.data);
	return 0;
}

int tether_ctl_set_ap_identifier(struct tether_ctl *t, const struct technology *tech,
				 const char *identifier)
{
	struct ap_tech *ap = ap_of(t, tech);

	if (!ap)
		return -EOPNOTSUPP;
	return set_ap_string(t, tech, &ap->settings.identifier, identifier,
			     tether_ap_check_identifier);
}

int tether_ctl_set_ap_passphrase(struct tether_ctl *t, const struct technology *tech,
				 const char *passphrase)
{
	struct ap_tech *ap = ap_of(t, tech);

	if (!ap)
		return -EOPNOTSUPP;
	return set_ap_string(t, tech, &ap->settings.passphrase, passphrase,
			     tether_ap_check_passphrase);
}

int tether_ctl_set_ap_freq(struct tether_ctl *t, const struct technology *tech, int32_t freq)
{
	struct ap_tech *ap = ap_of(t, tech);
	int err = tether_ap_check_freq(freq);

	if (!ap)
		return -EOPNOTSUPP;
	if (err < 0)
		return err;
	if (ap->settings.freq == freq)
		return -EALREADY;
	ap->settings.freq = freq;
	t->env.ops->save(t->env.data);
	return 0;
}

/* Tethering was on when connd last saved its settings: on again, on the
 * same links, once they are known — if main.conf's PersistentTetheringMode
 * asks for it, as in ConnMan (whose default is not to). */
void tether_ctl_restore(struct tether_ctl *t, struct technology *tech)
{
	int err;

	if (!t->saved_on || !tech)
		goto out;
	if (!t->env.config->persistent_tethering_mode) {
		l_info("tethering: was on; not restored, PersistentTetheringMode is false");
		goto out;
	}
	err = tether_ctl_set(t, tech, true, NULL, NULL);
	if (err == -EPERM)
		l_warn("tethering: not restored: TetheringTechnologies does not list %s",
		       technology_type(tech));
	else if (err < 0 && err != -EALREADY)
		l_warn("tethering: cannot restore it: %s", strerror(-err));
	else
		l_info("tethering restored");
out:
	if (!t->tethering && t->forwarding_before) {
		/* It was on when connd died and does not come back. */
		tethering_restore_forwarding(t->forwarding_before);
		l_info("tethering: IPv4 forwarding set back to %c", t->forwarding_before);
		t->forwarding_before = 0;
		t->env.ops->save(t->env.data);
	}
	if (!t->tethering && t->forwarding6_before) {
		tethering_restore_forwarding6(t->forwarding6_before);
		l_info("tethering: IPv6 forwarding set back to %c", t->forwarding6_before);
		t->forwarding6_before = 0;
		t->env.ops->save(t->env.data);
	}
	l_strv_free(t->saved_services);
	t->saved_services = NULL;
}

/* used overlaps the bridge's subnet: it moves to a free one; `why` names
 * what took it, for the log. */
static int avoid(struct tether_ctl *t, const struct ipv4_net *used, unsigned int n,
		 const char *why)
{
	struct ipv4_net old = *tethering_subnet(t->tethering), now;
	char a[16], b[16];
	int moved = tethering_avoid(t->tethering, used, n);

	if (moved == 0)
		return 0;
	now = *tethering_subnet(t->tethering);
	if (moved < 0)
		l_warn("tethering: %s overlaps %s/%u and no other subnet is free: %s", why,
		       ipv4_ntop(old.address, a), old.prefix_len, strerror(-moved));
	else
		l_info("tethering: moved from %s/%u to %s/%u: %s overlaps it; clients get "
		       "addresses in the new subnet when they renew", ipv4_ntop(old.address, a),
		       old.prefix_len, ipv4_ntop(now.address, b), now.prefix_len, why);
	clients_refresh(t);	/* a new server: the old leases are gone */
	if (t->subnet.address != now.address || t->subnet.prefix_len != now.prefix_len) {
		t->subnet = now;
		t->env.ops->save(t->env.data);
	}
	t->env.ops->update_dns(t->env.data);
	return moved;
}

/* An address appeared somewhere: if it takes our subnet, tethering moves. */
void tether_ctl_address_added(struct tether_ctl *t)
{
	struct ipv4_net used[MAX_SUBNETS];

	if (!t->tethering)
		return;
	if (avoid(t, used, used_subnets(t, used), "an address of another link") == 0)
		t->env.ops->update_dns(t->env.data);
}

void tether_ctl_claim(struct tether_ctl *t, int ifindex, uint32_t address, uint8_t prefix_len)
{
	struct ipv4_net used[MAX_SUBNETS + 1];
	char ifname[IF_NAMESIZE] = "", why[64], buf[16];
	unsigned int n;

	if (!t || !t->tethering || ifindex == tethering_ifindex(t->tethering))
		return;
	n = used_subnets(t, used);
	used[n++] = (struct ipv4_net) { address, prefix_len };
	if_indextoname(ifindex, ifname);
	snprintf(why, sizeof(why), "%s's address %s/%u", ifname, ipv4_ntop(address, buf),
		 prefix_len);
	avoid(t, used, n, why);
}

static bool has_service(const struct tether_ctl *t, int ifindex)
{
	for (const struct l_queue_entry *e = l_queue_get_entries(services(t)); e; e = e->next)
		if (service_ifindex(e->data) == ifindex)
			return true;
	return false;
}

/* A bridged link the kernel removed is no longer ours to let go. */
static void forget_gone_links(struct tether_ctl *t)
{
	unsigned int n;
	const int *links = tethering_links(t->tethering, &n);

	for (unsigned int i = n; i-- > 0;)
		if (!has_service(t, links[i]) &&
		    !l_queue_find(t->aps, is_ap_link, L_INT_TO_PTR(links[i])))
			tethering_forget_link(t->tethering, links[i]);
}

/* Links that turned out free join the bridge; a link in the bridge is a
 * tethered port whatever happened to its service. */
static void join_free_links(struct tether_ctl *t)
{
	unsigned int n, joined = 0;
	struct service **all = services_snapshot(t, &n);
	int err;

	for (unsigned int i = 0; i < n; i++) {
		if (tethering_has_link(t->tethering, service_ifindex(all[i]))) {
			service_set_tethered(all[i], true);
			continue;
		}
		if (!free_to_tether(t, all[i]))
			continue;
		err = tethering_add_link(t->tethering, service_ifindex(all[i]));
		if (err < 0) {
			l_warn("tethering: %s cannot join the bridge: %s", service_ifname(all[i]),
			       strerror(-err));
			continue;
		}
		l_info("tethering: %s joins the bridge", service_ifname(all[i]));
		service_set_tethered(all[i], true);
		joined++;
	}
	l_free(all);
	if (joined)
		t->env.ops->save(t->env.data);
}

/* A service changed: the clients' DNS follows the uplink, and links that
 * turned out free join the bridge. */
/* IPv6 tethering wants a prefix delegated to the uplink (the first service
 * not tethered) and none anywhere else, nor anywhere while tethering is off
 * (a prefix held is then released). */
static void want_uplink_prefix(const struct tether_ctl *t)
{
	unsigned int n;
	struct service **all = services_snapshot(t, &n);
	bool found = false;

	for (unsigned int i = 0; i < n; i++) {
		bool uplink = t->tethering && !found && !service_tethered(all[i]);

		found |= uplink;
		service_want_prefix(all[i], uplink);
	}
	l_free(all);
}

void tether_ctl_update(struct tether_ctl *t)
{
	char *dns;

	want_uplink_prefix(t);
	if (!t->tethering || t->updating)
		return;
	t->updating = true;
	dns = uplink_dns(t);
	tethering_set_dns(t->tethering, dns);
	l_free(dns);
	forget_gone_links(t);
	if (t->wired)
		join_free_links(t);
	update_ipv6(t);
	t->updating = false;
}

/* connd's [Wired] TetheringSubnet: "192.168.5.0/24". */
static void load_subnet(struct tether_ctl *t, const struct l_settings *s)
{
	char *text = l_settings_get_string(s, "Wired", "TetheringSubnet");
	char *slash = text ? strchr(text, '/') : NULL;
	struct in_addr a;

	if (!text)
		return;
	if (slash && !strcmp(slash, "/24") && (*slash = '\0', inet_pton(AF_INET, text, &a) == 1) &&
	    (ntohl(a.s_addr) & 0xff) == 0)
		t->subnet = (struct ipv4_net) { a.s_addr, 24 };
	else
		l_warn("%s/%s: Wired.TetheringSubnet is not a /24; ignored",
		       t->env.settings_dir, t->env.settings_name);
	l_free(text);
}

/* connd's [Wired] TetheringULA: the ten hex digits of the ULA's global ID. */
static void load_ula_id(struct tether_ctl *t, const struct l_settings *s)
{
	char *text = l_settings_get_string(s, "Wired", "TetheringULA");

	if (text && tether6_ula_id_parse(text, t->ula_id) == 0)
		t->has_ula_id = true;
	else if (text)
		l_warn("%s/%s: Wired.TetheringULA is not 10 hex digits; a new one is made",
		       t->env.settings_dir, t->env.settings_name);
	l_free(text);
}

/* ConnMan's keys of a technology that tethers through its own access point,
 * in the technology's group ([WiFi]); the wired one's are connd's own. */
static void load_aps(struct tether_ctl *t, const struct l_settings *s)
{
	char **groups = l_settings_get_groups(s);
	const char *bad;

	for (char **g = groups; g && *g; g++) {
		if (!strcmp(*g, "Wired") || !l_settings_has_key(s, *g, "Tethering.Identifier"))
			continue;
		tether_ap_load(&ap_entry(t, *g)->settings, s, *g, &bad);
		if (bad)
			l_warn("%s/%s: %s.%s is not valid; ignored", t->env.settings_dir,
			       t->env.settings_name, *g, bad);
	}
	l_strv_free(groups);
}

/* ConnMan's [Wired] Tethering, plus connd's [Wired] TetheredServices (which
 * links to bridge again when tethering comes back after a restart) and
 * IPv4ForwardingBefore and IPv6ForwardingBefore (what to set the
 * forwarding switches back to, even after a crash), TetheringSubnet and
 * TetheringULA (the same IPv4 and IPv6 subnets after a restart). */
void tether_ctl_load(struct tether_ctl *t, const struct l_settings *s)
{
	bool value;

	if (l_settings_get_bool(s, "Wired", "Tethering", &value))
		t->saved_on = value;
	else if (l_settings_has_key(s, "Wired", "Tethering"))
		l_warn("%s/%s: Wired.Tethering is not a boolean; ignored",
		       t->env.settings_dir, t->env.settings_name);
	t->saved_services = l_settings_get_string_list(s, "Wired", "TetheredServices", ';');
	if (l_settings_get_bool(s, "Wired", "IPv4ForwardingBefore", &value))
		t->forwarding_before = value ? '1' : '0';
	if (l_settings_get_bool(s, "Wired", "IPv6ForwardingBefore", &value))
		t->forwarding6_before = value ? '1' : '0';
	load_subnet(t, s);
	load_ula_id(t, s);
	load_aps(t, s);
}

static char **tethered_ids(const struct tether_ctl *t)
{
	char **ids = l_new(char *, 1);

	for (const struct l_queue_entry *e = l_queue_get_entries(services(t)); e; e = e->next)
		if (service_tethered(e->data))
			ids = l_strv_append(ids, service_id(e->data));
	return ids;
}

void tether_ctl_save(const struct tether_ctl *t, struct l_settings *s)
{
	char **ids = t->wired ? tethered_ids(t) : NULL;

	for (const struct l_queue_entry *e = l_queue_get_entries(t->aps); e; e = e->next) {
		const struct ap_tech *ap = e->data;

		tether_ap_save(&ap->settings, s, ap->name);
	}
	l_settings_set_bool(s, "Wired", "Tethering", t->wired != NULL);
	if (ids && ids[0])
		l_settings_set_string_list(s, "Wired", "TetheredServices", ids, ';');
	l_strv_free(ids);
	if (t->subnet.prefix_len) {
		char net[INET_ADDRSTRLEN], text[24];

		snprintf(text, sizeof(text), "%s/24", ipv4_ntop(t->subnet.address, net));
		l_settings_set_string(s, "Wired", "TetheringSubnet", text);
	}
	if (t->forwarding_before)
		l_settings_set_bool(s, "Wired", "IPv4ForwardingBefore", t->forwarding_before == '1');
	if (t->forwarding6_before)
		l_settings_set_bool(s, "Wired", "IPv6ForwardingBefore", t->forwarding6_before == '1');
	if (t->has_ula_id) {
		char text[TETHER6_ULA_ID_TEXT];

		tether6_ula_id_format(t->ula_id, text);
		l_settings_set_string(s, "Wired", "TetheringULA", text);
	}
}

uint32_t tether_ctl_address(const struct tether_ctl *t)
{
	return t->tethering ? tethering_address(t->tethering) : 0;
}

const struct in6_addr *tether_ctl_address6(const struct tether_ctl *t)
{
	return t->tethering ? tethering_address6(t->tethering) : NULL;
}

static void add_mac(const struct dhcp_server_lease *lease, void *data)
{
	char ***macs = data, mac[18];

	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", lease->mac[0], lease->mac[1],
		 lease->mac[2], lease->mac[3], lease->mac[4], lease->mac[5]);
	*macs = l_strv_append(*macs, mac);
}

char **tether_ctl_clients(const struct tether_ctl *t)
{
	char **macs = NULL;

	if (t->tethering)
		dhcp_server_foreach_lease(tethering_dhcp(t->tethering), add_mac, &macs);
	return tether_clients_sort(macs);
}

void tether_ctl_foreach_lease(const struct tether_ctl *t,
			      void (*fn)(const struct dhcp_server_lease *lease, void *data),
			      void *data)
{
	if (t->tethering)
		dhcp_server_foreach_lease(tethering_dhcp(t->tethering), fn, data);
}
