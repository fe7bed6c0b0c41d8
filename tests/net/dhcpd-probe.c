/* Lab driver (not a test itself): runs connd's DHCP server on an interface
 * that already has the server's address, for a while, then prints the leases.
 *   dhcpd-probe IFNAME SERVER_ADDR SECONDS */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ell/ell.h>

#include "dhcp-server.h"

static void timeout_cb(struct l_timeout *timeout, void *user_data)
{
	l_main_quit();
}

static void lease_cb(const struct dhcp_server_lease *lease, bool added, void *user_data)
{
	char addr[16];

	inet_ntop(AF_INET, &lease->address, addr, sizeof(addr));
	printf("%s %02x:%02x:%02x:%02x:%02x:%02x %s %s\n", added ? "LEASE" : "RELEASE",
	       lease->mac[0], lease->mac[1], lease->mac[2], lease->mac[3], lease->mac[4],
	       lease->mac[5], addr, lease->hostname ? lease->hostname : "");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct dhcp_server_config c = { .prefix_len = 24, .lease_time = 600, .n_dns = 1,
					.domain = "tether.lan" };
	struct dhcp_server *s;
	uint32_t h;
	int err;

	if (argc != 4 || inet_pton(AF_INET, argv[2], &c.address) != 1) {
		fprintf(stderr, "usage: dhcpd-probe IFNAME SERVER_ADDR SECONDS\n");
		return 2;
	}
	h = ntohl(c.address) & 0xffffff00;
	c.range_start = htonl(h | 100);
	c.range_end = htonl(h | 199);
	c.router = c.address;
	c.dns[0] = c.address;
	if (!l_main_init())
		return 1;
	s = dhcp_server_new(&c, lease_cb, NULL);
	err = dhcp_server_start(s, argv[1]);
	if (err < 0) {
		fprintf(stderr, "dhcpd-probe: %s\n", strerror(-err));
		return 1;
	}
	l_timeout_create(atoi(argv[3]), timeout_cb, NULL, NULL);
	printf("READY\n");
	fflush(stdout);
	l_main_run();
	dhcp_server_free(s);
	l_main_exit();
	return 0;
}
