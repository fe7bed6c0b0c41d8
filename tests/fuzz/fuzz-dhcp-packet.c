// sources: src/dhcp-packet.c
/* Server replies as BOOTP payloads and as IPv4/UDP datagrams from the packet
 * socket, with the UDP checksum checked or skipped. */
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <arpa/inet.h>

#include "dhcp-packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the check keeps must be what it promises. */
static void check(struct dhcp_lease *l)
{
	unsigned int dropped;
	const char *why;
	uint32_t mask;

	if (dhcp_lease_check(l, &dropped, &why) < 0) {
		if (!why)
			__builtin_trap();
		return;
	}
	mask = l->prefix_len ? ~0u << (32 - l->prefix_len) : 0;
	if (l->router && (l->router == l->address ||
			  ((ntohl(l->router) ^ ntohl(l->address)) & mask)))
		__builtin_trap();
	if (l->n_routes > DHCP_MAX_ROUTES || (l->n_routes && !l->classless))
		__builtin_trap();
	for (unsigned int i = 0; i < l->n_routes; i++) {
		const struct dhcp_route *r = &l->routes[i];

		if (!r->dst_len || r->dst_len > 32 || (ntohl(r->dst) & ~(~0u << (32 - r->dst_len))) ||
		    (ntohl(r->dst) >> 24) == 127 || (ntohl(r->dst) >> 24) >= 224)
			__builtin_trap();
	}
	for (unsigned int i = 0; i < l->n_dns; i++)
		if ((ntohl(l->dns[i]) >> 24) == 127 || (ntohl(l->dns[i]) >> 24) >= 224)
			__builtin_trap();
	if (strchr(l->domain, ' '))
		__builtin_trap();
}

static void parse(const uint8_t *data, size_t size)
{
	struct dhcp_reply reply;

	if (dhcp_packet_parse(data, size, &reply) == 0) {
		/* Strings must come out terminated, counts in range. */
		if (strlen(reply.lease.domain) >= sizeof(reply.lease.domain) ||
		    strlen(reply.lease.hostname) >= sizeof(reply.lease.hostname) ||
		    strlen(reply.lease.pac_url) >= sizeof(reply.lease.pac_url) ||
		    reply.lease.n_dns > DHCP_MAX_SERVERS || reply.lease.n_ntp > DHCP_MAX_SERVERS)
			__builtin_trap();
		/* The portal's URI: terminated, printable, no spaces. */
		for (const char *c = reply.lease.captive_portal;
		     c < reply.lease.captive_portal + sizeof(reply.lease.captive_portal); c++) {
			if (!*c)
				break;
			if (*c <= ' ' || *c > '~' ||
			    c == reply.lease.captive_portal + sizeof(reply.lease.captive_portal) - 1)
				__builtin_trap();
		}
		if ((reply.type == DHCP_ACK || reply.type == DHCP_OFFER) &&
		    reply.lease.lease_time != 0xffffffff && reply.lease.lease_time > 1 &&
		    !(reply.lease.t1 <= reply.lease.t2 && reply.lease.t2 < reply.lease.lease_time))
			__builtin_trap();
		/* The PAC URL reaches D-Bus clients: printable, no spaces. */
		for (const char *c = reply.lease.pac_url; *c; c++)
			if (*c <= ' ' || *c > '~')
				__builtin_trap();
		check(&reply.lease);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *payload;
	size_t len;

	parse(data, size);
	for (int partial = 0; partial < 2; partial++)
		if (dhcp_packet_unwrap(data, size, partial, &payload, &len) == 0) {
			if (payload < data || payload + len > data + size)
				__builtin_trap();
			parse(payload, len);
		}
	return 0;
}
