/* The online check: an HTTP GET of a configured URL over one interface.
 *
 * It resolves the URL's host through the given nameservers (no system resolver,
 * so each service is checked through its own link), connects with the socket
 * bound to that interface, and reads the answer. Online means status 204, or
 * status 200 with no "X-ConnMan-Status" header other than "online".
 */
#pragma once

/* result: 1 online, 0 reached but not online (captive portal, wrong answer),
 * <0 negative errno (-ETIMEDOUT, -ENXIO name not resolved, -ECONNREFUSED, ...). */
typedef void (*online_check_cb_t)(int result, void *user_data);

struct online_check;

/* nameservers: NULL-terminated dotted IPv4 strings (may be NULL when the URL host is a literal). */
struct online_check *online_check_start(const char *url, const char *ifname,
					char *const *nameservers, unsigned int timeout_ms,
					online_check_cb_t cb, void *user_data);
/* Stops a running check; its callback is not called. Accepts NULL. */
void online_check_cancel(struct online_check *check);
