/* The manager's state, shared by manager.c and its manager-*.c satellites. */
#pragma once

#include <stdbool.h>
#include <ell/ell.h>

#include "ippool.h"
#include "service.h"

struct agents;
struct clock;
struct provision;
struct dnsproxy;
struct firewall;
struct tethering;
struct connd_config;
struct connd_options;
struct routing;
struct rtnl;
struct manager_sessions;
struct technology;

struct manager {
	struct l_dbus *dbus;
	const struct connd_config *config;
	const struct connd_options *opts;
	struct rtnl *rtnl;
	struct routing *routing;
	struct service_env env;
	struct l_queue *services;	/* ranked: the first is the default service */
	struct technology *ethernet;	/* NULL while no ethernet link is managed */
	bool ethernet_powered;		/* survives the technology object */
	bool offline_mode;
	const char *state;
	struct l_queue *added;		/* services new since the last ServicesChanged */
	struct l_queue *removed_paths;	/* for the next ServicesChanged */
	struct l_idle *services_changed;	/* a ServicesChanged is pending */
	bool started;
	struct manager_sessions *sessions;
	struct l_uintset *slots;
	struct agents *agents;
	struct firewall *firewall;	/* NULL when nftables cannot be used; sessions' and tethering's */
	struct tethering *tethering;	/* NULL while tethering is off */
	bool tethering_saved;		/* it was on when the settings were last saved */
	char **tethered_saved;		/* the services it bridged then, until restored */
	struct ipv4_net tether_subnet;	/* the last one tethering had, kept across restarts */
	char forwarding_before;		/* '0'/'1' before tethering first set it; 0: none */
	struct clock *clock;
	struct provision **provisions;	/* from the *.config files */
	struct l_dir_watch *provision_watch;
	struct dnsproxy *dnsproxy;	/* NULL with --nodnsproxy */
	bool dns_on_ipv6_loopback;
	bool dns_stopped;		/* resolv.conf is left as it was at shutdown */
	char *resolv_text;		/* what connd last wrote there */
	char dns_bridge_address[16];	/* the proxy listens there while tethering */
};

/* The services now, as an array (caller frees): iterate this, not
 * m->services, around anything that may change a service's state, since a
 * state change re-ranks (replaces) the queue. */
struct service **manager_services_snapshot(const struct manager *m, unsigned int *n);

void manager_save_global_settings(struct manager *m);

/* manager-tethering.c */
void manager_restore_tethering(struct manager *m);
void manager_update_tethering(struct manager *m);
void manager_tethering_address_added(struct manager *m);
void manager_stop_tethering(struct manager *m);

/* manager-provision.c */
void manager_start_provisioning(struct manager *m);
void manager_provision_service(struct manager *m, struct service *svc);
void manager_stop_provisioning(struct manager *m);

/* manager-clock.c */
void manager_start_clock(struct manager *m);
void manager_register_clock(struct manager *m);
void manager_update_clock(struct manager *m);
void manager_stop_clock(struct manager *m);

/* manager-dns.c */
void manager_start_dns(struct manager *m);
void manager_update_dns(struct manager *m);
void manager_stop_dns(struct manager *m);
