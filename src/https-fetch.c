/* An HTTPS GET or POST over GnuTLS on a non-blocking socket bound to one link:
 * resolve, connect, handshake (certificate and host verified), send, read
 * until the server closes, split head and body. See https-fetch.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <ell/ell.h>

#include "connd-config.h"
#include "dns-query.h"
#include "dns-resolver.h"
#include "http-head.h"
#include "https-fetch.h"
#include "https-url.h"
#include "marks.h"
#include "page-window.h"
#include "tls-lib.h"

#define ANSWER_MAX (64 * 1024)
#define HEAD_MAX 8192	/* the head, when the body goes through a window */
#define RECV_MAX 4096
#define DNS_TRY_MS 1500

enum stage { STAGE_HANDSHAKE, STAGE_SEND, STAGE_RECV };

struct https_fetch {
	struct https_url url;
	int family;
	char *ifname;
	char *accept;
	char *ca_file;
	char **nameservers;
	struct dns_resolver *resolver;
	const struct tls_lib *tls;	/* set with cred and session */
	gnutls_certificate_credentials_t cred;
	gnutls_session_t session;
	enum stage stage;
	char *request;
	size_t sent;
	char *answer;
	size_t answer_len;
	/* With params.wispr_window: answer[] holds the head only, the body
	 * goes through the window. NULL: the whole answer is in answer[]. */
	struct page_window *window;
	size_t head_len;	/* of answer[], once the head is complete; 0 before */
	https_fetch_cb_t cb;
	void *user_data;
	struct l_timeout *deadline;
	struct l_io *io;
	struct l_idle *idle;
	int early_result;
};

static void nothing(void *user_data)
{
}

static void destroy_io(void *user_data)
{
	l_io_destroy(user_data);
}

/* As in online.c: ELL still uses an l_io after the handler that stopped it
 * returns, so it is freed from the main loop. */
static void stop_io(struct https_fetch *f)
{
	if (f->io) {
		l_io_set_read_handler(f->io, NULL, NULL, NULL);
		l_io_set_write_handler(f->io, NULL, NULL, NULL);
		l_idle_oneshot(nothing, f->io, destroy_io);
	}
	f->io = NULL;
}

void https_fetch_cancel(struct https_fetch *f)
{
	if (!f)
		return;
	/* The session goes before the socket it writes to. */
	if (f->session)
		f->tls->deinit(f->session);
	if (f->cred)
		f->tls->certificate_free_credentials(f->cred);
	stop_io(f);
	dns_resolver_free(f->resolver);
	l_timeout_remove(f->deadline);
	l_idle_remove(f->idle);
	l_strv_free(f->nameservers);
	l_free(f->ifname);
	l_free(f->accept);
	l_free(f->ca_file);
	if (f->request)
		explicit_bzero(f->request, strlen(f->request));	/* a form's password */
	l_free(f->request);
	l_free(f->answer);
	l_free(f->window);
	l_free(f);
}

static void fail(struct https_fetch *f, int result, const char *why)
{
	https_fetch_cb_t cb = f->cb;
	void *user_data = f->user_data;
	char *copy = l_strdup(why);

	https_fetch_cancel(f);
	cb(result, NULL, copy, user_data);
	l_free(copy);
}

static void fail_gnutls(struct https_fetch *f, int result, const char *what, int err)
{
	char *why = l_strdup_printf("%s: %s", what, f->tls->strerror(err));

	fail(f, result, why);
	l_free(why);
}

/* Content-Type's media type, lowercase, "" when none. */
static void content_type(const char *head, size_t len, char *out, size_t size)
{
	const char *end = head + len, *p = head;

	out[0] = '\0';
	while ((p = memchr(p, '\n', end - p)) && ++p < end) {
		size_t n = 0;

		if (end - p < 13 || strncasecmp(p, "content-type:", 13))
			continue;
		for (p += 13; p < end && (*p == ' ' || *p == '\t'); p++)
			;
		while (p + n < end && n + 1 < size && !strchr(";\r\n \t", p[n])) {
			out[n] = p[n] >= 'A' && p[n] <= 'Z' ? p[n] + 32 : p[n];
			n++;
		}
		out[n] = '\0';
		return;
	}
}

/* The server closed (or the window has what it wants): split the answer
 * and report it. */
static void finish(struct https_fetch *f)
{
	char *answer = f->answer;
	size_t len = f->window ? f->head_len : f->answer_len;
	const char *sep = answer ? memmem(answer, len, "\r\n\r\n", 4) : NULL;
	struct page_window *window = f->window;
	struct http_head head;
	struct https_reply reply;
	https_fetch_cb_t cb = f->cb;
	void *user_data = f->user_data;
	char type[64];

	if (!sep || http_head_parse(answer, sep + 4 - answer, &head) != 1) {
		fail(f, -EPROTO, "no HTTP answer");
		return;
	}
	content_type(answer, sep + 2 - answer, type, sizeof(type));
	reply = (struct https_reply) {
		.status = head.status, .content_type = type, .body = sep + 4,
		.body_len = len - (sep + 4 - answer),
	};
	if (window) {
		reply.body = page_window_data(window, &reply.body_len);
		reply.cut = page_window_cut(window);
	}
	/* The fetch is gone before its owner hears, as with fail(). */
	f->answer = NULL;
	f->window = NULL;
	https_fetch_cancel(f);
	cb(0, &reply, NULL, user_data);
	l_free(answer);
	l_free(window);
}

static void step(struct https_fetch *f);

static bool io_ready(struct l_io *io, void *user_data)
{
	step(user_data);
	return true;
}

/* Waits for whichever way GnuTLS said it is blocked. */
static void wait_io(struct https_fetch *f)
{
	bool writing = f->tls->record_get_direction(f->session) == 1;

	l_io_set_read_handler(f->io, writing ? NULL : io_ready, writing ? NULL : f, NULL);
	l_io_set_write_handler(f->io, writing ? io_ready : NULL, writing ? f : NULL, NULL);
}

static void handshake_failed(struct https_fetch *f, int err)
{
	unsigned int status;
	gnutls_datum_t text = { NULL, 0 };
	char *why;

	if (err != GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR) {
		fail_gnutls(f, -EPROTO, "TLS handshake failed", err);
		return;
	}
	status = f->tls->session_get_verify_cert_status(f->session);
	f->tls->verification_status_print(status, GNUTLS_CRT_X509, &text, 0);
	/* GnuTLS ends its sentences with ". ": one line in the log. */
	while (text.data && text.size && strchr(" .", text.data[text.size - 1]))
		text.data[--text.size] = '\0';
	why = l_strdup_printf("certificate of %s not trusted: %s", f->url.host,
			      text.data ? (char *)text.data : "?");
	(*f->tls->free)(text.data);
	fail(f, -EKEYREJECTED, why);
	l_free(why);
}

/* Appends to answer[]; -EFBIG past `max`. */
static int append(struct https_fetch *f, const char *data, size_t len, size_t max)
{
	if (f->answer_len + len > max)
		return -EFBIG;
	f->answer = l_realloc(f->answer, f->answer_len + len);
	memcpy(f->answer + f->answer_len, data, len);
	f->answer_len += len;
	return 0;
}

/* With a window: the head into answer[], the body through the window. 1
 * when no more is wanted, 0 when more is, -EFBIG for a head too long. */
static int take_windowed(struct https_fetch *f, const char *data, size_t len)
{
	const char *sep;

	if (f->head_len)
		return page_window_feed(f->window, data, len);
	/* Never past HEAD_MAX and one read: a longer head fails below. */
	if (append(f, data, len, HEAD_MAX + RECV_MAX) < 0)
		return -EFBIG;
	sep = memmem(f->answer, f->answer_len, "\r\n\r\n", 4);
	if (!sep)
		return f->answer_len > HEAD_MAX ? -EFBIG : 0;
	f->head_len = sep + 4 - f->answer;
	/* The body's first bytes came with the head. */
	return page_window_feed(f->window, f->answer + f->head_len,
				f->answer_len - f->head_len);
}

/* Reads until the server closes (HTTP/1.0), or the window has what it
 * wants. A close without TLS's close_notify counts as the end too, as
 * many servers do it: a cut answer shows as malformed JSON. */
static int receive(struct https_fetch *f)
{
	for (;;) {
		char buf[RECV_MAX];
		ssize_t n = f->tls->record_recv(f->session, buf, sizeof(buf));
		int ret;

		if (n == 0 || n == GNUTLS_E_PREMATURE_TERMINATION)
			return 1;
		if (n < 0)
			return (int)n;
		ret = f->window ? take_windowed(f, buf, n) : append(f, buf, n, ANSWER_MAX);
		if (ret != 0)
			return ret;
	}
}

static int send_request(struct https_fetch *f)
{
	size_t len = strlen(f->request);

	while (f->sent < len) {
		ssize_t n = f->tls->record_send(f->session, f->request + f->sent, len - f->sent);

		if (n < 0)
			return (int)n;
		f->sent += n;
	}
	return 0;
}

static void step(struct https_fetch *f)
{
	int ret;

	if (f->stage == STAGE_HANDSHAKE) {
		ret = f->tls->handshake(f->session);
		if (ret < 0 && !f->tls->error_is_fatal(ret)) {
			wait_io(f);
			return;
		}
		if (ret < 0) {
			handshake_failed(f, ret);
			return;
		}
		f->stage = STAGE_SEND;
	}
	if (f->stage == STAGE_SEND) {
		ret = send_request(f);
		if (ret < 0 && !f->tls->error_is_fatal(ret)) {
			wait_io(f);
			return;
		}
		if (ret < 0) {
			fail_gnutls(f, -EPROTO, "sending the request failed", ret);
			return;
		}
		f->stage = STAGE_RECV;
	}
	ret = receive(f);
	if (ret == 1)
		finish(f);
	else if (ret == -EFBIG)
		fail(f, -EFBIG, "answer too long");
	else if (!f->tls->error_is_fatal(ret))
		wait_io(f);
	else
		fail_gnutls(f, -EPROTO, "reading the answer failed", ret);
}

/* Trust: the CA file when given, else the system's store. */
static int load_trust(struct https_fetch *f, char **why)
{
	int ret = f->tls->certificate_allocate_credentials(&f->cred);

	if (ret < 0) {
		*why = l_strdup(f->tls->strerror(ret));
		return -ENOMEM;
	}
	ret = f->ca_file ? f->tls->certificate_set_x509_trust_file(f->cred, f->ca_file,
								  GNUTLS_X509_FMT_PEM) :
			   f->tls->certificate_set_x509_system_trust(f->cred);
	if (ret <= 0) {
		*why = l_strdup_printf("no trusted CA certificate in %s%s%s",
				       f->ca_file ? f->ca_file : "the system store",
				       ret < 0 ? ": " : "", ret < 0 ? f->tls->strerror(ret) : "");
		return -ENOENT;
	}
	return 0;
}

static int start_tls(struct https_fetch *f, char **why)
{
	bool literal = strchr(f->url.host, ':') || inet_addr(f->url.host) != INADDR_NONE;
	const char *err;
	int ret;

	f->tls = tls_lib_get(&err);
	if (!f->tls) {
		*why = l_strdup_printf("TLS unavailable: %s", err);
		return -ENOPKG;
	}
	ret = load_trust(f, why);
	if (ret < 0)
		return ret;
	ret = f->tls->init(&f->session, GNUTLS_CLIENT | GNUTLS_NONBLOCK);
	if (ret >= 0)
		ret = f->tls->set_default_priority(f->session);
	if (ret >= 0)
		ret = f->tls->credentials_set(f->session, GNUTLS_CRD_CERTIFICATE, f->cred);
	/* SNI names hosts, never addresses (RFC 6066). */
	if (ret >= 0 && !literal)
		ret = f->tls->server_name_set(f->session, GNUTLS_NAME_DNS, f->url.host,
					     strlen(f->url.host));
	if (ret < 0) {
		*why = l_strdup(f->tls->strerror(ret));
		return -EPROTO;
	}
	/* The handshake fails unless the chain is trusted and names the host. */
	f->tls->session_set_verify_cert(f->session, f->url.host, 0);
	f->tls->transport_set_int2(f->session, l_io_get_fd(f->io), l_io_get_fd(f->io));
	f->tls->handshake_set_timeout(f->session, GNUTLS_INDEFINITE_TIMEOUT);
	return 0;
}

static bool connected(struct l_io *io, void *user_data)
{
	struct https_fetch *f = user_data;
	int fd = l_io_get_fd(io), err = 0, ret;
	socklen_t len = sizeof(err);
	char *why = NULL;

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err) {
		err = err ? err : errno;
		why = l_strdup_printf("cannot connect to %s: %s", f->url.host, strerror(err));
		fail(f, -err, why);
		l_free(why);
		return true;
	}
	ret = start_tls(f, &why);
	if (ret < 0) {
		fail(f, ret, why);
		l_free(why);
		return true;
	}
	/* Handlers return true: wait_io() alone says which ones run. */
	step(f);
	return true;
}

static int bound_socket(struct https_fetch *f)
{
	int fd = socket(f->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	unsigned int mark = MARK_OWN;

	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, f->ifname, strlen(f->ifname) + 1) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* address: 4 or 16 octets, as f->family says. */
static void connect_to(struct https_fetch *f, const void *address)
{
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6, .sin6_port = htons(f->url.port) };
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(f->url.port) };
	bool v6 = f->family == AF_INET6;
	int fd = bound_socket(f);

	if (fd < 0) {
		fail(f, fd, "no socket");
		return;
	}
	if (v6)
		memcpy(&in6.sin6_addr, address, 16);
	else
		memcpy(&in.sin_addr, address, 4);
	f->io = l_io_new(fd);
	l_io_set_close_on_destroy(f->io, true);
	if (connect(fd, v6 ? (struct sockaddr *)&in6 : (struct sockaddr *)&in,
		    v6 ? sizeof(in6) : sizeof(in)) < 0 && errno != EINPROGRESS) {
		fail(f, -errno, strerror(errno));
		return;
	}
	l_io_set_write_handler(f->io, connected, f, NULL);
}

static void resolved(int result, const void *address, void *user_data)
{
	struct https_fetch *f = user_data;
	char *why;

	if (result == 1) {
		connect_to(f, address);
		return;
	}
	why = l_strdup_printf("cannot resolve %s", f->url.host);
	fail(f, result == 0 ? -ENXIO : result, why);
	l_free(why);
}

static void deadline_reached(struct l_timeout *timeout, void *user_data)
{
	fail(user_data, -ETIMEDOUT, "no answer in time");
}

static void begin(struct l_idle *idle, void *user_data)
{
	struct https_fetch *f = user_data;
	uint8_t literal[16];
	uint16_t type = f->family == AF_INET6 ? DNS_TYPE_AAAA : DNS_TYPE_A;

	l_idle_remove(f->idle);
	f->idle = NULL;
	if (f->early_result < 0)
		fail(f, f->early_result, "not an https: URL");
	else if (inet_pton(f->family, f->url.host, literal) == 1)
		connect_to(f, literal);
	else if (strchr(f->url.host, ':'))
		fail(f, -EAFNOSUPPORT, "an address of the other family");
	else
		dns_resolver_lookup(f->resolver, f->url.host, type, f->nameservers, DNS_TRY_MS,
				    resolved, f, NULL);
}

static char *build_request(const struct https_fetch *f, const char *form)
{
	const char *agent = "connd/" CONND_VERSION;
	int len = https_url_request(&f->url, f->accept, agent, form, NULL, 0);
	char *request = l_malloc(len + 1);

	https_url_request(&f->url, f->accept, agent, form, request, len + 1);
	return request;
}

struct https_fetch *https_fetch_start(const struct https_fetch_params *p,
				      https_fetch_cb_t cb, void *user_data)
{
	struct https_fetch *f = l_new(struct https_fetch, 1);

	f->family = p->family;
	f->ifname = l_strdup(p->ifname);
	f->accept = l_strdup(p->accept);
	f->ca_file = l_strdup(p->ca_file);
	f->nameservers = l_strv_copy((char **)p->nameservers);
	f->resolver = dns_resolver_new(p->ifname, MARK_OWN);
	f->cb = cb;
	f->user_data = user_data;
	if (p->wispr_window) {
		f->window = l_new(struct page_window, 1);
		page_window_init(f->window);
	}
	f->early_result = https_url_parse(p->url, &f->url);
	if (f->early_result >= 0)
		f->request = build_request(f, p->form);
	/* Results, even immediate ones, arrive from the main loop. */
	f->idle = l_idle_create(begin, f, NULL);
	f->deadline = l_timeout_create_ms(p->timeout_ms ? p->timeout_ms : 10000,
					  deadline_reached, f, NULL);
	if (!f->deadline && f->early_result >= 0)
		f->early_result = -EMFILE;
	return f;
}
