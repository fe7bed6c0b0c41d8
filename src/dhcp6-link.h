/* DHCPv6 on a service's link, while its IPv6 is on: router advertisements
 * decide whether it runs (M flag: addresses and options; O flag: options
 * only, RFC 8415 section 5), and a prefix wanted by tethering makes it ask
 * for a delegated prefix too (with the M flag) or alone (without: a
 * stateful exchange all the same, as a requesting router may). This module
 * owns the addresses it leases
 * (nothing else in connd writes them): each a /128 with the lease's
 * lifetimes and connd's protocol number. The lease is kept in the state
 * directory, so a restart or a link that comes back confirms it. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct dhcp6_link;
struct ipv6_prefix;
struct rtnl;

/* changed() runs when nameservers, domains, timeservers or the delegated
 * prefix change. */
struct dhcp6_link *dhcp6_link_new(struct rtnl *rtnl, int ifindex, const char *ifname,
				  const uint8_t mac[6], const char *state_dir, const char *id,
				  void (*changed)(void *data), void *data);
void dhcp6_link_free(struct dhcp6_link *link);	/* accepts NULL; implies stop(false) */
/* IPv6 came on: router advertisements are listened to from now. */
int dhcp6_link_start(struct dhcp6_link *link);
/* IPv6 goes off (or connd stops): DHCPv6 stops, its addresses go. With
 * release (the user disconnected) the server is told and the lease forgotten;
 * without, the lease stays for the next start. */
void dhcp6_link_stop(struct dhcp6_link *link, bool release);
/* Ask for a delegated prefix (IA_PD) or no longer (a prefix held is then
 * released). Kept across stop and start. */
void dhcp6_link_want_prefix(struct dhcp6_link *link, bool want);
/* The prefix delegated now, NULL when none; its times are l_time_now()'s. */
const struct ipv6_prefix *dhcp6_link_delegated_prefix(const struct dhcp6_link *link);
/* Duplicate address detection failed for address: if it is leased, it is
 * declined (RFC 8415 18.2.8) and another one asked for. */
void dhcp6_link_dad_failed(struct dhcp6_link *link, const struct in6_addr *address);
/* Borrowed NULL-terminated lists, NULL when empty; link-local servers carry
 * their zone ("fe80::1%eth0"). */
char **dhcp6_link_nameservers(const struct dhcp6_link *link);
char **dhcp6_link_domains(const struct dhcp6_link *link);
char **dhcp6_link_timeservers(const struct dhcp6_link *link);
