#include <string.h>
#include <ell/ell.h>

#include "vpn-openvpn.h"
#include "vpn-provider.h"

static const struct vpn_provider *const providers[] = {
	&vpn_openvpn_provider,
};

const struct vpn_provider *vpn_provider_find(const char *type)
{
	for (size_t i = 0; i < L_ARRAY_SIZE(providers); i++)
		if (!strcmp(providers[i]->type, type))
			return providers[i];
	return NULL;
}
