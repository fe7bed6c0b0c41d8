// sources: src/session-policy.c src/storage.c src/session-config.c src/service-state.c src/ini.c
/* Session policy files are written by administrators and packages: any text
 * must parse or be refused without a crash or leak. */
#include <stddef.h>
#include <stdint.h>

#include "session-policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void ignore(const char *file, unsigned int line, const char *why, void *user_data)
{
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct session_policies *set = session_policies_new(ignore, NULL);

	session_policies_parse(set, "fuzz", (const char *)data, size);
	session_policies_lookup(set, 1000, 1000, "/app.slice/x.scope");
	session_policies_free(set);
	return 0;
}
