#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <net/if_arp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <ell/ell.h>

#include "ra-sender.h"

#define DEFAULT_MAX_MS 600000
#define BIND_RETRY_MS 250

static const struct in6_addr all_nodes = { { { 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } } };
static const struct in6_addr all_routers = { { { 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 } } };

struct ra_sender {
	int ifindex;
	char ifname[IF_NAMESIZE];
	struct ra_content content;
	uint32_t min_ms;
	uint32_t max_ms;
	int fd;
	struct l_io *io;
	struct in6_addr source;		/* the link-local address bound */
	bool bound;
	struct l_timeout *bind_timer;
	struct l_timeout *advert_timer;
	uint64_t next_advert_ms;
	unsigned int adverts_sent;
	uint64_t last_multicast_ms;
	struct l_timeout *reply_timer;
	struct in6_addr pending[RA_MAX_UNICAST_PER_S];
	unsigned int n_pending;
	uint64_t unicast_second;
	unsigned int unicast_count;
};

uint32_t ra_interval_ms(unsigned int sent, uint32_t min_ms, uint32_t max_ms, uint32_t random)
{
	uint32_t ms = min_ms + random % (max_ms - min_ms + 1);

	if (sent < RA_MAX_INITIAL_ADVERTS && ms > RA_MAX_INITIAL_INTERVAL_MS)
		ms = RA_MAX_INITIAL_INTERVAL_MS;
	return ms;
}

uint64_t ra_solicited_delay_ms(uint64_t now_ms, uint64_t last_ms, uint32_t random)
{
	uint64_t delay = random % (RA_MAX_DELAY_MS + 1);

	if (last_ms && last_ms + RA_MIN_DELAY_BETWEEN_MS > now_ms + delay)
		delay = last_ms + RA_MIN_DELAY_BETWEEN_MS - now_ms;
	return delay;
}

static uint64_t now_ms(void)
{
	return l_time_now() / 1000;
}

/* ELL leaves a timeout of 0 ms disarmed: never ask for less than 1. */
static void arm(struct l_timeout **timer, uint64_t ms, l_timeout_notify_cb_t cb, void *data)
{
	if (ms == 0)
		ms = 1;
	if (*timer)
		l_timeout_modify_ms(*timer, ms);
	else
		*timer = l_timeout_create_ms(ms, cb, data, NULL);
}

/* Read at every send: a bridge takes the address of its ports as they come
 * and go. */
static void read_lladdr(struct ra_sender *s, struct ra_content *content)
{
	struct ifreq ifr = { 0 };

	memcpy(ifr.ifr_name, s->ifname, sizeof(ifr.ifr_name));
	content->has_lladdr = ioctl(s->fd, SIOCGIFHWADDR, &ifr) == 0 &&
			      ifr.ifr_hwaddr.sa_family == ARPHRD_ETHER;
	if (content->has_lladdr)
		memcpy(content->lladdr, ifr.ifr_hwaddr.sa_data, sizeof(content->lladdr));
}

static int send_to(struct ra_sender *s, const struct ra_content *content,
		   const struct in6_addr *dst)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_addr = *dst,
				   .sin6_scope_id = s->ifindex };
	struct ra_content full = *content;
	uint8_t buf[RA_MAX_LEN];
	int len;

	read_lladdr(s, &full);
	len = ra_build(&full, buf, sizeof(buf));
	if (len < 0)
		return len;
	if (sendto(s->fd, buf, len, 0, (const struct sockaddr *)&to, sizeof(to)) < 0)
		return -errno;
	return 0;
}

static void advert_cb(struct l_timeout *timeout, void *data);

/* Sends the multicast RA now and schedules the next unsolicited one. */
static void advertise(struct ra_sender *s)
{
	uint32_t next;
	int err = send_to(s, &s->content, &all_nodes);

	if (err < 0)
		l_debug("%s: router advertisement not sent: %s", s->ifname, strerror(-err));
	s->last_multicast_ms = now_ms();
	if (s->adverts_sent < RA_MAX_INITIAL_ADVERTS)
		s->adverts_sent++;
	next = ra_interval_ms(s->adverts_sent, s->min_ms, s->max_ms, l_getrandom_uint32());
	s->next_advert_ms = s->last_multicast_ms + next;
	arm(&s->advert_timer, next, advert_cb, s);
}

static void advert_cb(struct l_timeout *timeout, void *data)
{
	advertise(data);
}

static void reply_cb(struct l_timeout *timeout, void *data)
{
	struct ra_sender *s = data;

	for (unsigned int i = 0; i < s->n_pending; i++) {
		int err = send_to(s, &s->content, &s->pending[i]);

		if (err < 0)
			l_debug("%s: solicited advertisement not sent: %s", s->ifname,
				strerror(-err));
	}
	s->n_pending = 0;
}

/* A solicitor with an address: a unicast RA after 0..MAX_RA_DELAY_TIME,
 * one per solicitor in a batch, at most RA_MAX_UNICAST_PER_S a second. */
static void answer_unicast(struct ra_sender *s, const struct in6_addr *to)
{
	uint64_t second = now_ms() / 1000;

	if (second != s->unicast_second) {
		s->unicast_second = second;
		s->unicast_count = 0;
	}
	for (unsigned int i = 0; i < s->n_pending; i++)
		if (!memcmp(&s->pending[i], to, sizeof(*to)))
			return;
	if (s->unicast_count >= RA_MAX_UNICAST_PER_S || s->n_pending >= L_ARRAY_SIZE(s->pending)) {
		l_debug("%s: router solicitation not answered: rate limit", s->ifname);
		return;
	}
	s->unicast_count++;
	s->pending[s->n_pending++] = *to;
	if (s->n_pending == 1)
		arm(&s->reply_timer, l_getrandom_uint32() % (RA_MAX_DELAY_MS + 1), reply_cb, s);
}

/* A solicitor without an address: the multicast RA brought forward, no
 * closer than MIN_DELAY_BETWEEN_RAS to the last; the interval timer
 * restarts from it. */
static void answer_multicast(struct ra_sender *s)
{
	uint64_t now = now_ms();
	uint64_t delay = ra_solicited_delay_ms(now, s->last_multicast_ms, l_getrandom_uint32());

	if (now + delay >= s->next_advert_ms)
		return;
	s->next_advert_ms = now + delay;
	arm(&s->advert_timer, delay, advert_cb, s);
}

static int hop_limit(struct msghdr *msg)
{
	int hops = -1;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c))
		if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT &&
		    c->cmsg_len == CMSG_LEN(sizeof(hops)))
			memcpy(&hops, CMSG_DATA(c), sizeof(hops));
	return hops;
}

static bool readable_cb(struct l_io *io, void *data)
{
	struct ra_sender *s = data;
	uint8_t buf[1280];
	uint8_t control[CMSG_SPACE(sizeof(int))];
	struct sockaddr_in6 from;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr msg = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov,
			      .msg_iovlen = 1, .msg_control = control,
			      .msg_controllen = sizeof(control) };
	ssize_t n = recvmsg(s->fd, &msg, MSG_DONTWAIT);
	bool unspecified;
	int hops;

	if (n < 0)
		return true;
	hops = hop_limit(&msg);
	unspecified = IN6_IS_ADDR_UNSPECIFIED(&from.sin6_addr);
	/* Off-link solicitations are forged (RFC 4861, 6.1.1). */
	if (hops != 255 || (msg.msg_flags & MSG_TRUNC) || msg.msg_namelen < sizeof(from) ||
	    ra_check_solicit(buf, n, unspecified) < 0) {
		l_debug("%s: router solicitation ignored (hop limit %d, %zd octets)", s->ifname,
			hops, n);
		return true;
	}
	/* The host side of our own stack on this link, looped back. */
	if (IN6_ARE_ADDR_EQUAL(&from.sin6_addr, &s->source))
		return true;
	if (unspecified)
		answer_multicast(s);
	else
		answer_unicast(s, &from.sin6_addr);
	return true;
}

/* The link's first link-local address. */
static int read_link(struct ra_sender *s, struct in6_addr *ll)
{
	struct ifaddrs *list;
	int found = -EADDRNOTAVAIL;

	if (getifaddrs(&list) < 0)
		return -errno;
	for (struct ifaddrs *i = list; i; i = i->ifa_next) {
		if (!i->ifa_addr || strcmp(i->ifa_name, s->ifname))
			continue;
		if (i->ifa_addr->sa_family == AF_INET6) {
			const struct sockaddr_in6 *a = (const void *)i->ifa_addr;

			if (IN6_IS_ADDR_LINKLOCAL(&a->sin6_addr)) {
				*ll = a->sin6_addr;
				found = 0;
				break;
			}
		}
	}
	freeifaddrs(list);
	return found;
}

static void bind_cb(struct l_timeout *timeout, void *data);

/* bind() fails with EADDRNOTAVAIL while the address is tentative: that is
 * the wait for duplicate address detection. */
static void try_bind(struct ra_sender *s)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_scope_id = s->ifindex };

	if (read_link(s, &sa.sin6_addr) < 0 ||
	    bind(s->fd, (const struct sockaddr *)&sa, sizeof(sa)) < 0) {
		arm(&s->bind_timer, BIND_RETRY_MS, bind_cb, s);
		return;
	}
	s->source = sa.sin6_addr;
	s->bound = true;
	s->io = l_io_new(s->fd);
	l_io_set_read_handler(s->io, readable_cb, s, NULL);
	advertise(s);
}

static void bind_cb(struct l_timeout *timeout, void *data)
{
	try_bind(data);
}

static int open_socket(struct ra_sender *s)
{
	struct ipv6_mreq mreq = { .ipv6mr_multiaddr = all_routers, .ipv6mr_interface = s->ifindex };
	int hops = 255, on = 1, off = 0;
	struct icmp6_filter filter;
	int fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_ICMPV6);

	if (fd < 0)
		return -errno;
	ICMP6_FILTER_SETBLOCKALL(&filter);
	ICMP6_FILTER_SETPASS(ND_ROUTER_SOLICIT, &filter);
	if (setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof(filter)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, s->ifname, strlen(s->ifname)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &off, sizeof(off)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &s->ifindex, sizeof(s->ifindex)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof(on)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mreq, sizeof(mreq)) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	s->fd = fd;
	return 0;
}

static uint32_t clamp(uint32_t v, uint32_t lo, uint32_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void set_intervals(struct ra_sender *s, const struct ra_sender_config *config)
{
	uint32_t max = config && config->max_interval_ms ? config->max_interval_ms : DEFAULT_MAX_MS;
	uint32_t min = config && config->min_interval_ms ? config->min_interval_ms : max / 3;

	/* RFC 4861, 6.2.1: 4..1800 s, and 3 s..0.75 MaxRtrAdvInterval. */
	s->max_ms = clamp(max, 4000, 1800000);
	s->min_ms = clamp(min, 3000, s->max_ms / 4 * 3);
}

static void sender_free(struct ra_sender *s)
{
	l_timeout_remove(s->bind_timer);
	l_timeout_remove(s->advert_timer);
	l_timeout_remove(s->reply_timer);
	l_io_destroy(s->io);
	if (s->fd >= 0)
		close(s->fd);
	l_free(s);
}

int ra_sender_start(int ifindex, const struct ra_content *content,
		    const struct ra_sender_config *config, struct ra_sender **out)
{
	uint8_t scratch[RA_MAX_LEN];
	struct ra_sender *s;
	int err = ra_build(content, scratch, sizeof(scratch));

	if (err < 0)
		return err;
	s = l_new(struct ra_sender, 1);
	s->fd = -1;
	s->ifindex = ifindex;
	s->content = *content;
	set_intervals(s, config);
	if (!if_indextoname(ifindex, s->ifname)) {
		sender_free(s);
		return -ENODEV;
	}
	err = open_socket(s);
	if (err < 0) {
		sender_free(s);
		return err;
	}
	try_bind(s);
	*out = s;
	return 0;
}

int ra_sender_update(struct ra_sender *s, const struct ra_content *content)
{
	uint8_t scratch[RA_MAX_LEN];
	int err = ra_build(content, scratch, sizeof(scratch));

	if (err < 0)
		return err;
	s->content = *content;
	s->adverts_sent = 0;
	if (s->bound)
		advertise(s);
	return 0;
}

void ra_sender_stop(struct ra_sender *s)
{
	if (!s)
		return;
	if (s->bound) {
		struct ra_content last = s->content;
		int err;

		ra_withdraw(&last);
		/* RFC 4861, 6.2.5: up to MAX_FINAL_RTR_ADVERTISEMENTS, so that
		 * one lost packet does not leave hosts with a dead router. Back
		 * to back: the link may be gone right after. */
		for (unsigned int i = 0; i < RA_MAX_FINAL_ADVERTS; i++) {
			err = send_to(s, &last, &all_nodes);
			if (err < 0)
				l_debug("%s: withdrawal not sent: %s", s->ifname, strerror(-err));
		}
	}
	sender_free(s);
}

bool ra_sender_is_sending(const struct ra_sender *s)
{
	return s->bound;
}
