/* connd-vpn-script: openvpn's --up hook for connd. Sends the part of its
 * environment that connd reads (vpn-env.h: the pushed address, routes and
 * DNS, never credentials) as one message on the socket connd handed openvpn
 * (CONND_VPN_FD), and exits 0 once it is written; openvpn gives up the
 * connection if it fails. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <ell/ell.h>

#include "vpn-env.h"

extern char **environ;

int main(void)
{
	const char *fd_text = getenv("CONND_VPN_FD");
	char *buf, *end;
	size_t len = 0, cap = 65536;
	long fd;

	if (!fd_text || !*fd_text) {
		fprintf(stderr, "connd-vpn-script: run by openvpn for connd only\n");
		return 2;
	}
	fd = strtol(fd_text, &end, 10);
	if (*end || fd < 0 || fd > 1024)
		return 2;
	buf = malloc(cap);
	if (!buf)
		return 1;
	for (char **e = environ; *e; e++) {
		const char *eq = strchr(*e, '=');
		size_t n = strlen(*e) + 1;

		if (!eq || !vpn_env_wanted(*e, eq - *e) || len + n > cap)
			continue;
		memcpy(buf + len, *e, n);
		len += n;
	}
	if (send(fd, buf, len, MSG_NOSIGNAL) != (ssize_t)len) {
		fprintf(stderr, "connd-vpn-script: cannot reach connd: %s\n", strerror(errno));
		free(buf);
		return 1;
	}
	free(buf);
	return 0;
}
