/* Where DHCP messages leave and enter the process: the seam between the
 * client's state machine (dhcp.c) and the sockets (dhcp-transport.c), so
 * that unit tests can drive the client with a fake transport.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dhcp_client;

/* A received BOOTP message (IP/UDP headers already checked and removed). */
typedef void (*dhcp_transport_rx_cb_t)(const uint8_t *msg, size_t len, void *user_data);

struct dhcp_transport_ops {
	/* Sets which sockets are open: the link-layer one when raw is true,
	 * a UDP socket bound to udp_address:68 when udp_address (network
	 * order) is not 0. Returns 0 or a negative errno. */
	int (*listen)(void *data, bool raw, uint32_t udp_address);
	/* Sends msg from src:68 to 255.255.255.255:67 as a link broadcast. */
	int (*send_broadcast)(void *data, uint32_t src, const uint8_t *msg, size_t len);
	/* Sends msg to dst:67 through the UDP socket. */
	int (*send_unicast)(void *data, uint32_t dst, const uint8_t *msg, size_t len);
	void (*free)(void *data);
};

/* The real transport: AF_PACKET for broadcasts and for every reply, UDP for
 * unicasts once an address is leased. */
extern const struct dhcp_transport_ops dhcp_transport_socket_ops;
void *dhcp_transport_socket_new(int ifindex, const char *ifname,
				dhcp_transport_rx_cb_t rx, void *user_data);

/* Test seams. The client takes ownership of data (freed with ops->free).
 * Must be called before dhcp_client_start(). */
void dhcp_client_set_transport(struct dhcp_client *client,
			       const struct dhcp_transport_ops *ops, void *data);
/* Feeds a received BOOTP message to the client, as the transport does. */
void dhcp_client_receive(struct dhcp_client *client, const uint8_t *msg, size_t len);
/* Milliseconds per protocol second (default 1000): tests shrink every
 * timeout and lease time with it. */
void dhcp_client_set_time_scale(struct dhcp_client *client, unsigned int ms_per_second);
