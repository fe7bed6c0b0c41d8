#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "wispr.h"

#define ROOT_OPEN "<WISPAccessGatewayParam"
#define ROOT_CLOSE "</WISPAccessGatewayParam>"

struct span {
	const char *p;
	size_t len;
};

static const char *find(const char *p, const char *end, const char *what)
{
	return end > p ? memmem(p, end - p, what, strlen(what)) : NULL;
}

/* The text of the first <name>...</name> inside `in` ("<name attr=...>"
 * too); false when there is none. */
static bool element_text(struct span in, const char *name, struct span *text)
{
	const char *end = in.p + in.len, *p = in.p, *open, *close;
	char tag[48], end_tag[48];

	snprintf(tag, sizeof(tag), "<%s", name);
	snprintf(end_tag, sizeof(end_tag), "</%s>", name);
	while ((open = find(p, end, tag))) {
		const char *after = open + strlen(tag);

		p = after;
		if (after < end && (*after == '>' || *after == ' ' || *after == '\t'))
			break;	/* not a longer name that starts the same */
	}
	if (!open)
		return false;
	open = memchr(p, '>', end - p);
	if (!open)
		return false;
	close = find(open + 1, end, end_tag);
	if (!close)
		return false;
	text->p = open + 1;
	text->len = close - text->p;
	return true;
}

static struct span trim(struct span s)
{
	while (s.len && strchr(" \t\r\n", *s.p))
		s.p++, s.len--;
	while (s.len && strchr(" \t\r\n", s.p[s.len - 1]))
		s.len--;
	if (s.len >= 12 && !memcmp(s.p, "<![CDATA[", 9) && !memcmp(s.p + s.len - 3, "]]>", 3)) {
		s.p += 9;
		s.len -= 12;
	}
	return s;
}

static const struct {
	const char *name;
	char c;
} entities[] = {
	{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' }, { "&apos;", '\'' },
};

/* Copies with XML's five named entities decoded; -EINVAL when it does not fit. */
static int copy_text(struct span s, char *out, size_t size)
{
	size_t n = 0;

	s = trim(s);
	for (size_t i = 0; i < s.len; n++) {
		size_t k, step = 1;
		char c = s.p[i];

		for (k = 0; c == '&' && k < sizeof(entities) / sizeof(entities[0]); k++) {
			size_t len = strlen(entities[k].name);

			if (s.len - i >= len && !memcmp(s.p + i, entities[k].name, len)) {
				c = entities[k].c;
				step = len;
				break;
			}
		}
		if (n + 1 >= size)
			return -EINVAL;
		out[n] = c;
		i += step;
	}
	out[n] = '\0';
	return 0;
}

/* A small decimal number, else -1. */
static int number(struct span s)
{
	int value = 0;

	s = trim(s);
	if (!s.len || s.len > 4)
		return -1;
	for (size_t i = 0; i < s.len; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return -1;
		value = value * 10 + s.p[i] - '0';
	}
	return value;
}

static int read_fields(struct span root, struct wispr_message *msg)
{
	struct span text;
	int err = 0;

	if (element_text(root, "MessageType", &text))
		msg->message_type = number(text);
	if (element_text(root, "ResponseCode", &text))
		msg->response_code = number(text);
	if (element_text(root, "AccessProcedure", &text) &&
	    copy_text(text, msg->access_procedure, sizeof(msg->access_procedure)) < 0)
		msg->access_procedure[0] = '\0';	/* not a version this reads */
	if (element_text(root, "LoginURL", &text))
		err = copy_text(text, msg->login_url, sizeof(msg->login_url));
	if (!err && element_text(root, "LogoffURL", &text))
		err = copy_text(text, msg->logoff_url, sizeof(msg->logoff_url));
	return err;
}

int wispr_message_parse(const char *page, size_t len, struct wispr_message *msg)
{
	const char *end = page + len, *open = find(page, end, ROOT_OPEN), *close;
	struct wispr_message parsed = { .message_type = -1, .response_code = -1 };
	int err;

	if (!open)
		return 0;
	close = find(open, end, ROOT_CLOSE);
	if (!close)
		return 0;
	err = read_fields((struct span){ open, close - open }, &parsed);
	if (err < 0)
		return err;
	*msg = parsed;
	return 1;
}

int wispr_is_login_redirect(const struct wispr_message *msg)
{
	return msg->message_type == WISPR_MSG_REDIRECT && !strcmp(msg->access_procedure, "1.0") &&
	       msg->login_url[0];
}

int wispr_is_login_success(const struct wispr_message *msg)
{
	return (msg->message_type == WISPR_MSG_AUTH_REPLY ||
		msg->message_type == WISPR_MSG_AUTH_POLL_REPLY) &&
	       msg->response_code == WISPR_CODE_LOGIN_SUCCEEDED;
}

/* Form encoding: unreserved characters as they are, space as '+', the
 * rest %XX. -ENOSPC when `out` is too short. */
static int append_encoded(char *out, size_t size, size_t *n, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *c = (const unsigned char *)value; *c; c++) {
		bool plain = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
			     (*c >= '0' && *c <= '9') || strchr("-._~", *c);
		size_t need = plain || *c == ' ' ? 1 : 3;

		if (*n + need >= size)
			return -ENOSPC;
		if (plain)
			out[(*n)++] = *c;
		else if (*c == ' ')
			out[(*n)++] = '+';
		else {
			out[(*n)++] = '%';
			out[(*n)++] = hex[*c >> 4];
			out[(*n)++] = hex[*c & 15];
		}
	}
	out[*n] = '\0';
	return 0;
}

static int append_raw(char *out, size_t size, size_t *n, const char *text)
{
	size_t len = strlen(text);

	if (*n + len >= size)
		return -ENOSPC;
	memcpy(out + *n, text, len + 1);
	*n += len;
	return 0;
}

int wispr_login_form(const char *username, const char *password, const char *origin,
		     char *out, size_t size)
{
	size_t n = 0;

	if (!size)
		return -ENOSPC;
	if (append_raw(out, size, &n, "button=Login&UserName=") < 0 ||
	    append_encoded(out, size, &n, username) < 0 ||
	    append_raw(out, size, &n, "&Password=") < 0 ||
	    append_encoded(out, size, &n, password) < 0 ||
	    append_raw(out, size, &n, "&FNAME=0&OriginatingServer=") < 0 ||
	    append_encoded(out, size, &n, origin) < 0) {
		memset(out, 0, size);	/* a part of the password may be in it */
		return -ENOSPC;
	}
	return n;
}
