#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>

#include "dns-query.h"

#define HEADER_LEN 12
#define CLASS_IN 1

static int put_name(const char *name, uint8_t *buf, size_t len)
{
	size_t pos = 0;
	const char *label = name;

	if (!*name || strlen(name) > 253)
		return -EINVAL;
	while (*label) {
		const char *dot = strchr(label, '.');
		size_t n = dot ? (size_t)(dot - label) : strlen(label);

		if (n == 0 || n > 63 || pos + n + 2 > len)
			return -EINVAL;
		buf[pos++] = n;
		memcpy(buf + pos, label, n);
		pos += n;
		label += n + (dot ? 1 : 0);
	}
	buf[pos++] = 0;
	return pos;
}

int dns_query_build(uint16_t id, const char *name, uint16_t type, uint8_t *buf, size_t len)
{
	int n;

	if (len < HEADER_LEN + 4)
		return -EINVAL;
	memset(buf, 0, HEADER_LEN);
	buf[0] = id >> 8;
	buf[1] = id & 0xff;
	buf[2] = 0x01;		/* RD */
	buf[5] = 1;		/* QDCOUNT */
	n = put_name(name, buf + HEADER_LEN, len - HEADER_LEN - 4);
	if (n < 0)
		return n;
	buf[HEADER_LEN + n] = type >> 8;
	buf[HEADER_LEN + n + 1] = type & 0xff;
	buf[HEADER_LEN + n + 2] = 0;
	buf[HEADER_LEN + n + 3] = CLASS_IN;
	return HEADER_LEN + n + 4;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Expands the name at *pos into out (dotted, no trailing dot), following
 * compression pointers with a hop limit; advances *pos past it. */
static int read_name(const uint8_t *msg, size_t len, size_t *pos, char *out, size_t out_len)
{
	size_t p = *pos, o = 0;
	int hops = 0;
	bool jumped = false;

	for (;;) {
		uint8_t n;

		if (p >= len)
			return -EBADMSG;
		n = msg[p];
		if (n == 0) {
			if (!jumped)
				*pos = p + 1;
			break;
		}
		if ((n & 0xc0) == 0xc0) {
			if (p + 1 >= len || ++hops > 16)
				return -EBADMSG;
			if (!jumped)
				*pos = p + 2;
			jumped = true;
			p = ((n & 0x3f) << 8) | msg[p + 1];
			continue;
		}
		if (n & 0xc0 || p + 1 + n > len || o + n + 2 > out_len)
			return -EBADMSG;
		if (o)
			out[o++] = '.';
		memcpy(out + o, msg + p + 1, n);
		o += n;
		p += 1 + n;
	}
	out[o] = '\0';
	return 0;
}

static int skip_question(const uint8_t *msg, size_t len, size_t *pos, const char *name,
			 uint16_t type)
{
	char qname[256];

	if (read_name(msg, len, pos, qname, sizeof(qname)) < 0 || *pos + 4 > len)
		return -EBADMSG;
	if (strcasecmp(qname, name) || get16(msg + *pos) != type ||
	    get16(msg + *pos + 2) != CLASS_IN)
		return -EBADMSG;
	*pos += 4;
	return 0;
}

int dns_answer_parse(const uint8_t *msg, size_t len, uint16_t id, const char *name,
		     uint16_t type, void *address)
{
	const uint16_t size = type == DNS_TYPE_AAAA ? 16 : 4;
	size_t pos = HEADER_LEN;
	unsigned int answers;
	char rname[256];

	if (len < HEADER_LEN || get16(msg) != id || !(msg[2] & 0x80) || get16(msg + 4) != 1)
		return -EBADMSG;
	if (skip_question(msg, len, &pos, name, type) < 0)
		return -EBADMSG;
	if ((msg[3] & 0x0f) == 3)	/* NXDOMAIN */
		return 0;
	if (msg[3] & 0x0f)
		return -EBADMSG;
	answers = get16(msg + 6);
	while (answers--) {
		uint16_t rtype, rdlen;

		if (read_name(msg, len, &pos, rname, sizeof(rname)) < 0 || pos + 10 > len)
			return -EBADMSG;
		rtype = get16(msg + pos);
		rdlen = get16(msg + pos + 8);
		pos += 10;
		if (pos + rdlen > len)
			return -EBADMSG;
		/* CNAME chains end in the records we want; any of them will do. */
		if (rtype == type && get16(msg + pos - 8) == CLASS_IN && rdlen == size) {
			memcpy(address, msg + pos, size);
			return 1;
		}
		pos += rdlen;
	}
	return 0;
}

int dns_query_build_a(uint16_t id, const char *name, uint8_t *buf, size_t len)
{
	return dns_query_build(id, name, DNS_TYPE_A, buf, len);
}

int dns_answer_parse_a(const uint8_t *msg, size_t len, uint16_t id, const char *name,
		       uint32_t *address)
{
	return dns_answer_parse(msg, len, id, name, DNS_TYPE_A, address);
}
