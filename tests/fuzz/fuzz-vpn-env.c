// sources: src/vpn-env.c src/names.c
/* What openvpn's --up hook sends connd: NUL-separated KEY=VALUE entries,
 * whose values the VPN server chose. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <ell/ell.h>

#include "vpn-env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	char **vars = malloc(sizeof(char *) * (size + 1));
	unsigned int n = 0;
	struct vpn_env env;

	memcpy(buf, data, size);
	buf[size] = '\0';
	for (size_t off = 0; off < size; off += strlen(buf + off) + 1)
		vars[n++] = buf + off;
	if (vpn_env_parse(vars, n, &env) == 0)
		vpn_env_clear(&env);
	free(vars);
	free(buf);
	return 0;
}
