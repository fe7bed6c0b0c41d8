/* IPv4 configuration of one link: runs DHCP or applies a manual address, and
 * owns the addresses on managed links (nothing else in connd writes them). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ipv4-config.h"

enum ipconfig_event {
	IPCONFIG_BOUND,		/* an address is configured */
	IPCONFIG_UPDATED,	/* same address; gateway or servers changed */
	IPCONFIG_LOST,		/* the address is gone; DHCP goes on trying */
	IPCONFIG_FAILED,	/* no DHCP server answers (still trying) */
	IPCONFIG_ADD_FAILED,	/* the kernel refused the address (DHCP tries again) */
	IPCONFIG_NO_SERVER,	/* none answers; a link-local address stands in meanwhile */
};

struct ipconfig;
struct rtnl;

typedef void (*ipconfig_cb_t)(struct ipconfig *ipc, enum ipconfig_event event, void *user_data);

struct ipconfig *ipconfig_new(struct rtnl *rtnl, int ifindex, const char *ifname,
			      const uint8_t mac[6], ipconfig_cb_t cb, void *user_data);
void ipconfig_free(struct ipconfig *ipc);

/* Starts `settings` (dhcp or manual; off does nothing). For DHCP, a non-zero
 * previous_address asks the server for that address first (INIT-REBOOT). */
int ipconfig_start(struct ipconfig *ipc, const struct ipv4_settings *settings,
		   uint32_t previous_address);
/* Stops DHCP (with a DHCPRELEASE when release is true) and removes the address. */
void ipconfig_stop(struct ipconfig *ipc, bool release);

/* What is configured now: method, address (0 when none), prefix and gateway. */
const struct ipv4_settings *ipconfig_current(const struct ipconfig *ipc);
/* DHCP asked and no server answered, and no lease came since the start: the
 * link leads to no DHCP network (DHCP still asks; a lease clears this). */
bool ipconfig_dhcp_found_no_server(const struct ipconfig *ipc);
char **ipconfig_nameservers(const struct ipconfig *ipc);	/* NULL-terminated, may be NULL */
char **ipconfig_timeservers(const struct ipconfig *ipc);
char **ipconfig_domains(const struct ipconfig *ipc);	/* DHCP's domain name first */
const char *ipconfig_hostname(const struct ipconfig *ipc);	/* DHCP's, NULL when none */
