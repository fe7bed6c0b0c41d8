/* SNTP (RFC 4330) client messages: the request, and a strict reading of the
 * server's reply. Pure functions over bytes from the network, fuzzed. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define SNTP_PACKET_LEN 48

/* NTP time: seconds since 1900 in the high 32 bits, fraction in the low. */
uint64_t sntp_time_from_unix_us(uint64_t unix_us);
int64_t sntp_time_to_unix_us(uint64_t ntp);

/* A client-mode (3), version 4 request whose transmit timestamp is `nonce`
 * — the server echoes it as the origin timestamp, which is how its reply is
 * recognised. */
void sntp_request_build(uint64_t nonce, uint8_t out[SNTP_PACKET_LEN]);

struct sntp_result {
	int64_t offset_us;	/* add to the local clock to get the server's */
	int64_t delay_us;	/* round trip, less the server's own time */
	uint8_t stratum;
};

/* Reads a reply to the request with `nonce`, sent at local time t1_us and
 * received at t4_us (both microseconds since the Unix epoch). Returns 0,
 * -EBADMSG for a malformed reply, one not to our request or one whose
 * times cannot be (the server claims to have held the request longer than
 * the whole round trip), -EAGAIN for a kiss-of-death or an unsynchronised
 * server (stop asking it). */
int sntp_reply_parse(const uint8_t *buf, size_t len, uint64_t nonce, uint64_t t1_us,
		     uint64_t t4_us, struct sntp_result *result);

/* Of n samples from one server, the index of the one to believe: the
 * smallest round-trip delay, as NTP's clock filter picks (the path with the
 * least queueing is the least asymmetric, so its offset errs least); the
 * earliest on a tie. n must be at least 1. */
size_t sntp_best_sample(const struct sntp_result *samples, size_t n);
