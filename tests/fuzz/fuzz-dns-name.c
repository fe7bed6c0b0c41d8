// sources: src/dns-name.c
/* Names come from the network inside messages and router advertisements:
 * any bytes, no crash, no hang, and whatever reads back also prints,
 * converts back from its text to the same octets, and compares equal. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dns-name.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_name(const uint8_t *name, int len)
{
	char text[DNS_NAME_TEXT_MAX];
	uint8_t back[DNS_NAME_MAX];

	if ((size_t)len != dns_name_len(name) || dns_name_to_text(name, text, sizeof(text)) < 0 ||
	    !dns_name_equal(name, name) || !dns_name_under(name, name) ||
	    !dns_name_under(name, (const uint8_t *)""))
		__builtin_trap();
	if (dns_name_is_hostname(name) &&
	    (dns_name_from_text(text, back) != len || memcmp(back, name, (size_t)len)))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t name[DNS_NAME_MAX];
	char text[DNS_NAME_TEXT_MAX + 8];
	size_t pos = 0;
	int len;

	/* As the one name of an RA option, then as every name of a message. */
	len = dns_name_read(data, size, &pos, 0, name);
	if (len > 0)
		check_name(name, len);
	for (pos = 12; pos < size;) {
		len = dns_name_read(data, size, &pos, DNS_NAME_COMPRESSED | DNS_NAME_LOWER, name);
		if (len < 0)
			break;
		check_name(name, len);
	}
	/* And as text. */
	len = (int)(size < sizeof(text) - 1 ? size : sizeof(text) - 1);
	memcpy(text, data, (size_t)len);
	text[len] = '\0';
	len = dns_name_from_text(text, name);
	if (len > 0)
		check_name(name, len);
	return 0;
}
