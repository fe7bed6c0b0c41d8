/* Provisioning files: what is taken, what is refused, and which link an
 * entry picks. */
#include <string.h>
#include <arpa/inet.h>
#include <ell/ell.h>

#include "check.h"
#include "provision.h"

static int warnings;
static char last[256];
static char all[4096];		/* every warning of the last parse, one a line */

static void warn(const char *file, unsigned int line, const char *why, void *data)
{
	warnings++;
	snprintf(last, sizeof(last), "%s:%u: %s", file, line, why);
	if (strlen(all) + strlen(last) + 2 < sizeof(all))
		strcat(strcat(all, last), "\n");
}

static unsigned int parse(const char *text, struct provision ***list)
{
	warnings = 0;
	all[0] = '\0';
	return provision_parse("office.config", text, strlen(text), list, warn, NULL);
}

static void test_entries(void)
{
	struct provision **list = NULL;
	const uint8_t mac[6] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee }, other[6] = { 0 };

	CHECK_INT(parse("[global]\nName = Office\nDescription = wired desks\n\n"
			"[service_desk]\nType = ethernet\nMAC = 02:AA:bb:cc:dd:ee\n"
			"IPv4 = 192.168.7.20/255.255.255.0/192.168.7.1\n"
			"Nameservers = 192.168.7.1, 192.0.2.53\nSearchDomains = office.lab\n"
			"Timeservers = ntp.office.lab\nIPv6 = off\n\n"
			"[service_lab]\nType = ethernet\nDeviceName = lab0\nIPv4 = dhcp\n", &list), 2);
	CHECK_INT(warnings, 0);
	CHECK(list[0]->has_mac && !memcmp(list[0]->mac, mac, 6));
	CHECK_INT(list[0]->ipv4.method, IPV4_METHOD_MANUAL);
	CHECK_INT(list[0]->ipv4.address, inet_addr("192.168.7.20"));
	CHECK_INT(list[0]->ipv4.prefix_len, 24);
	CHECK_INT(list[0]->ipv4.gateway, inet_addr("192.168.7.1"));
	CHECK_STR(list[0]->nameservers[1], "192.0.2.53");
	CHECK_STR(list[0]->search_domains[0], "office.lab");
	CHECK_STR(list[0]->timeservers[0], "ntp.office.lab");
	CHECK_STR(list[0]->file, "office.config");
	CHECK_STR(list[1]->device_name, "lab0");
	CHECK_INT(list[1]->ipv4.method, IPV4_METHOD_DHCP);

	CHECK(provision_find(list, mac, "eth9") == list[0]);
	CHECK(provision_find(list, other, "lab0") == list[1]);
	CHECK(provision_find(list, other, "eth9") == NULL);
	provision_list_free(list);
}

static void test_refused(void)
{
	struct provision **list = NULL;

	/* Each bad group is dropped whole, with file and line; the good one stays. */
	CHECK_INT(parse("[service_a]\nType = wimax\nName = x\n"
			"[service_b]\nType = ethernet\nMAC = 02:aa:bb\n"
			"[service_c]\nType = ethernet\nDeviceName = c0\nIPv4 = 10.0.0.0/24\n"
			"[service_d]\nType = ethernet\nDeviceName = d0\nNameservers = 1.2.3.4, nope\n"
			"[service_e]\nType = ethernet\nIPv4 = dhcp\n"
			"[service_f]\nDeviceName = f0\n"
			"[service_g]\nType = ethernet\nDeviceName = g0\nIPv4 = 10.1.0.5/24/10.9.0.1\n"
			"[service_ok]\nType = ethernet\nDeviceName = ok0\nIPv4 = 10.2.0.5/24\n",
			&list), 1);
	CHECK_STR(list[0]->name, "service_ok");
	CHECK(warnings >= 7);
	provision_list_free(list);
	list = NULL;
	CHECK_INT(parse("[service_x]\nType = ethernet\nDeviceName = x0\nIPv4 = 10.0.0.5/24\n"
			"this is not a line\n", &list), 0);
	CHECK(strstr(last, "office.config:5:") || strstr(last, "office.config:1:"));
	provision_list_free(list);
}

static void check_ipv6(const struct provision *p, const char *address, unsigned int len,
		       const char *gateway)
{
	struct in6_addr a, g = { 0 };

	inet_pton(AF_INET6, address, &a);
	if (gateway)
		inet_pton(AF_INET6, gateway, &g);
	CHECK_INT(p->ipv6.method, IPV6_METHOD_MANUAL);
	CHECK(!memcmp(&p->ipv6.address, &a, sizeof(a)));
	CHECK_INT(p->ipv6.prefix_len, len);
	CHECK(!memcmp(&p->ipv6.gateway, &g, sizeof(g)));
}

static void test_ipv6(void)
{
	struct provision **list = NULL;

	/* Privacy before or after IPv6; the gateway may be left out; no IPv6
	 * key is auto without privacy, as a new service has. */
	CHECK_INT(parse("[service_a]\nType = ethernet\nDeviceName = a0\n"
			"IPv6.Privacy = prefered\nIPv6 = 2001:db8:1::20/64/fe80::1\n"
			"[service_b]\nType = ethernet\nDeviceName = b0\n"
			"IPv6 = 2001:db8:2::20/48\nIPv6.Privacy = enabled\n"
			"[service_c]\nType = ethernet\nDeviceName = c0\nIPv6 = off\n"
			"[service_d]\nType = ethernet\nDeviceName = d0\n"
			"[service_e]\nType = ethernet\nDeviceName = e0\nIPv6 = auto\n"
			"IPv6.Privacy = disabled\n", &list), 5);
	CHECK_INT(warnings, 0);
	check_ipv6(list[0], "2001:db8:1::20", 64, "fe80::1");
	CHECK_INT(list[0]->ipv6.privacy, IPV6_PRIVACY_PREFERRED);
	check_ipv6(list[1], "2001:db8:2::20", 48, NULL);
	CHECK_INT(list[1]->ipv6.privacy, IPV6_PRIVACY_ENABLED);
	CHECK_INT(list[2]->ipv6.method, IPV6_METHOD_OFF);
	CHECK_INT(list[3]->ipv6.method, IPV6_METHOD_AUTO);
	CHECK_INT(list[3]->ipv6.privacy, IPV6_PRIVACY_DISABLED);
	CHECK_INT(list[4]->ipv6.method, IPV6_METHOD_AUTO);
	provision_list_free(list);
	list = NULL;

	/* The D-Bus path's rules, each bad group dropped whole with its line. */
	CHECK_INT(parse("[service_a]\nType = ethernet\nDeviceName = a0\nIPv6 = 2001:db8::5\n"
			"[service_b]\nType = ethernet\nDeviceName = b0\nIPv6 = 2001:db8::5/129\n"
			"[service_c]\nType = ethernet\nDeviceName = c0\nIPv6 = fe80::5/64\n"
			"[service_d]\nType = ethernet\nDeviceName = d0\n"
			"IPv6 = 2001:db8::5/64/2001:db9::1\n"
			"[service_e]\nType = ethernet\nDeviceName = e0\nIPv6 = 2001:db8::5/x64\n"
			"[service_f]\nType = ethernet\nDeviceName = f0\nIPv6 = dhcp\n"
			"[service_g]\nType = ethernet\nDeviceName = g0\nIPv6.Privacy = maybe\n"
			"[service_h]\nType = ethernet\nDeviceName = h0\nIPv4 = dhcp\n"
			"IPv6 = 2001:db8::5/64/2001:db8::5\n", &list), 0);
	CHECK_INT(warnings, 16);
	CHECK(strstr(all, "office.config:4: IPv6 must be off, auto or ADDRESS/PREFIXLEN[/GATEWAY]"));
	CHECK(strstr(all, "office.config:8: IPv6 must be off, auto"));
	CHECK(strstr(all, "office.config:12: Address is not a global unicast IPv6 address"));
	CHECK(strstr(all, "office.config:16: Gateway is neither link-local nor inside the prefix"));
	CHECK(strstr(all, "office.config:20: IPv6 must be off, auto"));
	CHECK(strstr(all, "office.config:24: IPv6 must be off, auto"));
	CHECK(strstr(all, "office.config:28: IPv6.Privacy must be disabled, enabled or preferred"));
	CHECK(strstr(all, "office.config:33: Gateway is not a usable unicast address"));
	provision_list_free(list);
}

/* Wi-Fi: the network by Name or SSID, its security, the passphrase. */
static void test_wifi(void)
{
	struct provision **list = NULL;
	const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 1 };

	CHECK_INT(parse("[service_home]\nName = home net\nType = wifi\nPassphrase = s3cret-pass\n"
			"IPv4 = 10.9.0.5/24/10.9.0.1\n\n"
			"[service_cafe]\nType = wifi\nName = ignored\nSSID = ff6361\nHidden = true\n\n"
			"[service_lab]\nType = wifi\nName = lab\nSecurity = psk\nDeviceName = wlan1\n",
			&list), 3);
	CHECK_INT(warnings, 0);
	CHECK_INT(list[0]->type, PROVISION_WIFI);
	CHECK_STR(list[0]->wifi.ident, "686f6d65206e6574_managed_psk");	/* a passphrase: psk */
	CHECK_STR(list[0]->wifi.passphrase, "s3cret-pass");
	CHECK_INT(list[0]->ipv4.address, inet_addr("10.9.0.5"));
	CHECK_STR(list[1]->wifi.ident, "ff6361_managed_none");		/* SSID wins over Name */
	CHECK(list[1]->wifi.hidden && !list[0]->wifi.hidden);
	CHECK_STR(list[2]->wifi.ident, "6c6162_managed_psk");		/* psk, asked of the agent */
	CHECK(!list[2]->wifi.passphrase);

	CHECK(provision_find_wifi(list, "wifi_020000000001_686f6d65206e6574_managed_psk", mac,
				  "wlan0") == list[0]);
	CHECK(!provision_find_wifi(list, "wifi_020000000001_686f6d65206e6574_managed_none", mac,
				   "wlan0"));
	CHECK(!provision_find_wifi(list, "wifi_020000000001_6c6162_managed_psk", mac, "wlan0"));
	CHECK(provision_find_wifi(list, "wifi_020000000001_6c6162_managed_psk", mac, "wlan1") ==
	      list[2]);
	CHECK(!provision_find(list, mac, "wlan1"));	/* not an ethernet entry */
	provision_list_free(list);
	list = NULL;

	CHECK_INT(parse("[service_a]\nType = wifi\nPassphrase = s3cret-pass\n"
			"[service_b]\nType = wifi\nName = b\nEAP = peap\nIdentity = me\n"
			"[service_c]\nType = wifi\nName = c\nSecurity = wep\nPassphrase = 12345\n"
			"[service_d]\nType = wifi\nName = d\nPassphrase = short\n"
			"[service_e]\nType = wifi\nSSID = 6g\n"
			"[service_f]\nType = wifi\nName = f\nHidden = maybe\n"
			"[service_g]\nType = wifi\nName = 123456789012345678901234567890123\n"
			"[service_h]\nType = wifi\nName = h\nSecurity = ieee8021x\n",
			&list), 0);
	CHECK_INT(warnings, 8);
	CHECK(strstr(all, "[service_a]: names no network (Name or SSID); ignored"));
	CHECK(strstr(all, "[service_b]: 802.1X (EAP) networks take iwd's own provisioning file"));
	CHECK(strstr(all, "[service_c]: WEP is not supported"));
	CHECK(strstr(all, "[service_d]: Passphrase must be 8 to 63 characters"));
	CHECK(strstr(all, "[service_e]: SSID must be 1 to 32 bytes in hex"));
	CHECK(strstr(all, "[service_f]: Hidden must be true or false"));
	CHECK(strstr(all, "[service_g]: Name must be an SSID of 1 to 32 bytes"));
	CHECK(strstr(all, "[service_h]: 802.1X"));
	provision_list_free(list);
}

int main(void)
{
	test_entries();
	test_refused();
	test_wifi();
	test_ipv6();
	CHECK_DONE();
}
