/* The service state machine: every path a service takes, and the events that
 * must not move it. */
#include "check.h"
#include "service-state.h"

#define S(x) SERVICE_STATE_##x
#define E(x) SERVICE_EVENT_##x

static enum service_state run(enum service_state s, const enum service_event *events, int n)
{
	for (int i = 0; i < n; i++)
		s = service_state_next(s, events[i]);
	return s;
}

static void test_happy_path(void)
{
	const enum service_event path[] = { E(CONNECT), E(LINK_READY), E(IP_BOUND), E(ONLINE_OK) };

	CHECK_INT(service_state_next(S(IDLE), E(CONNECT)), S(ASSOCIATION));
	CHECK_INT(service_state_next(S(ASSOCIATION), E(LINK_READY)), S(CONFIGURATION));
	CHECK_INT(service_state_next(S(CONFIGURATION), E(IP_BOUND)), S(READY));
	CHECK_INT(service_state_next(S(READY), E(ONLINE_OK)), S(ONLINE));
	CHECK_INT(run(S(IDLE), path, 4), S(ONLINE));
}

static void test_carrier_loss_from_everywhere(void)
{
	for (enum service_state s = S(IDLE); s <= S(FAILURE); s++)
		CHECK_INT(service_state_next(s, E(CARRIER_LOST)), S(IDLE));
}

static void test_disconnect(void)
{
	CHECK_INT(service_state_next(S(ONLINE), E(DISCONNECT)), S(DISCONNECT));
	CHECK_INT(service_state_next(S(READY), E(DISCONNECT)), S(DISCONNECT));
	CHECK_INT(service_state_next(S(CONFIGURATION), E(DISCONNECT)), S(DISCONNECT));
	CHECK_INT(service_state_next(S(DISCONNECT), E(DISCONNECTED)), S(IDLE));
	/* Nothing to tear down when idle. */
	CHECK_INT(service_state_next(S(IDLE), E(DISCONNECT)), S(IDLE));
	/* A disconnecting service ignores late progress. */
	CHECK_INT(service_state_next(S(DISCONNECT), E(IP_BOUND)), S(DISCONNECT));
	CHECK_INT(service_state_next(S(DISCONNECT), E(ONLINE_OK)), S(DISCONNECT));
}

static void test_failures(void)
{
	CHECK_INT(service_state_next(S(CONFIGURATION), E(IP_FAILED)), S(FAILURE));
	CHECK_INT(service_state_next(S(IDLE), E(IP_FAILED)), S(IDLE));
	/* DHCP keeps trying after a failure: a late lease still connects. */
	CHECK_INT(service_state_next(S(FAILURE), E(IP_BOUND)), S(READY));
	CHECK_INT(service_state_next(S(FAILURE), E(CLEAR_ERROR)), S(IDLE));
	/* A bearer whose link layer fails (a wrong key) ends in failure. */
	CHECK_INT(service_state_next(S(ASSOCIATION), E(LINK_FAILED)), S(FAILURE));
	CHECK_INT(service_state_next(S(CONFIGURATION), E(LINK_FAILED)), S(CONFIGURATION));
	CHECK_INT(service_state_next(S(FAILURE), E(CONNECT)), S(ASSOCIATION));
	CHECK_INT(service_state_next(S(FAILURE), E(DISCONNECTED)), S(FAILURE));
}

static void test_online_check_and_address_loss(void)
{
	CHECK_INT(service_state_next(S(ONLINE), E(ONLINE_FAILED)), S(READY));
	CHECK_INT(service_state_next(S(READY), E(ONLINE_FAILED)), S(READY));
	CHECK_INT(service_state_next(S(ONLINE), E(IP_LOST)), S(CONFIGURATION));
	CHECK_INT(service_state_next(S(READY), E(IP_LOST)), S(CONFIGURATION));
	/* Online needs an address first. */
	CHECK_INT(service_state_next(S(CONFIGURATION), E(ONLINE_OK)), S(CONFIGURATION));
	CHECK_INT(service_state_next(S(IDLE), E(ONLINE_OK)), S(IDLE));
	CHECK_INT(service_state_next(S(IDLE), E(IP_BOUND)), S(IDLE));
}

static void test_names_and_predicates(void)
{
	CHECK_STR(service_state_name(S(IDLE)), "idle");
	CHECK_STR(service_state_name(S(ASSOCIATION)), "association");
	CHECK_STR(service_state_name(S(CONFIGURATION)), "configuration");
	CHECK_STR(service_state_name(S(READY)), "ready");
	CHECK_STR(service_state_name(S(ONLINE)), "online");
	CHECK_STR(service_state_name(S(DISCONNECT)), "disconnect");
	CHECK_STR(service_state_name(S(FAILURE)), "failure");
	CHECK(service_state_is_connected(S(READY)) && service_state_is_connected(S(ONLINE)));
	CHECK(!service_state_is_connected(S(CONFIGURATION)));
	CHECK(service_state_is_connecting(S(ASSOCIATION)) && !service_state_is_connecting(S(READY)));
	for (enum service_event e = E(CONNECT); e <= E(CLEAR_ERROR); e++)
		CHECK(strcmp(service_event_name(e), "unknown") != 0);
}

int main(void)
{
	test_happy_path();
	test_carrier_loss_from_everywhere();
	test_disconnect();
	test_failures();
	test_online_check_and_address_loss();
	test_names_and_predicates();
	CHECK_DONE();
}
