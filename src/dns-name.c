#include <errno.h>
#include <string.h>

#include "dns-name.h"

#define MSG_HEADER_LEN 12
/* Pointers go backwards, so a name always ends; the limit bounds the work
 * a message full of pointer chains can ask for. */
#define MAX_POINTER_HOPS 32

static uint8_t ascii_lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* The offset a pointer at p leads to, or 0 when it may not be followed. */
static size_t follow(const uint8_t *msg, size_t len, size_t p, unsigned int flags,
		     unsigned int *hops)
{
	size_t target;

	if (!(flags & DNS_NAME_COMPRESSED) || p + 1 >= len || ++*hops > MAX_POINTER_HOPS)
		return 0;
	target = (size_t)(msg[p] & 0x3f) << 8 | msg[p + 1];
	return target < p && target >= MSG_HEADER_LEN ? target : 0;
}

int dns_name_read(const uint8_t *msg, size_t len, size_t *pos, unsigned int flags, uint8_t *out)
{
	uint8_t name[DNS_NAME_MAX];
	size_t p = *pos, o = 0, after = 0;
	unsigned int hops = 0;
	uint8_t n;

	do {
		if (p >= len)
			return -EBADMSG;
		n = msg[p];
		if ((n & 0xc0) == 0xc0) {
			if (!after)
				after = p + 2;
			p = follow(msg, len, p, flags, &hops);
			if (!p)
				return -EBADMSG;
			continue;
		}
		if (n > DNS_LABEL_MAX || o + n + 1 > DNS_NAME_MAX || p + 1 + n > len)
			return -EBADMSG;
		name[o] = n;
		for (uint8_t i = 1; i <= n; i++)
			name[o + i] = flags & DNS_NAME_LOWER ? ascii_lower(msg[p + i]) : msg[p + i];
		o += n + 1;
		p += n + 1;
	} while (n);
	*pos = after ? after : p;
	if (out)
		memcpy(out, name, o);
	return (int)o;
}

int dns_name_from_text(const char *text, uint8_t *out)
{
	uint8_t name[DNS_NAME_MAX];
	const char *label = text;
	size_t o = 0;

	if (!strcmp(text, ".")) {
		out[0] = 0;
		return 1;
	}
	do {
		size_t n = strcspn(label, ".");

		if (n == 0 || n > DNS_LABEL_MAX || o + n + 2 > DNS_NAME_MAX)
			return -EINVAL;
		name[o++] = (uint8_t)n;
		memcpy(name + o, label, n);
		o += n;
		label += n;
		if (*label == '.')
			label++;
	} while (*label);
	name[o++] = 0;
	memcpy(out, name, o);
	return (int)o;
}

size_t dns_name_len(const uint8_t *name)
{
	size_t n = 0;

	while (name[n])
		n += name[n] + 1;
	return n + 1;
}

int dns_name_to_text(const uint8_t *name, char *out, size_t out_size)
{
	/* A label's length octet becomes a dot, the first and the root's none. */
	size_t need = name[0] ? dns_name_len(name) - 1 : 2, o = 0;

	if (out_size < need)
		return -ENOSPC;
	if (!name[0]) {
		memcpy(out, ".", 2);
		return 1;
	}
	for (size_t p = 0; name[p]; p += name[p] + 1) {
		if (o)
			out[o++] = '.';
		for (uint8_t i = 1; i <= name[p]; i++) {
			uint8_t c = name[p + i];

			out[o++] = c > 0x20 && c < 0x7f ? (char)c : '?';
		}
	}
	out[o] = '\0';
	return (int)o;
}

static bool hostname_char(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

bool dns_name_is_hostname(const uint8_t *name)
{
	if (!name[0])
		return false;
	for (size_t p = 0; name[p]; p += name[p] + 1)
		for (uint8_t i = 1; i <= name[p]; i++)
			if (!hostname_char(name[p + i]))
				return false;
	return true;
}

bool dns_name_equal(const uint8_t *a, const uint8_t *b)
{
	size_t len = dns_name_len(a);

	if (len != dns_name_len(b))
		return false;
	/* Length octets are below 64, so lowering leaves them alone. */
	for (size_t i = 0; i < len; i++)
		if (ascii_lower(a[i]) != ascii_lower(b[i]))
			return false;
	return true;
}

bool dns_name_under(const uint8_t *name, const uint8_t *domain)
{
	size_t name_len = dns_name_len(name), domain_len = dns_name_len(domain);

	for (size_t p = 0; name_len - p >= domain_len; p += name[p] + 1) {
		if (name_len - p == domain_len)
			return dns_name_equal(name + p, domain);
	}
	return false;
}

void dns_name_lower(uint8_t *name)
{
	for (size_t p = 0; name[p]; p += name[p] + 1)
		for (uint8_t i = 1; i <= name[p]; i++)
			name[p + i] = ascii_lower(name[p + i]);
}
