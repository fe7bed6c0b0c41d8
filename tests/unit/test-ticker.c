/* The ticker: ticks fire in deadline order, each once until re-armed,
 * removal works from anywhere (its own callback included), and a thousand
 * ticks cost no descriptor. */
#include <dirent.h>
#include <stdlib.h>
#include <ell/ell.h>

#include "check.h"
#include "ticker.h"

struct log {
	int order[16];
	int n;
};

struct mark {
	struct log *log;
	int id;
	int rearm;		/* re-arm this many more times, 100 ms apart */
	bool remove_self;
	struct tick *tick;
	int destroyed;
};

static void fired(struct tick *tick, void *data)
{
	struct mark *m = data;

	if (m->log->n < 16)
		m->log->order[m->log->n++] = m->id;
	if (m->rearm-- > 0)
		tick_modify(tick, 100);
	if (m->remove_self) {
		m->tick = NULL;
		tick_remove(tick);
	}
}

static void destroyed(void *data)
{
	((struct mark *)data)->destroyed++;
}

/* l_main_quit() cannot be undone in ELL 0.56: iterate by hand instead. */
static void run_ms(unsigned int ms)
{
	uint64_t end = l_time_now() + ms * 1000ULL;

	while (l_time_now() < end)
		l_main_iterate(10);
}

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n;
}

static void test_order_and_removal(struct ticker *t)
{
	struct log log = { 0 };
	struct mark a = { &log, 1 }, b = { &log, 2 }, c = { &log, 3 }, d = { &log, 4 };

	/* Far enough apart for valgrind's pace. */
	a.tick = tick_add(t, 300, fired, &a, destroyed);
	b.tick = tick_add(t, 50, fired, &b, destroyed);
	c.tick = tick_add(t, 120, fired, &c, destroyed);
	d.tick = tick_add(t, 100, fired, &d, destroyed);
	b.rearm = 1;		/* 50, then 150 */
	d.remove_self = true;	/* 100, gone from its own callback */
	tick_remove(c.tick);	/* never fires */
	CHECK_INT(c.destroyed, 1);
	CHECK_INT(ticker_count(t), 3);
	run_ms(400);
	CHECK_INT(log.n, 4);
	CHECK_INT(log.order[0], 2);
	CHECK_INT(log.order[1], 4);
	CHECK_INT(log.order[2], 2);
	CHECK_INT(log.order[3], 1);
	CHECK_INT(d.destroyed, 1);
	CHECK(!d.tick);
	/* Fired and not re-armed: they wait, disarmed, until removed. */
	CHECK_INT(ticker_count(t), 2);
	run_ms(50);
	CHECK_INT(log.n, 4);
	tick_modify(a.tick, 10);
	run_ms(50);
	CHECK_INT(log.n, 5);
	tick_remove(a.tick);
	tick_remove(b.tick);
	tick_remove(NULL);
	CHECK_INT(a.destroyed + b.destroyed, 2);
	CHECK_INT(ticker_count(t), 0);
}

static void count_fire(struct tick *tick, void *data)
{
	(*(int *)data)++;
}

/* Many ticks, removed in a scattered order: the heap keeps its order (the
 * survivors all fire, once) and no descriptor is spent on any of them. */
static void test_many(struct ticker *t)
{
	enum { N = 1000 };
	struct tick **ticks = calloc(N, sizeof(*ticks));
	int fds = open_fds(), fires = 0, left = 0;

	for (int i = 0; i < N; i++)
		ticks[i] = tick_add(t, 20 + (i * 7919) % 50, count_fire, &fires, NULL);
	CHECK_INT(open_fds(), fds);
	for (int i = 0; i < N; i += 3) {
		tick_remove(ticks[(i * 31) % N]);
		ticks[(i * 31) % N] = NULL;
	}
	for (int i = 0; i < N; i++)
		left += ticks[i] != NULL;
	run_ms(150);
	CHECK_INT(fires, left);
	for (int i = 0; i < N; i++)
		tick_remove(ticks[i]);
	CHECK_INT(ticker_count(t), 0);
	free(ticks);
}

int main(void)
{
	struct ticker *t;

	CHECK(l_main_init());
	t = ticker_new();
	CHECK(t);
	if (t) {
		test_order_and_removal(t);
		test_many(t);
	}
	ticker_free(t);
	ticker_free(NULL);
	l_main_exit();
	CHECK_DONE();
}
