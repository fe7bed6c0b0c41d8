// sources: src/capport-json.c
/* The Captive Portal API's answer (RFC 8908): any bytes from the network. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "capport-json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A kept URL is terminated, printable ASCII without spaces. */
static void check_url(const char *url, size_t size)
{
	if (strnlen(url, size) == size)
		__builtin_trap();
	for (; *url; url++)
		if (*url <= ' ' || *url > '~')
			__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct capport_info info;

	if (capport_json_parse((const char *)data, size, &info) < 0) {
		if (info.captive || info.user_portal_url[0] || info.has_seconds_remaining)
			__builtin_trap();
		return 0;
	}
	check_url(info.user_portal_url, sizeof(info.user_portal_url));
	check_url(info.venue_info_url, sizeof(info.venue_info_url));
	return 0;
}
