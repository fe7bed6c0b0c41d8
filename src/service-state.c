#include <stddef.h>

#include "service-state.h"

static const char *const state_names[] = {
	[SERVICE_STATE_IDLE] = "idle",
	[SERVICE_STATE_ASSOCIATION] = "association",
	[SERVICE_STATE_CONFIGURATION] = "configuration",
	[SERVICE_STATE_READY] = "ready",
	[SERVICE_STATE_ONLINE] = "online",
	[SERVICE_STATE_DISCONNECT] = "disconnect",
	[SERVICE_STATE_FAILURE] = "failure",
};

static const char *const event_names[] = {
	[SERVICE_EVENT_CONNECT] = "connect",
	[SERVICE_EVENT_LINK_READY] = "link-ready",
	[SERVICE_EVENT_LINK_FAILED] = "link-failed",
	[SERVICE_EVENT_IP_BOUND] = "ip-bound",
	[SERVICE_EVENT_IP_LOST] = "ip-lost",
	[SERVICE_EVENT_IP_FAILED] = "ip-failed",
	[SERVICE_EVENT_ONLINE_OK] = "online-ok",
	[SERVICE_EVENT_ONLINE_FAILED] = "online-failed",
	[SERVICE_EVENT_DISCONNECT] = "disconnect",
	[SERVICE_EVENT_DISCONNECTED] = "disconnected",
	[SERVICE_EVENT_CARRIER_LOST] = "carrier-lost",
	[SERVICE_EVENT_CLEAR_ERROR] = "clear-error",
};

const char *service_state_name(enum service_state state)
{
	return state <= SERVICE_STATE_FAILURE ? state_names[state] : "unknown";
}

const char *service_event_name(enum service_event event)
{
	return event <= SERVICE_EVENT_CLEAR_ERROR ? event_names[event] : "unknown";
}

bool service_state_is_connected(enum service_state state)
{
	return state == SERVICE_STATE_READY || state == SERVICE_STATE_ONLINE;
}

bool service_state_is_connecting(enum service_state state)
{
	return state == SERVICE_STATE_ASSOCIATION || state == SERVICE_STATE_CONFIGURATION;
}

/* Events that mean the same from every state. */
static int common_transition(enum service_state state, enum service_event event)
{
	switch (event) {
	case SERVICE_EVENT_CARRIER_LOST:
		return SERVICE_STATE_IDLE;
	case SERVICE_EVENT_DISCONNECT:
		return state == SERVICE_STATE_IDLE || state == SERVICE_STATE_FAILURE ?
			(int)state : SERVICE_STATE_DISCONNECT;
	case SERVICE_EVENT_DISCONNECTED:
		return state == SERVICE_STATE_FAILURE ? (int)state : SERVICE_STATE_IDLE;
	case SERVICE_EVENT_IP_FAILED:
		return state == SERVICE_STATE_IDLE ? (int)state : SERVICE_STATE_FAILURE;
	default:
		return -1;
	}
}

enum service_state service_state_next(enum service_state state, enum service_event event)
{
	int common = common_transition(state, event);

	if (common >= 0)
		return common;

	switch (state) {
	case SERVICE_STATE_IDLE:
		return event == SERVICE_EVENT_CONNECT ? SERVICE_STATE_ASSOCIATION : state;
	case SERVICE_STATE_FAILURE:
		if (event == SERVICE_EVENT_CLEAR_ERROR)
			return SERVICE_STATE_IDLE;
		/* A late lease after a failure still brings the service up. */
		if (event == SERVICE_EVENT_IP_BOUND)
			return SERVICE_STATE_READY;
		return event == SERVICE_EVENT_CONNECT ? SERVICE_STATE_ASSOCIATION : state;
	case SERVICE_STATE_ASSOCIATION:
		if (event == SERVICE_EVENT_LINK_FAILED)
			return SERVICE_STATE_FAILURE;
		return event == SERVICE_EVENT_LINK_READY ? SERVICE_STATE_CONFIGURATION : state;
	case SERVICE_STATE_CONFIGURATION:
		return event == SERVICE_EVENT_IP_BOUND ? SERVICE_STATE_READY : state;
	case SERVICE_STATE_READY:
		if (event == SERVICE_EVENT_ONLINE_OK)
			return SERVICE_STATE_ONLINE;
		return event == SERVICE_EVENT_IP_LOST ? SERVICE_STATE_CONFIGURATION : state;
	case SERVICE_STATE_ONLINE:
		if (event == SERVICE_EVENT_ONLINE_FAILED)
			return SERVICE_STATE_READY;
		return event == SERVICE_EVENT_IP_LOST ? SERVICE_STATE_CONFIGURATION : state;
	case SERVICE_STATE_DISCONNECT:
		return state;
	}
	return state;
}
