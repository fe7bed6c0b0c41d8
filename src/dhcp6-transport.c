/* The DHCPv6 client's socket: UDP port 546 on one link, messages to
 * All_DHCP_Relay_Agents_and_Servers (ff02::1:2) port 547 from the link's
 * link-local address, replies only from port 547. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <ell/ell.h>

#include "dhcp6.h"
#include "marks.h"

#define RX_BUF_LEN 65536

struct dhcp6_socket_transport {
	int ifindex;
	char ifname[IFNAMSIZ];
	struct l_io *io;
	dhcp6_transport_rx_cb_t rx;
	void *user_data;
	uint8_t *buf;
};

static bool socket_read(struct l_io *io, void *user_data)
{
	struct dhcp6_socket_transport *t = user_data;
	struct sockaddr_in6 from;
	socklen_t from_len = sizeof(from);
	ssize_t n = recvfrom(l_io_get_fd(io), t->buf, RX_BUF_LEN, MSG_DONTWAIT | MSG_TRUNC,
			     (struct sockaddr *)&from, &from_len);

	if (n <= 0 || n > RX_BUF_LEN || from_len < sizeof(from) || from.sin6_family != AF_INET6 ||
	    ntohs(from.sin6_port) != DHCP6_SERVER_PORT)
		return true;
	t->rx(t->buf, n, t->user_data);
	return true;
}

/* Bound to the link: each link's client has its own port 546. */
static int socket_open(void *data)
{
	struct dhcp6_socket_transport *t = data;
	struct sockaddr_in6 sin6 = {
		.sin6_family = AF_INET6, .sin6_port = htons(DHCP6_CLIENT_PORT),
		.sin6_addr = IN6ADDR_ANY_INIT,
	};
	int one = 1, zero = 0, hops = 1, fd, err;
	unsigned int mark = MARK_OWN;	/* leaves by this link, whatever sessions say */

	if (t->io)
		return 0;
	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, t->ifname, strlen(t->ifname) + 1) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &t->ifindex, sizeof(t->ifindex)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &zero, sizeof(zero)) < 0 ||
	    bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	t->io = l_io_new(fd);
	if (!t->io) {
		close(fd);
		return -ENOMEM;
	}
	l_io_set_close_on_destroy(t->io, true);
	l_io_set_read_handler(t->io, socket_read, t, NULL);
	return 0;
}

static int socket_send(void *data, const uint8_t *msg, size_t len)
{
	struct dhcp6_socket_transport *t = data;
	struct sockaddr_in6 to = {
		.sin6_family = AF_INET6, .sin6_port = htons(DHCP6_SERVER_PORT),
		.sin6_scope_id = t->ifindex,
	};

	if (!t->io)
		return -ENOTCONN;
	inet_pton(AF_INET6, "ff02::1:2", &to.sin6_addr);
	if (sendto(l_io_get_fd(t->io), msg, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		return -errno;
	return 0;
}

static void socket_close(void *data)
{
	struct dhcp6_socket_transport *t = data;

	l_io_destroy(t->io);
	t->io = NULL;
}

static void socket_free(void *data)
{
	struct dhcp6_socket_transport *t = data;

	socket_close(t);
	l_free(t->buf);
	l_free(t);
}

const struct dhcp6_transport_ops dhcp6_transport_socket_ops = {
	.open = socket_open,
	.send = socket_send,
	.close = socket_close,
	.free = socket_free,
};

void *dhcp6_transport_socket_new(int ifindex, const char *ifname,
				 dhcp6_transport_rx_cb_t rx, void *user_data)
{
	struct dhcp6_socket_transport *t = l_new(struct dhcp6_socket_transport, 1);

	t->ifindex = ifindex;
	l_strlcpy(t->ifname, ifname, sizeof(t->ifname));
	t->rx = rx;
	t->user_data = user_data;
	t->buf = l_malloc(RX_BUF_LEN);
	return t;
}
