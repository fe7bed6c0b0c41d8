// sources: src/wireguard-config.c
/* WireGuard's provider keys as a settings file or a D-Bus client gives
 * them: NUL-separated KEY=VALUE entries (the first entry is the Host), each
 * value checked, and all read into a configuration. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <ell/ell.h>

#include "wireguard-config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	char **entries = calloc(size + 2, sizeof(char *));
	char **keys = calloc(2 * size + 3, sizeof(char *));
	unsigned int n = 0, m = 0;
	const char *host, *why;
	struct wg_config cfg;

	memcpy(buf, data, size);
	buf[size] = '\0';
	for (size_t off = 0; off < size; off += strlen(buf + off) + 1)
		entries[m++] = buf + off;
	host = m ? entries[0] : "";
	for (unsigned int i = 1; i < m; i++) {
		char *eq = strchr(entries[i], '=');

		if (!eq)
			continue;
		*eq = '\0';
		keys[n++] = entries[i];
		keys[n++] = eq + 1;
		if (wg_key_known(entries[i]))
			wg_value_valid(entries[i], eq + 1);
	}
	if (wg_config_parse(keys, host, &cfg, &why) == 0 &&
	    (!cfg.n_allowed || cfg.n_allowed > WG_MAX_ALLOWED_IPS || cfg.n_dns > WG_MAX_DNS))
		abort();
	wg_config_clear(&cfg);
	free(keys);
	free(entries);
	free(buf);
	return 0;
}
