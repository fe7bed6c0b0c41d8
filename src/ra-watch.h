/* Router advertisements on one link, read from a raw ICMPv6 socket, for
 * their Managed (M) and Other configuration (O) flags: whether DHCPv6 is to
 * run, stateful or stateless (RFC 4861 4.2, RFC 8415 section 5).
 *
 * Why a socket of our own: the kernel does SLAAC from RAs but passes on only
 * the options it does not handle (RTM_NEWNDUSEROPT); it tells the M and O
 * flags (IFLA_INET6_FLAGS) only when they change, and keeps them across
 * disable_ipv6, so a link that reconnects to the same network would never
 * hear them again. The socket sees every RA, filtered in the kernel to RAs
 * only. The kernel's own router solicitation, sent when IPv6 comes on, brings
 * the first one at once. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

struct ra_info {
	bool managed;		/* M: addresses by DHCPv6 */
	bool other;		/* O: other configuration by DHCPv6 */
	uint16_t router_lifetime;
};

/* Parses an ICMPv6 message as a router advertisement: type 134, code 0, at
 * least 16 octets. Returns 0 or -EBADMSG. Pure, for tests. */
int ra_parse(const uint8_t *msg, size_t len, struct ra_info *info);

struct ra_watch;
typedef void (*ra_watch_cb_t)(const struct ra_info *info, void *user_data);

/* Reports every valid RA received on the link (from a link-local source,
 * hop limit 255, RFC 4861 6.1.2). Returns NULL and sets *err on failure. */
struct ra_watch *ra_watch_new(int ifindex, const char *ifname, ra_watch_cb_t cb,
			      void *user_data, int *err);
void ra_watch_free(struct ra_watch *watch);	/* accepts NULL */
