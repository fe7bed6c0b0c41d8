// sources: src/nd-options.c src/dns-name.c
/* The options of a router advertisement, as the kernel passes them on. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "nd-options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nd_dns_info info;

	memset(&info, 0, sizeof(info));
	nd_parse_dns_options(data, size, &info);
	for (unsigned int i = 0; i < info.n_domains; i++)
		if (strlen(info.domains[i]) >= sizeof(info.domains[i]))
			__builtin_trap();
	if (strnlen(info.captive_portal, sizeof(info.captive_portal)) == sizeof(info.captive_portal))
		__builtin_trap();
	for (const char *c = info.captive_portal; *c; c++)
		if (*c <= ' ' || *c > '~')
			__builtin_trap();
	return 0;
}
