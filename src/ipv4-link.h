/* IPv4 configuration of one link: runs DHCP or applies a manual address, and
 * owns the addresses on managed links (nothing else in connd writes them). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ipv4-settings.h"

struct ipv4_routes;

enum ipv4_link_event {
	IPV4_LINK_BOUND,		/* an address is configured */
	IPV4_LINK_UPDATED,	/* same address; gateway or servers changed */
	IPV4_LINK_LOST,		/* the address is gone; DHCP goes on trying */
	IPV4_LINK_FAILED,	/* no DHCP server answers (still trying) */
	IPV4_LINK_ADD_FAILED,	/* the kernel refused the address (DHCP tries again) */
	IPV4_LINK_NO_SERVER,	/* none answers; a link-local address stands in meanwhile */
};

struct ipv4_link;
struct rtnl;

typedef void (*ipv4_link_cb_t)(struct ipv4_link *ipc, enum ipv4_link_event event, void *user_data);
/* An address (network order) is about to go on link ifindex: whatever gives
 * way to it (tethering's subnet) moves now, before the lease is checked
 * against the other links' subnets. */
typedef void (*ipv4_link_claim_fn)(int ifindex, uint32_t address, uint8_t prefix_len,
				   void *data);

struct ipv4_link *ipv4_link_new(struct rtnl *rtnl, int ifindex, const char *ifname,
			      const uint8_t mac[6], ipv4_link_cb_t cb, void *user_data);
void ipv4_link_free(struct ipv4_link *ipc);
void ipv4_link_set_claim(struct ipv4_link *ipc, ipv4_link_claim_fn fn, void *data);
/* The link was renamed or has a new hardware address (Wi-Fi address
 * randomization, the user's): the next DHCP or link-local start uses them. */
void ipv4_link_set_link(struct ipv4_link *ipc, const char *ifname, const uint8_t mac[6]);

/* Starts `settings` (dhcp or manual; off does nothing). For DHCP, a non-zero
 * previous_address asks the server for that address first (INIT-REBOOT). */
int ipv4_link_start(struct ipv4_link *ipc, const struct ipv4_settings *settings,
		   uint32_t previous_address);
/* Stops DHCP (with a DHCPRELEASE when release is true) and removes the address. */
void ipv4_link_stop(struct ipv4_link *ipc, bool release);

/* What is configured now: method, address (0 when none), prefix and gateway. */
const struct ipv4_settings *ipv4_link_current(const struct ipv4_link *ipc);
/* DHCP asked and no server answered, and no lease came since the start: the
 * link leads to no DHCP network (DHCP still asks; a lease clears this). */
bool ipv4_link_dhcp_found_no_server(const struct ipv4_link *ipc);
char **ipv4_link_nameservers(const struct ipv4_link *ipc);	/* NULL-terminated, may be NULL */
char **ipv4_link_timeservers(const struct ipv4_link *ipc);
char **ipv4_link_domains(const struct ipv4_link *ipc);	/* DHCP's domain name first */
const char *ipv4_link_hostname(const struct ipv4_link *ipc);	/* DHCP's, NULL when none */
const char *ipv4_link_pac_url(const struct ipv4_link *ipc);	/* option 252, NULL when none */
/* Option 121's routes, as installed in the main table (refused ones left out). */
const struct ipv4_routes *ipv4_link_routes(const struct ipv4_link *ipc);
/* The Captive-Portal API URI of the lease (option 114), NULL when none. */
const char *ipv4_link_captive_portal(const struct ipv4_link *ipc);
