/* DHCPv4 server for the tethering bridge (RFC 2131, server side). The
 * protocol (dhcp_server_handle) is pure and driven by tests with a clock of
 * their own; dhcp_server_start adds the socket on an interface. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dhcp.h"

struct dhcp_server_config {
	uint32_t address;		/* the server's own, network order */
	uint8_t prefix_len;
	uint32_t range_start;		/* inclusive, network order */
	uint32_t range_end;
	uint32_t lease_time;		/* seconds */
	uint32_t router;		/* 0: none */
	uint32_t dns[DHCP_MAX_SERVERS];
	unsigned int n_dns;
	char domain[64];
	/* The server's address before tethering moved to this subnet (0:
	 * none): a client still holding a lease of that subnet is refused in
	 * its name, since clients heed only a DHCPNAK from the server that
	 * leased to them (busybox udhcpc ignores any other). */
	uint32_t previous_address;
	uint8_t previous_prefix_len;
};

struct dhcp_server_lease {
	uint8_t mac[6];
	uint32_t address;
	uint64_t expires;		/* seconds on the server's clock */
	const char *hostname;
	bool bound;			/* ACKed (not only offered) */
};

struct dhcp_server;

typedef void (*dhcp_server_lease_cb_t)(const struct dhcp_server_lease *lease, bool added,
				       void *user_data);

struct dhcp_server *dhcp_server_new(const struct dhcp_server_config *config,
				    dhcp_server_lease_cb_t cb, void *user_data);
void dhcp_server_free(struct dhcp_server *server);

/* Answers one client message received at `now` (seconds): returns the reply's
 * length in `reply`, 0 when nothing is to be sent, or -EBADMSG. */
int dhcp_server_handle(struct dhcp_server *server, const uint8_t *msg, size_t len,
		       uint64_t now, uint8_t *reply, size_t size);

/* Listens on `ifname` (UDP port 67, bound to the device) and broadcasts its
 * replies there. */
int dhcp_server_start(struct dhcp_server *server, const char *ifname);
void dhcp_server_stop(struct dhcp_server *server);

void dhcp_server_foreach_lease(struct dhcp_server *server,
			       void (*fn)(const struct dhcp_server_lease *lease, void *data),
			       void *data);
