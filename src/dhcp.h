/* DHCPv4 client (RFC 2131) that copes with partially checksummed packets.
 *
 * The client only talks DHCP: it never touches addresses or routes. It reports
 * leases to its owner (ipv4-link), which applies them.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define DHCP_MAX_SERVERS 4
#define DHCP_MAX_ROUTES 16	/* option 121's routes kept, besides its default */

/* One route of option 121 (RFC 3442), in network byte order. */
struct dhcp_route {
	uint32_t dst;		/* the bits past dst_len are zero */
	uint8_t dst_len;	/* 1..32: the default route is the lease's router */
	uint32_t gateway;	/* 0: the destination is on the link */
};

/* Addresses are in network byte order; 0 means "not given". */
struct dhcp_lease {
	uint32_t address;
	uint8_t prefix_len;
	uint32_t router;	/* option 3's first, or option 121's default route */
	uint32_t server_id;
	uint32_t broadcast;
	uint32_t lease_time;	/* seconds; 0xffffffff is infinite */
	uint32_t t1, t2;	/* seconds from the moment the lease was bound */
	uint32_t dns[DHCP_MAX_SERVERS];
	unsigned int n_dns;
	uint32_t ntp[DHCP_MAX_SERVERS];
	unsigned int n_ntp;
	uint16_t mtu;
	char domain[256];	/* option 15, "" when absent */
	char hostname[64];	/* option 12, "" when absent */
	char pac_url[256];	/* option 252 (WPAD's PAC file URL), "" when absent */
	/* option 114 (RFC 8910), the Captive-Portal API URI: printable ASCII
	 * without spaces, "" when absent or malformed */
	char captive_portal[256];
	/* RFC 3442: with option 121 the server's routes are these and its
	 * default route, and option 3 is ignored. */
	bool classless;
	bool classless_bad;	/* option 121 did not parse (or too long): ignored */
	struct dhcp_route routes[DHCP_MAX_ROUTES];
	unsigned int n_routes;
};

enum dhcp_event {
	DHCP_EVENT_BOUND,	/* a new lease (first one, or a different address) */
	DHCP_EVENT_RENEWED,	/* same address extended; options may have changed */
	DHCP_EVENT_LOST,	/* NAK or expiry: remove the address; the client restarts discovery */
	DHCP_EVENT_NO_SERVER,	/* discovery got no usable offer within the first attempt window; keeps trying */
};

struct dhcp_client;

typedef void (*dhcp_event_cb_t)(struct dhcp_client *client, enum dhcp_event event,
				const struct dhcp_lease *lease, void *user_data);

struct dhcp_client *dhcp_client_new(int ifindex, const char *ifname, const uint8_t mac[6],
				    dhcp_event_cb_t cb, void *user_data);
/* Begins INIT, or INIT-REBOOT when requested_address (network order) is not 0. */
int dhcp_client_start(struct dhcp_client *client, uint32_t requested_address);
/* Stops all traffic and timers; sends DHCPRELEASE first when release is true and bound. */
void dhcp_client_stop(struct dhcp_client *client, bool release);
/* The owner found the bound address in use (ACD): sends DHCPDECLINE, drops the
 * lease without an event and restarts discovery after 10 s. -ENOENT if no lease. */
int dhcp_client_decline(struct dhcp_client *client);
void dhcp_client_free(struct dhcp_client *client);	/* accepts NULL; implies stop(false) */
const char *dhcp_event_name(enum dhcp_event event);
