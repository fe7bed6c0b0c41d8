#include <string.h>
#include <arpa/inet.h>
#include <ell/ell.h>

#include "names.h"

bool name_is_ip_address(const char *text)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, text, buf) == 1 || inet_pton(AF_INET6, text, buf) == 1;
}

bool name_is_domain(const char *text)
{
	size_t len = strlen(text);

	if (len == 0 || len > 253)
		return false;
	for (const char *p = text; *p; p++)
		if (!(l_ascii_isalnum(*p) || *p == '-' || *p == '.' || *p == '_'))
			return false;
	return true;
}
