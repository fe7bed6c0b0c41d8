#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <ell/ell.h>

#include "dhcp-packet.h"
#include "dhcp-server.h"
#include "marks.h"

#define OFFER_HOLD 30		/* seconds an offered address waits for its REQUEST */
#define DECLINED_HOLD 600	/* seconds a declined address is not handed out */

struct lease {
	uint8_t client_id[32];
	uint8_t client_id_len;
	uint8_t mac[6];
	uint32_t address;
	uint64_t expires;
	char hostname[64];
	bool bound;
	bool declined;		/* someone else uses the address */
};

struct dhcp_server {
	struct dhcp_server_config config;
	dhcp_server_lease_cb_t cb;
	void *user_data;
	struct l_queue *leases;
	struct l_io *io;
};

struct dhcp_server *dhcp_server_new(const struct dhcp_server_config *config,
				    dhcp_server_lease_cb_t cb, void *user_data)
{
	struct dhcp_server *s = l_new(struct dhcp_server, 1);

	s->config = *config;
	s->cb = cb;
	s->user_data = user_data;
	s->leases = l_queue_new();
	return s;
}

void dhcp_server_free(struct dhcp_server *s)
{
	if (!s)
		return;
	dhcp_server_stop(s);
	l_queue_destroy(s->leases, l_free);
	l_free(s);
}

static void notify(struct dhcp_server *s, const struct lease *l, bool added)
{
	struct dhcp_server_lease out = {
		.address = l->address, .expires = l->expires, .hostname = l->hostname,
		.bound = l->bound,
	};

	memcpy(out.mac, l->mac, 6);
	if (s->cb)
		s->cb(&out, added, s->user_data);
}

static bool same_client(const struct lease *l, const struct dhcp_client_msg *m)
{
	return l->client_id_len == m->client_id_len &&
	       !memcmp(l->client_id, m->client_id, m->client_id_len);
}

static struct lease *find_client(struct dhcp_server *s, const struct dhcp_client_msg *m)
{
	for (const struct l_queue_entry *e = l_queue_get_entries(s->leases); e; e = e->next)
		if (!((struct lease *)e->data)->declined && same_client(e->data, m))
			return e->data;
	return NULL;
}

static struct lease *find_address(struct dhcp_server *s, uint32_t address)
{
	for (const struct l_queue_entry *e = l_queue_get_entries(s->leases); e; e = e->next)
		if (((struct lease *)e->data)->address == address)
			return e->data;
	return NULL;
}

static bool in_range(const struct dhcp_server *s, uint32_t address)
{
	uint32_t a = ntohl(address);

	return a >= ntohl(s->config.range_start) && a <= ntohl(s->config.range_end) &&
	       address != s->config.address;
}

/* Free: never leased, or its lease (or decline hold) is over. */
static bool is_free(struct dhcp_server *s, uint32_t address, uint64_t now,
		    const struct dhcp_client_msg *for_client)
{
	struct lease *l = find_address(s, address);

	if (!in_range(s, address))
		return false;
	return !l || l->expires <= now || (for_client && !l->declined && same_client(l, for_client));
}

/* The client's old address if still free, else its request, else the lowest
 * never-used one, and only then an expired one: clients that come back find
 * their address again. */
static uint32_t choose_address(struct dhcp_server *s, const struct dhcp_client_msg *m,
			       uint64_t now)
{
	struct lease *old = find_client(s, m);
	uint32_t first = ntohl(s->config.range_start), last = ntohl(s->config.range_end);

	if (old && is_free(s, old->address, now, m))
		return old->address;
	if (m->requested_address && is_free(s, m->requested_address, now, m))
		return m->requested_address;
	for (uint32_t a = first; a <= last; a++)
		if (in_range(s, htonl(a)) && !find_address(s, htonl(a)))
			return htonl(a);
	for (uint32_t a = first; a <= last; a++)
		if (is_free(s, htonl(a), now, m))
			return htonl(a);
	return 0;
}

/* Records (or moves) the client's lease to `address`. */
static struct lease *hold(struct dhcp_server *s, const struct dhcp_client_msg *m,
			  uint32_t address, uint64_t expires, bool bound)
{
	struct lease *l = find_client(s, m), *other = find_address(s, address);

	if (other && other != l) {
		l_queue_remove(s->leases, other);
		l_free(other);
	}
	if (!l) {
		l = l_new(struct lease, 1);
		memcpy(l->client_id, m->client_id, m->client_id_len);
		l->client_id_len = m->client_id_len;
		l_queue_push_tail(s->leases, l);
	}
	memcpy(l->mac, m->chaddr, 6);
	l->address = address;
	l->expires = expires;
	l->bound = bound;
	if (m->hostname[0])
		l_strlcpy(l->hostname, m->hostname, sizeof(l->hostname));
	return l;
}

static void fill_reply(struct dhcp_server *s, const struct dhcp_client_msg *m,
		       enum dhcp_msg_type type, uint32_t yiaddr, struct dhcp_server_reply *r)
{
	const struct dhcp_server_config *c = &s->config;

	memset(r, 0, sizeof(*r));
	r->type = type;
	r->xid = m->xid;
	r->flags = m->flags;
	r->yiaddr = yiaddr;
	memcpy(r->chaddr, m->chaddr, 6);
	r->server_id = c->address;
	if (type == DHCP_NAK)
		return;
	r->lease_time = c->lease_time;
	r->prefix_len = c->prefix_len;
	r->router = c->router;
	memcpy(r->dns, c->dns, sizeof(r->dns));
	r->n_dns = c->n_dns;
	l_strlcpy(r->domain, c->domain, sizeof(r->domain));
}

static int reply_with(struct dhcp_server *s, const struct dhcp_client_msg *m,
		      enum dhcp_msg_type type, uint32_t yiaddr, uint8_t *out, size_t size)
{
	struct dhcp_server_reply r;

	fill_reply(s, m, type, yiaddr, &r);
	return dhcp_packet_build_reply(&r, out, size);
}

static int handle_discover(struct dhcp_server *s, const struct dhcp_client_msg *m,
			   uint64_t now, uint8_t *out, size_t size)
{
	uint32_t address = choose_address(s, m, now);

	if (!address) {
		l_debug("pool exhausted: no offer");
		return 0;
	}
	hold(s, m, address, now + OFFER_HOLD, false);
	return reply_with(s, m, DHCP_OFFER, address, out, size);
}

static int ack(struct dhcp_server *s, const struct dhcp_client_msg *m, uint32_t address,
	       uint64_t now, uint8_t *out, size_t size)
{
	struct lease *l = hold(s, m, address, now + s->config.lease_time, true);

	notify(s, l, true);
	return reply_with(s, m, DHCP_ACK, address, out, size);
}

static bool in_previous_subnet(const struct dhcp_server *s, uint32_t address)
{
	uint8_t len = s->config.previous_prefix_len;
	uint32_t mask = len ? htonl(~0u << (32 - len)) : 0;

	return s->config.previous_address &&
	       ((address ^ s->config.previous_address) & mask) == 0;
}

/* A renewal, rebinding or reboot of a lease of the subnet before the move:
 * no, said by the server that leased it, so that the client starts over at
 * once rather than when its lease runs out. */
static int nak_previous(struct dhcp_server *s, const struct dhcp_client_msg *m,
			uint8_t *out, size_t size)
{
	struct dhcp_server_reply r;

	fill_reply(s, m, DHCP_NAK, 0, &r);
	r.server_id = s->config.previous_address;
	return dhcp_packet_build_reply(&r, out, size);
}

static int handle_request(struct dhcp_server *s, const struct dhcp_client_msg *m,
			  uint64_t now, uint8_t *out, size_t size)
{
	uint32_t wanted = m->requested_address ? m->requested_address : m->ciaddr;
	struct lease *l = find_client(s, m);

	if (m->server_id && m->server_id != s->config.address) {
		/* SELECTING another server's offer: ours is free again. */
		if (l && !l->bound) {
			l_queue_remove(s->leases, l);
			l_free(l);
		}
		return 0;
	}
	if (!wanted)
		return -EBADMSG;
	if (!m->server_id && in_previous_subnet(s, wanted))
		return nak_previous(s, m, out, size);
	if (m->server_id)	/* SELECTING our offer */
		return l && l->address == wanted ? ack(s, m, wanted, now, out, size) :
						   reply_with(s, m, DHCP_NAK, 0, out, size);
	/* INIT-REBOOT, RENEWING, REBINDING: fine if it is ours to give this client. */
	if (is_free(s, wanted, now, m))
		return ack(s, m, wanted, now, out, size);
	return reply_with(s, m, DHCP_NAK, 0, out, size);
}

static void handle_release(struct dhcp_server *s, const struct dhcp_client_msg *m, uint64_t now,
			   bool declined)
{
	struct lease *l = find_client(s, m);

	if (!l || (!declined && l->address != m->ciaddr))
		return;
	l->bound = false;
	notify(s, l, false);
	if (declined) {
		/* The address is taken by someone we do not know: hold it back. */
		memset(l->client_id, 0, sizeof(l->client_id));
		l->client_id_len = 0;
		l->declined = true;
		l->expires = now + DECLINED_HOLD;
	} else {
		l->expires = now;	/* remembered, so the client gets it back */
	}
}

int dhcp_server_handle(struct dhcp_server *s, const uint8_t *msg, size_t len, uint64_t now,
		       uint8_t *reply, size_t size)
{
	struct dhcp_client_msg m;

	if (dhcp_packet_parse_client(msg, len, &m) < 0)
		return -EBADMSG;
	switch (m.type) {
	case DHCP_DISCOVER:
		return handle_discover(s, &m, now, reply, size);
	case DHCP_REQUEST:
		return handle_request(s, &m, now, reply, size);
	case DHCP_RELEASE:
	case DHCP_DECLINE:
		if (m.server_id && m.server_id != s->config.address)
			return 0;
		handle_release(s, &m, now, m.type == DHCP_DECLINE);
		return 0;
	case DHCP_INFORM:
		m.flags |= 0x8000;
		return reply_with(s, &m, DHCP_ACK, 0, reply, size);
	case DHCP_OFFER:
	case DHCP_ACK:
	case DHCP_NAK:
		return 0;
	}
	return 0;
}

static uint64_t now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec;
}

/* Replies go out as broadcasts on the interface: every client state accepts
 * them, and no ARP entry is needed for a client that has no address yet. */
static bool readable(struct l_io *io, void *user_data)
{
	struct dhcp_server *s = user_data;
	uint8_t msg[1500], reply[DHCP_MAX_MSG_LEN];
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(DHCP_CLIENT_PORT),
				  .sin_addr.s_addr = INADDR_BROADCAST };
	ssize_t n = recv(l_io_get_fd(io), msg, sizeof(msg), MSG_DONTWAIT);
	int len;

	if (n <= 0)
		return true;
	len = dhcp_server_handle(s, msg, n, now_seconds(), reply, sizeof(reply));
	if (len < 0)
		l_debug("ignoring a malformed DHCP message");
	else if (len > 0 && sendto(l_io_get_fd(io), reply, len, 0, (struct sockaddr *)&to,
				   sizeof(to)) < 0)
		l_debug("DHCP reply not sent: %s", strerror(errno));
	return true;
}

int dhcp_server_start(struct dhcp_server *s, const char *ifname)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(DHCP_SERVER_PORT) };
	int one = 1, fd, err;
	unsigned int mark = MARK_OWN;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, strlen(ifname) + 1) < 0 ||
	    bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	dhcp_server_stop(s);
	s->io = l_io_new(fd);
	l_io_set_close_on_destroy(s->io, true);
	l_io_set_read_handler(s->io, readable, s, NULL);
	return 0;
}

void dhcp_server_stop(struct dhcp_server *s)
{
	l_io_destroy(s->io);
	s->io = NULL;
}

void dhcp_server_foreach_lease(struct dhcp_server *s,
			       void (*fn)(const struct dhcp_server_lease *lease, void *data),
			       void *data)
{
	uint64_t now = now_seconds();

	for (const struct l_queue_entry *e = l_queue_get_entries(s->leases); e; e = e->next) {
		const struct lease *l = e->data;
		struct dhcp_server_lease out = {
			.address = l->address, .expires = l->expires, .hostname = l->hostname,
			.bound = l->bound,
		};

		if (!l->bound || l->declined || l->expires <= now)
			continue;
		memcpy(out.mac, l->mac, 6);
		fn(&out, data);
	}
}
