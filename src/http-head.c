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
	char value[256];

	if (!colon)
		return;
	name_len = colon - line;
	trim_copy(colon + 1, len - name_len - 1, value, sizeof(value));
	if (name_len == 16 && !strncasecmp(line, "X-ConnMan-Status", 16)) {
		head->has_connman_status = true;
		head->connman_online = !strcasecmp(value, "online");
	} else if (name_len == 8 && !strncasecmp(line, "Location", 8)) {
		snprintf(head->location, sizeof(head->location), "%s", value);
	}
}

int http_head_parse(const char *buf, size_t len, struct http_head *head)
{
	const char *end = find_end(buf, len), *line, *eol;

	memset(head, 0, sizeof(*head));
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
	return 1;
}

bool http_head_online(const struct http_head *head)
{
	return head->status == 204 || (head->status == 200 && head->connman_online);
}
