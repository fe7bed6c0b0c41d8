#include <errno.h>
#include <string.h>

#include "sntp-packet.h"

/* Seconds from 1900-01-01 (NTP era 0) to 1970-01-01. */
#define NTP_UNIX_DELTA 2208988800ull
#define US_PER_S 1000000ull
#define MODE_CLIENT 3
#define MODE_SERVER 4
#define LEAP_UNSYNCHRONISED 3

uint64_t sntp_time_from_unix_us(uint64_t unix_us)
{
	uint64_t seconds = unix_us / US_PER_S + NTP_UNIX_DELTA;
	uint64_t fraction = ((unix_us % US_PER_S) << 32) / US_PER_S;

	return seconds << 32 | fraction;
}

int64_t sntp_time_to_unix_us(uint64_t ntp)
{
	int64_t seconds = (int64_t)(ntp >> 32) - (int64_t)NTP_UNIX_DELTA;
	/* Rounded, so that a microsecond survives the round trip. */
	int64_t fraction = (int64_t)(((ntp & 0xffffffffu) * US_PER_S + (1ull << 31)) >> 32);

	return seconds * (int64_t)US_PER_S + fraction;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = v & 0xff;
}

void sntp_request_build(uint64_t nonce, uint8_t out[SNTP_PACKET_LEN])
{
	memset(out, 0, SNTP_PACKET_LEN);
	out[0] = 4 << 3 | MODE_CLIENT;		/* LI 0, VN 4, mode 3 */
	put64(out + 40, nonce);
}

int sntp_reply_parse(const uint8_t *buf, size_t len, uint64_t nonce, uint64_t t1_us,
		     uint64_t t4_us, struct sntp_result *result)
{
	uint8_t leap, version, mode, stratum;
	int64_t t2, t3, delay;

	/* Local times past 2^62 µs (year 146,000) would overflow the sums below. */
	if (len < SNTP_PACKET_LEN || t1_us >> 62 || t4_us >> 62)
		return -EBADMSG;
	leap = buf[0] >> 6;
	version = (buf[0] >> 3) & 7;
	mode = buf[0] & 7;
	stratum = buf[1];
	if (mode != MODE_SERVER || version < 3 || version > 4 || get64(buf + 24) != nonce)
		return -EBADMSG;
	if (stratum == 0 || leap == LEAP_UNSYNCHRONISED)
		return -EAGAIN;
	if (stratum > 15 || get64(buf + 40) == 0 || get64(buf + 32) == 0)
		return -EBADMSG;
	t2 = sntp_time_to_unix_us(get64(buf + 32));
	t3 = sntp_time_to_unix_us(get64(buf + 40));
	if (t3 < t2)
		return -EBADMSG;
	/* RFC 4330, 5: offset ((T2 - T1) + (T3 - T4)) / 2, delay (T4 - T1) - (T3 - T2).
	 * A negative delay is a lie (or a clock stepped under us); it would also
	 * win the best-of choice below, so it is refused here. */
	delay = ((int64_t)t4_us - (int64_t)t1_us) - (t3 - t2);
	if (delay < 0)
		return -EBADMSG;
	result->offset_us = ((t2 - (int64_t)t1_us) + (t3 - (int64_t)t4_us)) / 2;
	result->delay_us = delay;
	result->stratum = stratum;
	return 0;
}

size_t sntp_best_sample(const struct sntp_result *samples, size_t n)
{
	size_t best = 0;

	for (size_t i = 1; i < n; i++)
		if (samples[i].delay_us < samples[best].delay_us)
			best = i;
	return best;
}
