/* IPv6 settings of a service as ConnMan's API carries them (Method,
 * Privacy, with ConnMan's names on the bus and in settings files) and what
 * the kernel configured on the link; no side effects (ipv6-link.h acts). */
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
