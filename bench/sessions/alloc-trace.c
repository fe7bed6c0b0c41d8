/* bench/sessions/alloc-trace.c: an LD_PRELOAD allocation tracer for
 * bench/sessions/memory.sh. It keeps every live block with its sequence
 * number, usable size and call stack (glibc's backtrace()). SIGUSR2 asks
 * for a snapshot, which the next allocation call writes (not the signal
 * handler: stdio is not async-signal-safe) to $ALLOCTRACE_DIR: snap.N
 * ("seq usable stackid address" per live block), stacks.N ("stackid pc
 * pc ...") and maps.N (the process's /proc/self/maps). Single-threaded
 * programs only (connd is); its tables are mmapped, never malloc'd. */
#define _GNU_SOURCE
#include <execinfo.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <malloc.h>

extern void *__libc_malloc(size_t);
extern void __libc_free(void *);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

#define DEPTH 10
#define LIVE_SLOTS (1u << 21)
#define STACK_SLOTS (1u << 16)

struct live { void *p; uint64_t seq; uint32_t size; uint32_t stack; };
struct stack { uint64_t hash; uint32_t n; void *pc[DEPTH]; };

static struct live *live;
static struct stack *stacks;
static uint32_t nstacks;
static uint64_t seq;
static __thread int busy;
static volatile sig_atomic_t want_snap;
static int snap_no;
static int ready;

static void on_sig(int s) { (void)s; want_snap = 1; }

static uint32_t hptr(void *p)
{
	uint64_t x = (uintptr_t)p;
	x ^= x >> 33; x *= 0xff51afd7ed558ccdULL; x ^= x >> 33;
	return (uint32_t)x & (LIVE_SLOTS - 1);
}

static uint32_t stack_id(void)
{
	void *pc[DEPTH + 2];
	int n = backtrace(pc, DEPTH + 2) - 2;
	uint64_t h = 1469598103934665603ULL;

	if (n < 0)
		n = 0;
	for (int i = 0; i < n; i++)
		h = (h ^ (uintptr_t)pc[i + 2]) * 1099511628211ULL;
	for (uint32_t i = h & (STACK_SLOTS - 1);; i = (i + 1) & (STACK_SLOTS - 1)) {
		if (stacks[i].n && stacks[i].hash == h)
			return i;
		if (!stacks[i].n) {
			stacks[i].hash = h;
			stacks[i].n = n ? n : 1;
			memcpy(stacks[i].pc, pc + 2, n * sizeof(void *));
			nstacks++;
			return i;
		}
	}
}

static void del_live(uint32_t i)
{
	uint32_t hole = i;

	for (;;) {
		i = (i + 1) & (LIVE_SLOTS - 1);
		if (!live[i].p)
			break;
		uint32_t home = hptr(live[i].p);
		if (hole <= i ? hole < home && home <= i : hole < home || home <= i)
			continue;
		live[hole] = live[i];
		hole = i;
	}
	live[hole].p = NULL;
}

static void forget(void *p)
{
	if (!p || !ready)
		return;
	for (uint32_t i = hptr(p); live[i].p; i = (i + 1) & (LIVE_SLOTS - 1))
		if (live[i].p == p) {
			del_live(i);
			return;
		}
}

static void snapshot(void)
{
	char name[256], buf[4096];
	const char *dir = getenv("ALLOCTRACE_DIR");
	FILE *f;
	int in, out;
	ssize_t r;

	want_snap = 0;
	if (!dir)
		dir = "/tmp";
	snprintf(name, sizeof(name), "%s/snap.%d", dir, snap_no);
	f = fopen(name, "w");
	for (uint32_t i = 0; f && i < LIVE_SLOTS; i++)
		if (live[i].p)
			fprintf(f, "%lu %u %u %p\n", (unsigned long)live[i].seq, live[i].size,
				live[i].stack, live[i].p);
	if (f)
		fclose(f);
	snprintf(name, sizeof(name), "%s/stacks.%d", dir, snap_no);
	f = fopen(name, "w");
	for (uint32_t i = 0; f && i < STACK_SLOTS; i++) {
		if (!stacks[i].n)
			continue;
		fprintf(f, "%u", i);
		for (uint32_t k = 0; k < stacks[i].n; k++)
			fprintf(f, " %p", stacks[i].pc[k]);
		fputc('\n', f);
	}
	if (f)
		fclose(f);
	snprintf(name, sizeof(name), "%s/maps.%d", dir, snap_no);
	in = open("/proc/self/maps", O_RDONLY);
	out = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	while (in >= 0 && out >= 0 && (r = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, r) != r)
			break;
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	snap_no++;
}

static void remember(void *p)
{
	if (!p || !ready)
		return;
	uint32_t i = hptr(p);
	while (live[i].p)
		i = (i + 1) & (LIVE_SLOTS - 1);
	live[i].p = p;
	live[i].seq = ++seq;
	live[i].size = malloc_usable_size(p);
	live[i].stack = stack_id();
}

#define ENTER() int outer = !busy; busy++; if (outer && want_snap && ready) snapshot()
#define LEAVE() busy--

void *malloc(size_t n)
{
	ENTER();
	void *p = __libc_malloc(n);
	if (outer) remember(p);
	LEAVE();
	return p;
}

void free(void *p)
{
	ENTER();
	if (outer) forget(p);
	__libc_free(p);
	LEAVE();
}

void *calloc(size_t a, size_t b)
{
	ENTER();
	void *p = __libc_calloc(a, b);
	if (outer) remember(p);
	LEAVE();
	return p;
}

void *realloc(void *old, size_t n)
{
	ENTER();
	if (outer) forget(old);
	void *p = __libc_realloc(old, n);
	if (outer) remember(p);
	LEAVE();
	return p;
}

void *memalign(size_t a, size_t n)
{
	ENTER();
	void *p = __libc_memalign(a, n);
	if (outer) remember(p);
	LEAVE();
	return p;
}

int posix_memalign(void **out, size_t a, size_t n)
{
	void *p = memalign(a, n);
	if (!p)
		return 12;
	*out = p;
	return 0;
}

void *aligned_alloc(size_t a, size_t n) { return memalign(a, n); }

__attribute__((constructor)) static void init(void)
{
	void *pc[4];

	busy++;
	live = mmap(NULL, LIVE_SLOTS * sizeof(*live), PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	stacks = mmap(NULL, STACK_SLOTS * sizeof(*stacks), PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	backtrace(pc, 4);
	signal(SIGUSR2, on_sig);
	ready = 1;
	busy--;
}
