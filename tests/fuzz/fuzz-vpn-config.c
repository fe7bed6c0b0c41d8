// sources: src/vpn-config.c src/ini.c src/ipv4-settings.c src/names.c
/* VPN provisioning files are written by administrators and tools: any text
 * parses or is refused without a crash or leak. */
#include <stddef.h>
#include <stdint.h>
#include <ell/ell.h>

#include "vpn-config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void ignore(const char *file, unsigned int line, const char *why, void *user_data)
{
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vpn_config **list = NULL;
	struct vpn_request req;

	vpn_config_parse("fuzz", (const char *)data, size, &list, ignore, NULL);
	for (struct vpn_config **c = list; c && *c; c++) {
		vpn_config_request(*c, &req);
		vpn_config_equal(*c, list[0]);
	}
	vpn_config_list_free(list);
	return 0;
}
