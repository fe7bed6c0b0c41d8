/* One HTTPS GET through one interface, for the Captive Portal API (RFC
 * 8908) and a portal's page, or POST, for a WISPr hotspot's login: the host
 * is resolved through the given nameservers, the socket bound to the
 * interface (and carrying MARK_OWN) like the online check's, the server's
 * certificate verified by GnuTLS against the system's CA store or a given
 * CA file, with the URL's host checked against it: nothing is sent before.
 * The request is HTTP/1.0, so the answer is never chunked and ends when the
 * server closes. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct https_fetch;

struct https_reply {
	int status;		/* HTTP status, > 0 on success */
	const char *content_type;	/* lowercase, parameters cut; "" when none */
	const char *body;	/* not NUL-terminated */
	size_t body_len;
	/* With params.wispr_window: why reading stopped short of the
	 * page's WISPr message (page_window_cut()); else NULL. */
	const char *cut;
};

/* result: 0 with the reply; or a negative errno with `why`, a readable
 * reason: -EKEYREJECTED the certificate is not trusted (or not for this
 * host), -EPROTO the TLS handshake or the HTTP answer failed, -ENXIO the
 * host was not resolved, -ETIMEDOUT, -EFBIG the answer is too long,
 * -EINVAL / -EPROTONOSUPPORT the URL, -ENOENT the CA file... */
typedef void (*https_fetch_cb_t)(int result, const struct https_reply *reply, const char *why,
				 void *user_data);

struct https_fetch_params {
	const char *url;	/* https://host[:port]/path */
	const char *accept;	/* the Accept header's value; NULL: none */
	int family;		/* AF_INET or AF_INET6: the address asked for and used */
	const char *ifname;
	char *const *nameservers;	/* NULL-terminated; may be NULL for a literal host */
	const char *ca_file;	/* PEM; NULL: the system's trust store */
	unsigned int timeout_ms;
	/* NULL: a GET; else POSTed as application/x-www-form-urlencoded,
	 * wiped from memory when the fetch ends (it may hold a password). */
	const char *form;
	/* false: the whole answer, at most 64 KiB (-EFBIG past that), for
	 * what needs all of it (JSON). true: a portal's page of any size,
	 * read through a window that keeps of its body only the WISPr
	 * message (page-window.h), reading stopped once that is in. */
	bool wispr_window;
};

/* The callback runs once, from the main loop, never inside start; the
 * fetch is gone by then (never cancel it from there). */
struct https_fetch *https_fetch_start(const struct https_fetch_params *params,
				      https_fetch_cb_t cb, void *user_data);
/* Stops a fetch; its callback is not called. Accepts NULL. */
void https_fetch_cancel(struct https_fetch *fetch);
