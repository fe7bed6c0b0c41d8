#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/socket.h>
#include <ell/ell.h>

#include "dhcp6-server.h"

/* ff02::1:2, All_DHCP_Relay_Agents_and_Servers */
static const struct in6_addr all_servers = {
	{ { 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2 } }
};

struct dhcp6_server {
	int ifindex;
	char ifname[IF_NAMESIZE];
	struct dhcp6_server_config config;
	struct l_io *io;
};

/* RFC 8415 16.12: an Information-request with an IA or with another
 * server's ID is discarded; without a client ID it is still answered. */
static const char *refuse(const struct dhcp6_server_config *c, const struct dhcp6_client_msg *m)
{
	if (m->type != DHCP6_INFORMATION_REQUEST)
		return "not an Information-request (stateless server)";
	if (m->has_ia)
		return "an Information-request with an IA";
	if (m->server_id.len && !dhcp6_duid_equal(&m->server_id, &c->server_id))
		return "an Information-request for another server";
	return NULL;
}

int dhcp6_server_handle(const struct dhcp6_server_config *c, const uint8_t *in, size_t len,
			uint8_t *out, size_t size, const char **why)
{
	char *domains[DHCP6_MAX_DOMAINS];
	struct dhcp6_client_msg m;
	struct dhcp6_server_reply r = {
		.server_id = &c->server_id, .dns = c->dns, .n_dns = c->n_dns,
		.domains = domains, .n_domains = c->n_domains,
		.info_refresh = DHCP6_SERVER_INFO_REFRESH,
	};

	if (dhcp6_packet_parse_client(in, len, &m) < 0) {
		*why = "malformed";
		return 0;
	}
	*why = refuse(c, &m);
	if (*why)
		return 0;
	for (unsigned int i = 0; i < c->n_domains && i < DHCP6_MAX_DOMAINS; i++)
		domains[i] = (char *)c->domains[i];
	r.xid = m.xid;
	r.client_id = &m.client_id;
	return dhcp6_packet_build_reply(&r, out, size);
}

static bool readable(struct l_io *io, void *data)
{
	struct dhcp6_server *s = data;
	uint8_t in[1500], out[DHCP6_MAX_BUILD_LEN];
	struct sockaddr_in6 from;
	socklen_t from_len = sizeof(from);
	const char *why = NULL;
	ssize_t n = recvfrom(l_io_get_fd(io), in, sizeof(in), MSG_DONTWAIT,
			     (struct sockaddr *)&from, &from_len);
	int len;

	if (n < 0 || from_len < sizeof(from))
		return true;
	len = dhcp6_server_handle(&s->config, in, n, out, sizeof(out), &why);
	if (len == 0) {
		l_debug("%s: DHCPv6 message type %u ignored: %s", s->ifname, n ? in[0] : 0, why);
		return true;
	}
	if (len < 0) {
		l_debug("%s: DHCPv6 reply not built: %s", s->ifname, strerror(-len));
		return true;
	}
	/* Back to the client's link-local address and port, on this link. */
	from.sin6_scope_id = s->ifindex;
	if (sendto(l_io_get_fd(io), out, len, MSG_DONTWAIT, (struct sockaddr *)&from,
		   sizeof(from)) < 0)
		l_debug("%s: DHCPv6 reply not sent: %s", s->ifname, strerror(errno));
	return true;
}

static int open_socket(struct dhcp6_server *s)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_port = htons(DHCP6_SERVER_PORT) };
	struct ipv6_mreq mreq = { .ipv6mr_multiaddr = all_servers, .ipv6mr_interface = s->ifindex };
	int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), one = 1, err;

	if (fd < 0)
		return -errno;
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, s->ifname, strlen(s->ifname)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mreq, sizeof(mreq)) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

struct dhcp6_server *dhcp6_server_start(int ifindex, const struct dhcp6_server_config *config,
					int *err)
{
	struct dhcp6_server *s = l_new(struct dhcp6_server, 1);
	int fd;

	s->ifindex = ifindex;
	s->config = *config;
	if (!if_indextoname(ifindex, s->ifname)) {
		*err = -ENODEV;
		l_free(s);
		return NULL;
	}
	fd = open_socket(s);
	if (fd < 0) {
		*err = fd;
		l_free(s);
		return NULL;
	}
	s->io = l_io_new(fd);
	l_io_set_close_on_destroy(s->io, true);
	l_io_set_read_handler(s->io, readable, s, NULL);
	return s;
}

void dhcp6_server_set(struct dhcp6_server *s, const struct dhcp6_server_config *config)
{
	s->config = *config;
}

void dhcp6_server_free(struct dhcp6_server *s)
{
	if (!s)
		return;
	l_io_destroy(s->io);
	l_free(s);
}
