/* HTTP heads come from the network (or a captive portal): any bytes. */
#include <stddef.h>
#include <stdint.h>

#include "http-head.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_head head;

	http_head_parse((const char *)data, size, &head);
	return 0;
}
