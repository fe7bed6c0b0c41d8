#include <stdio.h>
#include <arpa/inet.h>
#include <ell/ell.h>

#include "ipv4ll.h"

#define FIRST_ADDRESS 0xa9fe0100u	/* 169.254.1.0 */
#define ADDRESS_COUNT (254u * 256u)	/* up to 169.254.254.255 */
#define MAX_CONFLICTS 10		/* RFC 3927 2.2.1: then slow down */
#define RATE_LIMIT_S 60

struct ipv4ll {
	int ifindex;
	struct l_acd *acd;
	uint32_t probing;		/* the candidate, network order */
	uint32_t held;			/* announced and defended, or 0 */
	unsigned int conflicts;
	struct l_timeout *rate_limit;
	ipv4ll_cb_t cb;
	void *user_data;
};

uint32_t ipv4ll_address(uint32_t value)
{
	return htonl(FIRST_ADDRESS + value % ADDRESS_COUNT);
}

uint32_t ipv4ll_seed(const uint8_t mac[6])
{
	uint32_t hash = 2166136261u;

	for (int i = 0; i < 6; i++)
		hash = (hash ^ mac[i]) * 16777619u;
	return hash;
}

static void acd_event(enum l_acd_event event, void *user_data);

static void nothing(void *data)
{
}

static void destroy_acd(void *data)
{
	l_acd_destroy(data);
}

/* Events come from inside the acd's own socket handler, which ELL still
 * uses after the handler returns: an acd is destroyed from the main loop. */
static void retire_acd(struct ipv4ll *ll)
{
	if (!ll->acd)
		return;
	l_acd_set_event_handler(ll->acd, NULL, NULL, NULL);
	l_acd_stop(ll->acd);
	l_idle_oneshot(nothing, ll->acd, destroy_acd);	/* also freed at exit */
	ll->acd = NULL;
}

static bool probe(struct ipv4ll *ll, uint32_t address)
{
	char text[INET_ADDRSTRLEN];
	struct in_addr in = { .s_addr = address };

	retire_acd(ll);
	ll->probing = address;
	ll->acd = l_acd_new(ll->ifindex);
	if (!ll->acd)
		return false;
	l_acd_set_event_handler(ll->acd, acd_event, ll, NULL);
	inet_ntop(AF_INET, &in, text, sizeof(text));
	l_debug("ifindex %d: probing %s", ll->ifindex, text);
	return l_acd_start(ll->acd, text);
}

static uint32_t random_address(void)
{
	uint32_t value;

	l_getrandom(&value, sizeof(value));
	return ipv4ll_address(value);
}

static void rate_limit_over(struct l_timeout *timeout, void *user_data)
{
	struct ipv4ll *ll = user_data;

	l_timeout_remove(ll->rate_limit);
	ll->rate_limit = NULL;
	if (!probe(ll, random_address()))
		l_warn("ifindex %d: cannot probe for a link-local address", ll->ifindex);
}

/* Another machine has the candidate (or took the held address): the next
 * one is random, and after many conflicts only one a minute. */
static void try_another(struct ipv4ll *ll)
{
	char text[INET_ADDRSTRLEN];
	struct in_addr in = { .s_addr = ll->probing };

	/* Said at info level: a link that never gets its address shows why. */
	l_info("ifindex %d: link-local %s is another host's (conflict %u)", ll->ifindex,
	       inet_ntop(AF_INET, &in, text, sizeof(text)), ll->conflicts + 1);
	retire_acd(ll);
	if (++ll->conflicts >= MAX_CONFLICTS) {
		ll->rate_limit = l_timeout_create(RATE_LIMIT_S, rate_limit_over, ll, NULL);
		if (!ll->rate_limit)
			l_warn("ifindex %d: no timer to probe again (out of file descriptors)",
			       ll->ifindex);
		return;
	}
	if (!probe(ll, random_address()))
		l_warn("ifindex %d: cannot probe for a link-local address", ll->ifindex);
}

static void acd_event(enum l_acd_event event, void *user_data)
{
	struct ipv4ll *ll = user_data;

	switch (event) {
	case L_ACD_EVENT_AVAILABLE:
		ll->held = ll->probing;
		ll->cb(ll->held, ll->user_data);
		break;
	case L_ACD_EVENT_CONFLICT:
		try_another(ll);
		break;
	case L_ACD_EVENT_LOST:
		ll->held = 0;
		ll->cb(0, ll->user_data);
		try_another(ll);
		break;
	}
}

struct ipv4ll *ipv4ll_start(int ifindex, const uint8_t mac[6], ipv4ll_cb_t cb, void *user_data)
{
	struct ipv4ll *ll = l_new(struct ipv4ll, 1);

	ll->ifindex = ifindex;
	ll->cb = cb;
	ll->user_data = user_data;
	if (!probe(ll, ipv4ll_address(ipv4ll_seed(mac)))) {
		ipv4ll_stop(ll);
		return NULL;
	}
	return ll;
}

void ipv4ll_stop(struct ipv4ll *ll)
{
	if (!ll)
		return;
	l_timeout_remove(ll->rate_limit);
	retire_acd(ll);
	l_free(ll);
}
