// sources: src/dhcp6-server.c src/dhcp6-packet.c src/dns-name.c
/* A client's message as the tethering bridge's stateless DHCPv6 server
 * receives it: whatever comes in, a reply is one the client's own parser
 * reads back, for the same transaction. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>

#include "dhcp6-server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	struct dhcp6_server_config c = { .n_dns = 1, .n_domains = 1 };
	uint8_t out[DHCP6_MAX_BUILD_LEN];
	struct dhcp6_reply reply;
	const char *why = NULL;
	int len;

	dhcp6_duid_from_mac(&c.server_id, mac);
	inet_pton(AF_INET6, "fd00:1::1", &c.dns[0]);
	strcpy(c.domains[0], "lab");
	len = dhcp6_server_handle(&c, data, size, out, sizeof(out), &why);
	if (len < 0 || len > (int)sizeof(out) || (len == 0 && !why))
		__builtin_trap();
	if (len == 0)
		return 0;
	if (size < 4 || data[0] != DHCP6_INFORMATION_REQUEST ||
	    dhcp6_packet_parse(out, len, 0, &reply) < 0 ||
	    reply.xid != ((uint32_t)data[1] << 16 | (uint32_t)data[2] << 8 | data[3]) ||
	    reply.n_dns != 1 || !dhcp6_duid_equal(&reply.server_id, &c.server_id))
		__builtin_trap();
	return 0;
}
