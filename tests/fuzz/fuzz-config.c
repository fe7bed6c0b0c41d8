// sources: src/config.c src/storage.c src/ini.c
/* main.conf is written by hand: any text parses or is refused cleanly. */
#include <stddef.h>
#include <stdint.h>
#include <ell/ell.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void ignore(const char *file, unsigned int line, const char *msg, void *user_data)
{
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct connd_config *cfg = config_new_defaults();
	char *error = NULL;

	config_parse_text(cfg, "fuzz", (const char *)data, size, ignore, NULL, &error);
	l_free(error);
	config_free(cfg);
	return 0;
}
