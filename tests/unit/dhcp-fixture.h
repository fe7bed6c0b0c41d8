/* Helpers shared by the DHCP unit tests: server replies built by hand and a
 * reader for the options of client messages. */
#pragma once

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		exit(1); \
	} \
} while (0)

struct srv_reply {
	uint8_t type;
	uint32_t xid;
	const uint8_t *mac;
	const char *yiaddr, *server_id, *mask, *router, *dns;
	uint32_t lease, t1, t2;
	const char *domain;
};

static inline uint32_t ip(const char *s)
{
	struct in_addr a;

	if (!s || inet_pton(AF_INET, s, &a) != 1)
		return 0;
	return a.s_addr;
}

static inline uint8_t *opt_addr(uint8_t *p, uint8_t code, const char *addr)
{
	uint32_t a = ip(addr);

	if (!addr)
		return p;
	p[0] = code;
	p[1] = 4;
	memcpy(p + 2, &a, 4);
	return p + 6;
}

static inline uint8_t *opt_u32(uint8_t *p, uint8_t code, uint32_t v)
{
	if (!v)
		return p;
	p[0] = code;
	p[1] = 4;
	p[2] = v >> 24;
	p[3] = v >> 16;
	p[4] = v >> 8;
	p[5] = v;
	return p + 6;
}

/* Returns the length of a BOOTP reply written to buf (>= 600 bytes). */
static inline size_t build_reply(uint8_t *buf, const struct srv_reply *r)
{
	static const uint8_t cookie[4] = { 99, 130, 83, 99 };
	uint32_t yi = ip(r->yiaddr);
	uint8_t *p;

	memset(buf, 0, 600);
	buf[0] = 2;
	buf[1] = 1;
	buf[2] = 6;
	buf[4] = r->xid >> 24;
	buf[5] = r->xid >> 16;
	buf[6] = r->xid >> 8;
	buf[7] = r->xid;
	memcpy(buf + 16, &yi, 4);
	memcpy(buf + 28, r->mac, 6);
	memcpy(buf + 236, cookie, 4);
	p = buf + 240;
	*p++ = 53;
	*p++ = 1;
	*p++ = r->type;
	p = opt_addr(p, 54, r->server_id);
	p = opt_addr(p, 1, r->mask);
	p = opt_addr(p, 3, r->router);
	p = opt_addr(p, 6, r->dns);
	p = opt_u32(p, 51, r->lease);
	p = opt_u32(p, 58, r->t1);
	p = opt_u32(p, 59, r->t2);
	if (r->domain) {
		*p++ = 15;
		*p++ = strlen(r->domain);
		memcpy(p, r->domain, strlen(r->domain));
		p += strlen(r->domain);
	}
	*p++ = 255;
	return p - buf;
}

/* Finds option code in a client message; returns its length or -1. */
static inline int find_option(const uint8_t *msg, size_t len, uint8_t code, const uint8_t **data)
{
	size_t i = 240;

	while (i < len && msg[i] != 255) {
		if (msg[i] == 0) {
			i++;
			continue;
		}
		if (i + 2 > len || i + 2 + msg[i + 1] > len)
			return -1;
		if (msg[i] == code) {
			*data = msg + i + 2;
			return msg[i + 1];
		}
		i += 2 + msg[i + 1];
	}
	return -1;
}

static inline uint32_t msg_xid(const uint8_t *msg)
{
	return (uint32_t)msg[4] << 24 | msg[5] << 16 | msg[6] << 8 | msg[7];
}

static inline int msg_type(const uint8_t *msg, size_t len)
{
	const uint8_t *d;

	return find_option(msg, len, 53, &d) == 1 ? d[0] : -1;
}

static inline uint32_t msg_addr_option(const uint8_t *msg, size_t len, uint8_t code)
{
	const uint8_t *d;
	uint32_t a = 0;

	if (find_option(msg, len, code, &d) == 4)
		memcpy(&a, d, 4);
	return a;
}
