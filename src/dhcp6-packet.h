/* DHCPv6 messages (RFC 8415): building a client's messages and parsing a
 * server's Advertise and Reply. Pure code: no I/O, no allocation, no
 * logging, so it can be unit-tested and fuzzed.
 *
 * Everything a reply carries comes from the network: every length is
 * checked, unknown options are skipped, and what cannot be used (an IA whose
 * T1 exceeds its T2, an address whose preferred lifetime exceeds its valid
 * one, a multicast nameserver, a domain that is no host name) is left out
 * and said in the reply's `dropped` bits. IA_PD and its prefixes (RFC 8415
 * 21.21, 21.22) are parsed the same way; only a prefix 1 to 64 bits long is
 * kept, since a /64 of it must fit on a link.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define DHCP6_CLIENT_PORT 546
#define DHCP6_SERVER_PORT 547
/* A client's messages are far smaller; replies may be up to a datagram. */
#define DHCP6_MAX_BUILD_LEN 1024
#define DHCP6_DUID_MAX 130	/* type (2) + up to 128 octets, RFC 8415 11.1 */
#define DHCP6_MAX_ADDRS 8	/* addresses kept from one IA_NA */
#define DHCP6_MAX_PREFIXES 4	/* prefixes kept from one IA_PD */
#define DHCP6_MAX_SERVERS 4	/* nameservers, and timeservers, kept */
#define DHCP6_MAX_DOMAINS 6
#define DHCP6_INFINITY 0xffffffffu

enum dhcp6_msg_type {
	DHCP6_SOLICIT = 1,
	DHCP6_ADVERTISE = 2,
	DHCP6_REQUEST = 3,
	DHCP6_CONFIRM = 4,
	DHCP6_RENEW = 5,
	DHCP6_REBIND = 6,
	DHCP6_REPLY = 7,
	DHCP6_RELEASE = 8,
	DHCP6_DECLINE = 9,
	DHCP6_RECONFIGURE = 10,
	DHCP6_INFORMATION_REQUEST = 11,
};

enum dhcp6_status {
	DHCP6_STATUS_SUCCESS = 0,
	DHCP6_STATUS_UNSPEC_FAIL = 1,
	DHCP6_STATUS_NO_ADDRS_AVAIL = 2,
	DHCP6_STATUS_NO_BINDING = 3,
	DHCP6_STATUS_NOT_ON_LINK = 4,
	DHCP6_STATUS_USE_MULTICAST = 5,
	DHCP6_STATUS_NO_PREFIX_AVAIL = 6,
};

/* What parsing left out of a reply. */
enum {
	DHCP6_DROPPED_MALFORMED = 1 << 0,	/* an option of the wrong size or form */
	DHCP6_DROPPED_IA_TIMERS = 1 << 1,	/* an IA with T1 > T2 (RFC 8415 21.4) */
	DHCP6_DROPPED_ADDRESS = 1 << 2,		/* not a unicast address, or preferred > valid */
	DHCP6_DROPPED_TOO_MANY = 1 << 3,	/* addresses, servers or domains beyond the limits */
	DHCP6_DROPPED_SERVER = 1 << 4,		/* a nameserver or timeserver that is no unicast host */
	DHCP6_DROPPED_DOMAIN = 1 << 5,		/* a search domain that is no host name */
	DHCP6_DROPPED_PREFIX = 1 << 6,		/* a delegated prefix not 1..64 bits long, or no prefix */
};

struct dhcp6_duid {
	uint8_t len;		/* 0: none */
	uint8_t data[DHCP6_DUID_MAX];
};

struct dhcp6_address {
	struct in6_addr address;
	uint32_t preferred;	/* seconds; DHCP6_INFINITY for ever */
	uint32_t valid;		/* 0: the server withdraws it */
};

struct dhcp6_prefix {
	struct in6_addr prefix;		/* host bits zero */
	uint8_t len;			/* 1..64 */
	uint32_t preferred, valid;	/* as in dhcp6_address */
};

/* An IA_NA as a reply carries it; status SUCCESS when it names none. */
struct dhcp6_ia_na {
	uint32_t iaid, t1, t2;
	uint16_t status;
	struct dhcp6_address addrs[DHCP6_MAX_ADDRS];
	unsigned int n_addrs;
};

struct dhcp6_ia_pd {
	uint32_t iaid, t1, t2;
	uint16_t status;
	struct dhcp6_prefix prefixes[DHCP6_MAX_PREFIXES];
	unsigned int n_prefixes;
};

struct dhcp6_reply {
	enum dhcp6_msg_type type;	/* ADVERTISE or REPLY */
	uint32_t xid;			/* 24 bits */
	struct dhcp6_duid client_id;
	struct dhcp6_duid server_id;
	uint16_t status;		/* the message's own status code */
	uint8_t preference;		/* 0 when absent */
	bool rapid_commit;
	bool has_ia_na;			/* an IA_NA for the IAID asked for, usable */
	struct dhcp6_ia_na ia_na;
	bool has_ia_pd;
	struct dhcp6_ia_pd ia_pd;
	struct in6_addr dns[DHCP6_MAX_SERVERS];
	unsigned int n_dns;
	char domains[DHCP6_MAX_DOMAINS][254];	/* dotted, no final dot */
	unsigned int n_domains;
	struct in6_addr ntp[DHCP6_MAX_SERVERS];	/* SNTP (31) and NTP (56) server addresses */
	unsigned int n_ntp;
	uint32_t info_refresh;		/* option 32, 0 when absent */
	uint32_t sol_max_rt;		/* options 82 and 83 (60..86400), 0 when absent or out of range */
	uint32_t inf_max_rt;
	unsigned int dropped;		/* DHCP6_DROPPED_* */
};

/* A client message. addrs are the IA_NA's addresses to request, renew,
 * confirm, release or decline (lifetimes are sent as 0, RFC 8415 21.6). */
struct dhcp6_request {
	enum dhcp6_msg_type type;
	uint32_t xid;			/* 24 bits */
	uint16_t elapsed_cs;		/* hundredths of seconds since the exchange began */
	const struct dhcp6_duid *client_id;
	const struct dhcp6_duid *server_id;	/* NULL: none */
	bool ia_na;
	uint32_t iaid;
	const struct dhcp6_address *addrs;
	unsigned int n_addrs;
	bool ia_pd;			/* an IA_PD, IAID pd_iaid, with prefixes */
	uint32_t pd_iaid;
	const struct dhcp6_prefix *prefixes;	/* hints or bindings, lifetimes sent as 0 */
	unsigned int n_prefixes;
	bool rapid_commit;
};

/* Writes the message into buf; returns its length, or -ENOSPC, or -EINVAL
 * for a message a client does not send or without a client ID. */
int dhcp6_packet_build(const struct dhcp6_request *req, uint8_t *buf, size_t size);

/* Parses an Advertise or Reply; IA_NA and IA_PD options for other IAIDs
 * than iaid are skipped. Returns 0, or -EBADMSG when the message is not one
 * of these, is cut short or has an option that runs past its end. */
int dhcp6_packet_parse(const uint8_t *buf, size_t len, uint32_t iaid, struct dhcp6_reply *reply);

/* A DUID-LL (type 3) from an Ethernet address. */
void dhcp6_duid_from_mac(struct dhcp6_duid *duid, const uint8_t mac[6]);
bool dhcp6_duid_equal(const struct dhcp6_duid *a, const struct dhcp6_duid *b);

const char *dhcp6_msg_type_name(enum dhcp6_msg_type type);
const char *dhcp6_status_name(uint16_t status);

/* The server side, for the stateless server on the tethering bridge
 * (RFC 8415 6.1): a client's message read, a Reply written. */
struct dhcp6_client_msg {
	uint8_t type;			/* enum dhcp6_msg_type, or another octet */
	uint32_t xid;			/* 24 bits */
	struct dhcp6_duid client_id;	/* len 0: none */
	struct dhcp6_duid server_id;	/* len 0: none */
	bool has_ia;			/* an IA_NA, IA_TA or IA_PD */
	bool malformed_id;		/* a client or server ID of a size no DUID has */
};

/* Reads a client's message. Returns 0, or -EBADMSG when it is cut short,
 * an option runs past its end, or its type is one a client does not send. */
int dhcp6_packet_parse_client(const uint8_t *buf, size_t len, struct dhcp6_client_msg *msg);

struct dhcp6_server_reply {
	uint32_t xid;
	const struct dhcp6_duid *client_id;	/* echoed; NULL or len 0: none */
	const struct dhcp6_duid *server_id;	/* required */
	const struct in6_addr *dns;
	unsigned int n_dns;
	char *const *domains;			/* "lan", "example.com" */
	unsigned int n_domains;
	uint32_t info_refresh;			/* seconds; 0: no option 32 */
};

/* Writes a Reply; returns its length, -EINVAL without a server ID or with a
 * domain that is no DNS name, or -ENOSPC. */
int dhcp6_packet_build_reply(const struct dhcp6_server_reply *r, uint8_t *buf, size_t size);
