/* Proxy configuration checks and the choice of what is in force: src/proxy-config.c. */
#include <errno.h>
#include <string.h>
#include <ell/ell.h>

#include "check.h"
#include "proxy-config.h"

static void test_methods(void)
{
	enum proxy_method m = PROXY_METHOD_NONE;

	CHECK(proxy_method_parse("direct", &m) == 0 && m == PROXY_METHOD_DIRECT);
	CHECK(proxy_method_parse("manual", &m) == 0 && m == PROXY_METHOD_MANUAL);
	CHECK(proxy_method_parse("auto", &m) == 0 && m == PROXY_METHOD_AUTO);
	CHECK(proxy_method_parse("Direct", &m) == -EINVAL && m == PROXY_METHOD_AUTO);
	CHECK(proxy_method_parse("", &m) == -EINVAL);
	CHECK(proxy_method_parse(NULL, &m) == -EINVAL);
	CHECK(proxy_method_parse("unknown", &m) == -EINVAL);
	CHECK_STR(proxy_method_name(PROXY_METHOD_MANUAL), "manual");
	CHECK(proxy_method_name(PROXY_METHOD_NONE) == NULL);
}

static void test_urls(void)
{
	char big[PROXY_URL_MAX + 2];

	CHECK(proxy_url_valid("http://wpad.example.com/wpad.dat"));
	CHECK(proxy_url_valid("https://10.0.0.1:8443/proxy.pac"));
	CHECK(proxy_url_valid("HTTP://host"));
	CHECK(proxy_url_valid("http://[2001:db8::1]/p.pac"));
	CHECK(!proxy_url_valid(""));
	CHECK(!proxy_url_valid(NULL));
	CHECK(!proxy_url_valid("wpad.example.com/wpad.dat"));	/* no scheme */
	CHECK(!proxy_url_valid("ftp://host/p.pac"));
	CHECK(!proxy_url_valid("file:///etc/p.pac"));
	CHECK(!proxy_url_valid("http://"));
	CHECK(!proxy_url_valid("http:///p.pac"));
	CHECK(!proxy_url_valid("http://:80/p.pac"));
	CHECK(!proxy_url_valid("http://a b/"));
	CHECK(!proxy_url_valid("http://a\n/"));
	CHECK(!proxy_url_valid("http://\xc3\xa9/"));
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "http://", 7);
	CHECK(!proxy_url_valid(big));
	big[PROXY_URL_MAX] = '\0';
	CHECK(proxy_url_valid(big));
}

static void test_entries(void)
{
	char big[257];

	CHECK(proxy_entry_valid("proxy.example.com:3128"));
	CHECK(proxy_entry_valid("http://proxy:8080"));
	CHECK(proxy_entry_valid("*.example.com"));
	CHECK(proxy_entry_valid("10.0.0.0/8"));
	CHECK(!proxy_entry_valid(""));
	CHECK(!proxy_entry_valid("a b"));
	CHECK(!proxy_entry_valid("a;b"));
	CHECK(!proxy_entry_valid("a\tb"));
	memset(big, 'a', sizeof(big) - 1);
	big[256] = '\0';
	CHECK(!proxy_entry_valid(big));
	big[255] = '\0';
	CHECK(proxy_entry_valid(big));
}

static void test_normalize_validate(void)
{
	struct proxy_config c = { .method = PROXY_METHOD_MANUAL };
	char why[128];

	c.servers = l_strv_append(l_strv_append(NULL, ""), "p:3128");
	c.excludes = l_strv_append(NULL, "");
	c.url = l_strdup("http://x/");
	proxy_config_normalize(&c);
	CHECK(l_strv_length(c.servers) == 1 && !strcmp(c.servers[0], "p:3128"));
	CHECK(!c.excludes && !c.url);
	CHECK(proxy_config_validate(&c, why, sizeof(why)) == 0);

	c.excludes = l_strv_append(NULL, "bad entry");
	CHECK(proxy_config_validate(&c, why, sizeof(why)) == -EINVAL && strstr(why, "Excludes"));
	l_strv_free(c.servers);
	c.servers = l_strv_append(NULL, "x;y");
	CHECK(proxy_config_validate(&c, why, sizeof(why)) == -EINVAL && strstr(why, "Servers"));
	l_strv_free(c.servers);
	c.servers = l_strv_append(NULL, "");
	proxy_config_normalize(&c);
	CHECK(proxy_config_validate(&c, why, sizeof(why)) == -EINVAL && strstr(why, "server"));
	proxy_config_clear(&c);
	CHECK(c.method == PROXY_METHOD_NONE && !c.servers && !c.excludes && !c.url);

	/* auto: "" is no URL (discovery); a URL must be one. */
	c.method = PROXY_METHOD_AUTO;
	c.url = l_strdup("");
	c.servers = l_strv_append(NULL, "p:1");
	proxy_config_normalize(&c);
	CHECK(!c.url && !c.servers);
	CHECK(proxy_config_validate(&c, why, sizeof(why)) == 0);
	c.url = l_strdup("not a url");
	CHECK(proxy_config_validate(&c, why, sizeof(why)) == -EINVAL && strstr(why, "URL"));
	proxy_config_clear(&c);

	c.method = PROXY_METHOD_DIRECT;
	c.url = l_strdup("http://x/");
	proxy_config_normalize(&c);
	CHECK(!c.url && proxy_config_validate(&c, why, sizeof(why)) == 0);
	proxy_config_clear(&c);
}

static void test_copy_equal(void)
{
	struct proxy_config a = { .method = PROXY_METHOD_MANUAL }, b = { 0 };

	a.servers = l_strv_append(NULL, "p:1");
	a.excludes = l_strv_append(NULL, "localhost");
	proxy_config_copy(&b, &a);
	CHECK(proxy_config_equal(&a, &b));
	l_strv_free(b.excludes);
	b.excludes = NULL;
	CHECK(!proxy_config_equal(&a, &b));
	proxy_config_clear(&a);
	proxy_config_clear(&b);
	CHECK(proxy_config_equal(&a, &b));
}

static void test_in_force(void)
{
	struct proxy_config c = { 0 }, out = { 0 };

	/* Nothing configured: DHCP's PAC, then WPAD under the domain, then direct. */
	proxy_in_force(&c, "http://pac.isp.lab/p.pac", "isp.lab", &out);
	CHECK(out.method == PROXY_METHOD_AUTO);
	CHECK_STR(out.url, "http://pac.isp.lab/p.pac");
	proxy_in_force(&c, NULL, "isp.lab", &out);
	CHECK(out.method == PROXY_METHOD_AUTO);
	CHECK_STR(out.url, "http://wpad.isp.lab/wpad.dat");
	proxy_in_force(&c, "ftp://bad/", "isp.lab.", &out);	/* a bad PAC is none */
	CHECK_STR(out.url, "http://wpad.isp.lab/wpad.dat");
	proxy_in_force(&c, NULL, NULL, &out);
	CHECK(out.method == PROXY_METHOD_DIRECT && !out.url);
	proxy_in_force(&c, NULL, ".", &out);
	CHECK(out.method == PROXY_METHOD_DIRECT && !out.url);

	/* auto without a URL discovers the same way; with one it is that one. */
	c.method = PROXY_METHOD_AUTO;
	proxy_in_force(&c, NULL, "corp.example", &out);
	CHECK_STR(out.url, "http://wpad.corp.example/wpad.dat");
	c.url = l_strdup("https://conf.example/x.pac");
	proxy_in_force(&c, "http://pac.isp.lab/p.pac", "isp.lab", &out);
	CHECK(out.method == PROXY_METHOD_AUTO);
	CHECK_STR(out.url, "https://conf.example/x.pac");
	proxy_config_clear(&c);

	/* direct and manual are what they say, whatever DHCP offers. */
	c.method = PROXY_METHOD_DIRECT;
	proxy_in_force(&c, "http://pac.isp.lab/p.pac", "isp.lab", &out);
	CHECK(out.method == PROXY_METHOD_DIRECT && !out.url);
	c.method = PROXY_METHOD_MANUAL;
	c.servers = l_strv_append(NULL, "p:3128");
	proxy_in_force(&c, "http://pac.isp.lab/p.pac", "isp.lab", &out);
	CHECK(proxy_config_equal(&c, &out));
	proxy_config_clear(&c);
	proxy_config_clear(&out);
}

int main(void)
{
	test_methods();
	test_urls();
	test_entries();
	test_normalize_validate();
	test_copy_equal();
	test_in_force();
	CHECK_DONE();
}
