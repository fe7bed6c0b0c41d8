/* See https-url.h. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "https-url.h"

static int parse_port(const char *p, const char *end, uint16_t *port)
{
	unsigned long v = 0;

	if (p == end || end - p > 5)
		return -EINVAL;
	for (; p < end; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		v = v * 10 + (*p - '0');
	}
	if (v == 0 || v > 65535)
		return -EINVAL;
	*port = v;
	return 0;
}

/* host[:port] or [v6]:port between authority and end. */
static int parse_authority(const char *a, const char *end, struct https_url *out)
{
	const char *host = a, *host_end, *colon = NULL;

	if (memchr(a, '@', end - a))
		return -EINVAL;		/* credentials have no place here */
	if (*a == '[') {
		host = a + 1;
		host_end = memchr(host, ']', end - host);
		if (!host_end || (host_end + 1 != end && host_end[1] != ':'))
			return -EINVAL;
		colon = host_end + 1 != end ? host_end + 1 : NULL;
	} else {
		colon = memchr(a, ':', end - a);
		host_end = colon ? colon : end;
	}
	if (host_end == host || (size_t)(host_end - host) >= sizeof(out->host))
		return -EINVAL;
	out->port = 443;
	if (colon && parse_port(colon + 1, end, &out->port) < 0)
		return -EINVAL;
	memcpy(out->host, host, host_end - host);
	out->host[host_end - host] = '\0';
	return 0;
}

int https_url_parse(const char *url, struct https_url *out)
{
	struct https_url u;
	const char *a, *end;
	size_t len, off;

	for (const char *c = url; *c; c++)
		if (*c <= ' ' || *c > '~')
			return -EINVAL;
	if (strncasecmp(url, "https://", 8))
		return strchr(url, ':') ? -EPROTONOSUPPORT : -EINVAL;
	a = url + 8;
	end = a + strcspn(a, "/?#");
	if (parse_authority(a, end, &u) < 0)
		return -EINVAL;
	/* The fragment stays with the client. */
	len = strcspn(end, "#");
	off = *end == '/' ? 0 : 1;	/* "?q" alone asks for "/?q" */
	if (off + len + 1 > sizeof(u.target))
		return -EINVAL;
	u.target[0] = '/';
	memcpy(u.target + off, end, len);
	u.target[off + len] = '\0';
	*out = u;
	return 0;
}

/* An IPv6 literal goes back into its brackets in Host; the port only when
 * it is not https:'s. HTTP/1.0: the answer is never chunked and ends when
 * the server closes. */
int https_url_request(const struct https_url *url, const char *accept, const char *agent,
		      const char *form, char *out, size_t size)
{
	bool v6 = strchr(url->host, ':');
	char port[8] = "", accept_line[128] = "", form_head[96] = "";

	if (url->port != 443)
		snprintf(port, sizeof(port), ":%u", url->port);
	if (accept)
		snprintf(accept_line, sizeof(accept_line), "Accept: %s\r\n", accept);
	if (form)
		snprintf(form_head, sizeof(form_head),
			 "Content-Type: application/x-www-form-urlencoded\r\n"
			 "Content-Length: %zu\r\n", strlen(form));
	return snprintf(out, size, "%s %s HTTP/1.0\r\nHost: %s%s%s%s\r\n%sUser-Agent: %s\r\n"
			"Connection: close\r\n%s\r\n%s", form ? "POST" : "GET", url->target,
			v6 ? "[" : "", url->host, v6 ? "]" : "", port, accept_line, agent,
			form_head, form ? form : "");
}
