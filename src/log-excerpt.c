#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "log-excerpt.h"

/* Appends one byte of the excerpt, escaped; false when buf is full. */
static bool put_byte(char *buf, size_t size, size_t *pos, unsigned char c)
{
	int n;

	if (c >= 0x20 && c < 0x7f && c != '\\')
		n = snprintf(buf + *pos, size - *pos, "%c", c);
	else if (c == '\\')
		n = snprintf(buf + *pos, size - *pos, "\\\\");
	else
		n = snprintf(buf + *pos, size - *pos, "\\x%02x", c);
	if (n < 0 || (size_t)n >= size - *pos)
		return false;
	*pos += n;
	return true;
}

const char *log_excerpt(char *buf, size_t size, const char *text)
{
	size_t len, pos = 0;

	if (!size)
		return buf;
	buf[0] = '\0';
	if (!text)
		text = "(null)";
	len = strlen(text);
	for (size_t i = 0; i < len && i < LOG_EXCERPT_BYTES; i++) {
		if (!put_byte(buf, size, &pos, text[i])) {
			buf[pos] = '\0';
			return buf;
		}
	}
	if (len > LOG_EXCERPT_BYTES)
		snprintf(buf + pos, size - pos, "... (%zu bytes)", len);
	return buf;
}
