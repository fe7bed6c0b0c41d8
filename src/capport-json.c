/* RFC 8908 API JSON; see capport-json.h. A small recursive-descent reader
 * over a cursor: each function consumes one JSON production or fails. */
#include <errno.h>
#include <string.h>

#include "capport-json.h"

#define MAX_DEPTH 16

struct cursor {
	const char *p;
	const char *end;
};

static void skip_ws(struct cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

static bool take(struct cursor *c, char ch)
{
	skip_ws(c);
	if (c->p >= c->end || *c->p != ch)
		return false;
	c->p++;
	return true;
}

static int hex4(const char *p, unsigned int *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char h = p[i];

		*v <<= 4;
		if (h >= '0' && h <= '9')
			*v |= h - '0';
		else if (h >= 'a' && h <= 'f')
			*v |= h - 'a' + 10;
		else if (h >= 'A' && h <= 'F')
			*v |= h - 'A' + 10;
		else
			return -EBADMSG;
	}
	return 0;
}

/* One escape after the backslash; *ch is the character, or 0x80 for any
 * non-ASCII one (only ever kept in strings we skip or refuse). */
static int unescape(struct cursor *c, unsigned char *ch)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *at;
	unsigned int v;

	if (c->p >= c->end)
		return -EBADMSG;
	at = strchr(from, *c->p);
	if (*c->p && at) {
		*ch = to[at - from];
		c->p++;
		return 0;
	}
	if (*c->p != 'u' || c->end - c->p < 5 || hex4(c->p + 1, &v) < 0)
		return -EBADMSG;
	c->p += 5;
	*ch = v < 0x80 ? v : 0x80;
	return 0;
}

/* A string: into out (NUL-terminated) when out is given, else skipped.
 * -ENOSPC when it does not fit (it is consumed all the same, out then
 * holds ""). Control characters must be escaped. */
static int read_string(struct cursor *c, char *out, size_t size)
{
	bool full = false;
	size_t n = 0;

	if (!take(c, '"'))
		return -EBADMSG;
	while (c->p < c->end && *c->p != '"') {
		unsigned char ch = (unsigned char)*c->p++;

		if (ch < 0x20)
			return -EBADMSG;
		if (ch == '\\' && unescape(c, &ch) < 0)
			return -EBADMSG;
		if (out && ch == 0)
			return -EBADMSG;	/* would cut a key or URL short */
		if (out && n + 1 >= size)
			full = true;
		else if (out)
			out[n++] = (char)ch;
	}
	if (c->p >= c->end)
		return -EBADMSG;
	c->p++;
	if (out)
		out[full ? 0 : n] = '\0';
	return full ? -ENOSPC : 0;
}

/* A number: -?int(.frac)?(e[+-]?digits)?. *value gets the integer part
 * when the number is plain and non-negative; *plain says whether it was. */
static int read_number(struct cursor *c, uint64_t *value, bool *plain)
{
	bool neg = false, digits = false;

	skip_ws(c);
	*value = 0;
	*plain = true;
	if (c->p < c->end && *c->p == '-') {
		neg = true;
		c->p++;
	}
	for (; c->p < c->end && *c->p >= '0' && *c->p <= '9'; c->p++, digits = true)
		*value = *value > (UINT64_MAX - 9) / 10 ? UINT64_MAX : *value * 10 + (*c->p - '0');
	if (!digits)
		return -EBADMSG;
	if (c->p < c->end && *c->p == '.') {
		for (c->p++, digits = false; c->p < c->end && *c->p >= '0' && *c->p <= '9'; c->p++)
			digits = true;
		if (!digits)
			return -EBADMSG;
	}
	if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
		c->p++;
		*plain = false;
		if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
			c->p++;
		for (digits = false; c->p < c->end && *c->p >= '0' && *c->p <= '9'; c->p++)
			digits = true;
		if (!digits)
			return -EBADMSG;
	}
	if (neg)
		*plain = false;
	return 0;
}

/* true, false or null; *value for the first two, -ENOENT for null. */
static int read_literal(struct cursor *c, bool *value)
{
	static const char *const words[] = { "true", "false", "null" };

	skip_ws(c);
	for (int i = 0; i < 3; i++) {
		size_t n = strlen(words[i]);

		if ((size_t)(c->end - c->p) >= n && !memcmp(c->p, words[i], n)) {
			c->p += n;
			*value = i == 0;
			return i == 2 ? -ENOENT : 0;
		}
	}
	return -EBADMSG;
}

static int skip_value(struct cursor *c, int depth);

/* An object or array after its opening bracket, members skipped. */
static int skip_container(struct cursor *c, char close, int depth)
{
	if (take(c, close))
		return 0;
	do {
		if (close == '}' && (read_string(c, NULL, 0) < 0 || !take(c, ':')))
			return -EBADMSG;
		if (skip_value(c, depth + 1) < 0)
			return -EBADMSG;
	} while (take(c, ','));
	return take(c, close) ? 0 : -EBADMSG;
}

static int skip_value(struct cursor *c, int depth)
{
	uint64_t n;
	bool b;

	if (depth > MAX_DEPTH)
		return -EBADMSG;
	skip_ws(c);
	if (c->p >= c->end)
		return -EBADMSG;
	if (*c->p == '"')
		return read_string(c, NULL, 0);
	if (take(c, '{'))
		return skip_container(c, '}', depth);
	if (take(c, '['))
		return skip_container(c, ']', depth);
	if (*c->p == '-' || (*c->p >= '0' && *c->p <= '9'))
		return read_number(c, &n, &b);
	return read_literal(c, &b) == -EBADMSG ? -EBADMSG : 0;
}

static int read_bool(struct cursor *c, bool *value)
{
	return read_literal(c, value) < 0 ? -EBADMSG : 0;
}

static int read_count(struct cursor *c, uint64_t *value, bool *has)
{
	bool plain;

	if (read_number(c, value, &plain) < 0 || !plain)
		return -EBADMSG;
	*has = true;
	return 0;
}

/* URLs go to a D-Bus agent and into logs: printable ASCII, no spaces. */
static int read_url(struct cursor *c, char *out, size_t size)
{
	if (read_string(c, out, size) < 0)
		return -EBADMSG;
	for (const char *s = out; *s; s++)
		if (*s <= ' ' || *s > '~')
			return -EBADMSG;
	return 0;
}

static int read_member(struct cursor *c, const char *key, struct capport_info *info,
		       bool *captive_seen)
{
	if (!strcmp(key, "captive")) {
		*captive_seen = true;
		return read_bool(c, &info->captive);
	}
	if (!strcmp(key, "user-portal-url"))
		return read_url(c, info->user_portal_url, sizeof(info->user_portal_url));
	if (!strcmp(key, "venue-info-url"))
		return read_url(c, info->venue_info_url, sizeof(info->venue_info_url));
	if (!strcmp(key, "seconds-remaining"))
		return read_count(c, &info->seconds_remaining, &info->has_seconds_remaining);
	if (!strcmp(key, "bytes-remaining"))
		return read_count(c, &info->bytes_remaining, &info->has_bytes_remaining);
	if (!strcmp(key, "can-extend-session"))
		return read_bool(c, &info->can_extend_session);
	return skip_value(c, 1);
}

static int read_object(struct cursor *c, struct capport_info *info)
{
	bool captive_seen = false;
	char key[32];

	if (!take(c, '{'))
		return -EBADMSG;
	if (take(c, '}'))
		return -EBADMSG;	/* no "captive" */
	do {
		/* A key too long to be ours ("") is someone else's: skipped. */
		int err = read_string(c, key, sizeof(key));

		if (err < 0 && err != -ENOSPC)
			return err;
		if (!take(c, ':') || read_member(c, key, info, &captive_seen) < 0)
			return -EBADMSG;
	} while (take(c, ','));
	if (!take(c, '}') || !captive_seen)
		return -EBADMSG;
	return 0;
}

int capport_json_parse(const char *text, size_t len, struct capport_info *info)
{
	struct cursor c = { text, text + len };

	memset(info, 0, sizeof(*info));
	if (read_object(&c, info) < 0)
		goto bad;
	skip_ws(&c);
	if (c.p != c.end)
		goto bad;
	return 0;
bad:
	memset(info, 0, sizeof(*info));
	return -EBADMSG;
}
