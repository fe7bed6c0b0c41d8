#include <errno.h>
#include <string.h>

#include "dns-name.h"
#include "dns-query.h"
#include "wire.h"

#define HEADER_LEN 12
#define CLASS_IN 1

int dns_query_build(uint16_t id, const char *name, uint16_t type, uint8_t *buf, size_t len)
{
	uint8_t qname[DNS_NAME_MAX];
	int n = dns_name_from_text(name, qname);

	/* The root has no address to ask for. */
	if (n <= 1 || len < HEADER_LEN + (size_t)n + 4)
		return -EINVAL;
	memset(buf, 0, HEADER_LEN);
	buf[0] = id >> 8;
	buf[1] = id & 0xff;
	buf[2] = 0x01;		/* RD */
	buf[5] = 1;		/* QDCOUNT */
	memcpy(buf + HEADER_LEN, qname, n);
	buf[HEADER_LEN + n] = type >> 8;
	buf[HEADER_LEN + n + 1] = type & 0xff;
	buf[HEADER_LEN + n + 2] = 0;
	buf[HEADER_LEN + n + 3] = CLASS_IN;
	return HEADER_LEN + n + 4;
}

static int skip_question(const uint8_t *msg, size_t len, size_t *pos, const char *name,
			 uint16_t type)
{
	uint8_t asked[DNS_NAME_MAX], qname[DNS_NAME_MAX];

	if (dns_name_from_text(name, asked) < 0 ||
	    dns_name_read(msg, len, pos, DNS_NAME_COMPRESSED, qname) < 0 || *pos + 4 > len)
		return -EBADMSG;
	if (!dns_name_equal(qname, asked) || get_be16(msg + *pos) != type ||
	    get_be16(msg + *pos + 2) != CLASS_IN)
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

	if (len < HEADER_LEN || get_be16(msg) != id || !(msg[2] & 0x80) || get_be16(msg + 4) != 1)
		return -EBADMSG;
	if (skip_question(msg, len, &pos, name, type) < 0)
		return -EBADMSG;
	if ((msg[3] & 0x0f) == 3)	/* NXDOMAIN */
		return 0;
	if (msg[3] & 0x0f)
		return -EBADMSG;
	answers = get_be16(msg + 6);
	while (answers--) {
		uint16_t rtype, rdlen;

		if (dns_name_read(msg, len, &pos, DNS_NAME_COMPRESSED, NULL) < 0 || pos + 10 > len)
			return -EBADMSG;
		rtype = get_be16(msg + pos);
		rdlen = get_be16(msg + pos + 8);
		pos += 10;
		if (pos + rdlen > len)
			return -EBADMSG;
		/* CNAME chains end in the records we want; any of them will do. */
		if (rtype == type && get_be16(msg + pos - 8) == CLASS_IN && rdlen == size) {
			memcpy(address, msg + pos, size);
			return 1;
		}
		pos += rdlen;
	}
	return 0;
}
