/* Clients' callback objects: the Agent (net.connman.Agent) that connd asks
 * about errors and captive portals, and Counters (net.connman.Counter) that
 * receive per-service usage every period. Each is dropped when its owner
 * leaves the bus, and told Release() when connd drops it itself. */
#pragma once

#include <stdint.h>
#include <ell/ell.h>

struct agents;
struct service;
struct ticker;

struct link_counters;

typedef int (*usage_fn)(struct service *svc, struct link_counters *usage, void *data);

/* Counters' periods run on `ticker`, which outlives the agents. */
struct agents *agents_new(struct l_dbus *dbus, struct ticker *ticker);
void agents_free(struct agents *agents);	/* Release() to every agent and counter */

int agents_register_agent(struct agents *agents, const char *owner, const char *path);
int agents_unregister_agent(struct agents *agents, const char *owner, const char *path);
/* Tells the default agent; no-ops without one. */
void agents_report_error(struct agents *agents, struct service *svc, const char *error);
void agents_request_browser(struct agents *agents, struct service *svc, const char *url);

/* The longest counter period: a day; longer ones report nothing useful. */
#define AGENTS_COUNTER_PERIOD_MAX 86400

/* period in seconds, 1 to AGENTS_COUNTER_PERIOD_MAX, else -EINVAL. */
int agents_register_counter(struct agents *agents, const char *owner, const char *path,
			    uint32_t accuracy, uint32_t period);
int agents_unregister_counter(struct agents *agents, const char *owner, const char *path);
/* The services to report and how to read them: called at every period. */
void agents_set_usage_source(struct agents *agents, const struct l_queue *(*services)(void *),
			     usage_fn read_usage, void *data);
