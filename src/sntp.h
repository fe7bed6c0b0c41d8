/* One SNTP synchronisation: asks each timeserver in turn (an address,
 * "fe80::1%eth0" for a link-local one, or a name looked up with AAAA and A
 * queries to `resolver`, its addresses tried IPv6 first) until one gives
 * valid replies to our requests. A server that answers is asked
 * SNTP_SAMPLES times, SNTP_SAMPLE_GAP_MS apart (the headway NTP servers
 * expect, as an iburst), and the sample with the smallest round-trip delay
 * is reported. Never touches the clock itself. */
#pragma once

#include "sntp-packet.h"

#define SNTP_SAMPLES 4
#define SNTP_SAMPLE_GAP_MS 2000

struct sntp;

/* err: 0 with the best sample and the server that gave it, or -ETIMEDOUT
 * when none did. */
typedef void (*sntp_done_fn)(int err, const struct sntp_result *result, const char *server,
			     void *data);

/* servers are copied; resolver is a nameserver address of either family
 * (may be NULL: then only address literals are tried); timeout_ms bounds
 * each wait for a nameserver or for one reply, so one server takes at most
 * SNTP_SAMPLES × (timeout_ms + SNTP_SAMPLE_GAP_MS) per address. done runs
 * from the main loop, never before this returns. */
struct sntp *sntp_start(char *const *servers, const char *resolver, unsigned int timeout_ms,
			sntp_done_fn done, void *data);
/* Cancels it; done is not called. */
void sntp_free(struct sntp *s);
