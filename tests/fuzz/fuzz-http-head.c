// sources: src/http-head.c
/* HTTP heads come from the network (or a captive portal): any bytes. */
#include <stddef.h>
#include <stdint.h>

#include "http-head.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_head head;
	char url[HTTP_LOCATION_MAX + 64];

	/* A portal's Location goes on to be made absolute. */
	if (http_head_parse((const char *)data, size, &head) == 1 && http_head_redirect(&head))
		http_location_resolve("http://isp.lab:8080/check", head.location, url, sizeof(url));
	return 0;
}
