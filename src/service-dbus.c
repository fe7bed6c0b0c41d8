/* net.connman.Service objects: marshalling and type checks only; the service
 * module validates meaning and acts. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <ell/ell.h>

#include "dbus-util.h"
#include "manager-dbus.h"
#include "log-excerpt.h"
#include "manager.h"
#include "names.h"
#include "service-dbus.h"

#define SERVICE_INTERFACE CONND_SERVICE ".Service"

static void append_str(struct l_dbus_message_builder *b, const char *s)
{
	l_dbus_message_builder_append_basic(b, 's', s);
}

static void append_bool(struct l_dbus_message_builder *b, bool value)
{
	l_dbus_message_builder_append_basic(b, 'b', &value);
}

static void append_type(struct l_dbus_message_builder *b, void *svc) { append_str(b, service_type(svc)); }
static void append_name(struct l_dbus_message_builder *b, void *svc) { append_str(b, service_name(svc)); }
static bool has_name(void *svc) { return service_name(svc) != NULL; }

static void append_security(struct l_dbus_message_builder *b, void *svc)
{
	dbus_append_strv(b, (char **)service_security(svc));
}

static bool has_strength(void *svc) { return service_strength(svc) > 0; }

static void append_strength(struct l_dbus_message_builder *b, void *svc)
{
	uint8_t strength = service_strength(svc);

	l_dbus_message_builder_append_basic(b, 'y', &strength);
}

/* ConnMan reports Roaming for cellular services only. */
static bool has_roaming(void *svc) { return !strcmp(service_type(svc), "cellular"); }
static void append_roaming(struct l_dbus_message_builder *b, void *svc) { append_bool(b, service_roaming(svc)); }
static void append_false(struct l_dbus_message_builder *b, void *svc) { append_bool(b, false); }
static void append_immutable(struct l_dbus_message_builder *b, void *svc)
{
	append_bool(b, service_immutable(svc));
}

static void append_state(struct l_dbus_message_builder *b, void *svc)
{
	append_str(b, service_state_name(service_get_state(svc)));
}

static bool has_error(void *svc) { return service_error(svc) != NULL; }
static void append_error(struct l_dbus_message_builder *b, void *svc) { append_str(b, service_error(svc)); }
static void append_favorite(struct l_dbus_message_builder *b, void *svc) { append_bool(b, service_favorite(svc)); }

static void append_autoconnect(struct l_dbus_message_builder *b, void *svc)
{
	append_bool(b, service_favorite(svc) && service_autoconnect(svc));
}

static void append_ethernet(struct l_dbus_message_builder *b, void *svc)
{
	const uint8_t *m = service_mac(svc);
	char mac[18];

	snprintf(mac, sizeof(mac), "%02X:%02X:%02X:%02X:%02X:%02X", m[0], m[1], m[2], m[3], m[4], m[5]);
	l_dbus_message_builder_enter_array(b, "{sv}");
	dbus_dict_str(b, "Method", "auto");
	dbus_dict_str(b, "Interface", service_ifname(svc));
	dbus_dict_str(b, "Address", mac);
	dbus_dict_u16(b, "MTU", service_mtu(svc));
	l_dbus_message_builder_leave_array(b);
}

static void dict_str_if(struct l_dbus_message_builder *b, const char *key, const char *value)
{
	if (value)
		dbus_dict_str(b, key, value);
}

/* Always there, as in ConnMan; filled only for a connected VPN's service.
 * ConnMan's daemon sends Host, Domain, Type and SplitRouting, its API text
 * Host, Domain, Name and Type: both sets, for clients of either. */
static void append_provider(struct l_dbus_message_builder *b, void *svc)
{
	struct service_provider p;

	l_dbus_message_builder_enter_array(b, "{sv}");
	if (service_state_is_connected(service_get_state(svc)) && service_provider(svc, &p) == 1) {
		dict_str_if(b, "Host", p.host);
		dict_str_if(b, "Domain", p.domain);
		dict_str_if(b, "Name", p.name);
		dict_str_if(b, "Type", p.type);
		dbus_dict_bool(b, "SplitRouting", p.split_routing);
	}
	l_dbus_message_builder_leave_array(b);
}

static void append_ipv4_dict(struct l_dbus_message_builder *b, const struct ipv4_settings *s,
			     bool with_method)
{
	char buf[16];

	l_dbus_message_builder_enter_array(b, "{sv}");
	if (with_method)
		dbus_dict_str(b, "Method", ipv4_method_name(s->method));
	if (s->address) {
		dbus_dict_str(b, "Address", ipv4_ntop(s->address, buf));
		dbus_dict_str(b, "Netmask", ipv4_ntop(ipv4_prefix_to_mask(s->prefix_len), buf));
		if (s->gateway)
			dbus_dict_str(b, "Gateway", ipv4_ntop(s->gateway, buf));
	}
	l_dbus_message_builder_leave_array(b);
}

static void append_ipv4(struct l_dbus_message_builder *b, void *svc)
{
	const struct ipv4_settings *s = service_ipv4(svc);

	append_ipv4_dict(b, s, s->address != 0);
}

static void append_ipv4_config(struct l_dbus_message_builder *b, void *svc)
{
	append_ipv4_dict(b, service_ipv4_config(svc), true);
}

static bool in6_is_set(const struct in6_addr *a)
{
	return !IN6_IS_ADDR_UNSPECIFIED(a);
}

/* Empty until the link has its address (SLAAC's, or the manual one past
 * duplicate detection), as ConnMan shows it. */
static void append_ipv6(struct l_dbus_message_builder *b, void *svc)
{
	const struct ipv6_status *st = service_ipv6(svc);
	const struct ipv6_settings *config = service_ipv6_config(svc);
	char text[INET6_ADDRSTRLEN];

	l_dbus_message_builder_enter_array(b, "{sv}");
	if (in6_is_set(&st->address)) {
		dbus_dict_str(b, "Method", ipv6_method_name(config->method));
		dbus_dict_str(b, "Address", inet_ntop(AF_INET6, &st->address, text, sizeof(text)));
		dbus_dict_u8(b, "PrefixLength", st->prefix_len);
		if (in6_is_set(&st->gateway))
			dbus_dict_str(b, "Gateway",
				      inet_ntop(AF_INET6, &st->gateway, text, sizeof(text)));
		dbus_dict_str(b, "Privacy", ipv6_privacy_name(config->privacy));
	}
	l_dbus_message_builder_leave_array(b);
}

/* As ConnMan: Method, manual's Address, PrefixLength and Gateway, Privacy. */
static void append_ipv6_config(struct l_dbus_message_builder *b, void *svc)
{
	const struct ipv6_settings *config = service_ipv6_config(svc);
	char text[INET6_ADDRSTRLEN];

	l_dbus_message_builder_enter_array(b, "{sv}");
	dbus_dict_str(b, "Method", ipv6_method_name(config->method));
	if (config->method == IPV6_METHOD_MANUAL) {
		dbus_dict_str(b, "Address", inet_ntop(AF_INET6, &config->address, text, sizeof(text)));
		dbus_dict_u8(b, "PrefixLength", config->prefix_len);
		if (in6_is_set(&config->gateway))
			dbus_dict_str(b, "Gateway",
				      inet_ntop(AF_INET6, &config->gateway, text, sizeof(text)));
	}
	dbus_dict_str(b, "Privacy", ipv6_privacy_name(config->privacy));
	l_dbus_message_builder_leave_array(b);
}

/* In ConnMan's order: the method's details, then Method; an empty dict
 * for PROXY_METHOD_NONE. `always_excludes`: Proxy shows Excludes for
 * manual even when empty, Proxy.Configuration only when set. */
static void append_proxy_dict(struct l_dbus_message_builder *b, const struct proxy_config *c,
			      bool always_excludes)
{
	l_dbus_message_builder_enter_array(b, "{sv}");
	if (c->method == PROXY_METHOD_MANUAL) {
		dbus_dict_strv(b, "Servers", c->servers);
		if (c->excludes || always_excludes)
			dbus_dict_strv(b, "Excludes", c->excludes);
	}
	if (c->url)
		dbus_dict_str(b, "URL", c->url);
	if (c->method != PROXY_METHOD_NONE)
		dbus_dict_str(b, "Method", proxy_method_name(c->method));
	l_dbus_message_builder_leave_array(b);
}

static void append_proxy(struct l_dbus_message_builder *b, void *svc)
{
	append_proxy_dict(b, service_proxy(svc), true);
}

static void append_proxy_config(struct l_dbus_message_builder *b, void *svc)
{
	append_proxy_dict(b, service_proxy_config(svc), false);
}

static void append_owned_strv(struct l_dbus_message_builder *b, char **strv)
{
	dbus_append_strv(b, strv);
	l_strv_free(strv);
}

static void append_nameservers(struct l_dbus_message_builder *b, void *svc)
{
	append_owned_strv(b, service_nameservers(svc));
}

static void append_timeservers(struct l_dbus_message_builder *b, void *svc)
{
	append_owned_strv(b, service_timeservers(svc));
}

static void append_domains(struct l_dbus_message_builder *b, void *svc)
{
	append_owned_strv(b, service_domains(svc));
}

static void append_nameservers_config(struct l_dbus_message_builder *b, void *svc)
{
	dbus_append_strv(b, service_nameservers_config(svc));
}

static void append_timeservers_config(struct l_dbus_message_builder *b, void *svc)
{
	dbus_append_strv(b, service_timeservers_config(svc));
}

static void append_domains_config(struct l_dbus_message_builder *b, void *svc)
{
	dbus_append_strv(b, service_domains_config(svc));
}

/* In ConnMan's emission order. */
static const struct dbus_property service_properties[] = {
	{ "Type", "s", append_type },
	{ "Security", "as", append_security },
	{ "State", "s", append_state },
	{ "Error", "s", append_error, has_error },
	{ "Strength", "y", append_strength, has_strength },
	{ "Favorite", "b", append_favorite },
	{ "Immutable", "b", append_immutable },
	{ "AutoConnect", "b", append_autoconnect },
	{ "Name", "s", append_name, has_name },
	{ "Roaming", "b", append_roaming, has_roaming },
	{ "Ethernet", "a{sv}", append_ethernet },
	{ "IPv4", "a{sv}", append_ipv4 },
	{ "IPv4.Configuration", "a{sv}", append_ipv4_config },
	{ "IPv6", "a{sv}", append_ipv6 },
	{ "IPv6.Configuration", "a{sv}", append_ipv6_config },
	{ "Nameservers", "as", append_nameservers },
	{ "Nameservers.Configuration", "as", append_nameservers_config },
	{ "Timeservers", "as", append_timeservers },
	{ "Timeservers.Configuration", "as", append_timeservers_config },
	{ "Domains", "as", append_domains },
	{ "Domains.Configuration", "as", append_domains_config },
	{ "Proxy", "a{sv}", append_proxy },
	{ "Proxy.Configuration", "a{sv}", append_proxy_config },
	{ "mDNS", "b", append_false },
	{ "mDNS.Configuration", "b", append_false },
	{ "Provider", "a{sv}", append_provider },
	{ }
};

static const char *const prop_names[] = {
	[SERVICE_PROP_STATE] = "State",
	[SERVICE_PROP_ERROR] = "Error",
	[SERVICE_PROP_AUTOCONNECT] = "AutoConnect",
	[SERVICE_PROP_ETHERNET] = "Ethernet",
	[SERVICE_PROP_IPV4] = "IPv4",
	[SERVICE_PROP_IPV4_CONFIG] = "IPv4.Configuration",
	[SERVICE_PROP_IPV6] = "IPv6",
	[SERVICE_PROP_IPV6_CONFIG] = "IPv6.Configuration",
	[SERVICE_PROP_NAMESERVERS] = "Nameservers",
	[SERVICE_PROP_NAMESERVERS_CONFIG] = "Nameservers.Configuration",
	[SERVICE_PROP_TIMESERVERS] = "Timeservers",
	[SERVICE_PROP_TIMESERVERS_CONFIG] = "Timeservers.Configuration",
	[SERVICE_PROP_DOMAINS] = "Domains",
	[SERVICE_PROP_DOMAINS_CONFIG] = "Domains.Configuration",
	[SERVICE_PROP_NAME] = "Name",
	[SERVICE_PROP_STRENGTH] = "Strength",
	[SERVICE_PROP_FAVORITE] = "Favorite",
	[SERVICE_PROP_ROAMING] = "Roaming",
	[SERVICE_PROP_PROXY] = "Proxy",
	[SERVICE_PROP_PROXY_CONFIG] = "Proxy.Configuration",
};

void service_dbus_append_properties(struct l_dbus_message_builder *b, struct service *svc)
{
	dbus_append_properties(b, service_properties, svc);
}

void service_dbus_emit(struct l_dbus *dbus, struct service *svc, enum service_prop prop)
{
	/* Error disappears when cleared: ConnMan then reports it as "". */
	if (prop == SERVICE_PROP_ERROR && !service_error(svc)) {
		struct l_dbus_message *signal;

		if (!dbus)
			return;
		signal = l_dbus_message_new_signal(dbus, service_path(svc), SERVICE_INTERFACE,
						   "PropertyChanged");
		l_dbus_message_set_arguments(signal, "sv", "Error", "s", "");
		l_dbus_send(dbus, signal);
		return;
	}
	if (prop >= L_ARRAY_SIZE(prop_names) || !prop_names[prop])
		return;		/* not a bus property */
	dbus_emit_property_changed(dbus, service_path(svc), SERVICE_INTERFACE, service_properties,
				   prop_names[prop], svc);
}

static struct l_dbus_message *get_properties(struct l_dbus *dbus, struct l_dbus_message *msg,
					     void *user_data)
{
	return dbus_reply_properties(msg, service_properties, user_data);
}

/* Reads IPv4.Configuration's dict into settings; a reason on failure. */
static int parse_ipv4_dict(struct l_dbus_message_iter *dict, struct ipv4_settings *s,
			   char *why, size_t why_len)
{
	struct l_dbus_message_iter value;
	const char *key, *text, *method = NULL, *address = NULL, *netmask = NULL, *gateway = NULL;
	int err;

	while (l_dbus_message_iter_next_entry(dict, &key, &value)) {
		const char **slot = !strcmp(key, "Method") ? &method :
				    !strcmp(key, "Address") ? &address :
				    !strcmp(key, "Netmask") ? &netmask :
				    !strcmp(key, "Gateway") ? &gateway : NULL;

		if (!slot)
			continue;	/* ConnMan ignores keys it does not know */
		if (!l_dbus_message_iter_get_variant(&value, "s", &text)) {
			snprintf(why, why_len, "IPv4.Configuration: %s must be a string", key);
			return -EINVAL;
		}
		*slot = text;
	}
	memset(s, 0, sizeof(*s));
	err = method ? ipv4_method_parse(method, &s->method) : -EINVAL;
	if (err < 0) {
		snprintf(why, why_len, "IPv4.Configuration: %s", err == -ENOTSUP ?
			 "method auto is IPv6's (IPv4 takes dhcp, manual or off)" :
			 "Method must be dhcp, manual or off");
		return err;
	}
	if (s->method != IPV4_METHOD_MANUAL)
		return 0;
	if (ipv4_parse_address(address, &s->address) < 0) {
		snprintf(why, why_len, "IPv4.Configuration: invalid Address '%s'", address ? address : "");
		return -EINVAL;
	}
	/* No Netmask is a /32, as ConnMan takes it (connmanctl and
	 * set-ipv4-method leave it out when not given). */
	if (!netmask)
		s->prefix_len = 32;
	else if (ipv4_parse_netmask(netmask, &s->prefix_len) < 0) {
		snprintf(why, why_len, "IPv4.Configuration: invalid Netmask '%s'", netmask ? netmask : "");
		return -EINVAL;
	}
	if (gateway && *gateway && ipv4_parse_address(gateway, &s->gateway) < 0) {
		snprintf(why, why_len, "IPv4.Configuration: invalid Gateway '%s'", gateway);
		return -EINVAL;
	}
	return ipv4_settings_validate(s, why, why_len);
}

static struct l_dbus_message *set_ipv4_config(struct l_dbus_message *msg, struct service *svc,
					      struct l_dbus_message_iter *value)
{
	struct l_dbus_message_iter dict;
	struct ipv4_settings settings;
	char why[160];
	int err;

	if (!l_dbus_message_iter_get_variant(value, "a{sv}", &dict))
		return dbus_error_invalid_args(msg, "IPv4.Configuration takes a dictionary (a{sv})");
	err = parse_ipv4_dict(&dict, &settings, why, sizeof(why));
	if (err == -ENOTSUP)
		return dbus_error(msg, "NotSupported", "%s", why);
	if (err < 0)
		return dbus_error_invalid_args(msg, "%s", why);
	err = service_set_ipv4_config(svc, &settings);
	return err < 0 ? dbus_error_errno(msg, err) : l_dbus_message_new_method_return(msg);
}

/* One IPv6.Configuration entry into s: Method, Privacy and manual's
 * Address, Gateway (strings) and PrefixLength (a byte, as ConnMan and its
 * connmanctl take it). Other keys are ignored, as ConnMan does. */
static int parse_ipv6_entry(const char *key, struct l_dbus_message_iter *value,
			    struct ipv6_settings *s, char *why, size_t why_len)
{
	const char *text;
	int err;

	if (!strcmp(key, "PrefixLength")) {
		if (l_dbus_message_iter_get_variant(value, "y", &s->prefix_len))
			return 0;
		snprintf(why, why_len, "IPv6.Configuration: PrefixLength must be a byte");
		return -EINVAL;
	}
	if (strcmp(key, "Method") && strcmp(key, "Privacy") && strcmp(key, "Address") &&
	    strcmp(key, "Gateway"))
		return 0;
	if (!l_dbus_message_iter_get_variant(value, "s", &text)) {
		snprintf(why, why_len, "IPv6.Configuration: %s must be a string", key);
		return -EINVAL;
	}
	if (!strcmp(key, "Method")) {
		err = ipv6_method_parse(text, &s->method);
		if (err == -ENOTSUP && !strcmp(text, "dhcp"))
			snprintf(why, why_len, "IPv6.Configuration: method dhcp is IPv4's "
				 "(auto runs DHCPv6 as the routers ask)");
		else if (err == -ENOTSUP)
			snprintf(why, why_len, "IPv6.Configuration: method %s is not supported by connd",
				 text);
		else
			snprintf(why, why_len, "IPv6.Configuration: Method must be auto, manual or off");
	} else if (!strcmp(key, "Privacy")) {
		err = ipv6_privacy_parse(text, &s->privacy);
		snprintf(why, why_len,
			 "IPv6.Configuration: Privacy must be disabled, enabled or prefered");
	} else {
		char excerpt[LOG_EXCERPT_SIZE];

		err = ipv6_parse_address(text, !strcmp(key, "Address") ? &s->address : &s->gateway);
		snprintf(why, why_len, "IPv6.Configuration: invalid %s '%s'", key,
			 log_excerpt(excerpt, sizeof(excerpt), text));
	}
	return err;
}

/* IPv6.Configuration: a whole new configuration, as ConnMan builds one
 * for every call: what the call leaves out takes its default (Privacy
 * disabled), not its previous value. */
static struct l_dbus_message *set_ipv6_config(struct l_dbus_message *msg, struct service *svc,
					      struct l_dbus_message_iter *value)
{
	struct ipv6_settings settings = { .method = IPV6_METHOD_AUTO,
					  .privacy = IPV6_PRIVACY_DISABLED };
	struct l_dbus_message_iter dict, entry;
	const char *key;
	char why[LOG_EXCERPT_SIZE + 64];
	bool have_method = false;
	int err = 0;

	if (!l_dbus_message_iter_get_variant(value, "a{sv}", &dict))
		return dbus_error_invalid_args(msg, "IPv6.Configuration takes a dictionary (a{sv})");
	while (!err && l_dbus_message_iter_next_entry(&dict, &key, &entry)) {
		err = parse_ipv6_entry(key, &entry, &settings, why, sizeof(why));
		have_method |= !strcmp(key, "Method");
	}
	if (err == -ENOTSUP)
		return dbus_error(msg, "NotSupported", "%s", why);
	if (err < 0)
		return dbus_error_invalid_args(msg, "%s", why);
	if (!have_method)
		return dbus_error_invalid_args(msg, "IPv6.Configuration: Method is missing");
	if (settings.method != IPV6_METHOD_MANUAL) {
		memset(&settings.address, 0, sizeof(settings.address));
		memset(&settings.gateway, 0, sizeof(settings.gateway));
		settings.prefix_len = 0;
	} else if (ipv6_settings_validate(&settings, why, sizeof(why)) < 0) {
		return dbus_error_invalid_args(msg, "IPv6.Configuration: %s", why);
	}
	err = service_set_ipv6_config(svc, &settings);
	return err < 0 ? dbus_error_errno(msg, err) : l_dbus_message_new_method_return(msg);
}

static struct l_dbus_message *set_strv_property(struct l_dbus_message *msg, struct service *svc,
						const char *name, struct l_dbus_message_iter *value,
						bool (*valid)(const char *),
						int (*apply)(struct service *, char **))
{
	const char *bad = NULL;
	char **strv = NULL, text[LOG_EXCERPT_SIZE];
	int err;

	if (dbus_parse_strv(value, valid, &strv, &bad) < 0)
		return bad ? dbus_error_invalid_args(msg, "%s: invalid entry '%s'", name,
						     log_excerpt(text, sizeof(text), bad)) :
			     dbus_error_invalid_args(msg, "%s takes an array of strings", name);
	err = apply(svc, strv);
	l_strv_free(strv);
	return err < 0 ? dbus_error_errno(msg, err) : l_dbus_message_new_method_return(msg);
}

/* Servers or Excludes of Proxy.Configuration into *list. */
static int parse_proxy_list(const char *key, struct l_dbus_message_iter *value, char ***list,
			    char *why, size_t why_len)
{
	const char *bad = NULL;

	l_strv_free(*list);
	*list = NULL;
	if (dbus_parse_strv(value, proxy_entry_valid, list, &bad) == 0)
		return 0;
	snprintf(why, why_len, bad ? "Proxy.Configuration: an entry of %s is not 1 to 255 "
		 "printable characters without spaces or ';'" :
		 "Proxy.Configuration: %s must be an array of strings", key);
	return -EINVAL;
}

/* One entry of Proxy.Configuration's dict into `c`; a reason on failure. */
static int parse_proxy_entry(const char *key, struct l_dbus_message_iter *value,
			     struct proxy_config *c, char *why, size_t why_len)
{
	const char *text;

	if (!strcmp(key, "Servers"))
		return parse_proxy_list(key, value, &c->servers, why, why_len);
	if (!strcmp(key, "Excludes"))
		return parse_proxy_list(key, value, &c->excludes, why, why_len);
	if (strcmp(key, "Method") && strcmp(key, "URL"))
		return 0;	/* ConnMan ignores keys it does not know */
	if (!l_dbus_message_iter_get_variant(value, "s", &text)) {
		snprintf(why, why_len, "Proxy.Configuration: %s must be a string", key);
		return -EINVAL;
	}
	if (!strcmp(key, "URL")) {
		l_free(c->url);
		c->url = l_strdup(text);
		return 0;
	}
	if (proxy_method_parse(text, &c->method) < 0) {
		snprintf(why, why_len,
			 "Proxy.Configuration: Method must be direct, manual or auto");
		return -EINVAL;
	}
	return 0;
}

/* Proxy.Configuration: Method is required; the rest as the method needs. */
static struct l_dbus_message *set_proxy_config(struct l_dbus_message *msg, struct service *svc,
					       struct l_dbus_message_iter *value)
{
	struct proxy_config c = { .method = PROXY_METHOD_NONE };
	struct l_dbus_message_iter dict, entry;
	const char *key;
	char why[160];
	int err = 0;

	if (!l_dbus_message_iter_get_variant(value, "a{sv}", &dict))
		return dbus_error_invalid_args(msg,
					       "Proxy.Configuration takes a dictionary (a{sv})");
	while (!err && l_dbus_message_iter_next_entry(&dict, &key, &entry))
		err = parse_proxy_entry(key, &entry, &c, why, sizeof(why));
	if (!err && c.method == PROXY_METHOD_NONE) {
		snprintf(why, sizeof(why), "Proxy.Configuration: Method is missing");
		err = -EINVAL;
	}
	if (!err) {
		proxy_config_normalize(&c);
		err = proxy_config_validate(&c, why, sizeof(why));
	}
	if (!err)
		err = service_set_proxy_config(svc, &c);
	proxy_config_clear(&c);
	if (err == -EINVAL)
		return dbus_error_invalid_args(msg, "%s", why);
	return err < 0 ? dbus_error_errno(msg, err) : l_dbus_message_new_method_return(msg);
}

static struct l_dbus_message *set_property(struct l_dbus *dbus, struct l_dbus_message *msg,
					   void *user_data)
{
	struct l_dbus_message *denied;
	struct service *svc = user_data;
	struct l_dbus_message_iter value;
	const char *name;
	bool flag;

	if (!manager_dbus_may_configure(dbus, msg, SERVICE_INTERFACE, set_property, &denied))
		return denied;

	if (!l_dbus_message_get_arguments(msg, "sv", &name, &value))
		return dbus_error_invalid_args(msg, "Expected a property name and a variant value");
	if (service_immutable(svc) && (!strcmp(name, "AutoConnect") ||
				       strstr(name, ".Configuration")))
		return dbus_error(msg, "PermissionDenied",
				  "%s is configured by a provisioning file", service_id(svc));
	if (!strcmp(name, "AutoConnect")) {
		if (!l_dbus_message_iter_get_variant(&value, "b", &flag))
			return dbus_error_invalid_args(msg, "AutoConnect takes a boolean");
		if (!service_favorite(svc))
			return dbus_error(msg, "InvalidService",
					  "%s is not a favorite: connect it first", service_id(svc));
		service_set_autoconnect(svc, flag);
		return l_dbus_message_new_method_return(msg);
	}
	if (!strcmp(name, "IPv4.Configuration"))
		return set_ipv4_config(msg, svc, &value);
	if (!strcmp(name, "IPv6.Configuration"))
		return set_ipv6_config(msg, svc, &value);
	if (!strcmp(name, "Nameservers.Configuration"))
		return set_strv_property(msg, svc, name, &value, name_is_ip_address,
					 service_set_nameservers_config);
	if (!strcmp(name, "Timeservers.Configuration"))
		return set_strv_property(msg, svc, name, &value, name_is_timeserver,
					 service_set_timeservers_config);
	if (!strcmp(name, "Domains.Configuration"))
		return set_strv_property(msg, svc, name, &value, name_is_domain,
					 service_set_domains_config);
	if (!strcmp(name, "Proxy.Configuration"))
		return set_proxy_config(msg, svc, &value);
	if (!strcmp(name, "mDNS.Configuration"))
		return dbus_error(msg, "NotSupported", "%s is not supported by connd yet", name);
	return dbus_error_invalid_property(msg, name);
}

static struct l_dbus_message *clear_property(struct l_dbus *dbus, struct l_dbus_message *msg,
					     void *user_data)
{
	struct l_dbus_message *denied;
	const char *name;

	if (!manager_dbus_may_configure(dbus, msg, SERVICE_INTERFACE, clear_property, &denied))
		return denied;

	if (!l_dbus_message_get_arguments(msg, "s", &name))
		return dbus_error_invalid_args(msg, "Expected a property name");
	if (strcmp(name, "Error"))
		return dbus_error_invalid_property(msg, name);
	service_clear_error(user_data);
	return l_dbus_message_new_method_return(msg);
}

struct pending_connect {
	struct l_dbus *dbus;
	struct l_dbus_message *msg;
};

/* Connect answers when the service is ready or the attempt failed. */
static void connect_done(struct service *svc, int result, void *data)
{
	struct pending_connect *pending = data;
	struct l_dbus_message *reply;

	if (result == 0)
		reply = l_dbus_message_new_method_return(pending->msg);
	else if (result == -EIO)
		reply = dbus_error(pending->msg, "Failed", "Connection failed: %s",
				   service_error(svc) ? service_error(svc) : "connect-failed");
	else if (result == -ENXIO)
		reply = dbus_error(pending->msg, "NotFound", "Connection failed: %s: no such network",
				   service_error(svc) ? service_error(svc) : "connect-failed");
	else
		reply = dbus_error_errno(pending->msg, result);
	l_dbus_send(pending->dbus, reply);
	l_dbus_message_unref(pending->msg);
	l_free(pending);
}

static struct l_dbus_message *connect_service(struct l_dbus *dbus, struct l_dbus_message *msg,
					      void *user_data)
{
	struct l_dbus_message *denied;
	struct pending_connect *pending;
	int err;

	if (!manager_dbus_may_configure(dbus, msg, SERVICE_INTERFACE, connect_service, &denied))
		return denied;

	pending = l_new(struct pending_connect, 1);
	pending->dbus = dbus;
	pending->msg = l_dbus_message_ref(msg);
	err = service_connect_by_user(user_data, l_dbus_message_get_sender(msg), connect_done,
				      pending);
	if (err < 0) {
		l_dbus_message_unref(msg);
		l_free(pending);
		return dbus_error_errno(msg, err);
	}
	return NULL;
}

static struct l_dbus_message *disconnect_service(struct l_dbus *dbus, struct l_dbus_message *msg,
						 void *user_data)
{
	struct l_dbus_message *denied;
	int err;

	if (!manager_dbus_may_configure(dbus, msg, SERVICE_INTERFACE, disconnect_service, &denied))
		return denied;

	err = service_disconnect(user_data);
	return err < 0 ? dbus_error_errno(msg, err) : l_dbus_message_new_method_return(msg);
}

static struct l_dbus_message *remove_service(struct l_dbus *dbus, struct l_dbus_message *msg,
					     void *user_data)
{
	struct l_dbus_message *denied;
	int err;

	if (!manager_dbus_may_configure(dbus, msg, SERVICE_INTERFACE, remove_service, &denied))
		return denied;

	err = service_remove(user_data);
	if (err == -EOPNOTSUPP)
		return dbus_error(msg, "NotSupported", "A %s service cannot be removed",
				  service_type(user_data));
	if (err == -EPERM)
		return dbus_error(msg, "NotSupported", "%s is configured by a provisioning file",
				  service_id(user_data));
	return err < 0 ? dbus_error_errno(msg, err) : l_dbus_message_new_method_return(msg);
}

static struct l_dbus_message *move_service(struct l_dbus_message *msg, struct service *svc,
					   bool before)
{
	const char *path;
	int err;

	if (!l_dbus_message_get_arguments(msg, "o", &path))
		return dbus_error_invalid_args(msg, "Expected a service path");
	err = service_move(svc, path, before);
	if (err == -EOPNOTSUPP)
		return dbus_error(msg, "NotSupported", "%s is not a favorite", service_id(svc));
	if (err == -ENOENT || err == -EINVAL)
		return dbus_error(msg, "InvalidService", "%s cannot be moved %s %s", service_id(svc),
				  before ? "before" : "after", path);
	return err < 0 ? dbus_error_errno(msg, err) : l_dbus_message_new_method_return(msg);
}

static struct l_dbus_message *move_before(struct l_dbus *dbus, struct l_dbus_message *msg,
					  void *user_data)
{
	struct l_dbus_message *denied;

	if (!manager_dbus_may_configure(dbus, msg, SERVICE_INTERFACE, move_before, &denied))
		return denied;

	return move_service(msg, user_data, true);
}

static struct l_dbus_message *move_after(struct l_dbus *dbus, struct l_dbus_message *msg,
					 void *user_data)
{
	struct l_dbus_message *denied;

	if (!manager_dbus_may_configure(dbus, msg, SERVICE_INTERFACE, move_after, &denied))
		return denied;

	return move_service(msg, user_data, false);
}

static struct l_dbus_message *reset_counters(struct l_dbus *dbus, struct l_dbus_message *msg,
					     void *user_data)
{
	struct l_dbus_message *denied;

	if (!manager_dbus_may_configure(dbus, msg, SERVICE_INTERFACE, reset_counters, &denied))
		return denied;

	return l_dbus_message_new_method_return(msg);
}

static void setup_service_interface(struct l_dbus_interface *iface)
{
	l_dbus_interface_method(iface, "GetProperties", 0, get_properties, "a{sv}", "",
				"properties");
	l_dbus_interface_method(iface, "SetProperty", 0, set_property, "", "sv", "name", "value");
	l_dbus_interface_method(iface, "ClearProperty", 0, clear_property, "", "s", "name");
	l_dbus_interface_method(iface, "Connect", L_DBUS_METHOD_FLAG_ASYNC, connect_service, "", "");
	l_dbus_interface_method(iface, "Disconnect", 0, disconnect_service, "", "");
	l_dbus_interface_method(iface, "Remove", 0, remove_service, "", "");
	l_dbus_interface_method(iface, "MoveBefore", 0, move_before, "", "o", "service");
	l_dbus_interface_method(iface, "MoveAfter", 0, move_after, "", "o", "service");
	l_dbus_interface_method(iface, "ResetCounters", 0, reset_counters, "", "");
	l_dbus_interface_signal(iface, "PropertyChanged", 0, "sv", "name", "value");
}

void service_dbus_register_interface(struct l_dbus *dbus)
{
	l_dbus_register_interface(dbus, SERVICE_INTERFACE, setup_service_interface, NULL, false);
}

void service_dbus_add(struct l_dbus *dbus, struct service *svc)
{
	if (dbus)
		l_dbus_object_add_interface(dbus, service_path(svc), SERVICE_INTERFACE, svc);
}

void service_dbus_remove(struct l_dbus *dbus, struct service *svc)
{
	if (dbus)
		l_dbus_unregister_object(dbus, service_path(svc));
}
