#include <errno.h>
#include <ell/ell.h>

#include "ticker.h"

#define NOT_ARMED UINT32_MAX

struct tick {
	struct ticker *ticker;
	uint64_t deadline;		/* l_time_now() µs */
	uint32_t slot;			/* index in the heap, NOT_ARMED when out */
	tick_fn fn;
	void *data;
	tick_destroy_fn destroy;
};

struct ticker {
	struct l_timeout *timer;
	struct tick **heap;		/* min-heap on deadline */
	uint32_t armed;
	uint32_t size;
	unsigned int live;		/* added and not yet removed */
	uint64_t wake;			/* deadline the timer is set for, 0: none */
};

static void expired(struct l_timeout *timeout, void *user_data);

struct ticker *ticker_new(void)
{
	struct ticker *t = l_new(struct ticker, 1);

	/* Made disarmed: a zero delay sets no time. */
	t->timer = l_timeout_create_ms(0, expired, t, NULL);
	if (!t->timer) {
		l_free(t);
		if (!errno)
			errno = EMFILE;
		return NULL;
	}
	return t;
}

void ticker_free(struct ticker *t)
{
	if (!t)
		return;
	L_WARN_ON(t->live);
	l_timeout_remove(t->timer);
	l_free(t->heap);
	l_free(t);
}

unsigned int ticker_count(const struct ticker *t)
{
	return t->live;
}

static void place(struct ticker *t, struct tick *tick, uint32_t slot)
{
	t->heap[slot] = tick;
	tick->slot = slot;
}

static void sift_up(struct ticker *t, uint32_t slot)
{
	struct tick *tick = t->heap[slot];

	while (slot) {
		uint32_t parent = (slot - 1) / 2;

		if (t->heap[parent]->deadline <= tick->deadline)
			break;
		place(t, t->heap[parent], slot);
		slot = parent;
	}
	place(t, tick, slot);
}

static void sift_down(struct ticker *t, uint32_t slot)
{
	struct tick *tick = t->heap[slot];

	for (;;) {
		uint32_t child = 2 * slot + 1;

		if (child >= t->armed)
			break;
		if (child + 1 < t->armed && t->heap[child + 1]->deadline < t->heap[child]->deadline)
			child++;
		if (tick->deadline <= t->heap[child]->deadline)
			break;
		place(t, t->heap[child], slot);
		slot = child;
	}
	place(t, tick, slot);
}

static void unarm(struct tick *tick)
{
	struct ticker *t = tick->ticker;
	uint32_t slot = tick->slot;
	struct tick *last;

	if (slot == NOT_ARMED)
		return;
	tick->slot = NOT_ARMED;
	last = t->heap[--t->armed];
	if (last == tick)
		return;
	place(t, last, slot);
	sift_down(t, slot);
	sift_up(t, last->slot);
}

/* The one timer follows the earliest deadline; a later wake-up than needed
 * is never left, an earlier one only costs a spurious turn. */
static void rearm(struct ticker *t)
{
	uint64_t now, deadline;

	if (!t->armed) {
		t->wake = 0;
		return;
	}
	deadline = t->heap[0]->deadline;
	if (t->wake && t->wake <= deadline)
		return;
	now = l_time_now();
	t->wake = deadline;
	/* Zero would disarm: the smallest delay is one millisecond. */
	l_timeout_modify_ms(t->timer, deadline > now ? (deadline - now + 999) / 1000 : 1);
}

static void arm(struct tick *tick, uint64_t ms)
{
	struct ticker *t = tick->ticker;

	unarm(tick);
	if (t->armed == t->size) {
		t->size = t->size ? 2 * t->size : 16;
		t->heap = l_realloc(t->heap, t->size * sizeof(*t->heap));
	}
	tick->deadline = l_time_now() + ms * 1000;
	place(t, tick, t->armed++);
	sift_up(t, tick->slot);
	rearm(t);
}

static void expired(struct l_timeout *timeout, void *user_data)
{
	struct ticker *t = user_data;
	uint64_t due = l_time_now() + TICKER_SLACK_MS * 1000;

	t->wake = 0;
	/* A callback may add, re-arm or remove ticks, its own included: each
	 * turn takes the heap's head afresh. Re-armed ticks lie in the future. */
	while (t->armed && t->heap[0]->deadline <= due) {
		struct tick *tick = t->heap[0];

		unarm(tick);
		tick->fn(tick, tick->data);
	}
	rearm(t);
}

struct tick *tick_add(struct ticker *t, uint64_t ms, tick_fn fn, void *data,
		      tick_destroy_fn destroy)
{
	struct tick *tick = l_new(struct tick, 1);

	tick->ticker = t;
	tick->slot = NOT_ARMED;
	tick->fn = fn;
	tick->data = data;
	tick->destroy = destroy;
	t->live++;
	arm(tick, ms);
	return tick;
}

void tick_modify(struct tick *tick, uint64_t ms)
{
	arm(tick, ms);
}

void tick_remove(struct tick *tick)
{
	if (!tick)
		return;
	unarm(tick);
	tick->ticker->live--;
	if (tick->destroy)
		tick->destroy(tick->data);
	l_free(tick);
}
