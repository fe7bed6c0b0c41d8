#include <string.h>
#include <ell/ell.h>

#include "vpn-openvpn.h"
#include "vpn-provider.h"
#include "vpn-wireguard.h"

static const struct vpn_provider *const providers[] = {
	&vpn_openvpn_provider,
	&vpn_wireguard_provider,
};

const struct vpn_provider *vpn_provider_find(const char *type)
{
	for (size_t i = 0; i < L_ARRAY_SIZE(providers); i++)
		if (!strcmp(providers[i]->type, type))
			return providers[i];
	return NULL;
}

static bool named_by(const struct vpn_provider *p, const char *ifname)
{
	size_t len = strlen(p->ifname_prefix);
	const char *digits = ifname + len;

	if (strncmp(ifname, p->ifname_prefix, len) || !*digits)
		return false;
	for (; *digits; digits++)
		if (*digits < '0' || *digits > '9')
			return false;
	return true;
}

const struct vpn_provider *vpn_provider_of_link(const char *ifname, const char *kind)
{
	for (size_t i = 0; i < L_ARRAY_SIZE(providers); i++)
		if (providers[i]->stale_kind && !strcmp(providers[i]->stale_kind, kind) &&
		    named_by(providers[i], ifname))
			return providers[i];
	return NULL;
}
