/* DNS upstream selection rules; see dns-upstream.h. */
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <ell/ell.h>

#include "dns-upstream.h"

struct addr {
	int family;
	union {
		struct in_addr v4;
		struct in6_addr v6;
	};
};

/* Parses a literal, without the "%scope" of a link-local IPv6 address. */
static bool parse(const char *text, struct addr *a)
{
	char buf[INET6_ADDRSTRLEN];
	const char *percent = strchr(text, '%');
	size_t len = percent ? (size_t)(percent - text) : strlen(text);

	if (len >= sizeof(buf))
		return false;
	memcpy(buf, text, len);
	buf[len] = '\0';
	memset(a, 0, sizeof(*a));
	if (!percent && inet_pton(AF_INET, buf, &a->v4) == 1) {
		a->family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, buf, &a->v6) == 1) {
		a->family = AF_INET6;
		return true;
	}
	return false;
}

/* IPv4-mapped IPv6 addresses count as the IPv4 address they carry. */
static void unmap(struct addr *a)
{
	struct in_addr v4;

	if (a->family != AF_INET6 || !IN6_IS_ADDR_V4MAPPED(&a->v6))
		return;
	memcpy(&v4, &a->v6.s6_addr[12], 4);
	a->family = AF_INET;
	a->v4 = v4;
}

static bool loops_back(const struct addr *a)
{
	uint32_t v4 = ntohl(a->v4.s_addr);

	if (a->family == AF_INET)
		return (v4 >> 24) == 127 || (v4 >> 24) == 0 || (v4 >> 28) >= 14;
	return IN6_IS_ADDR_LOOPBACK(&a->v6) || IN6_IS_ADDR_UNSPECIFIED(&a->v6) ||
	       IN6_IS_ADDR_MULTICAST(&a->v6);
}

static bool same(const struct addr *a, const struct addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->v4.s_addr == b->v4.s_addr;
	return IN6_ARE_ADDR_EQUAL(&a->v6, &b->v6);
}

bool dns_upstream_allowed(const char *server, char *const *own)
{
	struct addr a, o;

	if (!server || !parse(server, &a))
		return false;
	unmap(&a);
	if (loops_back(&a))
		return false;
	for (char *const *s = own; s && *s; s++) {
		if (!parse(*s, &o))
			continue;
		unmap(&o);
		if (same(&a, &o))
			return false;
	}
	return true;
}

char **dns_upstream_filter(char *const *servers, char *const *own, char ***refused)
{
	char **kept = l_new(char *, 1);

	for (char *const *s = servers; s && *s; s++) {
		if (dns_upstream_allowed(*s, own))
			kept = l_strv_append(kept, *s);
		else if (refused && !(*refused && l_strv_contains(*refused, *s)))
			*refused = l_strv_append(*refused, *s);
	}
	return kept;
}
