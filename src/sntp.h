/* One SNTP synchronisation: asks each timeserver in turn (an address, or a
 * name looked up with an A query to `resolver`) until one gives a valid
 * reply to our request, and reports the clock offset it measured. Never
 * touches the clock itself. */
#pragma once

#include "sntp-packet.h"

struct sntp;

/* err: 0 with the result and the server that gave it, or -ETIMEDOUT when
 * none did. */
typedef void (*sntp_done_fn)(int err, const struct sntp_result *result, const char *server,
			     void *data);

/* servers are copied; resolver is a nameserver address of either family
 * (may be NULL: then only address literals are tried). done runs from the main loop, never
 * before this returns. */
struct sntp *sntp_start(char *const *servers, const char *resolver, unsigned int timeout_ms,
			sntp_done_fn done, void *data);
/* Cancels it; done is not called. */
void sntp_free(struct sntp *s);
