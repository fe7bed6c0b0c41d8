/* Lab driver (not a test itself): runs connd's router advertisement sender
 * on an interface until SIGTERM, which makes it withdraw and exit.
 *   ra-probe IFNAME PREFIX DNS DOMAIN PREFIX2
 * PREFIX and PREFIX2 are /64s; SIGUSR1 adds PREFIX2 to the advertisement.
 * Prints SENDING once the link-local address is bound. */
#include <arpa/inet.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ell/ell.h>

#include "ra-sender.h"

struct probe {
	struct ra_sender *sender;
	struct ra_content content;
	struct in6_addr prefix2;
	struct l_timeout *poll;
};

static void set_prefix(struct ra_prefix *p, const struct in6_addr *prefix)
{
	p->prefix = *prefix;
	p->len = 64;
	p->on_link = true;
	p->autonomous = true;
	p->valid = 86400;
	p->preferred = 14400;
}

static void poll_cb(struct l_timeout *timeout, void *data)
{
	struct probe *p = data;

	if (!ra_sender_is_sending(p->sender)) {
		l_timeout_modify_ms(timeout, 100);
		return;
	}
	printf("SENDING\n");
	fflush(stdout);
}

static void usr1_cb(void *data)
{
	struct probe *p = data;
	int err;

	set_prefix(&p->content.prefixes[1], &p->prefix2);
	p->content.n_prefixes = 2;
	err = ra_sender_update(p->sender, &p->content);
	printf("UPDATED %d\n", err);
	fflush(stdout);
}

static void signal_cb(uint32_t signo, void *data)
{
	l_main_quit();
}

static int parse_args(int argc, char **argv, struct probe *p)
{
	struct in6_addr prefix;

	if (argc != 6 || inet_pton(AF_INET6, argv[2], &prefix) != 1 ||
	    inet_pton(AF_INET6, argv[3], &p->content.servers[0]) != 1 ||
	    inet_pton(AF_INET6, argv[5], &p->prefix2) != 1 ||
	    strlen(argv[4]) >= sizeof(p->content.domains[0]))
		return -1;
	p->content.cur_hop_limit = 64;
	p->content.router_lifetime = 1800;
	p->content.mtu = 1400;
	set_prefix(&p->content.prefixes[0], &prefix);
	p->content.n_prefixes = 1;
	p->content.n_servers = 1;
	p->content.dns_lifetime = 600;
	strcpy(p->content.domains[0], argv[4]);
	p->content.n_domains = 1;
	return 0;
}

int main(int argc, char **argv)
{
	struct ra_sender_config config = { .min_interval_ms = 30000, .max_interval_ms = 40000 };
	struct probe p = { .sender = NULL };
	struct l_signal *usr1;
	int err;

	if (parse_args(argc, argv, &p) < 0) {
		fprintf(stderr, "usage: ra-probe IFNAME PREFIX DNS DOMAIN PREFIX2\n");
		return 2;
	}
	if (!l_main_init())
		return 1;
	err = ra_sender_start(if_nametoindex(argv[1]), &p.content, &config, &p.sender);
	if (err < 0) {
		fprintf(stderr, "ra-probe: %s\n", strerror(-err));
		l_main_exit();
		return 1;
	}
	usr1 = l_signal_create(SIGUSR1, usr1_cb, &p, NULL);
	p.poll = l_timeout_create_ms(1, poll_cb, &p, NULL);
	l_main_run_with_signal(signal_cb, NULL);
	l_timeout_remove(p.poll);
	l_signal_remove(usr1);
	ra_sender_stop(p.sender);
	printf("STOPPED\n");
	l_main_exit();
	return 0;
}
