/* Parsing and validation of IPv4.Configuration values. */
#include <errno.h>
#include <arpa/inet.h>

#include "check.h"
#include "ipv4-settings.h"

static uint32_t addr(const char *text)
{
	uint32_t a = 0;

	CHECK_INT(ipv4_parse_address(text, &a), 0);
	return a;
}

static void test_methods(void)
{
	enum ipv4_method m;

	CHECK_INT(ipv4_method_parse("dhcp", &m), 0);
	CHECK_INT(m, IPV4_METHOD_DHCP);
	CHECK_INT(ipv4_method_parse("manual", &m), 0);
	CHECK_INT(m, IPV4_METHOD_MANUAL);
	CHECK_INT(ipv4_method_parse("off", &m), 0);
	CHECK_INT(m, IPV4_METHOD_OFF);
	/* fixed is reported, never accepted; auto is IPv6 only. */
	CHECK(ipv4_method_parse("fixed", &m) < 0);
	CHECK_INT(ipv4_method_parse("auto", &m), -ENOTSUP);	/* ConnMan: NotSupported */
	CHECK(ipv4_method_parse("DHCP", &m) < 0);
	CHECK_STR(ipv4_method_name(IPV4_METHOD_FIXED), "fixed");
}

static void test_netmasks(void)
{
	uint8_t plen = 0;

	CHECK_INT(ipv4_parse_netmask("255.255.255.0", &plen), 0);
	CHECK_INT(plen, 24);
	CHECK_INT(ipv4_parse_netmask("255.255.255.255", &plen), 0);
	CHECK_INT(plen, 32);
	CHECK_INT(ipv4_parse_netmask("255.255.240.0", &plen), 0);
	CHECK_INT(plen, 20);
	CHECK_INT(ipv4_parse_netmask("16", &plen), 0);
	CHECK_INT(plen, 16);
	CHECK(ipv4_parse_netmask("255.0.255.0", &plen) < 0);
	CHECK(ipv4_parse_netmask("33", &plen) < 0);
	CHECK(ipv4_parse_netmask("", &plen) < 0);
	CHECK(ipv4_parse_netmask("24x", &plen) < 0);
	CHECK(ipv4_parse_netmask(NULL, &plen) < 0);
	CHECK_INT(ntohl(ipv4_prefix_to_mask(24)), 0xffffff00);
	CHECK_INT(ipv4_prefix_to_mask(0), 0);
}

static void test_addresses(void)
{
	uint32_t a;
	char buf[16];

	CHECK(ipv4_parse_address("10.1.2.3", &a) == 0);
	CHECK_STR(ipv4_ntop(a, buf), "10.1.2.3");
	CHECK(ipv4_parse_address("10.1.2", &a) < 0);
	CHECK(ipv4_parse_address("10.1.2.300", &a) < 0);
	CHECK(ipv4_parse_address("fe80::1", &a) < 0);
	CHECK(ipv4_parse_address(NULL, &a) < 0);
}

static int validate(const char *a, uint8_t plen, const char *gw)
{
	struct ipv4_settings s = { IPV4_METHOD_MANUAL, addr(a), plen, gw ? addr(gw) : 0 };
	char why[128] = "";
	int err = ipv4_settings_validate(&s, why, sizeof(why));

	CHECK(err == 0 || why[0] != '\0');
	return err;
}

static void test_validation(void)
{
	CHECK_INT(validate("192.168.7.10", 24, "192.168.7.1"), 0);
	CHECK_INT(validate("192.168.7.10", 24, NULL), 0);
	CHECK_INT(validate("10.0.0.1", 31, "10.0.0.0"), 0);
	CHECK(validate("192.168.7.0", 24, NULL) < 0);	/* network address */
	CHECK(validate("192.168.7.255", 24, NULL) < 0);	/* broadcast */
	CHECK(validate("127.0.0.2", 8, NULL) < 0);
	CHECK(validate("224.0.0.1", 24, NULL) < 0);
	CHECK(validate("0.0.0.0", 24, NULL) < 0);
	CHECK(validate("192.168.7.10", 0, NULL) < 0);
	CHECK(validate("192.168.7.10", 24, "192.168.8.1") < 0);	/* off-subnet gateway */
	CHECK(validate("192.168.7.10", 24, "192.168.7.10") < 0);	/* itself */
	/* The kernel refuses a route through the subnet's broadcast or network address. */
	CHECK(validate("192.168.7.10", 24, "192.168.7.255") < 0);
	CHECK(validate("192.168.7.10", 24, "192.168.7.0") < 0);
	CHECK(validate("10.1.0.10", 16, "10.1.255.255") < 0);
	CHECK_INT(validate("10.1.0.10", 16, "10.1.255.254"), 0);
	CHECK(validate("192.168.7.10", 24, "255.255.255.255") < 0);
}

int main(void)
{
	test_methods();
	test_netmasks();
	test_addresses();
	test_validation();
	CHECK_DONE();
}
