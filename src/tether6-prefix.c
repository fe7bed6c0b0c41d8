#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tether6-prefix.h"
#include "hex.h"

int tether6_subnet(const struct ipv6_prefix *delegated, uint16_t subnet_id, struct in6_addr *out)
{
	struct in6_addr a = delegated->prefix;
	unsigned int free_bits;

	if (delegated->len == 0 || delegated->len > 64)
		return -EINVAL;
	/* Clear whatever the delegation carried past its length, and the
	 * interface ID. */
	for (unsigned int bit = delegated->len; bit < 128; bit++)
		a.s6_addr[bit / 8] &= (uint8_t)~(0x80 >> (bit % 8));
	/* The subnet ID fills bits len..63, at most 16 of them. */
	free_bits = 64 - delegated->len;
	for (unsigned int i = 0; i < free_bits && i < 16; i++) {
		unsigned int bit = 63 - i;

		if (subnet_id & (1u << i))
			a.s6_addr[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
	}
	*out = a;
	return 0;
}

void tether6_ula(const uint8_t id[TETHER6_ULA_ID_LEN], struct in6_addr *out)
{
	memset(out, 0, sizeof(*out));
	out->s6_addr[0] = 0xfd;
	memcpy(&out->s6_addr[1], id, TETHER6_ULA_ID_LEN);
}

void tether6_ula_id_format(const uint8_t id[TETHER6_ULA_ID_LEN], char text[TETHER6_ULA_ID_TEXT])
{
	for (unsigned int i = 0; i < TETHER6_ULA_ID_LEN; i++)
		snprintf(text + 2 * i, 3, "%02x", id[i]);
}

int tether6_ula_id_parse(const char *text, uint8_t id[TETHER6_ULA_ID_LEN])
{
	uint8_t parsed[TETHER6_ULA_ID_LEN];

	if (strlen(text) != 2 * TETHER6_ULA_ID_LEN)
		return -EINVAL;
	for (unsigned int i = 0; i < TETHER6_ULA_ID_LEN; i++) {
		int hi = hex_digit(text[2 * i]), lo = hex_digit(text[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		parsed[i] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(id, parsed, sizeof(parsed));
	return 0;
}

void tether6_router_address(const struct in6_addr *subnet, struct in6_addr *out)
{
	*out = *subnet;
	memset(&out->s6_addr[8], 0, 8);
	out->s6_addr[15] = 1;
}
