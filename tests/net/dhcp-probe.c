/* Lab driver for the DHCP client: gets a lease on IFNAME and prints it.
 * It never configures the address; tests/net/dhcp-client.sh does that when
 * it needs to (renewals are unicast from the leased address).
 *
 *   dhcp-probe IFNAME [--renew] [--release] [--request ADDR] [--timeout S] [--debug]
 *
 * Prints "BOUND ..." (and "RENEWED ..." with --renew), then exits 0.
 * --release sends DHCPRELEASE before exiting.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ell/ell.h>

#include "dhcp.h"

struct probe {
	bool renew, release;
	uint64_t started;
	int status;
	struct dhcp_client *client;
};

static const char *addr_str(uint32_t a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static void print_lease(const char *what, const struct dhcp_lease *l, uint64_t started)
{
	char a[INET_ADDRSTRLEN];

	printf("%s address=%s/%u", what, addr_str(l->address, a), l->prefix_len);
	printf(" router=%s", addr_str(l->router, a));
	printf(" server=%s dns=", addr_str(l->server_id, a));
	for (unsigned int i = 0; i < l->n_dns; i++)
		printf("%s%s", i ? "," : "", addr_str(l->dns[i], a));
	printf(" domain=%s lease=%u t1=%u t2=%u mtu=%u ms=%.3f\n", l->domain[0] ? l->domain : "-",
	       l->lease_time, l->t1, l->t2, l->mtu, (l_time_now() - started) / 1000.0);
	fflush(stdout);
}

static void event_cb(struct dhcp_client *client, enum dhcp_event event,
		     const struct dhcp_lease *lease, void *user_data)
{
	struct probe *p = user_data;

	switch (event) {
	case DHCP_EVENT_BOUND:
		print_lease("BOUND", lease, p->started);
		p->started = l_time_now();
		if (!p->renew) {
			p->status = 0;
			l_main_quit();
		}
		return;
	case DHCP_EVENT_RENEWED:
		print_lease("RENEWED", lease, p->started);
		p->status = 0;
		l_main_quit();
		return;
	case DHCP_EVENT_LOST:
	case DHCP_EVENT_NO_SERVER:
		printf("%s\n", dhcp_event_name(event));
		fflush(stdout);
		return;
	}
}

static void timeout_cb(struct l_timeout *timeout, void *user_data)
{
	fprintf(stderr, "dhcp-probe: timed out\n");
	l_main_quit();
}

static void signal_cb(uint32_t signo, void *user_data)
{
	l_main_quit();
}

static int get_mac(const char *ifname, uint8_t mac[6])
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int err = 0;

	if (fd < 0)
		return -errno;
	l_strlcpy(ifr.ifr_name, ifname, sizeof(ifr.ifr_name));
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		err = -errno;
	else
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(fd);
	return err;
}

static void usage(void)
{
	fprintf(stderr, "usage: dhcp-probe IFNAME [--renew] [--release] [--request ADDR] "
		"[--timeout S] [--debug]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "renew", no_argument, NULL, 'r' },
		{ "release", no_argument, NULL, 'R' },
		{ "request", required_argument, NULL, 'a' },
		{ "timeout", required_argument, NULL, 't' },
		{ "debug", no_argument, NULL, 'd' },
		{ }
	};
	struct probe p = { .status = 1 };
	unsigned int timeout_s = 10;
	struct in_addr requested = { 0 };
	struct l_timeout *timeout;
	uint8_t mac[6];
	int ifindex, opt, err;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'r':
			p.renew = true;
			break;
		case 'R':
			p.release = true;
			break;
		case 'a':
			if (inet_pton(AF_INET, optarg, &requested) != 1)
				usage();
			break;
		case 't':
			timeout_s = strtoul(optarg, NULL, 10);
			break;
		case 'd':
			l_log_set_stderr();
			l_debug_enable("*");
			break;
		default:
			usage();
		}
	}
	if (optind + 1 != argc)
		usage();
	ifindex = if_nametoindex(argv[optind]);
	if (!ifindex || get_mac(argv[optind], mac) < 0) {
		fprintf(stderr, "dhcp-probe: no interface %s\n", argv[optind]);
		return 1;
	}
	if (!l_main_init())
		return 1;
	p.client = dhcp_client_new(ifindex, argv[optind], mac, event_cb, &p);
	timeout = l_timeout_create(timeout_s, timeout_cb, NULL, NULL);
	p.started = l_time_now();
	err = dhcp_client_start(p.client, requested.s_addr);
	if (err < 0) {
		fprintf(stderr, "dhcp-probe: start: %s\n", strerror(-err));
	} else {
		l_main_run_with_signal(signal_cb, NULL);
		dhcp_client_stop(p.client, p.release);
		if (p.release)
			printf("RELEASED\n");
	}
	dhcp_client_free(p.client);
	l_timeout_remove(timeout);
	l_main_exit();
	return p.status;
}
