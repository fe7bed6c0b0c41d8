#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <ell/ell.h>

#include "ra-watch.h"

#define RA_MIN_LEN 16
#define RA_FLAG_MANAGED 0x80
#define RA_FLAG_OTHER 0x40

/* Why an RA was ignored: each said once per watch, as a neighbour may send many. */
enum ra_drop {
	RA_DROP_NOT_LINK_LOCAL = 1 << 0,
	RA_DROP_HOP_LIMIT = 1 << 1,
	RA_DROP_MALFORMED = 1 << 2,
};

struct ra_watch {
	int ifindex;
	char ifname[IF_NAMESIZE];
	unsigned int told;	/* enum ra_drop bits already logged */
	struct l_io *io;
	ra_watch_cb_t cb;
	void *user_data;
};

int ra_parse(const uint8_t *msg, size_t len, struct ra_info *info)
{
	if (len < RA_MIN_LEN || msg[0] != ND_ROUTER_ADVERT || msg[1] != 0)
		return -EBADMSG;
	info->managed = msg[5] & RA_FLAG_MANAGED;
	info->other = msg[5] & RA_FLAG_OTHER;
	info->router_lifetime = (uint16_t)(msg[6] << 8 | msg[7]);
	return 0;
}

static int hop_limit(struct msghdr *msg)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		int hops;

		if (c->cmsg_level != IPPROTO_IPV6 || c->cmsg_type != IPV6_HOPLIMIT ||
		    c->cmsg_len < CMSG_LEN(sizeof(hops)))
			continue;
		memcpy(&hops, CMSG_DATA(c), sizeof(hops));
		return hops;
	}
	return -1;
}

static void dropped(struct ra_watch *w, const struct in6_addr *from, enum ra_drop why,
		    const char *what)
{
	char text[INET6_ADDRSTRLEN];

	if (w->told & why)
		return;
	w->told |= why;
	inet_ntop(AF_INET6, from, text, sizeof(text));
	l_info("%s: router advertisement from %s ignored: %s (said once per link)",
	       w->ifname, text, what);
}

/* RFC 4861 6.1.2: only from a link-local source, with hop limit 255 (no
 * router beyond the link can forge it); the kernel drops the same ones. */
static bool valid(struct ra_watch *w, const struct sockaddr_in6 *from, int hops,
		  const uint8_t *buf, size_t len, struct ra_info *info)
{
	if (!IN6_IS_ADDR_LINKLOCAL(&from->sin6_addr)) {
		dropped(w, &from->sin6_addr, RA_DROP_NOT_LINK_LOCAL, "source not link-local");
		return false;
	}
	if (hops != 255) {
		dropped(w, &from->sin6_addr, RA_DROP_HOP_LIMIT, "hop limit not 255");
		return false;
	}
	if (ra_parse(buf, len, info) < 0) {
		dropped(w, &from->sin6_addr, RA_DROP_MALFORMED, "malformed");
		return false;
	}
	return true;
}

static bool watch_read(struct l_io *io, void *user_data)
{
	struct ra_watch *w = user_data;
	uint8_t buf[1500];
	union {
		struct cmsghdr hdr;
		uint8_t buf[CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} control;
	struct sockaddr_in6 from;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr msg = {
		.msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = &control, .msg_controllen = sizeof(control),
	};
	struct ra_info info;
	ssize_t n = recvmsg(l_io_get_fd(io), &msg, MSG_DONTWAIT);

	if (n < 0 || msg.msg_namelen < sizeof(from) ||
	    !valid(w, &from, hop_limit(&msg), buf, n, &info))
		return true;
	w->cb(&info, w->user_data);
	return true;
}

struct ra_watch *ra_watch_new(int ifindex, const char *ifname, ra_watch_cb_t cb,
			      void *user_data, int *err)
{
	struct icmp6_filter filter;
	struct ra_watch *w;
	int one = 1, fd;

	ICMP6_FILTER_SETBLOCKALL(&filter);
	ICMP6_FILTER_SETPASS(ND_ROUTER_ADVERT, &filter);
	fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_ICMPV6);
	if (fd < 0) {
		*err = -errno;
		return NULL;
	}
	/* Filtered before it is bound to the link: nothing else is ever queued. */
	if (setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof(filter)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, strlen(ifname) + 1) < 0) {
		*err = -errno;
		close(fd);
		return NULL;
	}
	w = l_new(struct ra_watch, 1);
	w->ifindex = ifindex;
	l_strlcpy(w->ifname, ifname, sizeof(w->ifname));
	w->cb = cb;
	w->user_data = user_data;
	w->io = l_io_new(fd);
	l_io_set_close_on_destroy(w->io, true);
	l_io_set_read_handler(w->io, watch_read, w, NULL);
	return w;
}

void ra_watch_free(struct ra_watch *watch)
{
	if (!watch)
		return;
	l_io_destroy(watch->io);
	l_free(watch);
}
