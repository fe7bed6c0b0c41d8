// sources: src/ra-build.c src/dns-name.c
/* Router solicitations as they come from the link. */
#include <stddef.h>
#include <stdint.h>

#include "ra-build.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ra_check_solicit(data, size, false);
	ra_check_solicit(data, size, true);
	return 0;
}
