/* DHCPv6 client (RFC 8415) of one link, stateful (addresses of an IA_NA,
 * with nameservers, domains and timeservers) or stateless (those options
 * alone, by Information-request); as a requesting router it also asks for a
 * delegated prefix (IA_PD), beside the addresses or alone. It only talks DHCPv6: it never touches
 * addresses, and reports what it holds to its owner (dhcp6-link), which
 * applies it. Messages go through a transport (the seam below) and are
 * built and parsed by dhcp6-packet.c.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "dhcp6-packet.h"

/* What the client holds. Lifetimes and timers are seconds left from the
 * moment the lease is handed out (DHCP6_INFINITY: for ever). */
struct dhcp6_lease {
	struct dhcp6_duid server_id;
	struct dhcp6_address addrs[DHCP6_MAX_ADDRS];
	unsigned int n_addrs;
	bool has_prefix;		/* a delegated prefix (IA_PD) */
	struct dhcp6_prefix prefix;
	uint32_t t1, t2;		/* to Renew and Rebind; 0 in a stateless lease */
	struct in6_addr dns[DHCP6_MAX_SERVERS];
	unsigned int n_dns;
	char domains[DHCP6_MAX_DOMAINS][254];
	unsigned int n_domains;
	struct in6_addr ntp[DHCP6_MAX_SERVERS];
	unsigned int n_ntp;
};

enum dhcp6_mode {
	DHCP6_MODE_STATELESS,	/* the RA's O flag: Information-request */
	DHCP6_MODE_STATEFUL,	/* the RA's M flag: IA_NA (and IA_PD when wanted) */
	DHCP6_MODE_PREFIX,	/* no M flag, a prefix wanted: IA_PD alone */
};

enum dhcp6_event {
	DHCP6_EVENT_BOUND,	/* the lease is new or changed (addresses, prefix, lifetimes, options) */
	DHCP6_EVENT_LOST,	/* every address and the prefix are gone; the client solicits again */
};

struct dhcp6_client;

typedef void (*dhcp6_event_cb_t)(struct dhcp6_client *client, enum dhcp6_event event,
				 const struct dhcp6_lease *lease, void *user_data);

/* duid: the device's (kept by the owner); iaid: stable for the link. */
struct dhcp6_client *dhcp6_client_new(int ifindex, const char *ifname,
				      const struct dhcp6_duid *duid, uint32_t iaid,
				      dhcp6_event_cb_t cb, void *user_data);
/* Starts in mode. With a previous lease holding addresses (a restart, a link
 * that came back) stateful mode first sends a Confirm, and keeps that lease
 * if the server confirms it or none answers (RFC 8415 18.2.3). A previous
 * lease with a delegated prefix that is still wanted is rebound instead
 * (18.2.2: a Confirm cannot carry prefixes), asking for the same prefix. */
int dhcp6_client_start(struct dhcp6_client *client, enum dhcp6_mode mode,
		       const struct dhcp6_lease *previous);
/* A stateless or prefix-only client goes stateful (an RA brought the M
 * flag); the options and prefix it has stay until the Reply. -EALREADY when
 * stateful already. */
int dhcp6_client_go_stateful(struct dhcp6_client *client);
/* The owner found address in use on the link (duplicate address
 * detection failed): it goes back to the server with a Decline (RFC 8415
 * 18.2.8) and leaves the lease, which is reported (BOUND with what is left,
 * or LOST when nothing is, and the client solicits again). -ENOENT when the
 * lease has no such address. */
int dhcp6_client_decline(struct dhcp6_client *client, const struct in6_addr *address);
/* Asks for a delegated prefix (IA_PD) or no longer. Wanted: a stateful
 * client asks in its next Solicit, or at once by a Renew when bound (RFC
 * 8415 18.2.4 lets it add an IA there). No longer wanted: a prefix held is
 * released (a Release of the IA_PD alone, retransmitted, 18.2.7) and
 * reported gone; the addresses stay. May be called before start. */
void dhcp6_client_want_prefix(struct dhcp6_client *client, bool want);
/* Stops all traffic and timers; a Release first when release and bound. */
void dhcp6_client_stop(struct dhcp6_client *client, bool release);
void dhcp6_client_free(struct dhcp6_client *client);	/* accepts NULL; implies stop(false) */
bool dhcp6_client_running(const struct dhcp6_client *client);
enum dhcp6_mode dhcp6_client_mode(const struct dhcp6_client *client);
const char *dhcp6_event_name(enum dhcp6_event event);

/* The seam where messages leave and enter the process, so that unit tests
 * drive the client with a fake transport. */
typedef void (*dhcp6_transport_rx_cb_t)(const uint8_t *msg, size_t len, void *user_data);

struct dhcp6_transport_ops {
	int (*open)(void *data);
	/* To All_DHCP_Relay_Agents_and_Servers (ff02::1:2) port 547. */
	int (*send)(void *data, const uint8_t *msg, size_t len);
	void (*close)(void *data);
	void (*free)(void *data);
};

/* The real transport: UDP [::]:546 on the link, link-local source. */
extern const struct dhcp6_transport_ops dhcp6_transport_socket_ops;
void *dhcp6_transport_socket_new(int ifindex, const char *ifname,
				 dhcp6_transport_rx_cb_t rx, void *user_data);

/* Test seams: a transport (owned by the client from then on, set before
 * start), a received message, and milliseconds per protocol second
 * (default 1000) that shrink every delay and lifetime. */
void dhcp6_client_set_transport(struct dhcp6_client *client,
				const struct dhcp6_transport_ops *ops, void *data);
void dhcp6_client_receive(struct dhcp6_client *client, const uint8_t *msg, size_t len);
void dhcp6_client_set_time_scale(struct dhcp6_client *client, unsigned int ms_per_second);
