#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <ell/ell.h>

#include "ipv6-settings.h"

static const char *const method_names[] = {
	[IPV6_METHOD_AUTO] = "auto",
	[IPV6_METHOD_OFF] = "off",
	[IPV6_METHOD_MANUAL] = "manual",
};

/* ConnMan's spelling on the bus and in its settings files. */
static const char *const privacy_names[] = {
	[IPV6_PRIVACY_DISABLED] = "disabled",
	[IPV6_PRIVACY_ENABLED] = "enabled",
	[IPV6_PRIVACY_PREFERRED] = "prefered",
};

const char *ipv6_method_name(enum ipv6_method method)
{
	return method_names[method];
}

const char *ipv6_privacy_name(enum ipv6_privacy privacy)
{
	return privacy_names[privacy];
}

int ipv6_method_parse(const char *name, enum ipv6_method *method)
{
	if (!strcmp(name, "auto"))
		*method = IPV6_METHOD_AUTO;
	else if (!strcmp(name, "off"))
		*method = IPV6_METHOD_OFF;
	else if (!strcmp(name, "manual"))
		*method = IPV6_METHOD_MANUAL;
	else if (!strcmp(name, "6to4") || !strcmp(name, "dhcp"))
		return -ENOTSUP;	/* ConnMan's NotSupported (dhcp: IPv4's) */
	else
		return -EINVAL;
	return 0;
}

int ipv6_privacy_parse(const char *name, enum ipv6_privacy *privacy)
{
	if (!strcmp(name, "disabled"))
		*privacy = IPV6_PRIVACY_DISABLED;
	else if (!strcmp(name, "enabled"))
		*privacy = IPV6_PRIVACY_ENABLED;
	else if (!strcmp(name, "prefered") || !strcmp(name, "preferred"))
		*privacy = IPV6_PRIVACY_PREFERRED;
	else
		return -EINVAL;
	return 0;
}

int ipv6_parse_address(const char *text, struct in6_addr *address)
{
	struct in6_addr in;

	if (!text || inet_pton(AF_INET6, text, &in) != 1)
		return -EINVAL;
	*address = in;
	return 0;
}

static bool is_unicast(const struct in6_addr *a)
{
	return !IN6_IS_ADDR_UNSPECIFIED(a) && !IN6_IS_ADDR_LOOPBACK(a) &&
	       !IN6_IS_ADDR_MULTICAST(a) && !IN6_IS_ADDR_V4MAPPED(a);
}

static bool same_prefix(const struct in6_addr *a, const struct in6_addr *b, uint8_t prefix_len)
{
	unsigned int bytes = prefix_len / 8, bits = prefix_len % 8;
	uint8_t mask = (uint8_t)(0xff00 >> bits);

	return !memcmp(a, b, bytes) &&
	       (!bits || ((a->s6_addr[bytes] ^ b->s6_addr[bytes]) & mask) == 0);
}

static int invalid(char *why, size_t why_len, const char *reason)
{
	snprintf(why, why_len, "%s", reason);
	return -EINVAL;
}

int ipv6_settings_validate(const struct ipv6_settings *s, char *why, size_t why_len)
{
	const struct in6_addr *gw = &s->gateway;

	if (s->method != IPV6_METHOD_MANUAL)
		return 0;
	if (!is_unicast(&s->address) || IN6_IS_ADDR_LINKLOCAL(&s->address))
		return invalid(why, why_len, "Address is not a global unicast IPv6 address");
	if (s->prefix_len == 0 || s->prefix_len > 128)
		return invalid(why, why_len, "PrefixLength must be from 1 to 128");
	if (IN6_IS_ADDR_UNSPECIFIED(gw))
		return 0;
	if (!is_unicast(gw) || !memcmp(gw, &s->address, sizeof(*gw)))
		return invalid(why, why_len, "Gateway is not a usable unicast address");
	if (!IN6_IS_ADDR_LINKLOCAL(gw) && !same_prefix(gw, &s->address, s->prefix_len))
		return invalid(why, why_len, "Gateway is neither link-local nor inside the prefix");
	return 0;
}

bool ipv6_status_equal(const struct ipv6_status *a, const struct ipv6_status *b)
{
	return !memcmp(&a->address, &b->address, sizeof(a->address)) &&
	       a->prefix_len == b->prefix_len &&
	       !memcmp(&a->gateway, &b->gateway, sizeof(a->gateway));
}
