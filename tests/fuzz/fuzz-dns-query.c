/* DNS answers come from the network: any bytes, no crash, no hang. */
#include <stddef.h>
#include <stdint.h>

#include "dns-query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t address;
	uint16_t id = size >= 2 ? (uint16_t)(data[0] << 8 | data[1]) : 0;

	dns_answer_parse_a(data, size, id, "isp.lab", &address);
	return 0;
}
