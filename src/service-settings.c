#include <stdio.h>
#include <string.h>
#include <ell/ell.h>

#include "names.h"
#include "service-settings.h"

static void parse_ipv4(const struct l_settings *s, const char *id, struct service_saved *saved,
		       service_settings_warn_fn warn, void *data)
{
	char *method = l_settings_get_string(s, id, "IPv4.method");
	char *address = l_settings_get_string(s, id, "IPv4.local_address");
	char *gateway = l_settings_get_string(s, id, "IPv4.gateway");
	struct ipv4_settings v = { .method = IPV4_METHOD_DHCP };
	unsigned int plen = 0;
	char why[128];

	if (method && ipv4_method_parse(method, &v.method) < 0) {
		warn("IPv4.method", "not dhcp, manual or off", data);
		goto out;
	}
	if (v.method == IPV4_METHOD_MANUAL) {
		if (ipv4_parse_address(address, &v.address) < 0 ||
		    !l_settings_get_uint(s, id, "IPv4.netmask_prefixlen", &plen) || plen > 32 ||
		    (gateway && ipv4_parse_address(gateway, &v.gateway) < 0)) {
			warn("IPv4.local_address", "incomplete manual configuration", data);
			goto out;
		}
		v.prefix_len = plen;
		if (ipv4_settings_validate(&v, why, sizeof(why)) < 0) {
			warn("IPv4.local_address", why, data);
			goto out;
		}
	}
	saved->ipv4 = v;
out:
	l_free(method);
	l_free(address);
	l_free(gateway);
}

/* ConnMan's IPv6.method and IPv6.privacy; a bad value leaves the default. */
static void parse_ipv6(const struct l_settings *s, const char *id, struct service_saved *saved,
		       service_settings_warn_fn warn, void *data)
{
	char *method = l_settings_get_string(s, id, "IPv6.method");
	char *privacy = l_settings_get_string(s, id, "IPv6.privacy");

	if (method && ipv6_method_parse(method, &saved->ipv6.method) < 0)
		warn("IPv6.method", "not auto or off", data);
	if (privacy && ipv6_privacy_parse(privacy, &saved->ipv6.privacy) < 0)
		warn("IPv6.privacy", "not disabled, enabled or prefered", data);
	l_free(method);
	l_free(privacy);
}

/* Keeps the valid entries of a ';'-separated list, reporting the others. */
static char **parse_list(const struct l_settings *s, const char *id, const char *key,
			 bool (*valid)(const char *), service_settings_warn_fn warn, void *data)
{
	char **list = l_settings_get_string_list(s, id, key, ';');
	char **kept = NULL;

	for (char **p = list; p && *p; p++) {
		if (valid(*p))
			kept = l_strv_append(kept, *p);
		else if (**p)
			warn(key, "invalid entry dropped", data);
	}
	l_strv_free(list);
	return kept;
}

/* ConnMan's Proxy.Method, Proxy.Servers, Proxy.Excludes and Proxy.URL; a
 * configuration that does not pass the D-Bus checks is dropped whole. */
static void parse_proxy(const struct l_settings *s, const char *id, struct service_saved *saved,
			service_settings_warn_fn warn, void *data)
{
	char *method = l_settings_get_string(s, id, "Proxy.Method");
	struct proxy_config c = { 0 };
	char why[128];

	if (!method)
		return;
	if (proxy_method_parse(method, &c.method) < 0) {
		warn("Proxy.Method", "not direct, manual or auto", data);
		goto out;
	}
	c.servers = l_settings_get_string_list(s, id, "Proxy.Servers", ';');
	c.excludes = l_settings_get_string_list(s, id, "Proxy.Excludes", ';');
	c.url = l_settings_get_string(s, id, "Proxy.URL");
	proxy_config_normalize(&c);
	if (proxy_config_validate(&c, why, sizeof(why)) < 0) {
		warn("Proxy.Method", why, data);
		proxy_config_clear(&c);
		goto out;
	}
	saved->proxy = c;
out:
	l_free(method);
}

static void build_proxy(struct l_settings *s, const char *id, const struct proxy_config *c)
{
	if (c->method == PROXY_METHOD_NONE)
		return;
	l_settings_set_string(s, id, "Proxy.Method", proxy_method_name(c->method));
	if (c->servers)
		l_settings_set_string_list(s, id, "Proxy.Servers", c->servers, ';');
	if (c->excludes)
		l_settings_set_string_list(s, id, "Proxy.Excludes", c->excludes, ';');
	if (c->url)
		l_settings_set_string(s, id, "Proxy.URL", c->url);
}

void service_settings_parse(const struct l_settings *s, const char *id,
			    struct service_saved *saved, service_settings_warn_fn warn, void *data)
{
	char *last;

	memset(saved, 0, sizeof(*saved));
	saved->autoconnect = true;
	saved->ipv4.method = IPV4_METHOD_DHCP;
	if (!s || !l_settings_has_group(s, id))
		return;
	if (l_settings_has_key(s, id, "AutoConnect") &&
	    !l_settings_get_bool(s, id, "AutoConnect", &saved->autoconnect)) {
		warn("AutoConnect", "not a boolean", data);
		saved->autoconnect = true;
	}
	parse_ipv4(s, id, saved, warn, data);
	parse_ipv6(s, id, saved, warn, data);
	last = l_settings_get_string(s, id, "IPv4.DHCP.LastAddress");
	if (last && ipv4_parse_address(last, &saved->last_dhcp_address) < 0)
		warn("IPv4.DHCP.LastAddress", "not an IPv4 address", data);
	l_free(last);
	saved->nameservers = parse_list(s, id, "Nameservers", name_is_ip_address, warn, data);
	saved->timeservers = parse_list(s, id, "Timeservers", name_is_timeserver, warn, data);
	saved->domains = parse_list(s, id, "Domains", name_is_domain, warn, data);
	parse_proxy(s, id, saved, warn, data);
}

struct l_settings *service_settings_build(const char *id, const struct service_saved *saved)
{
	struct l_settings *s = l_settings_new();
	char buf[16];

	if (saved->name)
		l_settings_set_string(s, id, "Name", saved->name);
	l_settings_set_bool(s, id, "Favorite", saved->favorite);
	l_settings_set_bool(s, id, "AutoConnect", saved->autoconnect);
	l_settings_set_string(s, id, "IPv4.method", ipv4_method_name(saved->ipv4.method));
	if (saved->ipv4.method == IPV4_METHOD_MANUAL) {
		l_settings_set_uint(s, id, "IPv4.netmask_prefixlen", saved->ipv4.prefix_len);
		l_settings_set_string(s, id, "IPv4.local_address", ipv4_ntop(saved->ipv4.address, buf));
		if (saved->ipv4.gateway)
			l_settings_set_string(s, id, "IPv4.gateway", ipv4_ntop(saved->ipv4.gateway, buf));
	}
	l_settings_set_string(s, id, "IPv6.method", ipv6_method_name(saved->ipv6.method));
	l_settings_set_string(s, id, "IPv6.privacy", ipv6_privacy_name(saved->ipv6.privacy));
	if (saved->last_dhcp_address)
		l_settings_set_string(s, id, "IPv4.DHCP.LastAddress",
				      ipv4_ntop(saved->last_dhcp_address, buf));
	if (saved->nameservers)
		l_settings_set_string_list(s, id, "Nameservers", saved->nameservers, ';');
	if (saved->timeservers)
		l_settings_set_string_list(s, id, "Timeservers", saved->timeservers, ';');
	if (saved->domains)
		l_settings_set_string_list(s, id, "Domains", saved->domains, ';');
	build_proxy(s, id, &saved->proxy);
	return s;
}

void service_saved_clear(struct service_saved *saved)
{
	l_free(saved->name);
	l_strv_free(saved->nameservers);
	l_strv_free(saved->timeservers);
	l_strv_free(saved->domains);
	proxy_config_clear(&saved->proxy);
	memset(saved, 0, sizeof(*saved));
}
