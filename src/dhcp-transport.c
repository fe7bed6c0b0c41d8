/* DHCP client sockets: an AF_PACKET socket for broadcasts and replies before
 * an address is configured, and a UDP socket for unicast renewals.
 *
 * The packet socket reads PACKET_AUXDATA: a virtual link (veth, tap) hands
 * over packets whose UDP checksum was left to offload (TP_STATUS_CSUMNOTREADY)
 * and so is not valid yet; those are accepted without checking it.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <ell/ell.h>

#include "dhcp-packet.h"
#include "dhcp-transport.h"
#include "marks.h"

#define RX_BUF_LEN 4096

struct dhcp_socket_transport {
	int ifindex;
	char ifname[IFNAMSIZ];
	struct l_io *raw_io;
	struct l_io *raw_closing;	/* see socket_listen() */
	struct l_idle *close_idle;
	struct l_io *udp_io;
	uint32_t udp_address;
	dhcp_transport_rx_cb_t rx;
	void *user_data;
	uint8_t buf[RX_BUF_LEN];
};

/* IPv4, UDP, not a fragment, destination port 68. With SOCK_DGRAM the data
 * begins at the IP header. */
static const struct sock_filter rx_filter[] = {
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0),
	BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xf0),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x40, 0, 8),
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0, 6),
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6),
	BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x3fff, 4, 0),
	BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
	BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, DHCP_CLIENT_PORT, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
	BPF_STMT(BPF_RET | BPF_K, 0),
};

static bool raw_read(struct l_io *io, void *user_data)
{
	struct dhcp_socket_transport *t = user_data;
	union {
		struct cmsghdr hdr;
		uint8_t buf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	} control;
	struct iovec iov = { .iov_base = t->buf, .iov_len = sizeof(t->buf) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = &control, .msg_controllen = sizeof(control),
	};
	const uint8_t *payload;
	size_t payload_len;
	bool skip_csum = false;
	ssize_t n;

	n = recvmsg(l_io_get_fd(io), &msg, MSG_DONTWAIT);
	if (n < 0 || (msg.msg_flags & MSG_TRUNC))
		return true;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		struct tpacket_auxdata aux;

		if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA ||
		    c->cmsg_len < CMSG_LEN(sizeof(aux)))
			continue;
		memcpy(&aux, CMSG_DATA(c), sizeof(aux));
		/* Not ready: the sender's checksum was never computed (veth,
		 * tap); valid: the NIC verified it already. */
		skip_csum = aux.tp_status & (TP_STATUS_CSUMNOTREADY | TP_STATUS_CSUM_VALID);
		if (aux.tp_status & TP_STATUS_CSUMNOTREADY)
			l_debug("%s: UDP checksum left to offload", t->ifname);
	}
	if (dhcp_packet_unwrap(t->buf, n, skip_csum, &payload, &payload_len) < 0) {
		l_debug("%s: dropped malformed packet (%zd bytes)", t->ifname, n);
		return true;
	}
	/* rx may close this socket (l_io_destroy from inside its own read
	 * handler is fine in ELL as long as we touch nothing afterwards). */
	t->rx(payload, payload_len, t->user_data);
	return true;
}

static bool udp_read(struct l_io *io, void *user_data)
{
	struct dhcp_socket_transport *t = user_data;
	ssize_t n = recv(l_io_get_fd(io), t->buf, sizeof(t->buf), MSG_DONTWAIT | MSG_TRUNC);

	if (n > 0 && (size_t)n <= sizeof(t->buf))
		t->rx(t->buf, n, t->user_data);
	return true;
}

static struct l_io *watch(int fd, l_io_read_cb_t cb, void *user_data)
{
	struct l_io *io = l_io_new(fd);

	if (!io) {
		close(fd);
		return NULL;
	}
	l_io_set_close_on_destroy(io, true);
	l_io_set_read_handler(io, cb, user_data, NULL);
	return io;
}

/* Bound with protocol 0 first and filtered before binding to the link, so
 * no unfiltered packet is ever queued. */
static int raw_open(struct dhcp_socket_transport *t)
{
	struct sock_fprog prog = {
		.len = L_ARRAY_SIZE(rx_filter), .filter = (struct sock_filter *)rx_filter,
	};
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP),
		.sll_ifindex = t->ifindex,
	};
	int one = 1, fd, err;

	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0 ||
	    setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	t->raw_io = watch(fd, raw_read, t);
	return t->raw_io ? 0 : -ENOMEM;
}

/* IP_FREEBIND: the owner may not have configured the leased address yet. */
static int udp_open(struct dhcp_socket_transport *t, uint32_t address)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET, .sin_port = htons(DHCP_CLIENT_PORT),
		.sin_addr.s_addr = address,
	};
	int one = 1, fd, err;
	unsigned int mark = MARK_OWN;	/* renewals leave by this link, whatever sessions say */

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)) < 0 ||
	    setsockopt(fd, SOL_IP, IP_FREEBIND, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, t->ifname, strlen(t->ifname) + 1) < 0 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	t->udp_io = watch(fd, udp_read, t);
	if (!t->udp_io)
		return -ENOMEM;
	t->udp_address = address;
	return 0;
}

static void close_raw_now(struct dhcp_socket_transport *t)
{
	l_idle_remove(t->close_idle);
	t->close_idle = NULL;
	l_io_destroy(t->raw_closing);
	t->raw_closing = NULL;
}

static void close_idle_cb(struct l_idle *idle, void *user_data)
{
	close_raw_now(user_data);
}

/* Closing a packet socket waits for an RCU grace period in the kernel (about
 * 5 ms here): done at once, it would delay the BOUND event by that much. So
 * it is closed from an idle callback, and taken back if needed before then. */
static void close_raw_later(struct dhcp_socket_transport *t)
{
	if (t->raw_closing)
		close_raw_now(t);
	t->raw_closing = t->raw_io;
	t->raw_io = NULL;
	t->close_idle = l_idle_create(close_idle_cb, t, NULL);
}

static int socket_listen(void *data, bool raw, uint32_t udp_address)
{
	struct dhcp_socket_transport *t = data;
	int err;

	if (!raw && t->raw_io)
		close_raw_later(t);
	if (raw && !t->raw_io && t->raw_closing) {
		l_idle_remove(t->close_idle);
		t->close_idle = NULL;
		t->raw_io = t->raw_closing;
		t->raw_closing = NULL;
	}
	if (t->udp_io && t->udp_address != udp_address) {
		l_io_destroy(t->udp_io);
		t->udp_io = NULL;
		t->udp_address = 0;
	}
	if (raw && !t->raw_io) {
		err = raw_open(t);
		if (err < 0)
			return err;
	}
	if (udp_address && !t->udp_io)
		return udp_open(t, udp_address);
	return 0;
}

static int socket_send_broadcast(void *data, uint32_t src, const uint8_t *msg, size_t len)
{
	struct dhcp_socket_transport *t = data;
	uint8_t frame[DHCP_IPUDP_LEN + DHCP_MAX_MSG_LEN];
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP),
		.sll_ifindex = t->ifindex, .sll_halen = ETH_ALEN,
		.sll_addr = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	};
	size_t total;

	if (!t->raw_io)
		return -ENOTCONN;
	if (len > DHCP_MAX_MSG_LEN)
		return -EMSGSIZE;
	memcpy(frame + DHCP_IPUDP_LEN, msg, len);
	total = dhcp_packet_wrap(frame, len, src, INADDR_BROADCAST);
	if (sendto(l_io_get_fd(t->raw_io), frame, total, 0, (struct sockaddr *)&sll,
		   sizeof(sll)) < 0)
		return -errno;
	return 0;
}

static int socket_send_unicast(void *data, uint32_t dst, const uint8_t *msg, size_t len)
{
	struct dhcp_socket_transport *t = data;
	struct sockaddr_in sin = {
		.sin_family = AF_INET, .sin_port = htons(DHCP_SERVER_PORT),
		.sin_addr.s_addr = dst,
	};

	if (!t->udp_io)
		return -ENOTCONN;
	if (sendto(l_io_get_fd(t->udp_io), msg, len, 0, (struct sockaddr *)&sin,
		   sizeof(sin)) < 0)
		return -errno;
	return 0;
}

static void socket_free(void *data)
{
	struct dhcp_socket_transport *t = data;

	close_raw_now(t);
	l_io_destroy(t->raw_io);
	l_io_destroy(t->udp_io);
	l_free(t);
}

const struct dhcp_transport_ops dhcp_transport_socket_ops = {
	.listen = socket_listen,
	.send_broadcast = socket_send_broadcast,
	.send_unicast = socket_send_unicast,
	.free = socket_free,
};

void *dhcp_transport_socket_new(int ifindex, const char *ifname,
				dhcp_transport_rx_cb_t rx, void *user_data)
{
	struct dhcp_socket_transport *t = l_new(struct dhcp_socket_transport, 1);

	t->ifindex = ifindex;
	l_strlcpy(t->ifname, ifname, sizeof(t->ifname));
	t->rx = rx;
	t->user_data = user_data;
	return t;
}
