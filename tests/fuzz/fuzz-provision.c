// sources: src/provision.c src/provision-wifi.c src/wifi-ident.c src/ini.c src/ipv4-settings.c src/ipv6-settings.c src/names.c
/* Provisioning files are written by administrators and tools: any text
 * parses or is refused without a crash or leak. */
#include <stddef.h>
#include <stdint.h>
#include <ell/ell.h>

#include "provision.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void ignore(const char *file, unsigned int line, const char *why, void *user_data)
{
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct provision **list = NULL;
	const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };

	provision_parse("fuzz", (const char *)data, size, &list, ignore, NULL);
	provision_find(list, mac, "eth0");
	provision_list_free(list);
	return 0;
}
