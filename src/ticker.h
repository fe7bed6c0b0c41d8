/* Many timers on one descriptor. An l_timeout costs a timerfd, and ELL's
 * main loop serves descriptors below 128 only: a timer per client object
 * (a session's StatisticsInterval, a registered Counter) would let clients
 * starve connd's own sockets. The ticker keeps its ticks in a min-heap of
 * deadlines behind one l_timeout made at start-up, so adding a tick needs
 * no descriptor and cannot fail.
 *
 * A tick behaves as an l_timeout: it fires once, then waits disarmed until
 * tick_modify() arms it again or tick_remove() frees it (which may be done
 * from its own callback). Ticks due within TICKER_SLACK_MS of one another
 * fire in one wake-up, so a tick may run up to that much early. */
#pragma once

#include <stdint.h>

#define TICKER_SLACK_MS 10

struct ticker;
struct tick;

typedef void (*tick_fn)(struct tick *tick, void *data);
typedef void (*tick_destroy_fn)(void *data);

/* NULL (errno set) when its one timer cannot be made. */
struct ticker *ticker_new(void);
/* Every tick must have been removed first. Accepts NULL. */
void ticker_free(struct ticker *ticker);
unsigned int ticker_count(const struct ticker *ticker);

/* Fires `ms` milliseconds from now. Never fails. */
struct tick *tick_add(struct ticker *ticker, uint64_t ms, tick_fn fn, void *data,
		      tick_destroy_fn destroy);
/* Fires `ms` milliseconds from now, armed or not. */
void tick_modify(struct tick *tick, uint64_t ms);
/* Runs destroy once. Accepts NULL. */
void tick_remove(struct tick *tick);
