/* Sends 64-byte UDP datagrams to a socket of its own on loopback (or, given
 * an IPv4 address, to its port 9 over whatever link leads there) for a given
 * time and prints how many per second left: the per-packet cost of whatever
 * the output path holds (marking maps, re-routing). Then how many per second
 * of its own CPU time (loopback's receive side runs in its softirqs too),
 * which other jobs on a shared machine disturb far less. */
#include <arpa/inet.h>
#include <stdbool.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double clock_s(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double now(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 2.0, start, end, cpu;
	struct sockaddr_in sink = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sink);
	char payload[64] = { 0 };
	unsigned long sent = 0;
	bool remote = argc > 2;
	int rx = remote ? -1 : socket(AF_INET, SOCK_DGRAM, 0), tx = socket(AF_INET, SOCK_DGRAM, 0);

	if (remote) {
		sink.sin_port = htons(9);
		if (inet_pton(AF_INET, argv[2], &sink.sin_addr) != 1) {
			fprintf(stderr, "udp-flood: %s is not an IPv4 address\n", argv[2]);
			return 1;
		}
	} else if (rx < 0 || bind(rx, (struct sockaddr *)&sink, sizeof(sink)) < 0 ||
		   getsockname(rx, (struct sockaddr *)&sink, &len) < 0) {
		perror("udp-flood");
		return 1;
	}
	if (tx < 0) {
		perror("udp-flood");
		return 1;
	}
	start = now();
	cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	end = start + seconds;
	/* The receiver never reads: full queues drop, which costs the sender nothing. */
	while (1) {
		for (int i = 0; i < 256; i++)
			if (sendto(tx, payload, sizeof(payload), 0, (struct sockaddr *)&sink,
				   sizeof(sink)) > 0)
				sent++;
		if (now() >= end)
			break;
	}
	printf("%.0f %.0f\n", sent / (now() - start), sent / (clock_s(CLOCK_PROCESS_CPUTIME_ID) - cpu));
	return 0;
}
