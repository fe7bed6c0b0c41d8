#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <ell/ell.h>

#include "dns-forward.h"
#include "dns-query.h"
#include "dns-resolver.h"

#define QUERY_MAX 300		/* header, a 255-octet name, type and class */
#define REPLY_MAX 1500

struct dns_resolver {
	char *ifname;
	uint32_t mark;
	uint16_t port;
	unsigned int next_id;
	struct l_queue *lookups;
};

struct lookup {
	unsigned int id;
	struct dns_resolver *r;
	char *name;
	uint16_t type;
	char **servers;
	unsigned int next_server, try_ms;
	bool asked;			/* some server was sent the query */
	uint16_t dns_id;
	struct l_io *io;
	struct l_timeout *timeout;
	/* The result goes out from an idle callback: never inside the io's own
	 * handler (ELL still reads the io after it returns), never inside
	 * dns_resolver_lookup(). */
	struct l_idle *idle;
	int result;
	uint8_t address[16];
	dns_resolver_cb_t cb;
	void *user_data;
	dns_resolver_destroy_t destroy;
};

static void lookup_free(void *data)
{
	struct lookup *l = data;

	l_io_destroy(l->io);
	l_timeout_remove(l->timeout);
	l_idle_remove(l->idle);
	if (l->destroy)
		l->destroy(l->user_data);
	l_strv_free(l->servers);
	l_free(l->name);
	l_free(l);
}

static bool lookup_has_id(const void *data, const void *user_data)
{
	return ((const struct lookup *)data)->id == L_PTR_TO_UINT(user_data);
}

static void deliver(struct l_idle *idle, void *user_data)
{
	struct lookup *l = user_data;
	struct dns_resolver *r = l->r;

	/* Out of the list first: the callback may free the resolver. */
	l_queue_remove(r->lookups, l);
	l->cb(l->result, l->result == 1 ? l->address : NULL, l->user_data);
	lookup_free(l);
}

static void complete(struct lookup *l, int result)
{
	l->result = result;
	l_timeout_remove(l->timeout);
	l->timeout = NULL;
	if (!l->idle)
		l->idle = l_idle_create(deliver, l, NULL);
}

static bool readable(struct l_io *io, void *user_data)
{
	struct lookup *l = user_data;
	uint8_t buf[REPLY_MAX];
	ssize_t n = recv(l_io_get_fd(io), buf, sizeof(buf), 0);
	int ret;

	/* Errors (an ICMP unreachable) leave the server its time: it may still answer. */
	if (n <= 0)
		return true;
	ret = dns_answer_parse(buf, (size_t)n, l->dns_id, l->name, l->type, l->address);
	if (ret < 0) {
		l_debug("%s: ignoring a DNS reply that does not answer our query", l->name);
		return true;
	}
	complete(l, ret);
	return false;
}

static int open_socket(const struct dns_resolver *r, const struct dns_server *server)
{
	int fd = socket(server->addr.sa.sa_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	if ((r->ifname && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, r->ifname,
				     strlen(r->ifname) + 1) < 0) ||
	    (r->mark && setsockopt(fd, SOL_SOCKET, SO_MARK, &r->mark, sizeof(r->mark)) < 0)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* Sends the query to one server: 0, 1 when this server cannot be reached
 * (try the next), <0 when no socket can be made at all. */
static int ask(struct lookup *l, struct dns_server *server)
{
	uint8_t query[QUERY_MAX];
	int len, fd;

	l_getrandom(&l->dns_id, sizeof(l->dns_id));
	len = dns_query_build(l->dns_id, l->name, l->type, query, sizeof(query));
	if (len < 0)
		return len;
	fd = open_socket(l->r, server);
	if (fd < 0)
		return fd;
	l->io = l_io_new(fd);
	l_io_set_close_on_destroy(l->io, true);
	if (server->addr.sa.sa_family == AF_INET6)
		server->addr.in6.sin6_port = htons(l->r->port);
	else
		server->addr.in.sin_port = htons(l->r->port);
	if (connect(fd, &server->addr.sa, server->addr_len) < 0 ||
	    send(fd, query, (size_t)len, 0) < 0) {
		l_debug("%s: DNS query to %s not sent: %s", l->name, server->text,
			strerror(errno));
		return 1;
	}
	l->asked = true;
	l_io_set_read_handler(l->io, readable, l, NULL);
	return 0;
}

/* Moves on to the next server that takes the query, or ends the lookup. */
static void ask_next(struct lookup *l)
{
	struct dns_server server;
	int err = 1;

	l_io_destroy(l->io);
	l->io = NULL;
	while (err > 0 && l->servers[l->next_server]) {
		if (dns_server_parse(l->servers[l->next_server++], &server) < 0)
			continue;
		l_io_destroy(l->io);
		l->io = NULL;
		err = ask(l, &server);
	}
	if (err < 0)
		complete(l, err);
	else if (err > 0)
		complete(l, l->asked ? -ETIMEDOUT : -ENXIO);
	else
		l_timeout_modify_ms(l->timeout, l->try_ms);
}

static void try_expired(struct l_timeout *timeout, void *user_data)
{
	ask_next(user_data);
}

struct dns_resolver *dns_resolver_new(const char *ifname, uint32_t mark)
{
	struct dns_resolver *r = l_new(struct dns_resolver, 1);

	r->ifname = l_strdup(ifname);
	r->mark = mark;
	r->port = 53;
	r->lookups = l_queue_new();
	return r;
}

void dns_resolver_free(struct dns_resolver *r)
{
	if (!r)
		return;
	l_queue_destroy(r->lookups, lookup_free);
	l_free(r->ifname);
	l_free(r);
}

void dns_resolver_set_port(struct dns_resolver *r, uint16_t port)
{
	r->port = port;
}

unsigned int dns_resolver_lookup(struct dns_resolver *r, const char *name, uint16_t type,
				 char *const *nameservers, unsigned int try_ms,
				 dns_resolver_cb_t cb, void *user_data,
				 dns_resolver_destroy_t destroy)
{
	struct lookup *l = l_new(struct lookup, 1);

	if (++r->next_id == 0)
		r->next_id = 1;
	l->id = r->next_id;
	l->r = r;
	l->name = l_strdup(name);
	l->type = type;
	l->servers = nameservers ? l_strv_copy((char **)nameservers) : l_new(char *, 1);
	l->try_ms = try_ms;
	l->cb = cb;
	l->user_data = user_data;
	l->destroy = destroy;
	l->timeout = l_timeout_create_ms(try_ms, try_expired, l, NULL);
	l_queue_push_tail(r->lookups, l);
	if (!l->timeout) {
		/* Without a timer a lost reply would hold the lookup for good. */
		l_warn("%s: lookup failed: no timer (out of file descriptors)", l->name);
		complete(l, -EMFILE);
		return l->id;
	}
	ask_next(l);
	return l->id;
}

bool dns_resolver_cancel(struct dns_resolver *r, unsigned int id)
{
	struct lookup *l = l_queue_remove_if(r->lookups, lookup_has_id, L_UINT_TO_PTR(id));

	if (!l)
		return false;
	lookup_free(l);
	return true;
}
