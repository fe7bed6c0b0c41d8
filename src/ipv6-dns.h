/* A link's nameservers and search domains from router advertisements
 * (RDNSS, DNSSL), each kept for its lifetime: refreshed by every RA that
 * repeats it, withdrawn by a zero lifetime, forgotten when it runs out. */
#pragma once

struct ipv6_dns;
struct nd_dns_info;

/* changed() runs when the lists change, from an update or an expiry. */
struct ipv6_dns *ipv6_dns_new(void (*changed)(void *data), void *data);
void ipv6_dns_free(struct ipv6_dns *dns);
/* ifname qualifies link-local servers ("fe80::1%eth0"), as resolvers need.
 * Each list keeps at most ND_MAX_SERVERS / ND_MAX_DOMAINS entries, however
 * many RAs name new ones; returns how many entries met a full list (each
 * took the place of the one running out first, or was dropped). */
unsigned int ipv6_dns_update(struct ipv6_dns *dns, const char *ifname,
			     const struct nd_dns_info *info);
/* IPv6 went off on the link: everything learned goes. */
void ipv6_dns_clear(struct ipv6_dns *dns);
/* Borrowed NULL-terminated lists, oldest first; NULL when empty. */
char **ipv6_dns_servers(const struct ipv6_dns *dns);
char **ipv6_dns_domains(const struct ipv6_dns *dns);
