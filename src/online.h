/* The online check: an HTTP GET of a configured URL over one interface.
 *
 * It resolves the URL's host (A or AAAA) through the given nameservers (no system resolver,
 * so each service is checked through its own link), connects with the socket
 * bound to that interface, and reads the answer. Online means status 204, or
 * status 200 with "X-ConnMan-Status: online" (http_head_online()).
 */
#pragma once

/* result: 1 online, 0 reached but not online (captive portal, wrong answer),
 * <0 negative errno (-ETIMEDOUT, -ENXIO name not resolved, -ECONNREFUSED, ...). */
typedef void (*online_check_cb_t)(int result, void *user_data);

struct online_check;

/* family: AF_INET or AF_INET6, the address family checked (A or AAAA for the
 * host, the socket it connects). nameservers: NULL-terminated addresses of
 * either family, link-local ones as "fe80::1%eth0" (may be NULL when the URL
 * host is a literal). */
struct online_check *online_check_start(const char *url, int family, const char *ifname,
					char *const *nameservers, unsigned int timeout_ms,
					online_check_cb_t cb, void *user_data);
/* Stops a running check; its callback is not called. Accepts NULL. */
void online_check_cancel(struct online_check *check);
