// sources: src/dhcp-server.c src/dhcp-packet.c
/* Tethered clients' messages come from the network: any bytes, in any order,
 * are answered or dropped without a crash or leak. */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>

#include "dhcp-packet.h"
#include "dhcp-server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dhcp_server_config c = {
		.address = htonl(0xc0a80701), .prefix_len = 24,
		.range_start = htonl(0xc0a80764), .range_end = htonl(0xc0a80766), .lease_time = 60,
	};
	struct dhcp_server *s = dhcp_server_new(&c, NULL, NULL);
	uint8_t reply[DHCP_MAX_MSG_LEN];

	/* The same bytes twice, later: the second sees the first one's lease. */
	dhcp_server_handle(s, data, size, 0, reply, sizeof(reply));
	dhcp_server_handle(s, data, size, 30, reply, sizeof(reply));
	dhcp_server_free(s);
	return 0;
}
