#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <ell/ell.h>

#include "names.h"

bool name_is_ip_address(const char *text)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, text, buf) == 1 || inet_pton(AF_INET6, text, buf) == 1;
}

/* One label: 1 to 63 letters, digits, '-' or '_', not starting or ending
 * with '-' (RFC 1123; '_' for service names such as _ntp._udp). */
static bool valid_label(const char *label, size_t len)
{
	if (len == 0 || len > 63 || label[0] == '-' || label[len - 1] == '-')
		return false;
	for (size_t i = 0; i < len; i++)
		if (!(l_ascii_isalnum(label[i]) || label[i] == '-' || label[i] == '_'))
			return false;
	return true;
}

bool name_is_domain(const char *text)
{
	size_t len = strlen(text);
	const char *label = text, *dot;

	/* One trailing dot marks a fully qualified name; "." alone names nothing. */
	if (len > 1 && text[len - 1] == '.')
		len--;
	if (len == 0 || len > 253)
		return false;
	while ((dot = memchr(label, '.', text + len - label))) {
		if (!valid_label(label, dot - label))
			return false;
		label = dot + 1;
	}
	return valid_label(label, text + len - label);
}

static bool is_scoped_link_local(const char *text)
{
	const char *percent = strchr(text, '%');
	char address[INET6_ADDRSTRLEN];
	struct in6_addr ip;
	size_t len = percent ? (size_t)(percent - text) : 0;

	if (!percent || len >= sizeof(address) || !percent[1] || strlen(percent + 1) >= IFNAMSIZ ||
	    strpbrk(percent + 1, "%/ \t\n"))
		return false;
	memcpy(address, text, len);
	address[len] = '\0';
	return inet_pton(AF_INET6, address, &ip) == 1 && IN6_IS_ADDR_LINKLOCAL(&ip);
}

bool name_is_timeserver(const char *text)
{
	return name_is_ip_address(text) || is_scoped_link_local(text) || name_is_domain(text);
}
