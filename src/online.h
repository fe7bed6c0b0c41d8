/* The online check: an HTTP GET of a configured URL over one interface.
 *
 * It resolves the URL's host (A or AAAA) through the given nameservers (no system resolver,
 * so each service is checked through its own link), connects with the socket
 * bound to that interface, and reads the answer. Online means status 204, or
 * status 200 with "X-ConnMan-Status: online" (http_head_online()).
 */
#pragma once

#include <stddef.h>

/* What a server that did not prove access answered. Its page is read
 * whole (up to PAGE_WINDOW_PAGE_MAX) in fixed memory: of its body only the
 * WISPr message is kept (page-window.h), all that a portal's page is read
 * for. */
struct online_answer {
	int status;
	const char *location;	/* the Location header, "" when none */
	/* NUL-terminated: the <WISPAccessGatewayParam> element when the page
	 * has one, else a few bytes of its end. */
	const char *body;
	size_t body_len;
	const char *cut;	/* why reading stopped short of the element; NULL */
};

/* result: 1 online, 0 reached but not online (captive portal, wrong answer:
 * `answer` says what came), <0 negative errno (-ETIMEDOUT, -ENXIO name not
 * resolved, -ECONNREFUSED, ...; `answer` NULL). */
typedef void (*online_check_cb_t)(int result, const struct online_answer *answer,
				  void *user_data);

struct online_check;

/* family: AF_INET or AF_INET6, the address family checked (A or AAAA for the
 * host, the socket it connects). nameservers: NULL-terminated addresses of
 * either family, link-local ones as "fe80::1%eth0" (may be NULL when the URL
 * host is a literal). */
struct online_check *online_check_start(const char *url, int family, const char *ifname,
					char *const *nameservers, unsigned int timeout_ms,
					online_check_cb_t cb, void *user_data);
/* The same request as a POST of `form` (application/x-www-form-urlencoded):
 * a hotspot login. The form is wiped when the request ends: it may hold a
 * password. Results as above. */
struct online_check *online_post_start(const char *url, int family, const char *ifname,
				       char *const *nameservers, unsigned int timeout_ms,
				       const char *form, online_check_cb_t cb, void *user_data);
/* Stops a running check; its callback is not called. Accepts NULL. */
void online_check_cancel(struct online_check *check);
