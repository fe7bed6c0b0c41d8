/* https://host[:port][/path?query] as the Captive Portal API client needs
 * it: the host (an IPv6 literal without its brackets), the port (443 when
 * not given) and the request target. Pure; the URL comes from the network
 * (DHCP, router advertisements), so everything is checked. */
#pragma once

#include <stdint.h>

struct https_url {
	char host[254];
	uint16_t port;
	char target[1024];	/* "/" when the URL has no path */
};

/* 0, or -EPROTONOSUPPORT for another scheme, -EINVAL for a malformed URL
 * (no host, a bad port, userinfo, a fragment-only target, a space or a
 * control character, too long). */
int https_url_parse(const char *url, struct https_url *out);
