/* The online check without its deadline timer (descriptors exhausted when it
 * starts): it must fail at once, so that the service retries, rather than
 * wait for good on a server that never answers. */
#include <errno.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <ell/ell.h>

#include "check.h"
#include "online.h"

static int result = 1;
static bool done;

static void checked(int res, const struct online_answer *answer, void *user_data)
{
	result = res;
	done = true;
}

/* A server that accepts connections (in its backlog) and never answers. */
static int silent_server(uint16_t *port)
{
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(in);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&in, len) < 0 || listen(fd, 4) < 0 ||
	    getsockname(fd, (struct sockaddr *)&in, &len) < 0)
		return -1;
	*port = ntohs(in.sin_port);
	return fd;
}

/* Starts a check while no descriptor can be made (the next free one is at
 * the limit), then gives them back before the check's first step runs. */
static struct online_check *start_starved(const char *url)
{
	struct rlimit saved, starved;
	struct online_check *c;
	int next = dup(0);

	close(next);
	getrlimit(RLIMIT_NOFILE, &saved);
	starved = saved;
	starved.rlim_cur = next;
	setrlimit(RLIMIT_NOFILE, &starved);
	c = online_check_start(url, AF_INET, "lo", NULL, 5000, checked, NULL);
	setrlimit(RLIMIT_NOFILE, &saved);
	return c;
}

int main(void)
{
	struct online_check *c;
	uint16_t port = 0;
	char url[64];
	int server;
	uint64_t end;

	if (geteuid() != 0) {
		fprintf(stderr, "needs root (SO_BINDTODEVICE, SO_MARK)\n");
		return 77;
	}
	CHECK(l_main_init());
	server = silent_server(&port);
	CHECK(server >= 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/", port);
	c = start_starved(url);
	end = l_time_now() + 2000000;
	while (!done && l_time_now() < end)
		l_main_iterate(50);
	CHECK(done);
	CHECK_INT(result, -EMFILE);
	if (!done)
		online_check_cancel(c);
	close(server);
	l_main_exit();
	CHECK_DONE();
}
