/* A reader for ConnMan's key-file format that keeps line numbers, so that a
 * bad line can be named precisely: "[Group]" headers, "Key = value" lines,
 * '#' and ';' comments, blank lines. */
#pragma once

#include <stddef.h>

/* Called for each header (key and value NULL) and each key; a negative
 * return stops the reading and is returned by ini_parse. */
typedef int (*ini_entry_fn)(const char *group, const char *key, const char *value,
			    unsigned int line, void *data);
/* Called for a line that is neither; the reading goes on. */
typedef void (*ini_error_fn)(unsigned int line, const char *why, void *data);

int ini_parse(const char *text, size_t len, ini_entry_fn entry, ini_error_fn error, void *data);
