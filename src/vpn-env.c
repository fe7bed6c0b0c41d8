#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <ell/ell.h>

#include "names.h"
#include "vpn-env.h"

static const char *const exact_keys[] = {
	"dev", "dev_type", "ifconfig_local", "ifconfig_netmask", "ifconfig_remote", "trusted_ip",
	"route_vpn_gateway", "ifconfig_ipv6_local", "ifconfig_ipv6_netbits",
	"ifconfig_ipv6_remote", "trusted_ip6", NULL
};

static const char *const prefix_keys[] = {
	"route_network_", "route_netmask_", "route_gateway_", "route_ipv6_network_",
	"route_ipv6_gateway_", "foreign_option_", NULL
};

bool vpn_env_wanted(const char *key, size_t len)
{
	for (const char *const *k = exact_keys; *k; k++)
		if (strlen(*k) == len && !memcmp(*k, key, len))
			return true;
	for (const char *const *k = prefix_keys; *k; k++)
		if (len > strlen(*k) && !memcmp(*k, key, strlen(*k)))
			return true;
	return false;
}

/* The value of KEY among vars, NULL when absent. */
static const char *lookup(char *const *vars, unsigned int n, const char *key)
{
	size_t len = strlen(key);

	for (unsigned int i = 0; i < n; i++)
		if (!strncmp(vars[i], key, len) && vars[i][len] == '=')
			return vars[i] + len + 1;
	return NULL;
}

static const char *lookup_n(char *const *vars, unsigned int n, const char *prefix, unsigned int i)
{
	char key[64];

	snprintf(key, sizeof(key), "%s%u", prefix, i);
	return lookup(vars, n, key);
}

static bool parse4(const char *text, uint32_t *out)
{
	struct in_addr a;

	if (!text || inet_pton(AF_INET, text, &a) != 1)
		return false;
	*out = a.s_addr;
	return true;
}

static bool parse6(const char *text, struct in6_addr *out)
{
	return text && inet_pton(AF_INET6, text, out) == 1;
}

/* A contiguous netmask's length, -1 when not contiguous. */
static int mask_len(uint32_t mask)
{
	uint32_t host = ntohl(mask);
	int len = 0;

	while (len < 32 && (host & (0x80000000u >> len)))
		len++;
	if (len < 32 && (host << len))
		return -1;
	return len;
}

static bool parse_uint(const char *text, unsigned long max, unsigned long *out)
{
	char *end;

	if (!text || !*text || *text == '-')
		return false;
	errno = 0;
	*out = strtoul(text, &end, 10);
	return !errno && !*end && *out <= max;
}

static void read_ipv4(char *const *vars, unsigned int n, struct vpn_env *env)
{
	uint32_t mask;
	int len;

	if (!parse4(lookup(vars, n, "ifconfig_local"), &env->address))
		return;
	/* topology subnet names a netmask; net30 and p2p a peer instead. */
	if (parse4(lookup(vars, n, "ifconfig_netmask"), &mask) && (len = mask_len(mask)) > 0)
		env->prefix_len = len;
	else
		env->prefix_len = 32;
	parse4(lookup(vars, n, "ifconfig_remote"), &env->peer);
}

static void read_ipv6(char *const *vars, unsigned int n, struct vpn_env *env)
{
	unsigned long bits;

	if (!parse6(lookup(vars, n, "ifconfig_ipv6_local"), &env->address6))
		return;
	if (!parse_uint(lookup(vars, n, "ifconfig_ipv6_netbits"), 128, &bits) || bits == 0) {
		memset(&env->address6, 0, sizeof(env->address6));
		return;
	}
	env->prefix_len6 = bits;
}

static void read_routes4(char *const *vars, unsigned int n, struct vpn_env *env)
{
	for (unsigned int i = 1; env->n_routes < VPN_ENV_MAX_ROUTES; i++) {
		const char *net = lookup_n(vars, n, "route_network_", i);
		uint32_t network, mask;
		int len;

		if (!net)
			break;
		if (!parse4(net, &network) ||
		    !parse4(lookup_n(vars, n, "route_netmask_", i), &mask) ||
		    (len = mask_len(mask)) < 0)
			continue;
		env->routes[env->n_routes] = (struct vpn_env_route4) { network & mask, len };
		/* Only reported (ServerRoutes): a tunnel's routes need none. */
		parse4(lookup_n(vars, n, "route_gateway_", i), &env->routes[env->n_routes].gateway);
		env->n_routes++;
	}
}

/* "2001:db8::/64" */
static bool parse_prefix6(const char *text, struct vpn_env_route6 *r)
{
	const char *slash = text ? strchr(text, '/') : NULL;
	char addr[INET6_ADDRSTRLEN];
	unsigned long len;

	if (!slash || (size_t)(slash - text) >= sizeof(addr))
		return false;
	memcpy(addr, text, slash - text);
	addr[slash - text] = '\0';
	if (!parse6(addr, &r->network) || !parse_uint(slash + 1, 128, &len))
		return false;
	r->prefix_len = len;
	for (unsigned int bit = len; bit < 128; bit++)
		r->network.s6_addr[bit / 8] &= ~(0x80 >> (bit % 8));
	return true;
}

static void read_routes6(char *const *vars, unsigned int n, struct vpn_env *env)
{
	for (unsigned int i = 1; env->n_routes6 < VPN_ENV_MAX_ROUTES; i++) {
		const char *net = lookup_n(vars, n, "route_ipv6_network_", i);

		if (!net)
			break;
		if (!parse_prefix6(net, &env->routes6[env->n_routes6]))
			continue;
		parse6(lookup_n(vars, n, "route_ipv6_gateway_", i), &env->routes6[env->n_routes6].gateway);
		env->n_routes6++;
	}
}

static char **add_unique(char **list, const char *value)
{
	if (l_strv_contains(list, value) || l_strv_length(list) >= VPN_ENV_MAX_DNS)
		return list;
	return l_strv_append(list ? list : l_new(char *, 1), value);
}

/* "dhcp-option DNS 10.8.0.1", "dhcp-option DOMAIN vpn.example" */
static void read_option(const char *text, struct vpn_env *env)
{
	char **words = l_strsplit(text, ' ');
	struct in6_addr a6;
	uint32_t a4;

	if (l_strv_length(words) == 3 && !strcmp(words[0], "dhcp-option")) {
		const char *kind = words[1], *value = words[2];

		if ((!strcmp(kind, "DNS") || !strcmp(kind, "DNS6")) &&
		    (parse4(value, &a4) || parse6(value, &a6)))
			env->nameservers = add_unique(env->nameservers, value);
		else if ((!strcmp(kind, "DOMAIN") || !strcmp(kind, "DOMAIN-SEARCH")) &&
			 name_is_domain(value))
			env->domains = add_unique(env->domains, value);
	}
	l_strfreev(words);
}

int vpn_env_parse(char *const *vars, unsigned int n, struct vpn_env *env)
{
	const char *dev = lookup(vars, n, "dev"), *option;

	memset(env, 0, sizeof(*env));
	if (!dev || !*dev || strlen(dev) >= sizeof(env->dev))
		return -EINVAL;
	l_strlcpy(env->dev, dev, sizeof(env->dev));
	read_ipv4(vars, n, env);
	read_ipv6(vars, n, env);
	if (!env->address && IN6_IS_ADDR_UNSPECIFIED(&env->address6))
		return -EINVAL;
	parse4(lookup(vars, n, "trusted_ip"), &env->server);
	parse6(lookup(vars, n, "trusted_ip6"), &env->server6);
	option = lookup(vars, n, "dev_type");
	env->link_layer = option && !strcmp(option, "tap");
	parse4(lookup(vars, n, "route_vpn_gateway"), &env->vpn_gateway);
	parse6(lookup(vars, n, "ifconfig_ipv6_remote"), &env->peer6);
	read_routes4(vars, n, env);
	read_routes6(vars, n, env);
	for (unsigned int i = 1; (option = lookup_n(vars, n, "foreign_option_", i)); i++)
		read_option(option, env);
	return 0;
}

void vpn_env_clear(struct vpn_env *env)
{
	l_strv_free(env->nameservers);
	l_strv_free(env->domains);
	env->nameservers = env->domains = NULL;
}
