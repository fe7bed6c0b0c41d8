// sources: src/wispr.c
/* A captive portal's page comes from the network: any bytes. */
#include <stddef.h>
#include <stdint.h>

#include "wispr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wispr_message msg;

	if (wispr_message_parse((const char *)data, size, &msg) == 1) {
		wispr_is_login_redirect(&msg);
		wispr_is_login_success(&msg);
	}
	return 0;
}
