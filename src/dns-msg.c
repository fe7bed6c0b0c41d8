#include <errno.h>
#include <string.h>

#include "dns-msg.h"
#include "dns-name.h"
#include "wire.h"

#define TYPE_SOA 6
#define TYPE_OPT 41

static void note_ttl(struct dns_msg *msg, size_t offset, uint32_t ttl)
{
	if (!msg->has_ttl || ttl < msg->min_ttl)
		msg->min_ttl = ttl;
	msg->has_ttl = true;
	if (msg->n_ttls < DNS_MAX_TTLS)
		msg->ttl_offsets[msg->n_ttls++] = (uint16_t)offset;
	else
		msg->too_many_records = true;
}

static int note_opt(struct dns_msg *msg, const uint8_t *rr, size_t name_len)
{
	if (msg->edns || name_len != 1)
		return -EBADMSG;
	msg->edns = true;
	msg->udp_size = get_be16(rr + 2);
	msg->dnssec_ok = rr[6] & 0x80;
	return 0;
}

static void note_soa(struct dns_msg *msg, const uint8_t *rdata, uint16_t rdlen, uint32_t ttl)
{
	uint32_t minimum;

	if (rdlen < 22)
		return;
	minimum = get_be32(rdata + rdlen - 4);
	msg->soa_ttl = ttl < minimum ? ttl : minimum;
	msg->has_soa = true;
}

enum section { ANSWER, AUTHORITY, ADDITIONAL };

static int read_record(const uint8_t *buf, size_t len, size_t *pos, enum section section,
		       struct dns_msg *msg)
{
	size_t start = *pos, p = start;
	uint16_t type, rdlen;
	uint32_t ttl;
	int err = dns_name_read(buf, len, &p, DNS_NAME_COMPRESSED, NULL);

	if (err < 0 || p + 10 > len)
		return -EBADMSG;
	type = get_be16(buf + p);
	ttl = get_be32(buf + p + 4);
	rdlen = get_be16(buf + p + 8);
	if (p + 10 + rdlen > len)
		return -EBADMSG;
	if (type == TYPE_OPT) {
		if (section != ADDITIONAL || note_opt(msg, buf + p, p - start) < 0)
			return -EBADMSG;
	} else {
		/* A TTL with the top bit set means zero (RFC 2181, 8). */
		note_ttl(msg, p + 4, ttl & 0x80000000u ? 0 : ttl);
		if (type == TYPE_SOA && section == AUTHORITY)
			note_soa(msg, buf + p + 10, rdlen, ttl & 0x80000000u ? 0 : ttl);
	}
	*pos = p + 10 + rdlen;
	return 0;
}

static void read_header(const uint8_t *buf, struct dns_msg *msg)
{
	msg->id = get_be16(buf);
	msg->response = buf[2] & 0x80;
	msg->opcode = (buf[2] >> 3) & 0x0f;
	msg->truncated = buf[2] & 0x02;
	msg->recursion_desired = buf[2] & 0x01;
	msg->checking_disabled = buf[3] & 0x10;
	msg->rcode = buf[3] & 0x0f;
	msg->ancount = get_be16(buf + 6);
}

int dns_msg_parse(const uint8_t *buf, size_t len, struct dns_msg *msg)
{
	size_t pos = DNS_HEADER_LEN;
	unsigned int counts[3];
	int n;

	memset(msg, 0, offsetof(struct dns_msg, ttl_offsets));
	msg->n_ttls = 0;
	msg->too_many_records = false;
	if (len < DNS_HEADER_LEN || len > DNS_MSG_MAX || get_be16(buf + 4) != 1)
		return -EBADMSG;
	read_header(buf, msg);
	n = dns_name_read(buf, len, &pos, DNS_NAME_COMPRESSED | DNS_NAME_LOWER, msg->qname);
	if (n < 0 || pos + 4 > len)
		return -EBADMSG;
	msg->qname_len = (uint8_t)n;
	msg->qtype = get_be16(buf + pos);
	msg->qclass = get_be16(buf + pos + 2);
	msg->question_end = pos += 4;
	counts[ANSWER] = msg->ancount;
	counts[AUTHORITY] = get_be16(buf + 8);
	counts[ADDITIONAL] = get_be16(buf + 10);
	for (enum section s = ANSWER; s <= ADDITIONAL; s++)
		for (unsigned int i = 0; i < counts[s]; i++)
			if (read_record(buf, len, &pos, s, msg) < 0)
				return -EBADMSG;
	msg->end = pos;
	return 0;
}

bool dns_msg_same_question(const struct dns_msg *a, const struct dns_msg *b)
{
	return a->qtype == b->qtype && a->qclass == b->qclass && a->qname_len == b->qname_len &&
	       !memcmp(a->qname, b->qname, a->qname_len);
}

uint32_t dns_msg_cache_ttl(const struct dns_msg *msg)
{
	uint32_t ttl;

	if (!msg->response || msg->truncated || msg->too_many_records || msg->opcode != 0)
		return 0;
	if (msg->rcode == DNS_RCODE_NOERROR && msg->ancount > 0)
		ttl = msg->has_ttl ? msg->min_ttl : 0;
	else if (msg->rcode == DNS_RCODE_NXDOMAIN || msg->rcode == DNS_RCODE_NOERROR)
		ttl = msg->has_soa ? msg->soa_ttl : 0;
	else
		return 0;
	/* Other records' TTLs count too: none may be served past its own. */
	if (msg->has_ttl && msg->min_ttl < ttl)
		ttl = msg->min_ttl;
	return ttl < DNS_CACHE_TTL_MAX ? ttl : DNS_CACHE_TTL_MAX;
}

size_t dns_msg_udp_limit(const struct dns_msg *query)
{
	return query->edns && query->udp_size > DNS_UDP_MIN ? query->udp_size : DNS_UDP_MIN;
}

size_t dns_msg_short_reply(const uint8_t *buf, const struct dns_msg *msg, uint8_t rcode,
			   bool truncated, uint8_t *out)
{
	memmove(out, buf, msg->question_end);
	out[2] = (uint8_t)(0x80 | (out[2] & 0x79) | (truncated ? 0x02 : 0));
	out[3] = (uint8_t)(0x80 | (out[3] & 0x10) | (rcode & 0x0f));
	memset(out + 6, 0, 6);
	return msg->question_end;
}
