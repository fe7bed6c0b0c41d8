/* Clients' callback objects: the Agent (net.connman.Agent) that connd asks
 * about errors and captive portals, and Counters (net.connman.Counter) that
 * receive per-service usage every period. Each is dropped when its owner
 * leaves the bus, and told Release() when connd drops it itself. */
#pragma once

#include <stdbool.h>
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
/* The agent's answer to ReportError `id`: retry when the user wants another
 * try (net.connman.Agent.Error.Retry); any other answer, none within the
 * input timeout (the agent is then told Cancel) or the agent leaving: no. */
typedef void (*agents_error_fn)(int id, bool retry, void *data);
/* Tells the default agent of a service's error. With `done`, returns a
 * request id (> 0) and `done` gets the answer once, from the main loop;
 * without, asks for no answer and returns 0. -ENOENT without an agent. */
int agents_report_error(struct agents *agents, struct service *svc, const char *error,
			agents_error_fn done, void *data);

/* The agent's answer to RequestBrowser: 0 the user is done with the page
 * (logged in, one hopes), -ECANCELED the agent said no or went away. */
typedef void (*agents_browser_fn)(int result, void *data);
/* The agent's answer to RequestInput for a hotspot's credentials: 0 with
 * both, -ECANCELED refused or unanswered, -EPROTO an answer without them,
 * 1 the agent wants the browser instead (net.connman.Agent.Error.LaunchBrowser).
 * The strings are the reply's: copy what is kept, and never log the password. */
typedef void (*agents_login_fn)(int result, const char *username, const char *password,
				void *data);

/* Each asks the default agent and returns a request id (> 0) for
 * agents_cancel, or -ENOENT without an agent; the callback runs once,
 * from the main loop, unless the request is cancelled first. */
int agents_request_browser(struct agents *agents, struct service *svc, const char *url,
			   agents_browser_fn done, void *data);
int agents_request_login(struct agents *agents, struct service *svc, agents_login_fn done,
			 void *data);
/* RequestInput (ConnMan's names and types, e.g. { "Passphrase", "psk" },
 * { "Identity", "string" }): the callback gets 0 and each field's value in
 * the fields' order, -EPROTO for an answer lacking a mandatory one,
 * -ECANCELED when refused, -ETIMEDOUT when unanswered for the input
 * timeout. A field may name an alternate, a later field of requirement
 * "alternate" (ConnMan's Name with its SSID): either answers it, the
 * other's value is then NULL. A field of type "ssid" is a byte array on the
 * bus, given here as lower-case hex. The fields' strings must last until
 * the callback. The values are the reply's: copy what is kept, never log
 * secrets. */
#define AGENTS_INPUT_MAX 4
struct agents_field {
	const char *name;
	const char *type;
	const char *alternate;		/* the field that may answer instead, or NULL */
	bool is_alternate;		/* requirement "alternate" */
};
typedef void (*agents_input_fn)(int result, const char *const *values, void *data);
int agents_request_input(struct agents *agents, struct service *svc,
			 const struct agents_field *fields, unsigned int n, agents_input_fn done,
			 void *data);
/* How long RequestInput waits for the user (main.conf's InputRequestTimeout,
 * seconds; 0: for ever). */
void agents_set_input_timeout(struct agents *agents, unsigned int seconds);
/* Withdraws a request, telling the agent with Cancel(); its callback does not run. */
void agents_cancel(struct agents *agents, int id);

/* The longest counter period: a day; longer ones report nothing useful. */
#define AGENTS_COUNTER_PERIOD_MAX 86400

/* period in seconds, 1 to AGENTS_COUNTER_PERIOD_MAX, else -EINVAL. */
int agents_register_counter(struct agents *agents, const char *owner, const char *path,
			    uint32_t accuracy, uint32_t period);
int agents_unregister_counter(struct agents *agents, const char *owner, const char *path);
/* The services to report and how to read them: called at every period. */
void agents_set_usage_source(struct agents *agents, const struct l_queue *(*services)(void *),
			     usage_fn read_usage, void *data);
