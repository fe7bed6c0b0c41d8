/* Provisioning files: what is taken, what is refused, and which link an
 * entry picks. */
#include <string.h>
#include <arpa/inet.h>
#include <ell/ell.h>

#include "check.h"
#include "provision.h"

static int warnings;
static char last[256];

static void warn(const char *file, unsigned int line, const char *why, void *data)
{
	warnings++;
	snprintf(last, sizeof(last), "%s:%u: %s", file, line, why);
}

static unsigned int parse(const char *text, struct provision ***list)
{
	warnings = 0;
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
	CHECK_INT(parse("[service_a]\nType = wifi\nName = x\n"
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

int main(void)
{
	test_entries();
	test_refused();
	CHECK_DONE();
}
