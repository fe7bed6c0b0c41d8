/* rtnetlink on libmnl: link and address events, and the few requests the
 * daemon's kernel-state owners (ipv4-link, routing, technology) need.
 *
 * Requests are synchronous on a socket of their own (the kernel answers in
 * microseconds); events arrive on a second socket watched by ELL's main loop.
 * Addresses (IFA_PROTO) and routes (rtm_protocol) connd adds carry
 * RTNL_PROTO_CONND, so a restarted daemon can find and remove what a crashed
 * one left behind without touching anybody else's state.
 */
#pragma once

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RTNL_PROTO_CONND 196

struct rtnl_link_info {
	int ifindex;
	char ifname[IF_NAMESIZE];
	uint8_t mac[6];
	bool has_mac;
	unsigned int flags;	/* IFF_* incl. IFF_LOWER_UP */
	uint32_t mtu;
	uint16_t type;		/* ARPHRD_* */
	char kind[16];		/* IFLA_INFO_KIND: "veth", "bridge", ... or "" */
};

struct rtnl_addr_info {
	int ifindex;
	uint32_t address;	/* network byte order */
	uint8_t prefix_len;
	uint8_t proto;		/* IFA_PROTO, 0 when unknown */
};

struct rtnl_route4 {
	int ifindex;
	uint32_t table;
	uint32_t dst;		/* network byte order */
	uint8_t dst_len;
	uint32_t gateway;	/* 0 for a connected route */
	uint32_t prefsrc;
	uint32_t metric;
	uint8_t protocol;	/* RTPROT_*; RTNL_PROTO_CONND for ours */
	uint8_t type;		/* RTN_UNICAST, RTN_UNREACHABLE ... */
};

/* A policy rule (ip rule) of either family. */
struct rtnl_rule {
	uint8_t family;		/* AF_INET (also when 0) or AF_INET6 */
	uint32_t priority;
	uint32_t fwmark;
	uint32_t fwmask;
	/* With src_len, for "from ADDR" rules: src for IPv4 (network byte
	 * order), src6 for IPv6. */
	uint32_t src;
	struct in6_addr src6;
	uint8_t src_len;
	uint32_t table;		/* for FR_ACT_TO_TBL */
	uint8_t action;		/* FR_ACT_TO_TBL, FR_ACT_UNREACHABLE, ... */
};

struct rtnl_handlers {
	void (*link_changed)(const struct rtnl_link_info *link, void *user_data);
	void (*link_removed)(const struct rtnl_link_info *link, void *user_data);
	void (*addr_changed)(bool added, const struct rtnl_addr_info *addr, void *user_data);
	/* An IPv6 address or default route of the link came, changed or went:
	 * ask rtnl_ipv6_status() what is there now. */
	void (*ipv6_changed)(int ifindex, void *user_data);
	/* Duplicate address detection failed for an IPv6 address of the link
	 * (the kernel removes it unless it is permanent). */
	void (*ipv6_dad_failed)(int ifindex, const struct in6_addr *address, void *user_data);
	/* The options of a router advertisement received on the link that the
	 * kernel leaves to user space (RDNSS, DNSSL), raw from the network. */
	void (*nd_options)(int ifindex, const uint8_t *opts, size_t len, void *user_data);
};

struct rtnl;

struct rtnl *rtnl_new(const struct rtnl_handlers *handlers, void *user_data);
void rtnl_free(struct rtnl *rtnl);

/* Replays every link and IPv4 address through the handlers. */
int rtnl_dump_links(struct rtnl *rtnl);
int rtnl_dump_addrs(struct rtnl *rtnl);
/* Every IPv4 address in the namespace into out (at most max); returns how many. */
int rtnl_addr4_list(struct rtnl *rtnl, struct rtnl_addr_info *out, unsigned int max);

struct ipv6_status;
/* The link's IPv6 address to show (global, not tentative or failed; a
 * deprecated one only when there is nothing better; a temporary one first
 * when prefer_temporary) and the router of its default route in the main
 * table; also an on-link default route the kernel made of a prefix ::/0. */
int rtnl_ipv6_status(struct rtnl *rtnl, int ifindex, bool prefer_temporary,
		     struct ipv6_status *out);

/* A manual IPv6 address (with the kernel's on-link route for its prefix,
 * and duplicate detection before it is usable). */
int rtnl_addr6_add(struct rtnl *rtnl, int ifindex, const struct in6_addr *address,
		   uint8_t prefix_len);
int rtnl_addr6_del(struct rtnl *rtnl, int ifindex, const struct in6_addr *address,
		   uint8_t prefix_len);

int rtnl_link_set_up(struct rtnl *rtnl, int ifindex, bool up);
/* Creates a bridge; returns its ifindex or -errno. */
int rtnl_bridge_add(struct rtnl *rtnl, const char *name);
/* Creates a link of `kind` (IFLA_INFO_KIND: "wireguard", ...) without
 * options; returns its ifindex or -errno (-EEXIST: the name is taken). */
int rtnl_link_add(struct rtnl *rtnl, const char *name, const char *kind);
int rtnl_link_del(struct rtnl *rtnl, int ifindex);
/* master 0: out of any bridge. */
int rtnl_link_set_master(struct rtnl *rtnl, int ifindex, int master);

struct link_counters {
	uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes;
	uint64_t rx_errors, tx_errors, rx_dropped, tx_dropped;
};
/* The link's counters (IFLA_STATS64), read in connd's own namespace. */
int rtnl_link_stats(struct rtnl *rtnl, int ifindex, struct link_counters *stats);

int rtnl_addr4_add(struct rtnl *rtnl, int ifindex, uint32_t address, uint8_t prefix_len);
int rtnl_addr4_del(struct rtnl *rtnl, int ifindex, uint32_t address, uint8_t prefix_len);

int rtnl_route4_add(struct rtnl *rtnl, const struct rtnl_route4 *route);
int rtnl_route4_del(struct rtnl *rtnl, const struct rtnl_route4 *route);
/* Deletes every IPv4 route of `table` (0: of any table) carrying `protocol`;
 * returns how many. */
int rtnl_route4_flush_proto(struct rtnl *rtnl, uint32_t table, uint8_t protocol);

/* An IPv6 route: a session table's default through the router, its on-link
 * prefix, or its unreachable default. */
struct rtnl_route6 {
	int ifindex;
	uint32_t table;
	struct in6_addr dst;
	uint8_t dst_len;
	struct in6_addr gateway;	/* all zero: on-link */
	uint32_t metric;
	uint8_t protocol;
	uint8_t type;			/* 0: RTN_UNICAST */
};

int rtnl_route6_add(struct rtnl *rtnl, const struct rtnl_route6 *route);
int rtnl_route6_del(struct rtnl *rtnl, const struct rtnl_route6 *route);
/* Deletes every IPv6 route of any table carrying `protocol`; returns how many. */
int rtnl_route6_flush_proto(struct rtnl *rtnl, uint8_t protocol);

/* Rules carry RTNL_PROTO_CONND (FRA_PROTOCOL) so leftovers can be found. */
int rtnl_rule_add(struct rtnl *rtnl, const struct rtnl_rule *rule);
int rtnl_rule_del(struct rtnl *rtnl, const struct rtnl_rule *rule);
/* Deletes every rule (IPv4 and IPv6) carrying `protocol`; returns how many. */
int rtnl_rule_flush_proto(struct rtnl *rtnl, uint8_t protocol);

/* A leased IPv6 address (DHCPv6): a /128 with its preferred and valid
 * lifetimes in seconds (0xffffffff: for ever), carrying RTNL_PROTO_CONND;
 * adding it again updates the lifetimes. */
int rtnl_addr6_lease_add(struct rtnl *rtnl, int ifindex, const struct in6_addr *address,
			 uint32_t preferred, uint32_t valid);
int rtnl_addr6_lease_del(struct rtnl *rtnl, int ifindex, const struct in6_addr *address);
/* Deletes every IPv6 address carrying `protocol`; returns how many. */
int rtnl_addr6_flush_proto(struct rtnl *rtnl, uint8_t protocol);
