/* One hexadecimal digit's value, for the parsers of hex text (SSIDs in
 * service ids, the ULA's global ID). */
#pragma once

static inline int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
