/* The manager's state, shared by manager.c (bearers, technologies, global
 * settings, life cycle) and manager-services.c (the ranked services and the
 * pass) only. Each satellite (manager-clock, -dns, -provision, -sessions,
 * -tethering) owns its own state behind its own header. */
#pragma once

#include <stdbool.h>
#include <ell/ell.h>

#include "service.h"

struct agents;
struct dbus_callers;
struct manager_clock;
struct manager_dns;
struct provisioning;
struct provisioning_ops;
struct firewall;
struct tether_ctl;
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
	struct l_idle *pass;		/* a re-evaluation pass is pending */
	bool stopping;			/* manager_free() is under way: no more passes */
	char **user_order;		/* service ids, as MoveBefore/MoveAfter left them */
	void **bearers;			/* each bearer module's state, as manager.c lists them */
	struct l_queue *technologies;	/* the technologies the bearers registered */
	struct l_queue *enabled;	/* struct tech_enable: Powered per technology name */
	bool offline_mode;
	const char *state;
	struct l_queue *added;		/* services new since the last ServicesChanged */
	struct l_queue *removed_paths;	/* for the next ServicesChanged */
	struct l_idle *services_changed;	/* a ServicesChanged is pending */
	bool started;
	struct manager_sessions *sessions;
	struct l_uintset *slots;
	unsigned int last_slot;		/* handed out last (round robin) */
	struct agents *agents;
	struct dbus_callers *callers;	/* who may configure (dbus-caller.h) */
	struct ticker *ticker;		/* timers of client objects and retries: one descriptor */
	struct firewall *firewall;	/* NULL when nftables cannot be used; sessions' and tethering's */
	struct tether_ctl *tether;	/* manager-tethering.h */
	struct manager_clock *clock;
	struct provisioning *provisioning;
	struct manager_dns *dns;	/* NULL once stopped */
	char tcp_marks_before;		/* manager-dns.h; kept in the global settings */
};

/* The services now, as an array (caller frees): iterate this, not
 * m->services, around anything that may change a service's state, since a
 * state change re-ranks (replaces) the queue. */
struct service **manager_services_snapshot(const struct manager *m, unsigned int *n);

void manager_save_global_settings(struct manager *m);
/* Each bearer's services_changed hook, at the end of a pass. */
void manager_notify_bearers(struct manager *m);
/* The provisioning files were read again: to each bearer that cares. */
void manager_notify_provisioning(struct manager *m);

/* manager-services.c */
void manager_init_services(struct manager *m);
void manager_free_services(struct manager *m);
const char *manager_aggregate_state(const struct manager *m);
/* One pass at the end of this main-loop turn, or now. */
void manager_schedule_pass(struct manager *m);
void manager_run_pass(struct manager *m);
extern const struct provisioning_ops manager_provisioning_ops;

/* DNS follows the ranked services and the tethering bridge (manager-dns.h). */
void manager_update_dns(struct manager *m);
