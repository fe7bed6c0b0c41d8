#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <ell/ell.h>

#include "ipv6-settings.h"

static const char *const method_names[] = {
	[IPV6_METHOD_AUTO] = "auto",
	[IPV6_METHOD_OFF] = "off",
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
	else if (!strcmp(name, "manual") || !strcmp(name, "6to4"))
		return -ENOTSUP;
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

bool ipv6_status_equal(const struct ipv6_status *a, const struct ipv6_status *b)
{
	return !memcmp(&a->address, &b->address, sizeof(a->address)) &&
	       a->prefix_len == b->prefix_len &&
	       !memcmp(&a->gateway, &b->gateway, sizeof(a->gateway));
}
