/* https://host[:port][/path?query] as the HTTPS client needs it (the
 * Captive Portal API, a WISPr login): the host (an IPv6 literal without its
 * brackets), the port (443 when not given) and the request target; and the
 * HTTP/1.0 request for it. Pure; the URL comes from the network (DHCP,
 * router advertisements, a portal's page), so everything is checked. */
#pragma once

#include <stddef.h>
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

/* The HTTP/1.0 request for `url`, as snprintf writes it (the length it
 * needs returned, at most `size` bytes written with the NUL): a GET, or
 * with `form` a POST of it (application/x-www-form-urlencoded, its
 * Content-Length). accept: the Accept header's value, NULL for none; agent:
 * the User-Agent's. The caller wipes `out` after use when the form holds a
 * password. */
int https_url_request(const struct https_url *url, const char *accept, const char *agent,
		      const char *form, char *out, size_t size);
