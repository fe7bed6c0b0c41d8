/* Saved service settings: round trips, and bad values reported and ignored. */
#include <errno.h>
#include <string.h>
#include <ell/ell.h>

#include "check.h"
#include "ipv6-link.h"
#include "service-settings.h"

#define ID "ethernet_0a0b0c0d0e0f_cable"

static int warnings;

static void count_warning(const char *key, const char *why, void *data)
{
	warnings++;
}

static struct l_settings *from_text(const char *text)
{
	struct l_settings *s = l_settings_new();

	CHECK(l_settings_load_from_data(s, text, strlen(text)));
	return s;
}

static void test_defaults(void)
{
	struct service_saved saved;

	warnings = 0;
	service_settings_parse(NULL, ID, &saved, count_warning, NULL);
	CHECK(saved.autoconnect);
	CHECK_INT(saved.ipv4.method, IPV4_METHOD_DHCP);
	CHECK(!saved.nameservers && !saved.last_dhcp_address);
	CHECK_INT(warnings, 0);
	service_saved_clear(&saved);
}

static void test_round_trip(void)
{
	struct service_saved in = { .autoconnect = false, .favorite = true }, out;
	struct l_settings *s;
	char name[] = "Wired", *text;
	bool favorite = false;
	char *servers[] = { "192.0.2.53", "2001:db8::53", NULL };
	char *domains[] = { "example.org", NULL };
	/* Timeservers of every form that Timeservers.Configuration takes. */
	char *timeservers[] = { "ntp.example.org", "2001:db8::123", "fe80::1%eth0", NULL };

	in.ipv4.method = IPV4_METHOD_MANUAL;
	ipv4_parse_address("192.0.2.10", &in.ipv4.address);
	in.ipv4.prefix_len = 24;
	ipv4_parse_address("192.0.2.1", &in.ipv4.gateway);
	in.nameservers = servers;
	in.domains = domains;
	in.timeservers = timeservers;
	in.name = name;
	s = service_settings_build(ID, &in);
	/* For people reading the file, as ConnMan writes them. */
	text = l_settings_get_string(s, ID, "Name");
	CHECK_STR(text, "Wired");
	l_free(text);
	CHECK(l_settings_get_bool(s, ID, "Favorite", &favorite) && favorite);
	warnings = 0;
	service_settings_parse(s, ID, &out, count_warning, NULL);
	CHECK_INT(warnings, 0);
	CHECK(!out.autoconnect);
	CHECK_INT(out.ipv4.method, IPV4_METHOD_MANUAL);
	CHECK_INT(out.ipv4.address, in.ipv4.address);
	CHECK_INT(out.ipv4.prefix_len, 24);
	CHECK_INT(out.ipv4.gateway, in.ipv4.gateway);
	CHECK(out.nameservers && l_strv_length(out.nameservers) == 2);
	CHECK_STR(out.nameservers[1], "2001:db8::53");
	CHECK_STR(out.domains[0], "example.org");
	CHECK(out.timeservers && l_strv_eq(out.timeservers, timeservers));
	service_saved_clear(&out);
	l_settings_free(s);
}

static void test_dhcp_last_address(void)
{
	struct l_settings *s = from_text("[" ID "]\nIPv4.method=dhcp\nIPv4.DHCP.LastAddress=10.1.2.3\n");
	struct service_saved saved;
	uint32_t expect;

	ipv4_parse_address("10.1.2.3", &expect);
	service_settings_parse(s, ID, &saved, count_warning, NULL);
	CHECK_INT(saved.last_dhcp_address, expect);
	service_saved_clear(&saved);
	l_settings_free(s);
}

static void test_bad_values_ignored(void)
{
	struct l_settings *s = from_text(
		"[" ID "]\n"
		"AutoConnect=maybe\n"
		"IPv4.method=manual\n"
		"IPv4.local_address=10.0.0.300\n"
		"IPv4.netmask_prefixlen=24\n"
		"IPv4.DHCP.LastAddress=nope\n"
		"Nameservers=192.0.2.1;bogus;\n"
		"Domains=ok.example;bad domain;\n");
	struct service_saved saved;

	warnings = 0;
	service_settings_parse(s, ID, &saved, count_warning, NULL);
	CHECK(saved.autoconnect);
	CHECK_INT(saved.ipv4.method, IPV4_METHOD_DHCP);
	CHECK_INT(saved.last_dhcp_address, 0);
	CHECK(saved.nameservers && l_strv_length(saved.nameservers) == 1);
	CHECK(saved.domains && l_strv_length(saved.domains) == 1);
	CHECK_INT(warnings, 5);
	service_saved_clear(&saved);
	l_settings_free(s);
}

static void test_ipv6(void)
{
	struct service_saved in = { .autoconnect = true }, out;
	struct l_settings *s;
	char *text;

	in.ipv6.method = IPV6_METHOD_OFF;
	in.ipv6.privacy = IPV6_PRIVACY_PREFERRED;
	s = service_settings_build(ID, &in);
	text = l_settings_get_string(s, ID, "IPv6.privacy");
	CHECK_STR(text, "prefered");	/* ConnMan's spelling */
	l_free(text);
	warnings = 0;
	service_settings_parse(s, ID, &out, count_warning, NULL);
	CHECK_INT(warnings, 0);
	CHECK_INT(out.ipv6.method, IPV6_METHOD_OFF);
	CHECK_INT(out.ipv6.privacy, IPV6_PRIVACY_PREFERRED);
	service_saved_clear(&out);
	l_settings_free(s);

	s = from_text("[" ID "]\nIPv6.method=manual\nIPv6.privacy=always\n");
	warnings = 0;
	service_settings_parse(s, ID, &out, count_warning, NULL);
	CHECK_INT(warnings, 2);
	CHECK_INT(out.ipv6.method, IPV6_METHOD_AUTO);
	CHECK_INT(out.ipv6.privacy, IPV6_PRIVACY_DISABLED);
	service_saved_clear(&out);
	l_settings_free(s);
}

static void test_ipv6_names(void)
{
	enum ipv6_method method = IPV6_METHOD_AUTO;
	enum ipv6_privacy privacy = IPV6_PRIVACY_DISABLED;

	CHECK_INT(ipv6_method_parse("off", &method), 0);
	CHECK_INT(method, IPV6_METHOD_OFF);
	CHECK_INT(ipv6_method_parse("6to4", &method), -ENOTSUP);
	CHECK_INT(ipv6_method_parse("dhcp", &method), -ENOTSUP);
	CHECK_INT(ipv6_method_parse("Auto", &method), -EINVAL);
	CHECK_INT(method, IPV6_METHOD_OFF);	/* unchanged by a refusal */
	CHECK_INT(ipv6_method_parse("manual", &method), 0);
	CHECK_INT(method, IPV6_METHOD_MANUAL);
	CHECK_STR(ipv6_method_name(IPV6_METHOD_MANUAL), "manual");
	CHECK_INT(ipv6_privacy_parse("preferred", &privacy), 0);
	CHECK_INT(privacy, IPV6_PRIVACY_PREFERRED);
	CHECK_INT(ipv6_privacy_parse("enabled", &privacy), 0);
	CHECK_INT(privacy, IPV6_PRIVACY_ENABLED);
	CHECK_INT(ipv6_privacy_parse("", &privacy), -EINVAL);
	CHECK_STR(ipv6_method_name(IPV6_METHOD_AUTO), "auto");
	CHECK_STR(ipv6_privacy_name(IPV6_PRIVACY_DISABLED), "disabled");
}

static struct ipv6_settings manual6(const char *address, uint8_t prefix_len, const char *gateway)
{
	struct ipv6_settings v = { .method = IPV6_METHOD_MANUAL, .prefix_len = prefix_len };

	CHECK_INT(ipv6_parse_address(address, &v.address), 0);
	if (gateway)
		CHECK_INT(ipv6_parse_address(gateway, &v.gateway), 0);
	return v;
}

static int validate6(const char *address, uint8_t prefix_len, const char *gateway)
{
	struct ipv6_settings v = manual6(address, prefix_len, gateway);
	char why[128] = "";
	int err = ipv6_settings_validate(&v, why, sizeof(why));

	CHECK(err == 0 || why[0]);	/* a refusal says why */
	return err;
}

static void test_ipv6_manual_validation(void)
{
	struct in6_addr a;

	CHECK_INT(validate6("2001:db8::5", 64, "2001:db8::1"), 0);
	CHECK_INT(validate6("2001:db8::5", 64, "fe80::1"), 0);
	CHECK_INT(validate6("2001:db8::5", 64, NULL), 0);
	CHECK_INT(validate6("2001:db8::5", 128, "fe80::1"), 0);
	CHECK_INT(validate6("fd00::5", 8, "fd01::1"), 0);	/* inside a /8 */
	CHECK_INT(validate6("2001:db8::5", 0, "fe80::1"), -EINVAL);
	CHECK_INT(validate6("2001:db8::5", 129, "fe80::1"), -EINVAL);
	CHECK_INT(validate6("::", 64, NULL), -EINVAL);
	CHECK_INT(validate6("::1", 64, NULL), -EINVAL);
	CHECK_INT(validate6("ff02::1", 64, NULL), -EINVAL);
	CHECK_INT(validate6("fe80::5", 64, "fe80::1"), -EINVAL);	/* the kernel's own kind */
	CHECK_INT(validate6("::ffff:10.0.0.1", 96, NULL), -EINVAL);
	CHECK_INT(validate6("2001:db8::5", 64, "2001:db8::5"), -EINVAL);	/* itself */
	CHECK_INT(validate6("2001:db8::5", 64, "2001:db9::1"), -EINVAL);	/* off the prefix */
	CHECK_INT(validate6("2001:db8::5", 63, "2001:db8:0:1::1"), 0);
	CHECK_INT(validate6("2001:db8::5", 64, "2001:db8:0:1::1"), -EINVAL);
	CHECK_INT(validate6("2001:db8::5", 64, "ff02::2"), -EINVAL);
	CHECK_INT(validate6("2001:db8::5", 128, "2001:db8::1"), -EINVAL);
	CHECK(ipv6_parse_address("2001:db8::g", &a) < 0);
	CHECK(ipv6_parse_address("10.0.0.1", &a) < 0);
	CHECK(ipv6_parse_address(NULL, &a) < 0);
}

/* Manual IPv6 under ConnMan's keys, and a bad one leaving auto. */
static void test_ipv6_manual_saved(void)
{
	struct service_saved in = { .autoconnect = true }, out;
	struct l_settings *s;
	char *text;

	in.ipv6 = manual6("2001:db8:7::9", 64, "fe80::1");
	s = service_settings_build(ID, &in);
	text = l_settings_get_string(s, ID, "IPv6.local_address");
	CHECK_STR(text, "2001:db8:7::9");
	l_free(text);
	warnings = 0;
	service_settings_parse(s, ID, &out, count_warning, NULL);
	CHECK_INT(warnings, 0);
	CHECK_INT(out.ipv6.method, IPV6_METHOD_MANUAL);
	CHECK(!memcmp(&out.ipv6.address, &in.ipv6.address, 16));
	CHECK_INT(out.ipv6.prefix_len, 64);
	CHECK(!memcmp(&out.ipv6.gateway, &in.ipv6.gateway, 16));
	service_saved_clear(&out);
	l_settings_free(s);

	s = from_text("[" ID "]\nIPv6.method=manual\nIPv6.local_address=2001:db8::9\n"
		      "IPv6.netmask_prefixlen=64\nIPv6.gateway=2001:db9::1\n");
	warnings = 0;
	service_settings_parse(s, ID, &out, count_warning, NULL);
	CHECK_INT(warnings, 1);
	CHECK_INT(out.ipv6.method, IPV6_METHOD_AUTO);
	CHECK(IN6_IS_ADDR_UNSPECIFIED(&out.ipv6.address));
	service_saved_clear(&out);
	l_settings_free(s);
}

static void test_other_group_ignored(void)
{
	struct l_settings *s = from_text("[ethernet_ffffffffffff_cable]\nAutoConnect=false\n");
	struct service_saved saved;

	service_settings_parse(s, ID, &saved, count_warning, NULL);
	CHECK(saved.autoconnect);
	service_saved_clear(&saved);
	l_settings_free(s);
}

/* A link's sysctls before connd, as kept in the state directory: only small
 * integers come back from the file to be written into /proc/sys. */
static void test_ipv6_link_saved(void)
{
	struct ipv6_link_saved saved = { { "0", "1", "0", "2" }, true }, back = { 0 };
	struct l_settings *s = l_settings_new();

	ipv6_link_saved_to_settings(&saved, s, "IPv6Before");
	CHECK_INT(ipv6_link_saved_from_settings(&back, s, "IPv6Before"), 0);
	CHECK(back.valid);
	for (int i = 0; i < 4; i++)
		CHECK_STR(back.values[i], saved.values[i]);
	l_settings_set_string(s, "IPv6Before", "accept_ra", "-1");
	CHECK_INT(ipv6_link_saved_from_settings(&back, s, "IPv6Before"), 0);
	CHECK_STR(back.values[1], "-1");
	l_settings_set_string(s, "IPv6Before", "accept_ra", "1 2");
	CHECK_INT(ipv6_link_saved_from_settings(&back, s, "IPv6Before"), -EINVAL);
	CHECK_STR(back.values[1], "-1");	/* untouched */
	l_settings_set_string(s, "IPv6Before", "accept_ra", "");
	CHECK_INT(ipv6_link_saved_from_settings(&back, s, "IPv6Before"), -EINVAL);
	l_settings_set_string(s, "IPv6Before", "accept_ra", "12345");
	CHECK_INT(ipv6_link_saved_from_settings(&back, s, "IPv6Before"), -EINVAL);
	l_settings_remove_key(s, "IPv6Before", "accept_ra");
	CHECK_INT(ipv6_link_saved_from_settings(&back, s, "IPv6Before"), -EINVAL);
	l_settings_free(s);
}

static void test_proxy(void)
{
	char *servers[] = { "proxy.example:3128", "https://p2.example:8443", NULL };
	char *excludes[] = { "localhost", "*.corp.example", NULL };
	struct service_saved in = { 0 }, out;
	struct l_settings *s;
	char *text;

	/* Nothing configured: no key written, nothing read back. */
	s = service_settings_build(ID, &in);
	CHECK(!l_settings_has_key(s, ID, "Proxy.Method"));
	service_settings_parse(s, ID, &out, count_warning, NULL);
	CHECK_INT(out.proxy.method, PROXY_METHOD_NONE);
	service_saved_clear(&out);
	l_settings_free(s);

	in.proxy = (struct proxy_config){ .method = PROXY_METHOD_MANUAL, .servers = servers,
					  .excludes = excludes };
	s = service_settings_build(ID, &in);
	text = l_settings_get_string(s, ID, "Proxy.Servers");
	CHECK_STR(text, "proxy.example:3128;https://p2.example:8443");
	l_free(text);
	warnings = 0;
	service_settings_parse(s, ID, &out, count_warning, NULL);
	CHECK_INT(warnings, 0);
	CHECK(proxy_config_equal(&in.proxy, &out.proxy));
	service_saved_clear(&out);
	l_settings_free(s);

	in.proxy = (struct proxy_config){ .method = PROXY_METHOD_AUTO,
					  .url = "http://pac.example/p.pac" };
	s = service_settings_build(ID, &in);
	service_settings_parse(s, ID, &out, count_warning, NULL);
	CHECK(proxy_config_equal(&in.proxy, &out.proxy));
	service_saved_clear(&out);
	l_settings_free(s);
}

static void test_proxy_bad(void)
{
	static const char *const bad[] = {
		"Proxy.Method=socks\n",
		"Proxy.Method=manual\n",
		"Proxy.Method=manual\nProxy.Servers=;\n",
		"Proxy.Method=manual\nProxy.Servers=p:1;p 2;\n",
		"Proxy.Method=manual\nProxy.Servers=p:1;\nProxy.Excludes=a b;\n",
		"Proxy.Method=auto\nProxy.URL=wpad.dat\n",
	};
	struct service_saved saved;

	for (size_t i = 0; i < L_ARRAY_SIZE(bad); i++) {
		char *text = l_strdup_printf("[" ID "]\nIPv4.method=dhcp\n%s", bad[i]);
		struct l_settings *s = from_text(text);

		warnings = 0;
		service_settings_parse(s, ID, &saved, count_warning, NULL);
		CHECK_INT(warnings, 1);
		CHECK_INT(saved.proxy.method, PROXY_METHOD_NONE);
		CHECK(!saved.proxy.servers && !saved.proxy.url);
		service_saved_clear(&saved);
		l_settings_free(s);
		l_free(text);
	}
}

int main(void)
{
	test_defaults();
	test_round_trip();
	test_dhcp_last_address();
	test_bad_values_ignored();
	test_other_group_ignored();
	test_proxy();
	test_proxy_bad();
	test_ipv6();
	test_ipv6_names();
	test_ipv6_manual_validation();
	test_ipv6_manual_saved();
	test_ipv6_link_saved();
	CHECK_DONE();
}
