/* VPN provisioning files in ConnMan's format: what is taken, what is
 * refused (the whole group, with file and line), and what vpn_create gets. */
#include <string.h>
#include <arpa/inet.h>
#include <ell/ell.h>

#include "check.h"
#include "vpn-config.h"

static int warnings;
static char all[4096];		/* every warning of the last parse, one a line */

static void warn(const char *file, unsigned int line, const char *why, void *data)
{
	char one[256];

	warnings++;
	snprintf(one, sizeof(one), "%s:%u: %s", file, line, why);
	if (strlen(all) + strlen(one) + 2 < sizeof(all))
		strcat(strcat(all, one), "\n");
}

static unsigned int parse(const char *text, struct vpn_config ***list)
{
	warnings = 0;
	all[0] = '\0';
	return vpn_config_parse("office.config", text, strlen(text), list, warn, NULL);
}

static void test_entries(void)
{
	struct vpn_config **list = NULL;
	struct vpn_request req;
	uint32_t net;

	CHECK_INT(parse("[global]\nName = Office\nDescription = the office's VPNs\n\n"
			"[provider_office]\nType = OpenVPN\nName = Office\nHost = 192.0.2.1\n"
			"Domain = office.lab\n"
			"Networks = 10.1.2.3/255.255.0.0/10.0.0.1, 10.9.0.0/24 ,fd00:1::5/64\n"
			"OpenVPN.CACert = /etc/ca.crt\nOpenVPN.Port = 1194\n\n"
			"[provider_lab]\nType = openvpn\nName = Lab\nHost = vpn.lab.example\n"
			"Domain = lab.example\nSplitRouting = true\n", &list), 2);
	CHECK_INT(warnings, 0);
	CHECK_STR(list[0]->type, "openvpn");
	CHECK_STR(list[0]->group, "provider_office");
	CHECK_STR(list[0]->file, "office.config");
	CHECK_STR(list[0]->host, "192.0.2.1");
	CHECK_STR(list[0]->domain, "office.lab");
	CHECK_INT(list[0]->n_networks, 3);
	memcpy(&net, list[0]->networks[0].network, 4);
	CHECK_INT(net, inet_addr("10.1.0.0"));		/* masked */
	CHECK_INT(list[0]->networks[0].prefix_len, 16);
	CHECK_INT(list[0]->networks[1].prefix_len, 24);
	CHECK(list[0]->networks[0].has_gateway);
	memcpy(&net, list[0]->networks[0].gateway, 4);
	CHECK_INT(net, inet_addr("10.0.0.1"));
	CHECK(!list[0]->networks[1].has_gateway);
	CHECK_INT(list[0]->networks[2].family, AF_INET6);
	CHECK_INT(list[0]->networks[2].network[15], 0);	/* masked */
	CHECK_STR(list[0]->keys[0], "OpenVPN.CACert");
	CHECK_STR(list[0]->keys[3], "1194");
	CHECK(!list[0]->split_routing);
	CHECK(list[1]->split_routing);
	CHECK_INT(list[1]->n_networks, 0);

	vpn_config_request(list[0], &req);
	CHECK(req.immutable);
	CHECK_STR(req.type, "openvpn");
	CHECK_INT(req.n_user_routes, 3);
	CHECK(!vpn_config_equal(list[0], list[1]));
	CHECK(vpn_config_equal(list[0], list[0]));
	vpn_config_list_free(list);
}

static void test_changed(void)
{
	struct vpn_config **a = NULL, **b = NULL;
	const char *base = "[provider_x]\nType = openvpn\nName = X\nHost = 192.0.2.1\n"
			   "Domain = x.lab\nOpenVPN.Port = 1194\n";
	char *other = l_strdup_printf("%s%s", base, "OpenVPN.Proto = tcp\n");

	parse(base, &a);
	parse(base, &a);
	parse(other, &b);
	CHECK(vpn_config_equal(a[0], a[1]));
	CHECK(!vpn_config_equal(a[0], b[0]));
	vpn_config_list_free(a);
	vpn_config_list_free(b);
	l_free(other);
}

static void test_refused(void)
{
	static const struct {
		const char *text, *warning;
	} bad[] = {
		{ "[provider_a]\nName = A\nHost = 192.0.2.1\nDomain = a.lab\n",
		  "office.config:1: [provider_a]: no Type; ignored" },
		{ "[provider_a]\nType = openvpn\nHost = 192.0.2.1\nDomain = a.lab\n", "no Name" },
		{ "[provider_a]\nType = openvpn\nName = A\nDomain = a.lab\n", "no Host" },
		{ "[provider_a]\nType = openvpn\nName = A\nHost = 192.0.2.1\n", "no Domain" },
		{ "[provider_a]\nType = openvpn\nName = A\nHost = a b\nDomain = a.lab\n",
		  "office.config:4: Host 'a b' is not valid" },
		{ "[provider_a]\nType = openvpn\nName = A\nHost = h\nDomain = a.lab\n"
		  "Networks = 10.0.0.0/33\n", "office.config:6: Networks: '10.0.0.0/33'" },
		{ "[provider_a]\nType = openvpn\nName = A\nHost = h\nDomain = a.lab\n"
		  "Networks = fd00::/64/fd00::1\n", "Networks: 'fd00::/64/fd00::1'" },
		{ "[provider_a]\nType = openvpn\nName = A\nHost = h\nDomain = a.lab\n"
		  "Networks = 10.0.0.0/8/gw\n", "Networks: '10.0.0.0/8/gw'" },
		{ "[provider_a]\nType = openvpn\nName = A\nHost = h\nDomain = a.lab\n"
		  "SplitRouting = maybe\n", "SplitRouting must be true or false" },
		{ "[provider_a]\nType =\nName = A\nHost = h\nDomain = a.lab\n",
		  "Type '' is not valid" },
		{ "[provider_a]\nType = openvpn\nName = A\nHost = h\nDomain = a..lab\n",
		  "Domain 'a..lab' is not valid" },
		{ "[provider_a\nType = openvpn\n", "office.config:1:" },
	};

	for (size_t i = 0; i < L_ARRAY_SIZE(bad); i++) {
		struct vpn_config **list = NULL;

		CHECK_INT(parse(bad[i].text, &list), 0);
		CHECK(list == NULL || list[0] == NULL);
		if (!strstr(all, bad[i].warning))
			fprintf(stderr, "case %zu: warnings \"%s\", expected \"%s\"\n", i, all,
				bad[i].warning);
		CHECK(strstr(all, bad[i].warning) != NULL);
		vpn_config_list_free(list);
	}
}

/* A bad group leaves the good ones; an unknown plain key is only warned. */
static void test_partial(void)
{
	struct vpn_config **list = NULL;

	CHECK_INT(parse("[provider_bad]\nType = openvpn\nName = B\nHost = h\nDomain = b.lab\n"
			"Networks = x\n\n[provider_good]\nType = openvpn\nName = G\nHost = h\n"
			"Domain = g.lab\nColour = blue\n\n[other]\nKey = 1\n", &list), 1);
	CHECK_STR(list[0]->group, "provider_good");
	CHECK(strstr(all, "unknown key Colour") != NULL);
	vpn_config_list_free(list);
}

int main(void)
{
	test_entries();
	test_changed();
	test_refused();
	test_partial();
	CHECK_DONE();
}
