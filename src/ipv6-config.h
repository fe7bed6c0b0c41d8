/* IPv6 on a service's link. The kernel does SLAAC (addresses and the default
 * route from router advertisements); connd switches it on while the service
 * is connecting or connected and off otherwise, chooses privacy addresses,
 * and reports what the kernel configured. Method and privacy use ConnMan's
 * names on the bus and in settings files. */
#pragma once

#include <stdbool.h>
#include <netinet/in.h>

enum ipv6_method { IPV6_METHOD_AUTO, IPV6_METHOD_OFF };
/* RFC 4941 temporary addresses: none, made but not used, made and used. */
enum ipv6_privacy { IPV6_PRIVACY_DISABLED, IPV6_PRIVACY_ENABLED, IPV6_PRIVACY_PREFERRED };

struct ipv6_settings {
	enum ipv6_method method;
	enum ipv6_privacy privacy;
};

/* What the kernel has on the link: the address to show (global scope,
 * past duplicate detection) and the router of the default route. */
struct ipv6_status {
	struct in6_addr address;	/* all zero: none */
	unsigned char prefix_len;
	struct in6_addr gateway;	/* all zero: none */
};

const char *ipv6_method_name(enum ipv6_method method);
const char *ipv6_privacy_name(enum ipv6_privacy privacy);
/* Return 0, or -EINVAL for a name ConnMan does not define, or -ENOTSUP
 * for one it defines that connd does not do (manual, 6to4). */
int ipv6_method_parse(const char *name, enum ipv6_method *method);
/* Accepts ConnMan's "prefered" and the dictionary's "preferred". */
int ipv6_privacy_parse(const char *name, enum ipv6_privacy *privacy);

bool ipv6_status_equal(const struct ipv6_status *a, const struct ipv6_status *b);

/* The link's sysctls (disable_ipv6, accept_ra, autoconf, use_tempaddr) as
 * they were before connd, to put back at exit. */
struct ipv6_link_saved {
	char values[4][8];
	bool valid;
};

int ipv6_link_save(const char *ifname, struct ipv6_link_saved *saved);
int ipv6_link_restore(const char *ifname, const struct ipv6_link_saved *saved);
/* As keys of group, one per sysctl; -EINVAL (saved untouched) when one is
 * missing or not a small integer. */
struct l_settings;
void ipv6_link_saved_to_settings(const struct ipv6_link_saved *saved, struct l_settings *s,
				 const char *group);
int ipv6_link_saved_from_settings(struct ipv6_link_saved *saved, const struct l_settings *s,
				  const char *group);
/* On: router advertisements accepted even when forwarding, SLAAC, the
 * privacy mode; a link that was off starts over with a router solicitation.
 * restart: also cycle it when it was on (privacy applies to new addresses). */
int ipv6_link_enable(const char *ifname, enum ipv6_privacy privacy, bool restart);
/* Off: the kernel drops every IPv6 address of the link. */
int ipv6_link_disable(const char *ifname);
