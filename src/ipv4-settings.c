#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "ipv4-settings.h"

static const char *const method_names[] = {
	[IPV4_METHOD_OFF] = "off",
	[IPV4_METHOD_DHCP] = "dhcp",
	[IPV4_METHOD_MANUAL] = "manual",
	[IPV4_METHOD_FIXED] = "fixed",
	[IPV4_METHOD_AUTO] = "auto",
};

const char *ipv4_method_name(enum ipv4_method method)
{
	return method <= IPV4_METHOD_AUTO ? method_names[method] : "off";
}

int ipv4_method_parse(const char *name, enum ipv4_method *method)
{
	for (enum ipv4_method m = IPV4_METHOD_OFF; m <= IPV4_METHOD_MANUAL; m++) {
		if (!strcmp(name, method_names[m])) {
			*method = m;
			return 0;
		}
	}
	return strcmp(name, "auto") ? -EINVAL : -ENOTSUP;
}

int ipv4_parse_address(const char *text, uint32_t *address)
{
	struct in_addr in;

	if (!text || inet_pton(AF_INET, text, &in) != 1)
		return -EINVAL;
	*address = in.s_addr;
	return 0;
}

uint32_t ipv4_prefix_to_mask(uint8_t prefix_len)
{
	return prefix_len ? htonl(~0u << (32 - prefix_len)) : 0;
}

int ipv4_parse_netmask(const char *text, uint8_t *prefix_len)
{
	uint32_t mask, host;
	char *end;
	unsigned long n;

	if (!text || !*text)
		return -EINVAL;
	if (!strchr(text, '.')) {
		n = strtoul(text, &end, 10);
		if (*end || n > 32)
			return -EINVAL;
		*prefix_len = n;
		return 0;
	}
	if (ipv4_parse_address(text, &mask) < 0)
		return -EINVAL;
	host = ntohl(mask);
	/* Contiguous ones: the complement plus one is a power of two. */
	if (((~host + 1) & ~host) != 0)
		return -EINVAL;
	*prefix_len = __builtin_popcount(host);
	return 0;
}

const char *ipv4_ntop(uint32_t address, char *buf)
{
	struct in_addr in = { .s_addr = address };

	return inet_ntop(AF_INET, &in, buf, 16);
}

static bool is_unicast(uint32_t address)
{
	uint32_t h = ntohl(address);

	return h != 0 && (h >> 24) != 127 && (h >> 28) < 14 && h != 0xffffffff;
}

int ipv4_settings_validate(const struct ipv4_settings *s, char *why, size_t why_len)
{
	uint32_t mask = ipv4_prefix_to_mask(s->prefix_len);

	if (s->method != IPV4_METHOD_MANUAL)
		return 0;
	if (!is_unicast(s->address)) {
		snprintf(why, why_len, "Address is not a unicast IPv4 address");
		return -EINVAL;
	}
	if (s->prefix_len == 0 || s->prefix_len > 32) {
		snprintf(why, why_len, "Netmask must have a prefix length from 1 to 32");
		return -EINVAL;
	}
	if (s->prefix_len < 31 && ((s->address & ~mask) == 0 || (s->address & ~mask) == ~mask)) {
		snprintf(why, why_len, "Address is the network or broadcast address of its subnet");
		return -EINVAL;
	}
	if (s->gateway && (!is_unicast(s->gateway) || s->gateway == s->address)) {
		snprintf(why, why_len, "Gateway is not a usable unicast address");
		return -EINVAL;
	}
	if (s->gateway && (s->gateway & mask) != (s->address & mask)) {
		snprintf(why, why_len, "Gateway is outside the address's subnet");
		return -EINVAL;
	}
	/* The kernel refuses a route through either (and /31, /32 have neither). */
	if (s->gateway && s->prefix_len < 31 &&
	    ((s->gateway & ~mask) == 0 || (s->gateway & ~mask) == ~mask)) {
		snprintf(why, why_len, "Gateway is the network or broadcast address of the subnet");
		return -EINVAL;
	}
	return 0;
}
