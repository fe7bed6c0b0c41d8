/* A service: one network a bearer can connect through, as ConnMan presents
 * it, with its state machine, its IP configuration and its online check.
 * Nothing here knows the bearer: its driver (ethernet.c, ...) describes the
 * service when creating it, says when the network is available, and brings
 * its link layer up and down when asked (struct service_driver). */
#pragma once

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "ipv4-settings.h"
#include "ipv6-settings.h"
#include "online-interval.h"
#include "proxy-config.h"
#include "service-state.h"

struct manager;
struct online_answer;
struct service;
struct ipv4_routes;
struct service_saved;
struct ticker;
struct rtnl_link_info;
struct ipv6_prefix;

/* Which property changed, so the bus twin can emit just that. */
enum service_prop {
	SERVICE_PROP_STATE,
	SERVICE_PROP_ERROR,
	SERVICE_PROP_AUTOCONNECT,
	SERVICE_PROP_ETHERNET,
	SERVICE_PROP_IPV4,
	SERVICE_PROP_IPV4_CONFIG,
	SERVICE_PROP_IPV6,
	SERVICE_PROP_IPV6_CONFIG,
	SERVICE_PROP_NAMESERVERS,
	SERVICE_PROP_NAMESERVERS_CONFIG,
	SERVICE_PROP_TIMESERVERS,
	SERVICE_PROP_TIMESERVERS_CONFIG,
	SERVICE_PROP_DOMAINS,
	SERVICE_PROP_DOMAINS_CONFIG,
	SERVICE_PROP_NAME,
	SERVICE_PROP_STRENGTH,
	SERVICE_PROP_FAVORITE,
	SERVICE_PROP_ROAMING,
	SERVICE_PROP_PROXY,
	SERVICE_PROP_PROXY_CONFIG,
	SERVICE_PROP_DELEGATED_PREFIX,	/* not on the bus: for tethering */
};

/* ConnMan's Provider dictionary of a VPN's service (NULL strings left out). */
struct service_provider {
	const char *host, *domain, *name, *type;
	bool split_routing;
};

/* What a bearer does for its services; every member may be NULL. */
struct service_driver {
	/* Bring the link layer up (association). 0: started, the driver then
	 * calls service_link_ready() or service_link_failed(); <0: failed. NULL:
	 * the link is ready at once, as ethernet's is. */
	int (*connect)(struct service *svc, void *data);
	/* Take the link layer down; the service is already leaving. */
	void (*disconnect)(struct service *svc, void *data);
	/* Service.Remove: forget the network. NULL: NotSupported. */
	int (*remove)(struct service *svc, void *data);
	/* The user changed AutoConnect (the bearer may keep its own copy). */
	void (*autoconnect_changed)(struct service *svc, bool autoconnect, void *data);
	/* The VPN behind the service, for its Provider property. NULL: none. */
	void (*provider)(const struct service *svc, struct service_provider *out, void *data);
};

/* How a driver describes a new service. The link is the interface IP runs
 * on: every service has one while connected, so far from creation on. */
struct service_desc {
	const char *type;		/* ConnMan's: "ethernet", "wifi", ... */
	const char *id;			/* ConnMan's identifier: ethernet_<mac>_cable */
	const char *name;		/* "Wired", an SSID */
	const char *const *security;	/* NULL-terminated; NULL: none ("as" empty) */
	bool favorite;			/* ethernet always; Wi-Fi when known */
	const struct service_driver *driver;
	void *driver_data;
	const struct rtnl_link_info *link;
	unsigned int order;		/* tie-break among equals: lower first */
	/* Other services run on the same link (Wi-Fi networks of one radio):
	 * the link's IPv6 is left alone until this one connects. */
	bool shared_link;
	/* The bearer connects by itself (iwd's autoconnect) and the service
	 * follows it (service_connect when it does), instead of connecting
	 * on its own when it becomes available. */
	bool bearer_autoconnects;
};

/* Called for every change; the manager forwards it to the bus and re-ranks. */
typedef void (*service_notify_fn)(struct service *svc, enum service_prop prop, void *data);
/* Called once a connection attempt ends: 0 connected, <0 failed. */
typedef void (*service_connect_done_fn)(struct service *svc, int result, void *data);

struct service_env {
	struct rtnl *rtnl;
	struct ticker *ticker;		/* the online check's retries */
	const char *state_dir;		/* where a link's IPv6 sysctls before connd are kept */
	const char *online_url;		/* the IPv4 check; NULL: none */
	const char *online_url6;	/* the IPv6 check; NULL: none */
	unsigned int online_timeout_ms;
	unsigned int online_initial_interval;	/* seconds between failed checks, growing */
	unsigned int online_max_interval;
	enum online_interval_style online_interval_style;
	char *const *fallback_nameservers;	/* main.conf's, for a service without any */
	service_notify_fn notify;
	/* The online check reached a server that is not the one asked for: a
	 * captive portal, most likely. Called once per episode with the check
	 * URL, its family and what the server answered; the handle it returns
	 * goes to portal_end when the episode ends (online, link or route
	 * change, leaving ready). */
	void *(*portal_start)(struct service *svc, const char *check_url, int family,
			      const struct online_answer *answer, void *data);
	void (*portal_end)(void *portal, void *data);
	/* Whether a service may connect by itself now (SingleConnectedTechnology
	 * may say no while another one is connected). */
	bool (*may_autoconnect)(const struct service *svc, void *data);
	/* MoveBefore/MoveAfter: the manager keeps the order. */
	struct service *(*find)(const char *path, void *data);
	int (*move)(struct service *svc, struct service *target, bool before, void *data);
	/* Remove went through: the user's saved settings of the service go
	 * too, as ConnMan's Remove forgets them (NULL: kept). */
	void (*forget)(struct service *svc, void *data);
	/* The service's Captive Portal API (RFC 8908) says captive: `url` is
	 * its user-portal-url. Once per captive episode. */
	void (*portal_api)(struct service *svc, const char *url, void *data);
	const char *captive_ca_file;	/* the API's trust; NULL: the system's */
	/* The user's own connect failed with `error`: ask the user. Returns a
	 * question id (> 0) whose answer comes back by service_error_answered,
	 * or < 0 with nobody to ask (the connect then fails at once). NULL:
	 * nobody is asked. */
	int (*report_error)(struct service *svc, const char *error, void *data);
	/* An IPv4 address is about to go on a service's link (ipv4-link.h):
	 * tethering moves out of its subnet first (NULL: nothing gives way). */
	void (*claim_subnet)(int ifindex, uint32_t address, uint8_t prefix_len, void *data);
	void *notify_data;
};

struct service *service_new(const struct service_env *env, const struct service_desc *desc);
void service_free(struct service *svc);

const char *service_id(const struct service *svc);
const char *service_path(const struct service *svc);
const char *service_type(const struct service *svc);
const char *service_name(const struct service *svc);
const char *const *service_security(const struct service *svc);	/* NULL: none */
uint8_t service_strength(const struct service *svc);	/* 0: not reported */
bool service_roaming(const struct service *svc);
/* 1 with `out` filled for a VPN's service, 0 for the other bearers'. */
int service_provider(const struct service *svc, struct service_provider *out);
void *service_driver_data(const struct service *svc);
int service_ifindex(const struct service *svc);
const char *service_ifname(const struct service *svc);
const uint8_t *service_mac(const struct service *svc);
uint32_t service_mtu(const struct service *svc);
unsigned int service_order(const struct service *svc);
/* The routing slot the manager gave the service (marks.h); 0 when none. */
unsigned int service_slot(const struct service *svc);
/* Its link carries IP with no link layer (a VPN's tun, WireGuard): there is
 * no gateway, the link itself is the way to every destination it routes. */
bool service_link_is_l3(const struct service *svc);
void service_set_slot(struct service *svc, unsigned int slot);
enum service_state service_get_state(const struct service *svc);
const char *service_error(const struct service *svc);	/* NULL when none */
bool service_favorite(const struct service *svc);
bool service_autoconnect(const struct service *svc);
const struct ipv4_settings *service_ipv4_config(const struct service *svc);
/* The configured address, prefix and gateway; address 0 when not connected. */
const struct ipv4_settings *service_ipv4(const struct service *svc);
/* DHCP option 121's routes of its link, as in the main table. */
const struct ipv4_routes *service_ipv4_routes(const struct service *svc);
const struct ipv6_settings *service_ipv6_config(const struct service *svc);
/* What SLAAC or the manual configuration gave the link while IPv6 is on;
 * all zero otherwise. */
const struct ipv6_status *service_ipv6(const struct service *svc);

/* IPv6 tethering wants a prefix delegated to this (uplink) service's link:
 * its DHCPv6 client asks for one (IA_PD) while wanted. */
void service_want_prefix(struct service *svc, bool want);
bool service_prefix_wanted(const struct service *svc);
/* The prefix delegated now, NULL when none. */
const struct ipv6_prefix *service_delegated_prefix(const struct service *svc);
/* The DHCPv6 side tells a new, renewed or lost (NULL) delegation;
 * SERVICE_PROP_DELEGATED_PREFIX is notified when it differs. */
void service_set_delegated_prefix(struct service *svc, const struct ipv6_prefix *p);
/* The manual IPv6 configuration while it is on the link (connecting or
 * connected): its gateway wants a default route. NULL otherwise. */
const struct ipv6_settings *service_ipv6_manual(const struct service *svc);
/* DHCP asked on the link and no server answered, and no lease came since
 * the service started configuring (it may be up on a link-local address). */
bool service_dhcp_found_no_server(const struct service *svc);
char **service_nameservers(const struct service *svc);	/* effective; caller frees with l_strv_free */
char **service_nameservers_config(const struct service *svc);
char **service_timeservers(const struct service *svc);
char **service_timeservers_config(const struct service *svc);
char **service_domains(const struct service *svc);
char **service_domains_config(const struct service *svc);
const struct proxy_config *service_proxy_config(const struct service *svc);
/* The proxy in force (proxy-config.h): method NONE while not connected. */
const struct proxy_config *service_proxy(const struct service *svc);
/* The host and domain names of its DHCP lease (options 12, 15); NULL when none. */
const char *service_dhcp_hostname(const struct service *svc);
const char *service_dhcp_domainname(const struct service *svc);

/* From the bearer's driver. */
/* A bearer whose link comes with each connection (a VPN's tun): the
 * service moves to the new link before it connects (-EBUSY once past
 * association). Such a service is created with a link of ifindex 0. */
int service_set_link(struct service *svc, const struct rtnl_link_info *link);
/* The address the bearer was given (a VPN's pushed one): IPv4 method
 * "fixed", applied when the service configures; address 0: IPv4 off. */
void service_set_fixed_ipv4(struct service *svc, uint32_t address, uint8_t prefix_len);
/* Nameservers and search domains the bearer learned itself (a VPN's
 * pushed DNS): shown first while connected, unless configured ones win. */
void service_set_bearer_dns(struct service *svc, char **servers, char **domains);
/* A VPN that holds every route not more specific elsewhere (no split
 * routing): connected, it ranks first, so it is the default service (its
 * DNS for every name), as ConnMan's. Its routes are its own table's. */
void service_set_carries_default(struct service *svc, bool carries);
bool service_carries_default(const struct service *svc);
/* The link's name, address or MTU may have changed. */
void service_update_link(struct service *svc, const struct rtnl_link_info *link);
/* The network can be connected to now (a cable's carrier, an AP in range):
 * an autoconnecting service connects; gone, a connected one goes idle. */
void service_set_available(struct service *svc, bool available);
bool service_available(const struct service *svc);
/* The answer to service_driver.connect: the link layer is up, or not
 * (error: ConnMan's name, "invalid-key", "connect-failed", ...). */
void service_link_ready(struct service *svc);
void service_link_failed(struct service *svc, const char *error);
/* The same, Connect's caller told `result` (a negative errno: -ENXIO, no
 * such network) instead of Failed. */
void service_link_failed_as(struct service *svc, const char *error, int result);
/* The link layer went before IP was up (the AP vanished during DHCP): the
 * attempt fails with `error`, as ConnMan's does. A connected service whose
 * link goes is idle instead (service_set_available). */
void service_link_lost(struct service *svc, const char *error);
/* The attempt ends before reaching any network, through no fault of one
 * (the user's agent declined or gave an unusable answer): back to idle
 * without an Error, Connect's caller told `result`. */
void service_link_abandoned(struct service *svc, int result);
/* The connection goes on as another service (a hidden network found by
 * its name): this one goes back to idle, and its Connect is answered when
 * `to` connects or fails. */
void service_link_handed_over(struct service *svc, struct service *to);
void service_set_strength(struct service *svc, uint8_t strength);
void service_set_name(struct service *svc, const char *name);
void service_set_favorite(struct service *svc, bool favorite);
void service_set_roaming(struct service *svc, bool roaming);
/* The manager allows autoconnection again: an idle service that may
 * autoconnect does so now. */
void service_try_autoconnect(struct service *svc);
/* Back from online to ready, checking again (the user moved another
 * service first). */
void service_recheck_online(struct service *svc);
/* A ready service is checked now, its back-off started over (a portal's
 * login went through). */
void service_check_online_now(struct service *svc);
/* The nameservers the online check asks: the service's, else main.conf's
 * fallbacks. Caller frees with l_strv_free. */
char **service_online_nameservers(const struct service *svc);
/* When it last became connected (l_time_now()); 0 while not connected. */
uint64_t service_connected_at(const struct service *svc);
/* A disconnect the policy asks for (SingleConnectedTechnology): unlike
 * the user's, it does not hold the service down. */
void service_disconnect_by_policy(struct service *svc);

/* Requests (validated by the caller's D-Bus twin for types, here for meaning). */
int service_connect(struct service *svc, service_connect_done_fn done, void *data);
/* As service_connect, for the user (Service.Connect by `requester`, a bus
 * name, or NULL): this attempt's
 * failure is the user's to hear about (env->report_error), and `done`
 * waits for the user's answer. */
int service_connect_by_user(struct service *svc, const char *requester,
			    service_connect_done_fn done, void *data);
/* The bus name of the client whose Connect is under way (its agent is
 * asked first, as ConnMan asks it), NULL when none is. */
const char *service_connect_requester(const struct service *svc);
int service_disconnect(struct service *svc);
/* -EOPNOTSUPP when the bearer cannot forget it (ethernet). */
int service_remove(struct service *svc);
/* MoveBefore (before = true) / MoveAfter: see the manager. */
int service_move(struct service *svc, const char *target_path, bool before);
int service_set_autoconnect(struct service *svc, bool autoconnect);
int service_set_ipv4_config(struct service *svc, const struct ipv4_settings *settings);
int service_set_ipv6_config(struct service *svc, const struct ipv6_settings *settings);
struct nd_dns_info;
/* RDNSS/DNSSL of a router advertisement on the link (kept while IPv6 is on). */
void service_update_ipv6_dns(struct service *svc, const struct nd_dns_info *info);
/* A router advertisement's Captive Portal option (RFC 8910): kept while IPv6 is
 * on, replaced by the next one. */
void service_set_ra_captive_portal(struct service *svc, const char *uri);
/* The kernel's IPv6 state of the link, from the manager's rtnl events. */
void service_update_ipv6(struct service *svc, const struct ipv6_status *status);
/* Duplicate address detection failed for an address on the service's link. */
void service_ipv6_dad_failed(struct service *svc, const struct in6_addr *address);
int service_set_nameservers_config(struct service *svc, char **servers);
int service_set_timeservers_config(struct service *svc, char **servers);
int service_set_domains_config(struct service *svc, char **domains);
/* A normalized configuration (proxy_config_normalize); -EINVAL when it
 * fails proxy_config_validate. */
int service_set_proxy_config(struct service *svc, const struct proxy_config *config);
int service_clear_error(struct service *svc);
/* The user's answer to env->report_error's `question`: retry connects
 * again (the waiting connect gets that attempt's result); otherwise the
 * connect fails and the error is cleared (idle again), as ConnMan does. An
 * answer to a question that is over (the service moved on) is ignored. */
void service_error_answered(struct service *svc, int question, bool retry);
int service_error_question(const struct service *svc);	/* 0: none pending */
/* Settings kept across restarts: restore before the first connect (no
 * notifications), snapshot whenever the manager saves. */
void service_restore(struct service *svc, const struct service_saved *saved);
void service_snapshot(const struct service *svc, struct service_saved *saved);
/* Back to `defaults` after a Remove, each setting announced; the bearer is
 * not told of AutoConnect (it forgets the network itself). */
void service_reset_config(struct service *svc, const struct service_saved *defaults);

/* Configured by a provisioning file: D-Bus clients may not change it. */
void service_set_immutable(struct service *svc, bool immutable);
bool service_immutable(const struct service *svc);
/* A tethered link belongs to the bridge: its service stays idle meanwhile. */
void service_set_tethered(struct service *svc, bool tethered);
bool service_tethered(const struct service *svc);

/* Stops everything and removes addresses: used on shutdown and power-off. */
void service_shutdown(struct service *svc);
