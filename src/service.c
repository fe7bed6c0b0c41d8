#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <ell/ell.h>

#include "captive-api.h"
#include "dhcp6-link.h"
#include "ipv4-link.h"
#include "ipv6-before.h"
#include "ipv6-link.h"
#include "ipv6-dns.h"
#include "ipv6-prefix.h"
#include "nd-options.h"
#include "online.h"
#include "rtnl.h"
#include "service.h"
#include "service-settings.h"
#include "ticker.h"

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000	/* linux/if.h, which clashes with net/if.h */
#endif

/* The online check of one address family. */
struct family_check {
	struct service *svc;
	int family;			/* AF_INET, AF_INET6 */
	struct online_check *check;
	struct tick *retry;		/* on env->ticker: a retry cannot fail to be set */
	unsigned int failures;		/* failed checks in a row */
	bool ok;			/* its last check succeeded */
};

struct service {
	const struct service_env *env;
	const struct service_driver *driver;
	void *driver_data;
	char *id;
	char *path;
	const char *type;
	char *name;
	char **security;
	uint8_t strength;
	bool favorite;
	bool roaming;
	int ifindex;
	char ifname[IF_NAMESIZE];
	uint8_t mac[6];
	uint32_t mtu;
	uint16_t link_type;	/* ARPHRD_* */
	unsigned int order;
	unsigned int slot;
	bool available;		/* the network is there: carrier, AP in range */
	uint64_t connected_at;	/* when it last became ready; 0 while not connected */
	bool user_disconnected;	/* a Disconnect holds until the next Connect */
	bool user_connected;	/* the last Connect was the user's, not a bearer's or policy's */
	int link_result;	/* what a failed association tells Connect: -EIO, -ENXIO */
	bool tethered;		/* its link is in the tethering bridge */
	bool immutable;		/* configured by a provisioning file */
	bool bearer_autoconnects;	/* service_desc's */
	enum service_state state;
	const char *error;
	bool autoconnect;
	struct ipv4_settings ipv4_config;
	struct ipv6_settings ipv6_config;
	struct ipv6_status ipv6;		/* what the kernel has on the link */
	struct ipv6_link_saved ipv6_before;	/* the link's sysctls before connd */
	bool ipv6_on;
	struct ipv6_dns *ipv6_dns;		/* nameservers and domains from RAs */
	bool ipv6_dns_over;			/* said that RAs name too many: once a run */
	struct dhcp6_link *dhcp6;		/* DHCPv6 as the RAs' M and O flags say */
	char **nameservers_config;
	char **timeservers_config;
	char **domains_config;
	struct proxy_config proxy_config;
	struct proxy_config proxy;		/* in force, as last announced */
	struct ipv4_link *ipc;
	uint32_t previous_address;
	struct family_check checks[2];	/* IPv4's, IPv6's */
	int online_family;	/* the family whose check "online" rests on */
	void *portal;		/* env->portal_start's episode, while behind a portal */
	struct captive_api *captive;	/* asked before the online check when known */
	struct captive_api_env captive_env;
	struct tick *captive_retry;	/* the API asked again while captive */
	unsigned int captive_failures;	/* captive answers in a row: the back-off */
	bool captive_answered;		/* while the HTTP checks start after its verdict */
	bool prefix_wanted;		/* tethering wants a delegated prefix */
	bool has_prefix;
	struct ipv6_prefix prefix;	/* delegated to the link, if has_prefix */
	char **bearer_nameservers;	/* the bearer's own (a VPN's pushed servers) */
	char **bearer_domains;
	bool carries_default;		/* a VPN holding every route not more specific elsewhere */
	service_connect_done_fn connect_done;
	void *connect_data;
	char *requester;	/* the bus name of the user's pending connect */
	int asked;		/* env->report_error's question about the failure, 0: none */
	int failure_result;	/* what the held connect gets when the user declines */
};

static void notify(struct service *svc, enum service_prop prop)
{
	svc->env->notify(svc, prop, svc->env->notify_data);
}

/* The proxy in force follows the configuration, the state, DHCP's PAC URL
 * and the search domains: recomputed wherever those change, announced
 * when it differs. Nothing is in force while not connected, as in ConnMan. */
static void update_proxy(struct service *svc)
{
	struct proxy_config now = { 0 };
	char **domains;

	if (service_state_is_connected(svc->state)) {
		domains = service_domains(svc);
		proxy_in_force(&svc->proxy_config, ipv4_link_pac_url(svc->ipc),
			       domains ? domains[0] : NULL, &now);
		l_strv_free(domains);
	}
	if (proxy_config_equal(&now, &svc->proxy)) {
		proxy_config_clear(&now);
		return;
	}
	proxy_config_clear(&svc->proxy);
	svc->proxy = now;
	notify(svc, SERVICE_PROP_PROXY);
}

static void set_error(struct service *svc, const char *error)
{
	if (svc->error == error)
		return;
	svc->error = error;
	notify(svc, SERVICE_PROP_ERROR);
}

static void finish_connect(struct service *svc, int result)
{
	service_connect_done_fn done = svc->connect_done;

	svc->connect_done = NULL;
	l_free(svc->requester);
	svc->requester = NULL;
	if (done)
		done(svc, result, svc->connect_data);
}

static bool ipv6_usable(const struct service *svc);
static void handle_event(struct service *svc, enum service_event event);

static void end_portal(struct service *svc)
{
	if (svc->portal)
		svc->env->portal_end(svc->portal, svc->env->notify_data);
	svc->portal = NULL;
}

static struct family_check *check_of(struct service *svc, int family)
{
	return &svc->checks[family == AF_INET6];
}

static struct family_check *other_check(struct family_check *fc)
{
	return &fc->svc->checks[fc->family != AF_INET6];
}

static int ip_version(int family)
{
	return family == AF_INET6 ? 6 : 4;
}

static void cancel_family_check(struct family_check *fc)
{
	online_check_cancel(fc->check);
	fc->check = NULL;
	tick_remove(fc->retry);
	fc->retry = NULL;
}

static void stop_online_check(struct service *svc)
{
	for (unsigned int i = 0; i < L_ARRAY_SIZE(svc->checks); i++) {
		cancel_family_check(&svc->checks[i]);
		svc->checks[i].ok = false;
	}
	captive_api_stop(svc->captive);
	tick_remove(svc->captive_retry);
	svc->captive_retry = NULL;
	svc->captive_failures = 0;
	end_portal(svc);
}

/* Whether the family can carry traffic beyond the link. IPv4 needs a
 * routable address and a gateway: a link-local address reaches no further
 * than the cable, and without a gateway there is no default route (a check
 * bound to the link would still reach a server that answers ARP for the
 * check address, and call online a service that carries no traffic). */
static bool family_usable(const struct family_check *fc)
{
	const struct ipv4_settings *v4 = ipv4_link_current(fc->svc->ipc);

	if (fc->family == AF_INET6)
		return ipv6_usable(fc->svc);
	return v4->address && v4->method != IPV4_METHOD_AUTO && v4->gateway;
}

static const char *family_url(const struct family_check *fc)
{
	const struct service_env *env = fc->svc->env;

	return fc->family == AF_INET6 ? env->online_url6 : env->online_url;
}

static void start_family_check(struct family_check *fc, bool while_online);

static void online_retry_expired(struct tick *tick, void *user_data)
{
	struct family_check *fc = user_data;

	tick_remove(fc->retry);
	fc->retry = NULL;
	start_family_check(fc, false);
}

static void family_failed(struct family_check *fc, int result,
			  const struct online_answer *answer)
{
	struct service *svc = fc->svc;
	const struct service_env *env = svc->env;
	unsigned int interval;

	fc->ok = false;
	fc->failures++;
	if (svc->state == SERVICE_STATE_ONLINE) {
		/* The family online was to rest on next: nothing left. */
		if (svc->online_family == fc->family)
			handle_event(svc, SERVICE_EVENT_ONLINE_FAILED);
		return;
	}
	interval = online_retry_interval(env->online_interval_style, env->online_initial_interval,
					 env->online_max_interval, fc->failures);
	l_debug("%s: IPv%d online check failed (%d), again in %us", svc->id,
		ip_version(fc->family), result, interval);
	/* Once per episode: the retries find the same portal. */
	if (result == 0 && env->portal_start && !svc->portal)
		svc->portal = env->portal_start(svc, family_url(fc), fc->family, answer,
						env->notify_data);
	fc->retry = tick_add(env->ticker, interval * 1000ULL, online_retry_expired, fc, NULL);
}

/* ConnMan's rule: online as soon as either family's check succeeds. */
static void family_result(int result, const struct online_answer *answer, void *user_data)
{
	struct family_check *fc = user_data;
	struct service *svc = fc->svc;

	fc->check = NULL;
	if (result != 1) {
		family_failed(fc, result, answer);
		return;
	}
	fc->ok = true;
	fc->failures = 0;
	end_portal(svc);
	if (svc->state != SERVICE_STATE_READY)
		return;
	svc->online_family = fc->family;
	l_info("%s: online by the IPv%d check", svc->id, ip_version(fc->family));
	handle_event(svc, SERVICE_EVENT_ONLINE_OK);
}

char **service_online_nameservers(const struct service *svc)
{
	char **servers = service_nameservers(svc);

	/* The same stand-ins the DNS proxy takes when the service names none. */
	if (!servers || !servers[0]) {
		l_strv_free(servers);
		servers = l_strv_copy((char **)svc->env->fallback_nameservers);
	}
	return servers;
}

/* Runs while ready (each family on its own retries); while online only
 * for the family online is to rest on next. */
static void start_family_check(struct family_check *fc, bool while_online)
{
	struct service *svc = fc->svc;
	const char *url = family_url(fc);
	char **servers;

	if (!url || fc->check || !family_usable(fc))
		return;
	if (svc->state != SERVICE_STATE_READY &&
	    !(while_online && svc->state == SERVICE_STATE_ONLINE))
		return;
	tick_remove(fc->retry);
	fc->retry = NULL;
	servers = service_online_nameservers(svc);
	fc->check = online_check_start(url, fc->family, svc->ifname, servers,
				       svc->env->online_timeout_ms, family_result, fc);
	l_strv_free(servers);
}

/* Both families where both are usable, each with its own URL. */
/* The Captive Portal API (captive-api.h), asked before the HTTP checks. */

/* The family the API is asked over: IPv4 while it carries traffic, else
 * IPv6; 0 when neither does. */
static int captive_family(const struct service *svc)
{
	for (unsigned int i = 0; i < L_ARRAY_SIZE(svc->checks); i++)
		if (family_url(&svc->checks[i]) && family_usable(&svc->checks[i]))
			return svc->checks[i].family;
	return 0;
}

/* true: the API is being asked, its verdict (captive_verdict()) comes
 * later; false: there is none, or it has just answered, and the HTTP
 * checks run. */
static bool ask_captive_api(struct service *svc)
{
	int family = captive_family(svc);
	char **servers;
	int err;

	if (svc->captive_answered || !family || svc->state != SERVICE_STATE_READY)
		return false;
	servers = service_online_nameservers(svc);
	err = captive_api_check(svc->captive, family, svc->ifname, servers);
	l_strv_free(servers);
	return err != -ENOENT;
}

static void start_online_check(struct service *svc);

/* A new API URI: asked at once, even when the HTTP check said online (its
 * verdict may take the service back to ready). */
static void captive_uri_changed(struct service *svc)
{
	int family = captive_family(svc);
	char **servers;

	if (svc->state == SERVICE_STATE_READY && !svc->captive_retry)
		start_online_check(svc);
	if (svc->state != SERVICE_STATE_ONLINE || !family)
		return;
	servers = service_online_nameservers(svc);
	captive_api_check(svc->captive, family, svc->ifname, servers);
	l_strv_free(servers);
}

static void captive_retry_expired(struct tick *tick, void *user_data)
{
	struct service *svc = user_data;

	tick_remove(svc->captive_retry);
	svc->captive_retry = NULL;
	start_online_check(svc);
}

/* Captive: ask again later, the waits growing as failed checks' do. */
static void retry_while_captive(struct service *svc)
{
	const struct service_env *env = svc->env;
	unsigned int interval = online_retry_interval(env->online_interval_style,
						      env->online_initial_interval,
						      env->online_max_interval,
						      ++svc->captive_failures);

	l_debug("%s: captive, asking the API again in %us", svc->id, interval);
	tick_remove(svc->captive_retry);
	svc->captive_retry = tick_add(env->ticker, interval * 1000ULL, captive_retry_expired, svc,
				      NULL);
}

/* While the API says captive the service stays ready (an online one goes
 * back to it); when it lets the device out, the HTTP checks decide, as
 * they do when the API cannot be used. */
static void captive_verdict(enum captive_verdict verdict, const char *user_url, bool first,
			    void *data)
{
	struct service *svc = data;

	switch (verdict) {
	case CAPTIVE_LOCKED:
		if (svc->state == SERVICE_STATE_ONLINE)
			handle_event(svc, SERVICE_EVENT_ONLINE_FAILED);	/* asks again */
		else if (svc->state == SERVICE_STATE_READY)
			retry_while_captive(svc);
		if (first && user_url && svc->env->portal_api)
			svc->env->portal_api(svc, user_url, svc->env->notify_data);
		break;
	case CAPTIVE_OPEN:
	case CAPTIVE_UNKNOWN:
		svc->captive_failures = 0;
		svc->captive_answered = true;	/* the HTTP checks' turn */
		start_online_check(svc);
		svc->captive_answered = false;
		break;
	}
}

static void start_online_check(struct service *svc)
{
	if (ask_captive_api(svc))
		return;
	for (unsigned int i = 0; i < L_ARRAY_SIZE(svc->checks); i++)
		start_family_check(&svc->checks[i], false);
}

/* A family's check when nothing else is running or waiting for it. */
static void check_family_again(struct service *svc, int family)
{
	struct family_check *fc = check_of(svc, family);

	if (!fc->retry)
		start_family_check(fc, false);
}

/* An IPv6 address and a router to reach the rest through: the service can
 * be up on IPv6 alone, as on an IPv6-only network. */
static bool ipv6_usable(const struct service *svc)
{
	return !IN6_IS_ADDR_UNSPECIFIED(&svc->ipv6.address) &&
	       !IN6_IS_ADDR_UNSPECIFIED(&svc->ipv6.gateway);
}

void service_check_online_now(struct service *svc)
{
	if (svc->state != SERVICE_STATE_READY)
		return;
	for (unsigned int i = 0; i < L_ARRAY_SIZE(svc->checks); i++) {
		cancel_family_check(&svc->checks[i]);
		svc->checks[i].failures = 0;
	}
	start_online_check(svc);
}

/* The link or its routes changed under a ready service: whatever the last
 * checks met (a portal, no answer) may be gone, so they start over now,
 * their back-off and the portal episode with them. */
static void routes_changed(struct service *svc)
{
	if (svc->state != SERVICE_STATE_READY)
		return;
	l_debug("%s: routes changed: checking again now", svc->id);
	end_portal(svc);
	service_check_online_now(svc);
}

/* A family is gone. Online rests on the other one if its check succeeded,
 * or once it does (checked now); back to ready only when it cannot. */
static void recheck_online(struct service *svc, int family_gone)
{
	struct family_check *gone = check_of(svc, family_gone), *other = other_check(gone);

	cancel_family_check(gone);
	gone->ok = false;
	if (svc->state != SERVICE_STATE_ONLINE || svc->online_family != family_gone)
		return;
	if (other->ok || (family_url(other) && family_usable(other))) {
		svc->online_family = other->family;
		l_info("%s: IPv%d gone; online rests on IPv%d%s", svc->id, ip_version(family_gone),
		       ip_version(other->family), other->ok ? "" : " if its check succeeds");
		if (!other->ok)
			start_family_check(other, true);
		return;
	}
	handle_event(svc, SERVICE_EVENT_ONLINE_FAILED);
}

static void notify_lists(struct service *svc)
{
	notify(svc, SERVICE_PROP_NAMESERVERS);
	notify(svc, SERVICE_PROP_TIMESERVERS);
	notify(svc, SERVICE_PROP_DOMAINS);
}

static void notify_ipv4(struct service *svc)
{
	notify(svc, SERVICE_PROP_IPV4);
	notify_lists(svc);
	update_proxy(svc);
}

/* The address is announced before the state it brings, so a client that
 * sees State=ready can already read the service's IPv4. */
static void ipv4_link_event(struct ipv4_link *ipc, enum ipv4_link_event event, void *user_data)
{
	struct service *svc = user_data;

	if (captive_api_set_uri(svc->captive, CAPTIVE_FROM_DHCP, ipv4_link_captive_portal(ipc)) &&
	    svc->state == SERVICE_STATE_ONLINE)
		captive_uri_changed(svc);
	if (event == IPV4_LINK_BOUND) {
		/* Only a lease is worth asking for again (INIT-REBOOT). */
		if (ipv4_link_current(ipc)->method == IPV4_METHOD_DHCP)
			svc->previous_address = ipv4_link_current(ipc)->address;
		set_error(svc, NULL);
	}
	notify_ipv4(svc);
	switch (event) {
	case IPV4_LINK_BOUND:
		handle_event(svc, SERVICE_EVENT_IP_BOUND);
		/* Ready on IPv6 already: IPv4 gets its own check. */
		check_family_again(svc, AF_INET);
		break;
	case IPV4_LINK_UPDATED:
		/* A renewal may take the gateway away or bring one. */
		if (!ipv4_link_current(ipc)->gateway)
			recheck_online(svc, AF_INET);
		else
			routes_changed(svc);
		break;
	case IPV4_LINK_LOST:
		if (ipv6_usable(svc)) {
			l_info("%s: IPv4 lost; IPv6 keeps the service up", svc->id);
			recheck_online(svc, AF_INET);
		} else {
			handle_event(svc, SERVICE_EVENT_IP_LOST);
		}
		break;
	case IPV4_LINK_FAILED:
	case IPV4_LINK_ADD_FAILED:
		/* DHCP goes on asking either way; a late lease still binds. */
		if (ipv6_usable(svc)) {
			l_info("%s: no IPv4 address; up on IPv6", svc->id);
			break;
		}
		set_error(svc, event == IPV4_LINK_FAILED ? "dhcp-failed" : "connect-failed");
		handle_event(svc, SERVICE_EVENT_IP_FAILED);
		break;
	case IPV4_LINK_NO_SERVER:
		/* The state waits for the link-local address; the IPv4 notice
		 * above tells who decides by service_dhcp_found_no_server(). */
		break;
	}
}

static void start_ip(struct service *svc)
{
	int err = ipv4_link_start(svc->ipc, &svc->ipv4_config, svc->previous_address);

	if (err < 0) {
		l_warn("%s: IPv4 configuration failed: %s", svc->id, strerror(-err));
		set_error(svc, "connect-failed");
		handle_event(svc, SERVICE_EVENT_IP_FAILED);
	}
}

static void stop_ip(struct service *svc, bool release)
{
	bool had_address = ipv4_link_current(svc->ipc)->address != 0;

	stop_online_check(svc);
	captive_api_reset(svc->captive);	/* the next connection is a new episode */
	ipv4_link_stop(svc->ipc, release);
	if (had_address)
		notify_ipv4(svc);
}

/* The bearer brings its link layer up; without a driver hook (ethernet)
 * it is up already. */
static void start_link(struct service *svc)
{
	int err;

	if (!svc->driver || !svc->driver->connect) {
		handle_event(svc, SERVICE_EVENT_LINK_READY);
		return;
	}
	err = svc->driver->connect(svc, svc->driver_data);
	if (err < 0) {
		l_warn("%s: cannot connect: %s", svc->id, strerror(-err));
		service_link_failed(svc, "connect-failed");
	}
}

/* Leaving a connecting or connected state: the bearer lets go too. */
static void stop_link(struct service *svc, enum service_state old)
{
	if (svc->driver && svc->driver->disconnect &&
	    (service_state_is_connecting(old) || service_state_is_connected(old)))
		svc->driver->disconnect(svc, svc->driver_data);
}

/* As ConnMan: the failure of the user's own connect is the user's to hear
 * about (the agent's ReportError), and its caller waits for the answer,
 * which may be to try again (service_error_answered). A bearer's own
 * reconnects and sessions' connects fail quietly. */
static bool ask_user(struct service *svc)
{
	int id;

	if (!svc->user_connected || !svc->error || !svc->env->report_error)
		return false;
	id = svc->env->report_error(svc, svc->error, svc->env->notify_data);
	if (id <= 0)
		return false;
	svc->asked = id;
	return true;
}

/* What entering a state starts or stops. */
static void enter_state(struct service *svc, enum service_state old)
{
	switch (svc->state) {
	case SERVICE_STATE_ASSOCIATION:
		start_link(svc);
		break;
	case SERVICE_STATE_CONFIGURATION:
		/* Last: a manual address binds at once and re-enters handle_event(). */
		stop_online_check(svc);
		if (old == SERVICE_STATE_ASSOCIATION)
			start_ip(svc);
		break;
	case SERVICE_STATE_READY:
		finish_connect(svc, 0);
		for (unsigned int i = 0; i < L_ARRAY_SIZE(svc->checks); i++)
			svc->checks[i].failures = 0;
		start_online_check(svc);
		break;
	case SERVICE_STATE_ONLINE:
		break;
	case SERVICE_STATE_DISCONNECT:
		stop_ip(svc, true);
		stop_link(svc, old);
		handle_event(svc, SERVICE_EVENT_DISCONNECTED);
		break;
	case SERVICE_STATE_IDLE:
		stop_ip(svc, false);
		stop_link(svc, old);
		finish_connect(svc, -ENOLINK);
		break;
	case SERVICE_STATE_FAILURE:
		stop_link(svc, old);
		svc->failure_result = svc->link_result ? svc->link_result : -EIO;
		svc->link_result = 0;
		if (!ask_user(svc))
			finish_connect(svc, svc->failure_result);
		break;
	}
}

/* The manual address: the kernel's own prefix route comes with it;
 * routing adds the default route (manager pass, service_ipv6_manual()). */
static void add_manual_address(struct service *svc)
{
	const struct ipv6_settings *c = &svc->ipv6_config;
	char text[INET6_ADDRSTRLEN];
	int err = rtnl_addr6_add(svc->env->rtnl, svc->ifindex, &c->address, c->prefix_len);

	if (err < 0)
		l_warn("%s: cannot add %s/%u: %s", svc->ifname,
		       inet_ntop(AF_INET6, &c->address, text, sizeof(text)), c->prefix_len,
		       strerror(-err));
}

static void remove_manual_address(struct service *svc, const struct ipv6_settings *old)
{
	int err = rtnl_addr6_del(svc->env->rtnl, svc->ifindex, &old->address, old->prefix_len);

	if (err < 0 && err != -EADDRNOTAVAIL)
		l_debug("%s: old manual IPv6 address: %s", svc->ifname, strerror(-err));
}

/* DHCPv6 runs while IPv6 is on with method auto. It is stopped before the
 * link goes off, so that a Release (on a disconnect) still leaves from the
 * link-local address, and restarted with the link (which drops every
 * address: the kept lease is confirmed again); it starts before the link
 * comes on, so that the router's answer to the kernel's solicitation, which
 * carries the M and O flags, is seen. */
static void apply_dhcp6(struct service *svc, bool on, bool restart)
{
	bool want = on && svc->ipv6_config.method == IPV6_METHOD_AUTO;
	/* The lease is given back when the user is done with it: a
	 * disconnect, or a configuration without DHCPv6 (IPv6 off or manual);
	 * kept for a link that only went away, or a restart. */
	bool release = (!on && svc->state == SERVICE_STATE_DISCONNECT) ||
		       svc->ipv6_config.method != IPV6_METHOD_AUTO;
	int err;

	if (!want || restart)
		dhcp6_link_stop(svc->dhcp6, release);
	if (!want)
		return;
	err = dhcp6_link_start(svc->dhcp6);
	if (err < 0)
		l_warn("%s: no DHCPv6 (cannot watch router advertisements): %s", svc->ifname,
		       strerror(-err));
}

/* IPv6 is on while the service connects or is connected with method auto
 * or manual. restart: cycle the link's IPv6 even when it was on (a new
 * privacy mode, or a method change), so nothing of the old one stays. */
static void apply_ipv6(struct service *svc, bool restart)
{
	enum ipv6_method method = svc->ipv6_config.method;
	bool want = method != IPV6_METHOD_OFF &&
		    (svc->state == SERVICE_STATE_CONFIGURATION ||
		     service_state_is_connected(svc->state));
	int err;

	if (want == svc->ipv6_on && !(want && restart))
		return;
	apply_dhcp6(svc, want, restart);
	if (!want)
		err = ipv6_link_disable(svc->ifname);
	else if (method == IPV6_METHOD_MANUAL)
		err = ipv6_link_enable_manual(svc->ifname, restart);
	else
		err = ipv6_link_enable(svc->ifname, svc->ipv6_config.privacy, restart);
	if (err < 0)
		l_warn("%s: cannot switch IPv6 %s: %s", svc->ifname, want ? "on" : "off",
		       strerror(-err));
	svc->ipv6_on = want;
	if (want && method == IPV6_METHOD_MANUAL)
		add_manual_address(svc);
	if (!want || method == IPV6_METHOD_MANUAL)
		ipv6_dns_clear(svc->ipv6_dns);
	if (!want)
		captive_api_set_uri(svc->captive, CAPTIVE_FROM_RA, NULL);
}

static void handle_event(struct service *svc, enum service_event event)
{
	enum service_state old = svc->state;
	enum service_state next = service_state_next(old, event);

	l_debug("%s: %s --%s--> %s", svc->id, service_state_name(old),
		service_event_name(event), service_state_name(next));
	if (next == old)
		return;
	svc->state = next;
	svc->asked = 0;		/* a late answer is about a failure that is over */
	if (!service_state_is_connected(next)) {
		svc->connected_at = 0;
	} else if (!service_state_is_connected(old)) {
		svc->connected_at = l_time_now();
		/* Learned lists show only while connected (effective()): they
		 * were announced empty with the address, so again now, before
		 * the state, as ConnMan does. Leaving, stop_ip() empties them. */
		notify_lists(svc);
	}
	notify(svc, SERVICE_PROP_STATE);
	update_proxy(svc);
	apply_ipv6(svc, false);
	enter_state(svc, old);
}

static bool may_autoconnect(const struct service *svc)
{
	if (!svc->available || !svc->autoconnect || !svc->favorite || svc->user_disconnected ||
	    svc->tethered || svc->bearer_autoconnects)
		return false;
	return !svc->env->may_autoconnect || svc->env->may_autoconnect(svc, svc->env->notify_data);
}

static void ipv6_dns_changed(void *data)
{
	struct service *svc = data;

	notify(svc, SERVICE_PROP_NAMESERVERS);
	notify(svc, SERVICE_PROP_DOMAINS);
	update_proxy(svc);
}

static void dhcp6_changed(void *data)
{
	struct service *svc = data;

	notify(svc, SERVICE_PROP_NAMESERVERS);
	notify(svc, SERVICE_PROP_DOMAINS);
	notify(svc, SERVICE_PROP_TIMESERVERS);
	service_set_delegated_prefix(svc, dhcp6_link_delegated_prefix(svc->dhcp6));
}

static char **copy_security(const char *const *security)
{
	char **copy = NULL;

	for (; security && *security; security++)
		copy = l_strv_append(copy, *security);
	return copy;
}

struct service *service_new(const struct service_env *env, const struct service_desc *desc)
{
	struct service *svc = l_new(struct service, 1);
	const struct rtnl_link_info *link = desc->link;

	svc->env = env;
	svc->driver = desc->driver;
	svc->driver_data = desc->driver_data;
	svc->type = desc->type;
	svc->id = l_strdup(desc->id);
	svc->path = l_strdup_printf("/net/connman/service/%s", svc->id);
	svc->name = l_strdup(desc->name);
	svc->security = copy_security(desc->security);
	svc->favorite = desc->favorite;
	svc->order = desc->order;
	svc->bearer_autoconnects = desc->bearer_autoconnects;
	svc->ifindex = link->ifindex;
	svc->link_type = link->type;
	memcpy(svc->mac, link->mac, 6);
	svc->autoconnect = true;
	svc->checks[0] = (struct family_check) { .svc = svc, .family = AF_INET };
	svc->checks[1] = (struct family_check) { .svc = svc, .family = AF_INET6 };
	svc->ipv4_config.method = IPV4_METHOD_DHCP;
	svc->ipc = ipv4_link_new(env->rtnl, link->ifindex, link->ifname, link->mac,
				ipv4_link_event, svc);
	ipv4_link_set_claim(svc->ipc, env->claim_subnet, env->notify_data);
	l_strlcpy(svc->ifname, link->ifname, sizeof(svc->ifname));
	svc->mtu = link->mtu;
	svc->ipv6_dns = ipv6_dns_new(ipv6_dns_changed, svc);
	svc->dhcp6 = dhcp6_link_new(env->rtnl, link->ifindex, link->ifname, link->mac,
				    env->state_dir, svc->id, dhcp6_changed, svc);
	svc->captive_env = (struct captive_api_env) {
		.ticker = env->ticker, .ca_file = env->captive_ca_file,
		.timeout_ms = env->online_timeout_ms,
	};
	svc->captive = captive_api_new(&svc->captive_env, svc->id, captive_verdict, svc);
	if (!link->ifindex)
		return svc;	/* its link comes with each connection (service_set_link) */
	if (ipv6_before_take(env->state_dir, svc->id, svc->ifname, &svc->ipv6_before) < 0)
		l_debug("%s: no IPv6 settings to keep", svc->ifname);
	/* As far as we know it is on: make it off until connected, unless a
	 * sibling on the same link may be using it. */
	svc->ipv6_on = !desc->shared_link;
	apply_ipv6(svc, false);
	return svc;
}

void service_free(struct service *svc)
{
	if (!svc)
		return;
	finish_connect(svc, -ECANCELED);
	stop_online_check(svc);
	captive_api_free(svc->captive);
	ipv4_link_free(svc->ipc);
	dhcp6_link_free(svc->dhcp6);
	ipv6_dns_free(svc->ipv6_dns);
	l_strv_free(svc->nameservers_config);
	l_strv_free(svc->timeservers_config);
	l_strv_free(svc->domains_config);
	l_strv_free(svc->bearer_nameservers);
	l_strv_free(svc->bearer_domains);
	proxy_config_clear(&svc->proxy_config);
	proxy_config_clear(&svc->proxy);
	l_free(svc->id);
	l_free(svc->path);
	l_free(svc->name);
	l_strv_free(svc->security);
	l_free(svc);
}

void service_shutdown(struct service *svc)
{
	finish_connect(svc, -ECANCELED);
	stop_ip(svc, false);
	/* The lease stays kept: the next start confirms it. */
	dhcp6_link_stop(svc->dhcp6, false);
	ipv6_before_give_back(svc->env->state_dir, svc->id, svc->ifname, &svc->ipv6_before);
}

/* What the Ethernet property shows: the service keeps its id (made from the
 * first address) when the link's address changes, as ConnMan's does. */
void service_update_link(struct service *svc, const struct rtnl_link_info *link)
{
	bool mac_changed = link->has_mac && memcmp(svc->mac, link->mac, sizeof(svc->mac));

	if (!strcmp(svc->ifname, link->ifname) && svc->mtu == link->mtu && !mac_changed)
		return;
	l_strlcpy(svc->ifname, link->ifname, sizeof(svc->ifname));
	svc->mtu = link->mtu;
	if (mac_changed)
		memcpy(svc->mac, link->mac, sizeof(svc->mac));
	ipv4_link_set_link(svc->ipc, svc->ifname, svc->mac);
	notify(svc, SERVICE_PROP_ETHERNET);
}

int service_set_link(struct service *svc, const struct rtnl_link_info *link)
{
	if (svc->state != SERVICE_STATE_IDLE && svc->state != SERVICE_STATE_ASSOCIATION &&
	    svc->state != SERVICE_STATE_FAILURE)
		return -EBUSY;
	if (link->ifindex == svc->ifindex)
		return 0;
	ipv4_link_free(svc->ipc);
	dhcp6_link_free(svc->dhcp6);
	svc->ifindex = link->ifindex;
	l_strlcpy(svc->ifname, link->ifname, sizeof(svc->ifname));
	svc->mtu = link->mtu;
	svc->link_type = link->type;
	memcpy(svc->mac, link->mac, sizeof(svc->mac));
	svc->ipc = ipv4_link_new(svc->env->rtnl, link->ifindex, link->ifname, link->mac,
				 ipv4_link_event, svc);
	ipv4_link_set_claim(svc->ipc, svc->env->claim_subnet, svc->env->notify_data);
	svc->dhcp6 = dhcp6_link_new(svc->env->rtnl, link->ifindex, link->ifname, link->mac,
				    svc->env->state_dir, svc->id, dhcp6_changed, svc);
	svc->previous_address = 0;
	svc->ipv6_on = false;	/* a new link: nothing of ours is on it yet */
	memset(&svc->ipv6, 0, sizeof(svc->ipv6));
	notify(svc, SERVICE_PROP_ETHERNET);
	return 0;
}

void service_set_fixed_ipv4(struct service *svc, uint32_t address, uint8_t prefix_len)
{
	svc->ipv4_config = (struct ipv4_settings) {
		.method = address ? IPV4_METHOD_FIXED : IPV4_METHOD_OFF,
		.address = address,
		.prefix_len = prefix_len,
	};
	svc->previous_address = 0;
	notify(svc, SERVICE_PROP_IPV4_CONFIG);
}

void service_set_bearer_dns(struct service *svc, char **servers, char **domains)
{
	l_strv_free(svc->bearer_nameservers);
	l_strv_free(svc->bearer_domains);
	svc->bearer_nameservers = l_strv_copy(servers);
	svc->bearer_domains = l_strv_copy(domains);
	notify(svc, SERVICE_PROP_NAMESERVERS);
	notify(svc, SERVICE_PROP_DOMAINS);
}

void service_set_carries_default(struct service *svc, bool carries)
{
	if (svc->carries_default == carries)
		return;
	svc->carries_default = carries;
	/* The rank, and with it which nameservers answer every name, change:
	 * the nameservers' notice brings the manager's pass. */
	notify(svc, SERVICE_PROP_NAMESERVERS);
}

bool service_carries_default(const struct service *svc)
{
	return svc->carries_default;
}

void service_set_available(struct service *svc, bool available)
{
	if (available == svc->available)
		return;
	svc->available = available;
	l_info("%s: %s", svc->ifname, available ? "available" : "gone");
	if (!available)
		handle_event(svc, SERVICE_EVENT_CARRIER_LOST);
	else if (may_autoconnect(svc))
		handle_event(svc, SERVICE_EVENT_CONNECT);
}

bool service_available(const struct service *svc)
{
	return svc->available;
}

void service_link_ready(struct service *svc)
{
	handle_event(svc, SERVICE_EVENT_LINK_READY);
}

void service_link_failed(struct service *svc, const char *error)
{
	service_link_failed_as(svc, error, -EIO);
}

void service_link_failed_as(struct service *svc, const char *error, int result)
{
	if (svc->state != SERVICE_STATE_ASSOCIATION)
		return;
	set_error(svc, error);
	svc->link_result = result;
	handle_event(svc, SERVICE_EVENT_LINK_FAILED);
}

void service_link_lost(struct service *svc, const char *error)
{
	if (svc->state == SERVICE_STATE_ASSOCIATION) {
		service_link_failed(svc, error);
		return;
	}
	if (svc->state != SERVICE_STATE_CONFIGURATION)
		return;
	stop_ip(svc, false);	/* no server to ask on a link without its network */
	set_error(svc, error);
	handle_event(svc, SERVICE_EVENT_IP_FAILED);
}

void service_link_abandoned(struct service *svc, int result)
{
	if (svc->state != SERVICE_STATE_ASSOCIATION)
		return;
	finish_connect(svc, result);
	handle_event(svc, SERVICE_EVENT_DISCONNECT);
}

void service_link_handed_over(struct service *svc, struct service *to)
{
	if (svc->state != SERVICE_STATE_ASSOCIATION)
		return;
	if (svc->connect_done && !to->connect_done && service_state_is_connecting(to->state)) {
		to->connect_done = svc->connect_done;
		to->connect_data = svc->connect_data;
		to->requester = svc->requester;
		svc->requester = NULL;
		svc->connect_done = NULL;
	}
	finish_connect(svc, service_state_is_connected(to->state) ? 0 : -EIO);
	handle_event(svc, SERVICE_EVENT_DISCONNECT);
}

void service_try_autoconnect(struct service *svc)
{
	if (svc->state == SERVICE_STATE_IDLE && may_autoconnect(svc))
		handle_event(svc, SERVICE_EVENT_CONNECT);
}

void service_recheck_online(struct service *svc)
{
	if (svc->state == SERVICE_STATE_ONLINE)
		handle_event(svc, SERVICE_EVENT_ONLINE_FAILED);
}

uint64_t service_connected_at(const struct service *svc)
{
	return svc->connected_at;
}

void service_disconnect_by_policy(struct service *svc)
{
	if (svc->state == SERVICE_STATE_IDLE || svc->state == SERVICE_STATE_FAILURE)
		return;
	finish_connect(svc, -ECONNABORTED);
	handle_event(svc, SERVICE_EVENT_DISCONNECT);
}

void service_set_strength(struct service *svc, uint8_t strength)
{
	if (strength > 100)
		strength = 100;
	if (svc->strength == strength)
		return;
	svc->strength = strength;
	notify(svc, SERVICE_PROP_STRENGTH);
}

void service_set_name(struct service *svc, const char *name)
{
	if (l_streq0(svc->name, name))
		return;
	l_free(svc->name);
	svc->name = l_strdup(name);
	notify(svc, SERVICE_PROP_NAME);
}

void service_set_favorite(struct service *svc, bool favorite)
{
	if (svc->favorite == favorite)
		return;
	svc->favorite = favorite;
	notify(svc, SERVICE_PROP_FAVORITE);
	notify(svc, SERVICE_PROP_AUTOCONNECT);
}

void service_set_roaming(struct service *svc, bool roaming)
{
	if (svc->roaming == roaming)
		return;
	svc->roaming = roaming;
	notify(svc, SERVICE_PROP_ROAMING);
}

void service_set_immutable(struct service *svc, bool immutable)
{
	svc->immutable = immutable;
}

bool service_immutable(const struct service *svc)
{
	return svc->immutable;
}

void service_set_tethered(struct service *svc, bool tethered)
{
	if (svc->tethered == tethered)
		return;
	svc->tethered = tethered;
	if (tethered)
		handle_event(svc, SERVICE_EVENT_CARRIER_LOST);
	else if (may_autoconnect(svc))
		handle_event(svc, SERVICE_EVENT_CONNECT);
}

bool service_tethered(const struct service *svc)
{
	return svc->tethered;
}

/* The flag is set before the first event: a bearer may fail at once. */
static int connect_as(struct service *svc, service_connect_done_fn done, void *data,
		      const char *requester)
{
	if (service_state_is_connected(svc->state))
		return -EISCONN;
	if (svc->connect_done || service_state_is_connecting(svc->state))
		return -EINPROGRESS;
	if (!svc->available)
		return -ENOLINK;
	if (svc->tethered)
		return -EBUSY;
	svc->user_disconnected = false;
	svc->user_connected = requester != NULL;
	svc->connect_done = done;
	svc->connect_data = data;
	l_free(svc->requester);
	svc->requester = l_strdup(requester);
	set_error(svc, NULL);
	handle_event(svc, SERVICE_EVENT_CONNECT);
	return 0;
}

int service_connect(struct service *svc, service_connect_done_fn done, void *data)
{
	return connect_as(svc, done, data, NULL);
}

int service_connect_by_user(struct service *svc, const char *requester,
			    service_connect_done_fn done, void *data)
{
	return connect_as(svc, done, data, requester ? requester : "");
}

const char *service_connect_requester(const struct service *svc)
{
	return svc->requester && svc->requester[0] ? svc->requester : NULL;
}

int service_disconnect(struct service *svc)
{
	if (svc->state == SERVICE_STATE_IDLE || svc->state == SERVICE_STATE_FAILURE) {
		if (svc->user_disconnected)
			return -ENOTCONN;
	}
	svc->user_disconnected = true;
	finish_connect(svc, -ECONNABORTED);
	handle_event(svc, SERVICE_EVENT_DISCONNECT);
	return 0;
}

int service_remove(struct service *svc)
{
	int err;

	if (!svc->driver || !svc->driver->remove)
		return -EOPNOTSUPP;
	if (svc->immutable)
		return -EPERM;
	service_disconnect_by_policy(svc);
	err = svc->driver->remove(svc, svc->driver_data);
	if (err == 0 && svc->env->forget)
		svc->env->forget(svc, svc->env->notify_data);
	return err;
}

int service_move(struct service *svc, const char *target_path, bool before)
{
	struct service *target;

	if (!svc->env->find || !svc->env->move)
		return -EOPNOTSUPP;
	target = svc->env->find(target_path, svc->env->notify_data);
	if (!target)
		return -ENOENT;
	return svc->env->move(svc, target, before, svc->env->notify_data);
}

int service_set_autoconnect(struct service *svc, bool autoconnect)
{
	if (svc->autoconnect == autoconnect)
		return 0;
	svc->autoconnect = autoconnect;
	notify(svc, SERVICE_PROP_AUTOCONNECT);
	if (svc->driver && svc->driver->autoconnect_changed)
		svc->driver->autoconnect_changed(svc, autoconnect, svc->driver_data);
	if (may_autoconnect(svc) && svc->state == SERVICE_STATE_IDLE)
		handle_event(svc, SERVICE_EVENT_CONNECT);
	return 0;
}

/* A new configuration restarts IP configuration on a connected service. */
/* A failed service whose bearer let its link go on failure (Wi-Fi, VPN:
 * their drivers disconnect) has no link to configure; a link that stays
 * (ethernet) is configured again. */
static bool link_stays(const struct service *svc)
{
	return !svc->driver || !svc->driver->disconnect;
}

static void restart_ip(struct service *svc)
{
	if (!service_state_is_connected(svc->state) && svc->state != SERVICE_STATE_CONFIGURATION &&
	    !(svc->state == SERVICE_STATE_FAILURE && link_stays(svc)))
		return;
	stop_ip(svc, svc->ipv4_config.method != IPV4_METHOD_DHCP);
	if (svc->state != SERVICE_STATE_CONFIGURATION) {
		svc->state = SERVICE_STATE_CONFIGURATION;
		svc->connected_at = 0;
		notify(svc, SERVICE_PROP_STATE);
		update_proxy(svc);
	}
	set_error(svc, NULL);
	start_ip(svc);
	/* Up on IPv6 already: no IPv6 event will come to say so. */
	if (svc->state == SERVICE_STATE_CONFIGURATION && ipv6_usable(svc))
		handle_event(svc, SERVICE_EVENT_IP_BOUND);
}

int service_set_ipv4_config(struct service *svc, const struct ipv4_settings *settings)
{
	bool was_dhcp = svc->ipv4_config.method == IPV4_METHOD_DHCP;

	if (settings->method == IPV4_METHOD_FIXED || settings->method == IPV4_METHOD_AUTO)
		return -EINVAL;
	svc->ipv4_config = *settings;
	if (settings->method != IPV4_METHOD_MANUAL) {
		svc->ipv4_config.address = svc->ipv4_config.gateway = 0;
		svc->ipv4_config.prefix_len = 0;
	}
	if (!was_dhcp || settings->method != IPV4_METHOD_DHCP)
		svc->previous_address = 0;
	notify(svc, SERVICE_PROP_IPV4_CONFIG);
	restart_ip(svc);
	return 0;
}

static bool same_manual(const struct ipv6_settings *a, const struct ipv6_settings *b)
{
	return !memcmp(&a->address, &b->address, sizeof(a->address)) &&
	       a->prefix_len == b->prefix_len;
}

int service_set_ipv6_config(struct service *svc, const struct ipv6_settings *settings)
{
	struct ipv6_settings old = svc->ipv6_config;
	bool manual = settings->method == IPV6_METHOD_MANUAL;
	/* Privacy applies to addresses made from now on, and another method
	 * leaves nothing of the old one: start over. A new manual address
	 * replaces the old one without a cycle, which would take routing's
	 * default route with it. */
	bool restart = settings->method != old.method ||
		       (!manual && settings->privacy != old.privacy);

	svc->ipv6_config = *settings;
	notify(svc, SERVICE_PROP_IPV6_CONFIG);
	if (manual && !restart && svc->ipv6_on) {
		add_manual_address(svc);
		if (!same_manual(&old, settings))
			remove_manual_address(svc, &old);
		return 0;
	}
	apply_ipv6(svc, restart);
	return 0;
}

const struct ipv6_settings *service_ipv6_manual(const struct service *svc)
{
	bool manual = svc->ipv6_config.method == IPV6_METHOD_MANUAL;

	return manual && svc->ipv6_on ? &svc->ipv6_config : NULL;
}

void service_update_ipv6_dns(struct service *svc, const struct nd_dns_info *info)
{
	bool over;

	if (!svc->ipv6_on || svc->ipv6_config.method != IPV6_METHOD_AUTO)
		return;
	over = ipv6_dns_update(svc->ipv6_dns, svc->ifname, info) > 0;
	if (over && !svc->ipv6_dns_over)
		l_info("%s: router advertisements name more than %d nameservers or %d domains: "
		       "only those that outlast the kept ones replace them", svc->ifname,
		       ND_MAX_SERVERS, ND_MAX_DOMAINS);
	svc->ipv6_dns_over = over;
}

void service_ipv6_dad_failed(struct service *svc, const struct in6_addr *address)
{
	dhcp6_link_dad_failed(svc->dhcp6, address);
}

/* What the check's path rests on: the address and the router. */
static bool ipv6_route_changed(const struct ipv6_status *a, const struct ipv6_status *b)
{
	return memcmp(&a->address, &b->address, sizeof(a->address)) ||
	       memcmp(&a->gateway, &b->gateway, sizeof(a->gateway));
}

void service_set_ra_captive_portal(struct service *svc, const char *uri)
{
	if (svc->ipv6_on && captive_api_set_uri(svc->captive, CAPTIVE_FROM_RA, uri))
		captive_uri_changed(svc);
}

void service_update_ipv6(struct service *svc, const struct ipv6_status *status)
{
	bool was_usable = ipv6_usable(svc);
	struct ipv6_status before = svc->ipv6;

	if (ipv6_status_equal(&svc->ipv6, status))
		return;
	svc->ipv6 = *status;
	notify(svc, SERVICE_PROP_IPV6);
	if (ipv6_usable(svc) && !was_usable && svc->state == SERVICE_STATE_CONFIGURATION)
		handle_event(svc, SERVICE_EVENT_IP_BOUND);
	else if (!ipv6_usable(svc) && was_usable && !ipv4_link_current(svc->ipc)->address)
		handle_event(svc, SERVICE_EVENT_IP_LOST);
	else if (!ipv6_usable(svc) && was_usable)
		recheck_online(svc, AF_INET6);
	else if (ipv6_usable(svc) && ipv6_route_changed(&before, status))
		routes_changed(svc);	/* may be the first route the service has */
}

static int replace_strv(char ***field, char **value)
{
	char **copy = NULL;

	for (char **s = value; s && *s; s++)
		if (**s)
			copy = l_strv_append(copy, *s);
	l_strv_free(*field);
	*field = copy;
	return 0;
}

int service_set_nameservers_config(struct service *svc, char **servers)
{
	replace_strv(&svc->nameservers_config, servers);
	notify(svc, SERVICE_PROP_NAMESERVERS_CONFIG);
	notify(svc, SERVICE_PROP_NAMESERVERS);
	return 0;
}

int service_set_timeservers_config(struct service *svc, char **servers)
{
	replace_strv(&svc->timeservers_config, servers);
	notify(svc, SERVICE_PROP_TIMESERVERS_CONFIG);
	notify(svc, SERVICE_PROP_TIMESERVERS);
	return 0;
}

int service_set_domains_config(struct service *svc, char **domains)
{
	replace_strv(&svc->domains_config, domains);
	notify(svc, SERVICE_PROP_DOMAINS_CONFIG);
	notify(svc, SERVICE_PROP_DOMAINS);
	update_proxy(svc);
	return 0;
}

int service_set_proxy_config(struct service *svc, const struct proxy_config *config)
{
	char why[128];

	if (proxy_config_validate(config, why, sizeof(why)) < 0)
		return -EINVAL;
	proxy_config_clear(&svc->proxy_config);
	proxy_config_copy(&svc->proxy_config, config);
	notify(svc, SERVICE_PROP_PROXY_CONFIG);
	update_proxy(svc);
	return 0;
}

void service_error_answered(struct service *svc, int question, bool retry)
{
	if (!question || svc->asked != question || svc->state != SERVICE_STATE_FAILURE)
		return;
	svc->asked = 0;
	if (retry) {
		l_info("%s: the user asked to try again", svc->id);
		set_error(svc, NULL);
		handle_event(svc, SERVICE_EVENT_CONNECT);
		return;
	}
	finish_connect(svc, svc->failure_result);
	/* As ConnMan: the user has seen the error; the service is idle again. */
	service_clear_error(svc);
}

int service_error_question(const struct service *svc)
{
	return svc->asked;
}

int service_clear_error(struct service *svc)
{
	set_error(svc, NULL);
	handle_event(svc, SERVICE_EVENT_CLEAR_ERROR);
	return 0;
}

void service_restore(struct service *svc, const struct service_saved *saved)
{
	svc->autoconnect = saved->autoconnect;
	svc->ipv4_config = saved->ipv4;
	svc->ipv6_config = saved->ipv6;
	svc->previous_address = saved->ipv4.method == IPV4_METHOD_DHCP ? saved->last_dhcp_address : 0;
	replace_strv(&svc->nameservers_config, saved->nameservers);
	replace_strv(&svc->timeservers_config, saved->timeservers);
	replace_strv(&svc->domains_config, saved->domains);
	proxy_config_clear(&svc->proxy_config);
	proxy_config_copy(&svc->proxy_config, &saved->proxy);
}

void service_reset_config(struct service *svc, const struct service_saved *defaults)
{
	static const enum service_prop props[] = {
		SERVICE_PROP_AUTOCONNECT, SERVICE_PROP_IPV4_CONFIG, SERVICE_PROP_IPV6_CONFIG,
		SERVICE_PROP_NAMESERVERS_CONFIG, SERVICE_PROP_NAMESERVERS,
		SERVICE_PROP_TIMESERVERS_CONFIG, SERVICE_PROP_TIMESERVERS,
		SERVICE_PROP_DOMAINS_CONFIG, SERVICE_PROP_DOMAINS, SERVICE_PROP_PROXY_CONFIG,
	};

	service_restore(svc, defaults);
	for (unsigned int i = 0; i < L_ARRAY_SIZE(props); i++)
		notify(svc, props[i]);
	update_proxy(svc);
}

void service_snapshot(const struct service *svc, struct service_saved *saved)
{
	saved->name = l_strdup(svc->name);
	saved->favorite = svc->favorite;
	saved->autoconnect = svc->autoconnect;
	saved->ipv4 = svc->ipv4_config;
	saved->ipv6 = svc->ipv6_config;
	/* A fixed address is the bearer's of the moment, not a setting. */
	if (svc->ipv4_config.method == IPV4_METHOD_FIXED)
		saved->ipv4 = (struct ipv4_settings) { .method = IPV4_METHOD_OFF };
	saved->last_dhcp_address = svc->ipv4_config.method == IPV4_METHOD_DHCP ?
				   svc->previous_address : 0;
	saved->nameservers = l_strv_copy(svc->nameservers_config);
	saved->timeservers = l_strv_copy(svc->timeservers_config);
	saved->domains = l_strv_copy(svc->domains_config);
	proxy_config_copy(&saved->proxy, &svc->proxy_config);
}

const char *service_id(const struct service *svc) { return svc->id; }
const char *service_path(const struct service *svc) { return svc->path; }
const char *service_type(const struct service *svc) { return svc->type; }
const char *service_name(const struct service *svc) { return svc->name; }
const char *const *service_security(const struct service *svc) { return (const char *const *)svc->security; }
uint8_t service_strength(const struct service *svc) { return svc->strength; }
bool service_roaming(const struct service *svc) { return svc->roaming; }

int service_provider(const struct service *svc, struct service_provider *out)
{
	if (!svc->driver || !svc->driver->provider)
		return 0;
	*out = (struct service_provider){ 0 };
	svc->driver->provider(svc, out, svc->driver_data);
	return 1;
}
void *service_driver_data(const struct service *svc) { return svc->driver_data; }
int service_ifindex(const struct service *svc) { return svc->ifindex; }
const char *service_ifname(const struct service *svc) { return svc->ifname; }
const uint8_t *service_mac(const struct service *svc) { return svc->mac; }
uint32_t service_mtu(const struct service *svc) { return svc->mtu; }
unsigned int service_order(const struct service *svc) { return svc->order; }
unsigned int service_slot(const struct service *svc) { return svc->slot; }
bool service_link_is_l3(const struct service *svc) { return svc->link_type == ARPHRD_NONE; }
void service_set_slot(struct service *svc, unsigned int slot) { svc->slot = slot; }
enum service_state service_get_state(const struct service *svc) { return svc->state; }
const char *service_error(const struct service *svc) { return svc->error; }
bool service_favorite(const struct service *svc) { return svc->favorite; }
bool service_autoconnect(const struct service *svc) { return svc->autoconnect; }
const struct ipv4_settings *service_ipv4_config(const struct service *svc) { return &svc->ipv4_config; }
const struct ipv4_settings *service_ipv4(const struct service *svc) { return ipv4_link_current(svc->ipc); }
const struct ipv4_routes *service_ipv4_routes(const struct service *svc) { return ipv4_link_routes(svc->ipc); }
const struct ipv6_settings *service_ipv6_config(const struct service *svc) { return &svc->ipv6_config; }
const struct ipv6_status *service_ipv6(const struct service *svc) { return &svc->ipv6; }

void service_want_prefix(struct service *svc, bool want)
{
	svc->prefix_wanted = want;
	dhcp6_link_want_prefix(svc->dhcp6, want);
}
bool service_prefix_wanted(const struct service *svc) { return svc->prefix_wanted; }

const struct ipv6_prefix *service_delegated_prefix(const struct service *svc)
{
	return svc->has_prefix ? &svc->prefix : NULL;
}

void service_set_delegated_prefix(struct service *svc, const struct ipv6_prefix *p)
{
	if (!p && !svc->has_prefix)
		return;
	if (p && svc->has_prefix && !memcmp(p, &svc->prefix, sizeof(*p)))
		return;
	svc->has_prefix = p != NULL;
	if (p)
		svc->prefix = *p;
	else
		memset(&svc->prefix, 0, sizeof(svc->prefix));
	notify(svc, SERVICE_PROP_DELEGATED_PREFIX);
}

bool service_dhcp_found_no_server(const struct service *svc)
{
	return ipv4_link_dhcp_found_no_server(svc->ipc);
}

static char **append_new(char **list, char **more)
{
	for (char **s = more; s && *s; s++)
		if (!l_strv_contains(list, *s))
			list = l_strv_append(list, *s);
	return list;
}

/* Configured values win over learned ones (DHCP's, the router
 * advertisements', then DHCPv6's); learned ones show only while connected. */
static char **effective(const struct service *svc, char **config, char **learned,
			char **learned6, char **learned_dhcp6)
{
	char **list;

	if (config)
		return l_strv_copy(config);
	if (!service_state_is_connected(svc->state))
		return NULL;
	list = append_new(l_strv_copy(learned), learned6);
	return append_new(list, learned_dhcp6);
}

/* The bearer's own (a VPN's) come before what the link learned. */
static char **with_bearer(const struct service *svc, char **list, char **bearer)
{
	char **out;

	if (!bearer || !service_state_is_connected(svc->state))
		return list;
	out = append_new(l_strv_copy(bearer), list);
	l_strv_free(list);
	return out;
}

char **service_nameservers(const struct service *svc)
{
	char **list = effective(svc, svc->nameservers_config, ipv4_link_nameservers(svc->ipc),
				ipv6_dns_servers(svc->ipv6_dns),
				dhcp6_link_nameservers(svc->dhcp6));

	if (svc->nameservers_config)
		return list;
	return with_bearer(svc, list, svc->bearer_nameservers);
}

char **service_timeservers(const struct service *svc)
{
	return effective(svc, svc->timeservers_config, ipv4_link_timeservers(svc->ipc), NULL,
			 dhcp6_link_timeservers(svc->dhcp6));
}

char **service_domains(const struct service *svc)
{
	char **list = effective(svc, svc->domains_config, ipv4_link_domains(svc->ipc),
				ipv6_dns_domains(svc->ipv6_dns), dhcp6_link_domains(svc->dhcp6));

	if (svc->domains_config)
		return list;
	return with_bearer(svc, list, svc->bearer_domains);
}

const char *service_dhcp_hostname(const struct service *svc)
{
	return ipv4_link_hostname(svc->ipc);
}

const char *service_dhcp_domainname(const struct service *svc)
{
	char **domains = ipv4_link_domains(svc->ipc);

	return domains ? domains[0] : NULL;
}

char **service_nameservers_config(const struct service *svc) { return svc->nameservers_config; }
char **service_timeservers_config(const struct service *svc) { return svc->timeservers_config; }
char **service_domains_config(const struct service *svc) { return svc->domains_config; }
const struct proxy_config *service_proxy_config(const struct service *svc) { return &svc->proxy_config; }
const struct proxy_config *service_proxy(const struct service *svc) { return &svc->proxy; }
