// sources: src/sntp-packet.c
/* A timeserver's reply, or anything else that arrives on our SNTP socket. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sntp-packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sntp_result r;
	uint64_t nonce = 0;

	/* Let the input carry the nonce too, so that the checks past it run. */
	if (size >= 32)
		for (int i = 24; i < 32; i++)
			nonce = nonce << 8 | data[i];
	sntp_reply_parse(data, size, nonce, 1700000000000000ull, 1700000000002000ull, &r);
	sntp_reply_parse(data, size, 0, 0, UINT64_MAX / 2, &r);
	return 0;
}
