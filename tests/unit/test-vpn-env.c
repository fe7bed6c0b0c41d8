/* What openvpn's --up hook hands connd: the pushed configuration, read
 * strictly (the server chooses these values). */
#include <errno.h>
#include <arpa/inet.h>
#include <ell/ell.h>

#include "check.h"
#include "vpn-env.h"

static uint32_t ip4(const char *text)
{
	struct in_addr a;

	inet_pton(AF_INET, text, &a);
	return a.s_addr;
}

static void test_subnet_topology(void)
{
	char *vars[] = {
		"dev=cvpn1", "ifconfig_local=10.66.0.2", "ifconfig_netmask=255.255.255.0",
		"trusted_ip=192.0.2.1", "ifconfig_ipv6_local=fd66::1000",
		"ifconfig_ipv6_netbits=64", "route_network_1=10.67.0.0",
		"route_netmask_1=255.255.255.0", "route_gateway_1=10.66.0.1",
		"route_network_2=10.68.1.7", "route_netmask_2=255.255.0.0",
		"route_gateway_2=not-an-address", "route_ipv6_network_1=2001:db8:1::5/48",
		"route_ipv6_gateway_1=fd66::1",
		"foreign_option_1=dhcp-option DNS 10.66.0.1",
		"foreign_option_2=dhcp-option DOMAIN vpn.lab",
		"foreign_option_3=dhcp-option DNS6 fd66::1",
		"foreign_option_4=dhcp-option DNS 10.66.0.1",
	};
	struct vpn_env env;
	char text[INET6_ADDRSTRLEN];

	CHECK_INT(vpn_env_parse(vars, L_ARRAY_SIZE(vars), &env), 0);
	CHECK_STR(env.dev, "cvpn1");
	CHECK(env.address == ip4("10.66.0.2"));
	CHECK_INT(env.prefix_len, 24);
	CHECK(env.server == ip4("192.0.2.1"));
	CHECK_INT(env.prefix_len6, 64);
	CHECK_STR(inet_ntop(AF_INET6, &env.address6, text, sizeof(text)), "fd66::1000");
	CHECK_INT(env.n_routes, 2);
	CHECK(env.routes[1].network == ip4("10.68.0.0"));	/* masked */
	CHECK_INT(env.routes[1].prefix_len, 16);
	CHECK(env.routes[0].gateway == ip4("10.66.0.1"));
	CHECK(env.routes[1].gateway == 0);	/* malformed: none, the route kept */
	CHECK_INT(env.n_routes6, 1);
	CHECK_STR(inet_ntop(AF_INET6, &env.routes6[0].network, text, sizeof(text)), "2001:db8:1::");
	CHECK_INT(env.routes6[0].prefix_len, 48);
	CHECK_STR(inet_ntop(AF_INET6, &env.routes6[0].gateway, text, sizeof(text)), "fd66::1");
	CHECK_INT(l_strv_length(env.nameservers), 2);	/* the repeat counted once */
	CHECK_STR(env.nameservers[1], "fd66::1");
	CHECK_STR(env.domains[0], "vpn.lab");
	vpn_env_clear(&env);
}

/* A tap: an Ethernet link, whose routes go through the VPN's gateways. */
static void test_tap(void)
{
	char *vars[] = {
		"dev=cvpn1", "dev_type=tap", "ifconfig_local=10.66.0.2",
		"ifconfig_netmask=255.255.255.0", "route_vpn_gateway=10.66.0.1",
		"ifconfig_ipv6_local=fd66::1000", "ifconfig_ipv6_netbits=64",
		"ifconfig_ipv6_remote=fd66::1",
	};
	char *tun[] = { "dev=cvpn1", "dev_type=tun", "ifconfig_local=10.66.0.2" };
	struct vpn_env env;
	char text[INET6_ADDRSTRLEN];

	CHECK_INT(vpn_env_parse(vars, L_ARRAY_SIZE(vars), &env), 0);
	CHECK(env.link_layer);
	CHECK(env.vpn_gateway == ip4("10.66.0.1"));
	CHECK_STR(inet_ntop(AF_INET6, &env.peer6, text, sizeof(text)), "fd66::1");
	vpn_env_clear(&env);
	CHECK_INT(vpn_env_parse(tun, L_ARRAY_SIZE(tun), &env), 0);
	CHECK(!env.link_layer);
	vpn_env_clear(&env);
}

/* net30 / p2p: a peer instead of a netmask, a host address. */
static void test_point_to_point(void)
{
	char *vars[] = { "dev=cvpn2", "ifconfig_local=10.8.0.6", "ifconfig_remote=10.8.0.5" };
	struct vpn_env env;

	CHECK_INT(vpn_env_parse(vars, L_ARRAY_SIZE(vars), &env), 0);
	CHECK_INT(env.prefix_len, 32);
	CHECK(env.peer == ip4("10.8.0.5"));
	CHECK(!env.nameservers && !env.domains);
	vpn_env_clear(&env);
}

/* What a hostile or broken server may push is left out, never trusted. */
static void test_malformed(void)
{
	char *none[] = { "ifconfig_local=10.66.0.2" };
	char *no_address[] = { "dev=cvpn1", "ifconfig_local=banana" };
	char *long_dev[] = { "dev=a-name-far-too-long-for-a-link", "ifconfig_local=10.0.0.2" };
	char *bad[] = {
		"dev=cvpn1", "ifconfig_local=10.66.0.2", "ifconfig_netmask=255.0.255.0",
		"ifconfig_ipv6_local=fd66::2", "ifconfig_ipv6_netbits=129",
		"route_network_1=10.1.0.0", "route_netmask_1=255.0.255.0",
		"route_network_2=nonsense", "route_netmask_2=255.0.0.0",
		"route_network_3=10.3.0.0", "route_netmask_3=255.255.0.0",
		"route_ipv6_network_1=fd00::/200",
		"foreign_option_1=dhcp-option DNS not-an-address",
		"foreign_option_2=dhcp-option DOMAIN bad..name",
		"foreign_option_3=dhcp-option DNS 10.0.0.1 extra",
		"foreign_option_4=dhcp-option PROXY_HTTP 10.0.0.9 80",
	};
	struct vpn_env env;

	CHECK_INT(vpn_env_parse(none, L_ARRAY_SIZE(none), &env), -EINVAL);
	CHECK_INT(vpn_env_parse(no_address, L_ARRAY_SIZE(no_address), &env), -EINVAL);
	CHECK_INT(vpn_env_parse(long_dev, L_ARRAY_SIZE(long_dev), &env), -EINVAL);
	CHECK_INT(vpn_env_parse(bad, L_ARRAY_SIZE(bad), &env), 0);
	CHECK_INT(env.prefix_len, 32);		/* a non-contiguous netmask */
	CHECK(IN6_IS_ADDR_UNSPECIFIED(&env.address6));
	CHECK_INT(env.n_routes, 1);		/* only the well-formed third */
	CHECK(env.routes[0].network == ip4("10.3.0.0"));
	CHECK_INT(env.n_routes6, 0);
	CHECK(!env.nameservers && !env.domains);
	vpn_env_clear(&env);
}

static void test_wanted(void)
{
	CHECK(vpn_env_wanted("dev", 3));
	CHECK(vpn_env_wanted("route_network_12", 16));
	CHECK(vpn_env_wanted("foreign_option_1", 16));
	CHECK(vpn_env_wanted("route_gateway_3", 15));
	CHECK(vpn_env_wanted("route_ipv6_gateway_1", 20));
	CHECK(!vpn_env_wanted("route_network_", 14));
	CHECK(!vpn_env_wanted("password", 8));
	CHECK(!vpn_env_wanted("username", 8));
	CHECK(!vpn_env_wanted("common_name", 11));
}

int main(void)
{
	test_subnet_topology();
	test_tap();
	test_point_to_point();
	test_malformed();
	test_wanted();
	CHECK_DONE();
}
