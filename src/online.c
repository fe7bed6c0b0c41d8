/* The online check: resolve, connect, GET, read the head, decide. Every
 * socket is bound to the service's interface and carries MARK_OWN, so the
 * check measures that link, whatever the default route and sessions say. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <ell/ell.h>

#include "connd-config.h"
#include "dns-query.h"
#include "dns-resolver.h"
#include "http-head.h"
#include "marks.h"
#include "online.h"
#include "page-window.h"

#define HEAD_MAX 8192
#define DNS_TRY_MS 1500

struct online_check {
	int family;		/* of the address the URL's host must have */
	char *host;
	char *path;
	uint16_t port;
	char *ifname;
	char **nameservers;
	struct dns_resolver *resolver;
	online_check_cb_t cb;
	void *user_data;
	struct l_timeout *deadline;
	struct l_io *io;
	struct l_idle *idle;
	char *form;		/* a POST's body; NULL for a GET */
	struct http_head parsed;	/* once the head is complete (parsed.status != 0) */
	char head[HEAD_MAX];
	size_t head_len;	/* bytes in head[], the body's first ones included */
	/* The body, read through a window that keeps its WISPr message only:
	 * a page of any size in fixed memory. */
	struct page_window body;
	size_t body_len;	/* bytes of the body read */
	int early_result;
};

/* http://host[:port][/path], the host an IPv6 literal in brackets if need
 * be; only http: the check needs no secrecy. */
static int parse_url(struct online_check *c, const char *url)
{
	const char *host = url + 7, *host_end, *end, *colon;
	char *port_end;
	unsigned long port = 80;

	if (strncmp(url, "http://", 7))
		return strncmp(url, "https://", 8) ? -EINVAL : -EPROTONOSUPPORT;
	end = host + strcspn(host, "/");
	if (*host == '[') {
		host_end = memchr(host, ']', end - host);
		if (!host_end)
			return -EINVAL;
		colon = host_end + 1 < end && host_end[1] == ':' ? host_end + 1 : NULL;
		if (!colon && host_end + 1 != end)
			return -EINVAL;
		host++;
	} else {
		colon = memchr(host, ':', end - host);
		host_end = colon ? colon : end;
	}
	if (colon) {
		port = strtoul(colon + 1, &port_end, 10);
		if (port_end != end || port == 0 || port > 65535)
			return -EINVAL;
	}
	if (host_end == host)
		return -EINVAL;
	c->host = l_strndup(host, host_end - host);
	c->path = l_strdup(*end ? end : "/");
	c->port = port;
	return 0;
}

static void nothing(void *user_data)
{
}

static void destroy_io(void *user_data)
{
	l_io_destroy(user_data);
}

/* The socket is often stopped from inside its own callback, where ELL still
 * uses the l_io after the handler returns: silence it now, free it from the
 * main loop (or at exit, when the idle is removed). */
static void stop_io(struct online_check *c)
{
	if (c->io) {
		l_io_set_read_handler(c->io, NULL, NULL, NULL);
		l_io_set_write_handler(c->io, NULL, NULL, NULL);
		l_idle_oneshot(nothing, c->io, destroy_io);
	}
	c->io = NULL;
}

void online_check_cancel(struct online_check *c)
{
	if (!c)
		return;
	stop_io(c);
	dns_resolver_free(c->resolver);
	l_timeout_remove(c->deadline);
	l_idle_remove(c->idle);
	l_strv_free(c->nameservers);
	if (c->form)
		explicit_bzero(c->form, strlen(c->form));
	l_free(c->form);
	l_free(c->host);
	l_free(c->path);
	l_free(c->ifname);
	l_free(c);
}

static void finish(struct online_check *c, int result)
{
	online_check_cb_t cb = c->cb;
	void *user_data = c->user_data;

	online_check_cancel(c);
	cb(result, NULL, user_data);
}

/* The answer is what the server sent: a page that proves nothing, or a
 * portal's redirect. */
static void finish_answer(struct online_check *c)
{
	online_check_cb_t cb = c->cb;
	void *user_data = c->user_data;
	struct online_answer answer = {
		.status = c->parsed.status,
		.location = c->parsed.location,
		.cut = page_window_cut(&c->body),
	};
	int result = http_head_online(&c->parsed);

	answer.body = page_window_data(&c->body, &answer.body_len);
	/* Freed after the callback: the answer points into it. */
	c->cb = NULL;
	cb(result, &answer, user_data);
	online_check_cancel(c);
}

static int bound_socket(struct online_check *c, int family, int type)
{
	int fd = socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	unsigned int mark = MARK_OWN;

	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, c->ifname, strlen(c->ifname) + 1) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static struct l_io *watch(int fd)
{
	struct l_io *io = l_io_new(fd);

	l_io_set_close_on_destroy(io, true);
	return io;
}

/* Takes the next bytes of the body; true when no more are wanted: all of
 * it came (its length; the end of the connection is the caller's to see),
 * or the window has the WISPr message, or gave up. */
static bool take_body(struct online_check *c, const char *data, size_t len)
{
	long length = c->parsed.content_length;

	if (length >= 0 && len > (size_t)length - c->body_len)
		len = (size_t)length - c->body_len;	/* past its length: not the page's */
	c->body_len += len;
	if (page_window_feed(&c->body, data, len) == 1)
		return true;
	return length >= 0 && c->body_len >= (size_t)length;
}

/* 1 the head is complete, 0 more of it is needed, -EBADMSG not HTTP. */
static int take_head(struct online_check *c)
{
	int ret = http_head_parse(c->head, c->head_len, &c->parsed);

	if (ret == 0 && c->head_len < sizeof(c->head))
		return 0;
	if (ret <= 0)
		return -EBADMSG;
	l_debug("%s: HTTP %d from %s", c->ifname, c->parsed.status, c->host);
	return 1;
}

/* Head first: an answer that proves access ends the check at once; any
 * other is read on, for the portal's page, until the window has had
 * enough of it. */
static bool http_readable(struct l_io *io, void *user_data)
{
	struct online_check *c = user_data;
	char chunk[4096];
	bool in_body = c->parsed.status;
	char *to = in_body ? chunk : c->head + c->head_len;
	size_t room = in_body ? sizeof(chunk) : sizeof(c->head) - c->head_len;
	ssize_t n = recv(l_io_get_fd(io), to, room, 0);
	int ret;

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return true;
	if (n == 0 && in_body) {
		finish_answer(c);	/* Connection: close ends the page */
		return false;
	}
	if (n <= 0) {
		finish(c, n < 0 ? -errno : -ECONNRESET);
		return false;
	}
	if (in_body) {
		if (!take_body(c, chunk, n))
			return true;
		finish_answer(c);
		return false;
	}
	c->head_len += n;
	ret = take_head(c);
	if (ret == 0)
		return true;
	if (ret < 0 || (http_head_online(&c->parsed) && !c->form)) {
		finish(c, ret < 0 ? ret : 1);
		return false;
	}
	/* The body's first bytes came with the head. */
	if (!take_body(c, c->head + c->parsed.head_len, c->head_len - c->parsed.head_len))
		return true;
	finish_answer(c);
	return false;
}

/* An IPv6 literal goes back into its brackets in the Host header. The
 * request is short: it goes out in one send. */
static char *build_request(const struct online_check *c)
{
	bool v6 = strchr(c->host, ':');
	char *port = c->port == 80 ? l_strdup("") : l_strdup_printf(":%u", c->port);
	char *request;

	if (c->form)
		request = l_strdup_printf("POST %s HTTP/1.1\r\nHost: %s%s%s%s\r\n"
					  "User-Agent: connd/%s\r\nConnection: close\r\n"
					  "Content-Type: application/x-www-form-urlencoded\r\n"
					  "Content-Length: %zu\r\n\r\n%s", c->path,
					  v6 ? "[" : "", c->host, v6 ? "]" : "", port, CONND_VERSION,
					  strlen(c->form), c->form);
	else
		request = l_strdup_printf("GET %s HTTP/1.1\r\nHost: %s%s%s%s\r\n"
					  "User-Agent: connd/%s\r\nConnection: close\r\n\r\n",
					  c->path, v6 ? "[" : "", c->host, v6 ? "]" : "", port,
					  CONND_VERSION);
	l_free(port);
	return request;
}

static bool http_connected(struct l_io *io, void *user_data)
{
	struct online_check *c = user_data;
	int fd = l_io_get_fd(io), err = 0;
	socklen_t len = sizeof(err);
	char *request;
	ssize_t sent;

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err) {
		finish(c, -(err ? err : errno));
		return false;
	}
	request = build_request(c);
	sent = send(fd, request, strlen(request), MSG_NOSIGNAL);
	explicit_bzero(request, strlen(request));
	l_free(request);
	if (sent < 0) {
		finish(c, -errno);
		return false;
	}
	l_io_set_read_handler(io, http_readable, c, NULL);
	return false;
}

/* address: 4 or 16 octets, as c->family says. */
static void connect_http(struct online_check *c, const void *address)
{
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6, .sin6_port = htons(c->port) };
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(c->port) };
	bool v6 = c->family == AF_INET6;
	int fd = bound_socket(c, c->family, SOCK_STREAM);

	stop_io(c);
	if (fd < 0) {
		finish(c, fd);
		return;
	}
	if (v6)
		memcpy(&in6.sin6_addr, address, 16);
	else
		memcpy(&in.sin_addr, address, 4);
	c->io = watch(fd);
	if (connect(fd, v6 ? (struct sockaddr *)&in6 : (struct sockaddr *)&in,
		    v6 ? sizeof(in6) : sizeof(in)) < 0 && errno != EINPROGRESS) {
		finish(c, -errno);
		return;
	}
	l_io_set_write_handler(c->io, http_connected, c, NULL);
}

static void resolved(int result, const void *address, void *user_data)
{
	struct online_check *c = user_data;

	if (result == 1)
		connect_http(c, address);
	else
		finish(c, result == 0 ? -ENXIO : result);
}

/* Nameservers of either family (fe80::1%eth0 too), asked for the host's
 * address of the check's family. */
static void resolve(struct online_check *c)
{
	uint16_t type = c->family == AF_INET6 ? DNS_TYPE_AAAA : DNS_TYPE_A;

	dns_resolver_lookup(c->resolver, c->host, type, c->nameservers, DNS_TRY_MS, resolved, c,
			    NULL);
}

/* A server that keeps the connection open past its page (chunked, or
 * deaf to Connection: close) still gave its answer. */
static void deadline_reached(struct l_timeout *timeout, void *user_data)
{
	struct online_check *c = user_data;

	if (c->parsed.status)
		finish_answer(c);
	else
		finish(c, -ETIMEDOUT);
}

static void begin(struct l_idle *idle, void *user_data)
{
	struct online_check *c = user_data;
	uint8_t literal[16];

	l_idle_remove(c->idle);
	c->idle = NULL;
	if (c->early_result < 0)
		finish(c, c->early_result);
	else if (inet_pton(c->family, c->host, literal) == 1)
		connect_http(c, literal);
	else if (strchr(c->host, ':'))
		finish(c, -EAFNOSUPPORT);	/* a literal of the other family */
	else
		resolve(c);
}

struct online_check *online_check_start(const char *url, int family, const char *ifname,
					char *const *nameservers, unsigned int timeout_ms,
					online_check_cb_t cb, void *user_data)
{
	struct online_check *c = l_new(struct online_check, 1);

	page_window_init(&c->body);
	c->family = family;
	c->ifname = l_strdup(ifname);
	c->resolver = dns_resolver_new(ifname, MARK_OWN);
	c->nameservers = l_strv_copy((char **)nameservers);
	c->cb = cb;
	c->user_data = user_data;
	/* Results, even immediate ones, arrive from the main loop, never inside start. */
	c->early_result = parse_url(c, url);
	c->idle = l_idle_create(begin, c, NULL);
	c->deadline = l_timeout_create_ms(timeout_ms ? timeout_ms : 10000, deadline_reached, c,
					  NULL);
	/* A check without its deadline could wait for good: it fails, and the
	 * service's retry (on the ticker, which cannot fail) tries again. */
	if (!c->deadline && c->early_result >= 0) {
		l_warn("online check on %s: no timer (out of file descriptors)", ifname);
		c->early_result = -EMFILE;
	}
	return c;
}

struct online_check *online_post_start(const char *url, int family, const char *ifname,
				       char *const *nameservers, unsigned int timeout_ms,
				       const char *form, online_check_cb_t cb, void *user_data)
{
	struct online_check *c = online_check_start(url, family, ifname, nameservers, timeout_ms,
						    cb, user_data);

	c->form = l_strdup(form);
	return c;
}
