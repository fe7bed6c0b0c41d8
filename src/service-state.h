/* The service state machine, pure: one transition function over ConnMan's
 * service states, so every path can be unit-tested without a kernel. */
#pragma once

#include <stdbool.h>

enum service_state {
	SERVICE_STATE_IDLE,
	SERVICE_STATE_ASSOCIATION,
	SERVICE_STATE_CONFIGURATION,
	SERVICE_STATE_READY,
	SERVICE_STATE_ONLINE,
	SERVICE_STATE_DISCONNECT,
	SERVICE_STATE_FAILURE,
};

enum service_event {
	SERVICE_EVENT_CONNECT,		/* carrier present and the service may connect */
	SERVICE_EVENT_LINK_READY,	/* layer 2 is up: IP configuration starts */
	SERVICE_EVENT_LINK_FAILED,	/* layer 2 could not come up (bad key, no AP) */
	SERVICE_EVENT_IP_BOUND,		/* an IPv4 address is configured */
	SERVICE_EVENT_IP_LOST,		/* the address went away (lease lost, conflict) */
	SERVICE_EVENT_IP_FAILED,	/* configuration cannot complete (DHCP gave up) */
	SERVICE_EVENT_ONLINE_OK,	/* the online check passed */
	SERVICE_EVENT_ONLINE_FAILED,	/* the online check failed: stays or drops to ready */
	SERVICE_EVENT_DISCONNECT,	/* user request, power off, offline mode */
	SERVICE_EVENT_DISCONNECTED,	/* teardown finished */
	SERVICE_EVENT_CARRIER_LOST,	/* cable out, out of range: straight to idle */
	SERVICE_EVENT_CLEAR_ERROR,	/* Service.ClearProperty("Error") */
};

const char *service_state_name(enum service_state state);
const char *service_event_name(enum service_event event);
/* Returns the next state; the same state when the event does not apply. */
enum service_state service_state_next(enum service_state state, enum service_event event);
/* ready and online: an address is configured and routes may point at it. */
bool service_state_is_connected(enum service_state state);
/* Anything between idle and ready that a Disconnect must undo. */
bool service_state_is_connecting(enum service_state state);
