/* SNTP messages: timestamps, the request, and what a reply must be. */
#include <errno.h>
#include <string.h>

#include "check.h"
#include "sntp-packet.h"

#define US 1000000ull

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = v & 0xff;
}

/* A server reply to nonce: received at t2, sent at t3 (Unix µs). */
static void make_reply(uint8_t *buf, uint64_t nonce, uint64_t t2, uint64_t t3)
{
	memset(buf, 0, SNTP_PACKET_LEN);
	buf[0] = 4 << 3 | 4;
	buf[1] = 2;
	put64(buf + 24, nonce);
	put64(buf + 32, sntp_time_from_unix_us(t2));
	put64(buf + 40, sntp_time_from_unix_us(t3));
}

/* The smallest delay wins, whatever its offset; the first on a tie. */
static void test_best_sample(void)
{
	const struct sntp_result samples[] = {
		{ .offset_us = 600 * US, .delay_us = 400000 },	/* queued, wrong */
		{ .offset_us = 10 * US, .delay_us = 3000 },
		{ .offset_us = 11 * US, .delay_us = 9000 },
		{ .offset_us = 12 * US, .delay_us = 3000 },
	};

	CHECK_INT(sntp_best_sample(samples, 1), 0);
	CHECK_INT(sntp_best_sample(samples, 4), 1);
	CHECK_INT(sntp_best_sample(samples + 2, 2), 1);
}

int main(void)
{
	const uint64_t t1 = 1700000000ull * US, nonce = 0x0123456789abcdefull;
	struct sntp_result r;
	uint8_t req[SNTP_PACKET_LEN], rep[SNTP_PACKET_LEN];

	/* 1970 is 2208988800 s after 1900; fractions survive the round trip. */
	CHECK(sntp_time_from_unix_us(0) == 2208988800ull << 32);
	CHECK_INT(sntp_time_to_unix_us(sntp_time_from_unix_us(t1 + 123456)), (long long)(t1 + 123456));

	sntp_request_build(nonce, req);
	CHECK_INT(req[0], 0x23);
	CHECK_INT(req[40], 0x01);
	CHECK_INT(req[47], 0xef);

	/* Server 10 s ahead, 2 ms each way, 1 ms inside the server. */
	make_reply(rep, nonce, t1 + 10 * US + 2000, t1 + 10 * US + 3000);
	CHECK_INT(sntp_reply_parse(rep, sizeof(rep), nonce, t1, t1 + 5000, &r), 0);
	CHECK_INT(r.offset_us, (long long)(10 * US));
	CHECK_INT(r.delay_us, 4000);
	CHECK_INT(r.stratum, 2);

	/* Not ours, short, wrong mode or version, nonsense times. */
	CHECK_INT(sntp_reply_parse(rep, sizeof(rep), nonce + 1, t1, t1, &r), -EBADMSG);
	CHECK_INT(sntp_reply_parse(rep, 47, nonce, t1, t1, &r), -EBADMSG);
	rep[0] = 4 << 3 | 3;
	CHECK_INT(sntp_reply_parse(rep, sizeof(rep), nonce, t1, t1, &r), -EBADMSG);
	rep[0] = 2 << 3 | 4;
	CHECK_INT(sntp_reply_parse(rep, sizeof(rep), nonce, t1, t1, &r), -EBADMSG);
	make_reply(rep, nonce, t1 + 5000, t1 + 1000);
	CHECK_INT(sntp_reply_parse(rep, sizeof(rep), nonce, t1, t1, &r), -EBADMSG);
	make_reply(rep, nonce, t1, t1);
	rep[1] = 16;
	CHECK_INT(sntp_reply_parse(rep, sizeof(rep), nonce, t1, t1, &r), -EBADMSG);

	/* The server claims it held the request 10 s within a 5 ms round trip:
	 * a negative delay, which the smallest-delay choice would prefer. */
	make_reply(rep, nonce, t1 + 1000, t1 + 10 * US);
	CHECK_INT(sntp_reply_parse(rep, sizeof(rep), nonce, t1, t1 + 5000, &r), -EBADMSG);
	/* Our clock stepped back between request and reply: likewise. */
	make_reply(rep, nonce, t1, t1 + 1000);
	CHECK_INT(sntp_reply_parse(rep, sizeof(rep), nonce, t1, t1 - 10 * US, &r), -EBADMSG);
	/* A server that answers at once, within the round trip: zero delay is fine. */
	make_reply(rep, nonce, t1 + 2000, t1 + 5000);
	CHECK_INT(sntp_reply_parse(rep, sizeof(rep), nonce, t1, t1 + 3000, &r), 0);
	CHECK_INT(r.delay_us, 0);

	/* Kiss-of-death and an unsynchronised server: ask another. */
	make_reply(rep, nonce, t1, t1);
	rep[1] = 0;
	CHECK_INT(sntp_reply_parse(rep, sizeof(rep), nonce, t1, t1, &r), -EAGAIN);
	make_reply(rep, nonce, t1, t1);
	rep[0] |= 3 << 6;
	CHECK_INT(sntp_reply_parse(rep, sizeof(rep), nonce, t1, t1, &r), -EAGAIN);
	test_best_sample();
	CHECK_DONE();
}
