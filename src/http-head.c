#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http-head.h"

static const char *find_end(const char *buf, size_t len)
{
	for (size_t i = 0; i + 3 < len; i++)
		if (!memcmp(buf + i, "\r\n\r\n", 4))
			return buf + i;
	return NULL;
}

static int parse_status_line(const char *line, size_t len, int *status)
{
	char code[4];

	/* "HTTP/1.x NNN reason" */
	if (len < 12 || memcmp(line, "HTTP/1.", 7) || (line[7] != '0' && line[7] != '1') ||
	    line[8] != ' ')
		return -EBADMSG;
	memcpy(code, line + 9, 3);
	code[3] = '\0';
	if (code[0] < '1' || code[0] > '5' || code[1] < '0' || code[1] > '9' ||
	    code[2] < '0' || code[2] > '9' || (len > 12 && line[12] != ' '))
		return -EBADMSG;
	*status = atoi(code);
	return 0;
}

static void trim_copy(const char *value, size_t len, char *out, size_t out_len)
{
	while (len && (*value == ' ' || *value == '\t'))
		value++, len--;
	while (len && (value[len - 1] == ' ' || value[len - 1] == '\t'))
		len--;
	if (len >= out_len)
		len = out_len - 1;
	memcpy(out, value, len);
	out[len] = '\0';
}

static void parse_header(const char *line, size_t len, struct http_head *head)
{
	const char *colon = memchr(line, ':', len);
	size_t name_len;
	char value[HTTP_LOCATION_MAX + 1];
	char *end;

	if (!colon)
		return;
	name_len = colon - line;
	trim_copy(colon + 1, len - name_len - 1, value, sizeof(value));
	if (name_len == 16 && !strncasecmp(line, "X-ConnMan-Status", 16)) {
		head->has_connman_status = true;
		head->connman_online = !strcasecmp(value, "online");
	} else if (name_len == 8 && !strncasecmp(line, "Location", 8)) {
		/* A cut URL would send the user elsewhere: none rather. */
		if (strlen(value) < sizeof(head->location))
			strcpy(head->location, value);
	} else if (name_len == 14 && !strncasecmp(line, "Content-Length", 14)) {
		long n = strtol(value, &end, 10);

		head->content_length = *value >= '0' && *value <= '9' && !*end && n >= 0 ? n : -1;
	}
}

int http_head_parse(const char *buf, size_t len, struct http_head *head)
{
	const char *end = find_end(buf, len), *line, *eol;

	memset(head, 0, sizeof(*head));
	head->content_length = -1;
	if (!end)
		return len >= 7 && memcmp(buf, "HTTP/1.", 7) ? -EBADMSG : 0;
	eol = memchr(buf, '\r', end - buf + 1);
	if (parse_status_line(buf, eol - buf, &head->status) < 0)
		return -EBADMSG;
	for (line = eol + 2; line < end; line = eol + 2) {
		eol = memchr(line, '\r', end - line + 1);
		if (!eol || eol[1] != '\n')
			return -EBADMSG;
		parse_header(line, eol - line, head);
	}
	head->head_len = end + 4 - buf;
	return 1;
}

bool http_head_online(const struct http_head *head)
{
	return head->status == 204 || (head->status == 200 && head->connman_online);
}

bool http_head_redirect(const struct http_head *head)
{
	return head->status >= 300 && head->status < 400 && head->location[0];
}

int http_location_resolve(const char *base, const char *location, char *out, size_t size)
{
	size_t authority;

	if (!strncasecmp(location, "http://", 7) || !strncasecmp(location, "https://", 8)) {
		if (strlen(location) >= size)
			return -ENOSPC;
		strcpy(out, location);
		return 0;
	}
	/* "//host/path" (scheme-relative) and "path" (relative to the
	 * base's directory) are left to a browser: portals send neither. */
	if (location[0] != '/' || location[1] == '/' || strncmp(base, "http://", 7))
		return -EINVAL;
	authority = 7 + strcspn(base + 7, "/?#");
	if (authority + strlen(location) >= size)
		return -ENOSPC;
	memcpy(out, base, authority);
	strcpy(out + authority, location);
	return 0;
}
