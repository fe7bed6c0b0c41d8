/* Bounded, escaped excerpts of text a client sent, for log lines and error
 * messages: a client must not be able to fill the log, or write control
 * characters into it, through a name or path connd repeats. */
#pragma once

#include <stddef.h>

/* Bytes of the client's text an excerpt shows. */
#define LOG_EXCERPT_BYTES 64
/* A buffer that holds any excerpt: every byte escaped (\xNN), the suffix. */
#define LOG_EXCERPT_SIZE (LOG_EXCERPT_BYTES * 4 + 32)

/* Writes into buf (size bytes, LOG_EXCERPT_SIZE holds any) the first
 * LOG_EXCERPT_BYTES bytes of text, printable ASCII as is, a backslash as
 * "\\", any other byte as "\xNN", then "... (N bytes)" if text was longer.
 * Returns buf; NULL text reads as "(null)". */
const char *log_excerpt(char *buf, size_t size, const char *text);
