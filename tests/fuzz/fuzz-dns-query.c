// sources: src/dns-query.c src/dns-name.c
/* DNS answers come from the network: any bytes, no crash, no hang. */
#include <stddef.h>
#include <stdint.h>

#include "dns-query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t address[16];
	uint16_t id = size >= 2 ? (uint16_t)(data[0] << 8 | data[1]) : 0;

	dns_answer_parse(data, size, id, "isp.lab", DNS_TYPE_A, address);
	dns_answer_parse(data, size, id, "isp.lab", DNS_TYPE_AAAA, address);
	return 0;
}
