/* DHCPv4 messages (RFC 2131, 2132): building client messages, parsing server
 * replies, and the IPv4/UDP framing used on the packet socket. Pure code: no
 * I/O, no allocation, no logging, so it can be unit-tested and fuzzed.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dhcp.h"

#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68

/* Fixed BOOTP header (236) + magic cookie (4); options follow. */
#define DHCP_HEADER_LEN 240
/* Old relays drop BOOTP messages shorter than 300 bytes (RFC 1542). */
#define DHCP_MIN_MSG_LEN 300
#define DHCP_MAX_MSG_LEN 576
#define DHCP_IPUDP_LEN 28	/* IPv4 header without options + UDP header */

enum dhcp_msg_type {
	DHCP_DISCOVER = 1,
	DHCP_OFFER = 2,
	DHCP_REQUEST = 3,
	DHCP_DECLINE = 4,
	DHCP_ACK = 5,
	DHCP_NAK = 6,
	DHCP_RELEASE = 7,
	DHCP_INFORM = 8,
};

/* What a client message carries; 0 fields are left out. */
struct dhcp_request {
	enum dhcp_msg_type type;
	uint32_t xid;
	uint16_t secs;
	uint32_t ciaddr;		/* network order */
	uint32_t requested_address;	/* option 50, network order */
	uint32_t server_id;		/* option 54, network order */
	uint8_t mac[6];
};

/* A parsed server reply. lease.address is yiaddr. */
struct dhcp_reply {
	enum dhcp_msg_type type;
	uint32_t xid;
	uint8_t chaddr[6];
	struct dhcp_lease lease;
};

/* A client's message as a server reads it. Addresses in network order. */
struct dhcp_client_msg {
	enum dhcp_msg_type type;
	uint32_t xid;
	uint16_t flags;
	uint32_t ciaddr;
	uint8_t chaddr[6];
	uint32_t requested_address;	/* option 50, 0 if absent */
	uint32_t server_id;		/* option 54, 0 if absent */
	uint8_t client_id[32];		/* option 61 (or type 1 + chaddr when absent) */
	uint8_t client_id_len;
	char hostname[64];		/* option 12, plain name characters only */
};

/* A server's reply. Addresses in network order; lease_time 0 leaves out
 * options 51, 58 and 59 (an ACK to INFORM). */
struct dhcp_server_reply {
	enum dhcp_msg_type type;	/* OFFER, ACK or NAK */
	uint32_t xid;
	uint16_t flags;
	uint32_t ciaddr;
	uint32_t yiaddr;
	uint8_t chaddr[6];
	uint32_t server_id;
	uint32_t lease_time;
	uint8_t prefix_len;
	uint32_t router;
	uint32_t dns[DHCP_MAX_SERVERS];
	unsigned int n_dns;
	char domain[64];
};

/* Parses a client's BOOTREQUEST. Returns 0 or -EBADMSG. */
int dhcp_packet_parse_client(const uint8_t *buf, size_t len, struct dhcp_client_msg *msg);
/* Writes a server reply into buf; returns its length or -ENOSPC. */
int dhcp_packet_build_reply(const struct dhcp_server_reply *reply, uint8_t *buf, size_t size);

/* Writes a BOOTP message into buf; returns its length or -ENOSPC. */
int dhcp_packet_build(const struct dhcp_request *req, uint8_t *buf, size_t size);

/* Parses a BOOTP reply (op 2, Ethernet hardware, magic cookie, message type
 * present). Lease fields are filled for OFFER and ACK (T1/T2 defaulted and made
 * consistent, options that are malformed ignored). Returns 0 or -EBADMSG. */
int dhcp_packet_parse(const uint8_t *buf, size_t len, struct dhcp_reply *reply);

/* Prepends IPv4 and UDP headers (68 -> 67) with both checksums: buf holds
 * DHCP_IPUDP_LEN free bytes followed by payload_len bytes of payload.
 * Returns the total length. */
size_t dhcp_packet_wrap(uint8_t *buf, size_t payload_len, uint32_t src, uint32_t dst);

/* Checks an IPv4/UDP datagram for port 68 and finds its payload. The UDP
 * checksum is skipped when csum_partial (the sender left it to offload on a
 * virtual link) or when it is 0. Returns 0 or -EBADMSG. */
int dhcp_packet_unwrap(const uint8_t *buf, size_t len, bool csum_partial,
		       const uint8_t **payload, size_t *payload_len);

const char *dhcp_msg_type_name(enum dhcp_msg_type type);

/* What dhcp_lease_check() took out of a lease. */
enum {
	DHCP_DROPPED_ROUTER = 1 << 0,	/* not a gateway this address can reach */
	DHCP_DROPPED_DNS = 1 << 1,	/* loopback, broadcast, multicast, ... nameservers */
	DHCP_DROPPED_NTP = 1 << 2,
	DHCP_DROPPED_DOMAIN = 1 << 3,	/* option 15 is not one domain name */
	DHCP_DROPPED_ROUTES = 1 << 4,	/* option 121's to loopback, multicast, ... */
};

/* RFC 2131 semantics of an offer or an ACK. Returns -EADDRNOTAVAIL with *why
 * set when the address cannot be ours: 0.0.0.0, 0/8, 127/8, multicast or
 * class E, the server's own address, or the network or broadcast address of
 * its subnet (prefixes up to /30; /31 has neither, RFC 3021). Otherwise
 * removes what cannot work and returns 0 with the DHCP_DROPPED_* bits in
 * *dropped: a router that is not a unicast host of the subnet other than
 * us (with /32 every router is off-link, so a /32 lease has no gateway),
 * nameservers and NTP servers that are not unicast hosts, a domain name with
 * spaces or empty or overlong labels, option 121's routes to 0/8, loopback,
 * multicast or class E, or through a gateway that is not a unicast host
 * other than us. */
int dhcp_lease_check(struct dhcp_lease *lease, unsigned int *dropped, const char **why);
