/* Lab driver for sessions-bpf-burst.sh: connd's BPF session maps
 * (src/sockmark.c) loaded on their own for a cgroup, without a daemon around
 * them. `sockmark-probe CGROUP COUNT` adds the counters of session ids
 * 1..COUNT in one burst, as a client creating sessions as fast as it can
 * would, and prints what went wrong, then one line:
 *   added A read R refused E past the limit, left L after removal
 * A: additions that succeeded; R: sessions read_all reported; E: the error of
 * adding the id after SOCKMARK_MAX_SESSIONS; L: sessions read_all reports
 * once every one was removed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ell/ell.h>

#include "sockmark.h"
#include "sockmark-maps.h"

static void seen(uint32_t id, const struct firewall_counters *c, void *data)
{
	unsigned int *n = data;

	if (c->rx_packets || c->rx_bytes || c->tx_packets || c->tx_bytes)
		printf("session %u does not start from zero\n", id);
	(*n)++;
}

static unsigned int read_all(struct sockmark *sm)
{
	unsigned int n = 0;
	int err = sockmark_counters_read_all(sm, seen, &n);

	if (err < 0)
		printf("reading all: %s\n", strerror(-err));
	return n;
}

int main(int argc, char **argv)
{
	unsigned int count, added = 0, errors = 0, read, left;
	struct sockmark *sm;
	const char *why;
	int past;

	if (argc != 3) {
		fprintf(stderr, "usage: sockmark-probe CGROUP COUNT\n");
		return 2;
	}
	count = (unsigned int)strtoul(argv[2], NULL, 10);
	sm = sockmark_new(argv[1], SOCKMARK_MAX_SESSIONS, true, &why);
	if (!sm) {
		printf("not loadable: %s\n", why);
		return 77;
	}
	for (uint32_t id = 1; id <= count; id++) {
		int err = sockmark_counters_add(sm, id);

		if (err == 0)
			added++;
		else if (errors++ < 5)
			printf("adding session %u: %s\n", id, strerror(-err));
	}
	read = read_all(sm);
	past = sockmark_counters_add(sm, SOCKMARK_MAX_SESSIONS + 1);
	for (uint32_t id = 1; id <= count; id++)
		sockmark_counters_del(sm, id);
	left = read_all(sm);
	printf("added %u read %u refused %s past the limit, left %u after removal\n", added, read,
	       past < 0 ? strerror(-past) : "nothing", left);
	sockmark_free(sm);
	return 0;
}
