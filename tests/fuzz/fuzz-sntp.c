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
	struct sntp_result samples[2] = { { .delay_us = 1000 } };
	size_t n = 1;

	/* Let the input carry the nonce too, so that the checks past it run. */
	if (size >= 32)
		for (int i = 24; i < 32; i++)
			nonce = nonce << 8 | data[i];
	if (sntp_reply_parse(data, size, nonce, 1700000000000000ull, 1700000000002000ull,
			     &samples[1]) == 0)
		n = 2;
	/* What a parsed reply can say must keep the choice among samples sound. */
	if (sntp_best_sample(samples, n) >= n || samples[n - 1].delay_us < 0)
		__builtin_trap();
	sntp_reply_parse(data, size, 0, 0, UINT64_MAX / 2, &r);
	return 0;
}
