/* IPv6 settings of a service as ConnMan's API carries them (Method,
 * Privacy, and for manual Address/PrefixLength/Gateway, with ConnMan's names
 * on the bus and in settings files) and what the kernel configured on the
 * link; no side effects (ipv6-link.h acts). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

enum ipv6_method { IPV6_METHOD_AUTO, IPV6_METHOD_OFF, IPV6_METHOD_MANUAL };
/* RFC 4941 temporary addresses: none, made but not used, made and used. */
enum ipv6_privacy { IPV6_PRIVACY_DISABLED, IPV6_PRIVACY_ENABLED, IPV6_PRIVACY_PREFERRED };

struct ipv6_settings {
	enum ipv6_method method;
	enum ipv6_privacy privacy;
	/* manual only; all zero otherwise */
	struct in6_addr address;
	uint8_t prefix_len;
	struct in6_addr gateway;	/* all zero: none */
};

/* What the kernel has on the link: the address to show (global scope,
 * past duplicate detection) and the router of the default route. */
struct ipv6_status {
	struct in6_addr address;	/* all zero: none */
	unsigned char prefix_len;
	struct in6_addr gateway;	/* all zero: none */
	/* Nonzero: the metric of an on-link default route the kernel made of
	 * a router advertisement's prefix ::/0 (it would take all traffic). */
	uint32_t prefix_default_metric;
};

const char *ipv6_method_name(enum ipv6_method method);
const char *ipv6_privacy_name(enum ipv6_privacy privacy);
/* Return 0, or -EINVAL for a name ConnMan does not define, or -ENOTSUP
 * for one it defines that connd does not do (6to4, which only ConnMan's
 * tunnel sets) or that is not IPv6's (dhcp: ConnMan's NotSupported). */
int ipv6_method_parse(const char *name, enum ipv6_method *method);
/* Accepts ConnMan's "prefered" and the dictionary's "preferred". */
int ipv6_privacy_parse(const char *name, enum ipv6_privacy *privacy);

int ipv6_parse_address(const char *text, struct in6_addr *address);
/* Checks a manual configuration: the address global unicast (not ::,
 * loopback, multicast, link-local or IPv4-mapped: the kernel makes the
 * link-local address itself), a prefix length from 1 to 128, the gateway (if
 * any) unicast and not the address, either link-local (a router's usual
 * address) or inside the address's prefix (else nothing reaches it). Returns
 * 0 or -EINVAL with a readable reason in `why`. */
int ipv6_settings_validate(const struct ipv6_settings *s, char *why, size_t why_len);

bool ipv6_status_equal(const struct ipv6_status *a, const struct ipv6_status *b);
