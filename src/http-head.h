/* Reading the head of an HTTP/1.x response, as far as the online check needs:
 * the status code, ConnMan's X-ConnMan-Status header, where a captive portal
 * redirects to and how long its page is. Pure, fuzzed. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#define HTTP_LOCATION_MAX 1024

struct http_head {
	int status;
	bool has_connman_status;
	bool connman_online;	/* X-ConnMan-Status: online */
	char location[HTTP_LOCATION_MAX];	/* Location header ("" when none or too long) */
	long content_length;	/* -1 when not given */
	size_t head_len;	/* the head's bytes, its empty line included: the body follows */
};

/* 1: the head is complete and parsed; 0: more bytes needed; -EBADMSG. */
int http_head_parse(const char *buf, size_t len, struct http_head *head);

/* Whether the answer proves Internet access: status 204, or status 200 with
 * "X-ConnMan-Status: online". A 200 without that header is what a captive
 * portal's login page looks like, so it proves nothing. */
bool http_head_online(const struct http_head *head);

/* A redirect: status 3xx with a Location. */
bool http_head_redirect(const struct http_head *head);

/* `location` made absolute against `base` (an absolute http:// URL): an
 * absolute URL stays as it is, "/path" takes base's scheme and authority.
 * 0, -EINVAL for anything else, -ENOSPC when `out` is too short. */
int http_location_resolve(const char *base, const char *location, char *out, size_t size);
