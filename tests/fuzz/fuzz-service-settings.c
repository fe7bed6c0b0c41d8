// sources: src/service-settings.c src/proxy-config.c src/ipv6-settings.c src/ipv4-settings.c src/names.c
/* Stored service settings come from disk: any bytes must parse or be refused
 * without a crash or leak. */
#include <stdint.h>
#include <stddef.h>
#include <ell/ell.h>

#include "service-settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void ignore(const char *key, const char *why, void *user_data)
{
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct l_settings *s = l_settings_new();
	struct service_saved saved;
	char why[128];

	if (l_settings_load_from_data(s, (const char *)data, size)) {
		service_settings_parse(s, "ethernet_0a0b0c0d0e0f_cable", &saved, ignore, NULL);
		/* What is read back passes the checks a D-Bus client's would. */
		if (proxy_config_validate(&saved.proxy, why, sizeof(why)) < 0)
			__builtin_trap();
		service_saved_clear(&saved);
	}
	l_settings_free(s);
	return 0;
}
