// sources: src/https-url.c
/* An HTTPS URL as the network gives it (the Captive Portal API's by DHCP or
 * a router advertisement, a WISPr LoginURL in a portal's page), and the
 * request made for it. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "https-url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[2048], request[1536];
	struct https_url url;
	int len;

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
	/* One head, ended where the request ends: no URL ends it early. */
	len = https_url_request(&url, "text/html", "connd/fuzz", NULL, request, sizeof(request));
	if (len < 4 || (size_t)len >= sizeof(request) ||
	    strstr(request, "\r\n\r\n") != request + len - 4)
		__builtin_trap();
	return 0;
}
