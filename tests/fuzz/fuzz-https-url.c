// sources: src/https-url.c
/* The Captive Portal API's URL, as DHCP or a router advertisement gives it. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "https-url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[2048];
	struct https_url url;

	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (https_url_parse(text, &url) < 0)
		return 0;
	/* What goes into the request line and Host header: terminated, no
	 * spaces or line breaks, a target that starts with '/'. */
	if (strnlen(url.host, sizeof(url.host)) == sizeof(url.host) || !url.host[0] ||
	    strnlen(url.target, sizeof(url.target)) == sizeof(url.target) ||
	    url.target[0] != '/' || url.port == 0)
		__builtin_trap();
	for (const char *c = url.target; *c; c++)
		if (*c <= ' ' || *c > '~' || *c == '#')
			__builtin_trap();
	for (const char *c = url.host; *c; c++)
		if (*c <= ' ' || *c > '~' || *c == '/' || *c == '@')
			__builtin_trap();
	return 0;
}
