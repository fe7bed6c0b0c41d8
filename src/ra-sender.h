/* Router advertisements on one link (RFC 4861, 6.2): the router side of
 * IPv6 tethering. A raw ICMPv6 socket bound to the link's link-local
 * address sends RAs built by ra-build to ff02::1 with hop limit 255:
 * the first MAX_INITIAL_RTR_ADVERTISEMENTS (3) at most 16 s apart, then one
 * every MinRtrAdvInterval..MaxRtrAdvInterval, jittered. It answers router
 * solicitations (hop limit 255 and well-formed only): a solicitor with an
 * address gets a unicast RA, one without the multicast RA brought forward;
 * both after a random 0..500 ms delay (6.2.6), multicast RAs never closer
 * than 3 s and at most 8 unicast answers a second.
 *
 * The kernel refuses to bind a tentative address, so until the link-local
 * address has passed duplicate address detection (on a bridge, that needs
 * a port with carrier) the sender retries the bind every 250 ms and sends
 * nothing. Runtime failures are logged with l_debug only: the caller logs
 * what ra_sender_start returns. IPv6 tethering (tether6.c) uses it. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ra-build.h"

#define RA_MAX_INITIAL_ADVERTS 3
#define RA_MAX_FINAL_ADVERTS 3
#define RA_MAX_INITIAL_INTERVAL_MS 16000
#define RA_MIN_DELAY_BETWEEN_MS 3000
#define RA_MAX_DELAY_MS 500
#define RA_MAX_UNICAST_PER_S 8

struct ra_sender_config {
	/* MinRtrAdvInterval and MaxRtrAdvInterval (6.2.1); 0: 200 s and 600 s.
	 * Max is kept within 4..1800 s and min within 3 s..0.75 max. */
	uint32_t min_interval_ms;
	uint32_t max_interval_ms;
};

struct ra_sender;

/* Starts advertising `content` on the link ifindex (config may be NULL);
 * the Source Link-Layer Address option carries the link's own Ethernet
 * address. Returns 0, or -ENODEV (no such link), -EINVAL (a content
 * ra_build refuses) or a socket's error; *out is set on success only. */
int ra_sender_start(int ifindex, const struct ra_content *content,
		    const struct ra_sender_config *config, struct ra_sender **out);

/* Replaces what is advertised and sends it at once (as the first of a new
 * run of initial RAs, 6.2.4). Returns 0 or -EINVAL; the old content stays
 * on error. */
int ra_sender_update(struct ra_sender *sender, const struct ra_content *content);

/* Sends the withdrawal of the current content (router lifetime 0, every
 * prefix, RDNSS and DNSSL lifetime 0) RA_MAX_FINAL_ADVERTS times when the
 * socket is bound, then closes and frees. Accepts NULL. */
void ra_sender_stop(struct ra_sender *sender);

/* Whether the link-local address was bound and RAs are going out. */
bool ra_sender_is_sending(const struct ra_sender *sender);

/* The pure parts, for tests. Milliseconds until the next unsolicited RA
 * after `sent` of them, from a random number. */
uint32_t ra_interval_ms(unsigned int sent, uint32_t min_ms, uint32_t max_ms, uint32_t random);
/* Milliseconds from now until a multicast answer to a solicitation may go,
 * given when the last multicast RA went (both in ms; last_ms 0: never). */
uint64_t ra_solicited_delay_ms(uint64_t now_ms, uint64_t last_ms, uint32_t random);
