/* bench/sessions/daemon-client.c: daemon.py's timed parts in C (ELL's
 * l_dbus), so that the client is not most of the wall clock.
 *   daemon-client N OUT.json [CONND_PID [BUS_PID]]
 * Creates N sessions one after another, each call waiting for its reply
 * (latency, not throughput: no call is pipelined), each with its own
 * notifier object that answers Update and Release as an application does;
 * adds and destroys one more 20 times at N (median ms); reads every
 * session's counters one GetStatistics call each, then all of them in one
 * Manager.GetSessionStatistics call and in one Manager.GetSessionCounters
 * call (connd's extensions; n/a where absent), each batch five times
 * (median wall, mean CPU), every reply decoded whole and its entries
 * counted (they must be N). Prints "created" after the N creations and
 * "ready" after the reads, waits for a line on stdin,
 * destroys every session, prints "destroyed", waits for stdin to close.
 * OUT.json has daemon.py's keys; with the pids, each figure has connd's
 * CPU time (KEY_cpu) and the bus daemon's (KEY_bus), read from the
 * kernel's per-process CPU clocks (ns, where /proc's ticks are 10 ms), and
 * create_client_cpu the client's own CPU per CreateSession. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <ell/ell.h>

#define NOTIFICATION "net.connman.Notification"
#define ADD_ONE_ROUNDS 20
#define BATCH_ROUNDS 5

struct bench {
	struct l_dbus *dbus;
	unsigned int n;
	clockid_t connd, bus;
	bool have_connd, have_bus;
	char **paths;
	unsigned int created;
	char json[4096];	/* the figures so far, "{..." */
	size_t json_len;
	char error[256];
};

struct pending {
	struct l_dbus_message *reply;
	bool done;
};

struct mark {
	uint64_t wall, connd, bus;
};

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts) < 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static struct mark mark_now(const struct bench *b)
{
	return (struct mark) {
		clock_ns(CLOCK_MONOTONIC),
		b->have_connd ? clock_ns(b->connd) : 0,
		b->have_bus ? clock_ns(b->bus) : 0,
	};
}

static double ms(uint64_t ns)
{
	return ns / 1e6;
}

static void put(struct bench *b, const char *key, double value)
{
	size_t room = sizeof(b->json) - b->json_len;
	int len = snprintf(b->json + b->json_len, room, "%s\"%s\": %.6f",
			   b->json_len > 1 ? ", " : "", key, value);

	if (len > 0 && (size_t)len < room)
		b->json_len += len;
}

/* KEY (wall), KEY_cpu (connd) and KEY_bus (dbus-daemon) since `start`, per `count`. */
static void record(struct bench *b, const char *key, struct mark start, unsigned int count)
{
	struct mark end = mark_now(b);
	char name[64];

	count = count ? count : 1;
	put(b, key, ms(end.wall - start.wall) / count);
	snprintf(name, sizeof(name), "%s_cpu", key);
	if (b->have_connd)
		put(b, name, ms(end.connd - start.connd) / count);
	snprintf(name, sizeof(name), "%s_bus", key);
	if (b->have_bus)
		put(b, name, ms(end.bus - start.bus) / count);
}

static void got_reply(struct l_dbus_message *reply, void *user_data)
{
	struct pending *p = user_data;

	p->reply = l_dbus_message_ref(reply);
	p->done = true;
}

/* Sends and turns the main loop (which also answers connd's Updates) until
 * the reply: the caller unrefs it. */
static struct l_dbus_message *call(struct bench *b, struct l_dbus_message *msg)
{
	struct pending p = { 0 };

	if (!l_dbus_send_with_reply(b->dbus, msg, got_reply, &p, NULL))
		return NULL;
	while (!p.done)
		l_main_iterate(-1);
	return p.reply;
}

static bool failed(struct bench *b, struct l_dbus_message *reply, const char *what)
{
	const char *name = "none", *text = "no reply";

	if (reply && !l_dbus_message_is_error(reply))
		return false;
	if (reply)
		l_dbus_message_get_error(reply, &name, &text);
	if (!b->error[0])
		snprintf(b->error, sizeof(b->error), "%s after %u: %s: %s", what, b->created, name,
			 text);
	return true;
}

static struct l_dbus_message *manager_call(struct bench *b, const char *method)
{
	return l_dbus_message_new_method_call(b->dbus, "net.connman", "/", "net.connman.Manager",
					      method);
}

static struct l_dbus_message *notification(struct l_dbus *dbus, struct l_dbus_message *msg,
					   void *user_data)
{
	return l_dbus_message_get_no_reply(msg) ? NULL : l_dbus_message_new_method_return(msg);
}

static void setup_notification(struct l_dbus_interface *iface)
{
	l_dbus_interface_method(iface, "Update", 0, notification, "", "a{sv}", "settings");
	l_dbus_interface_method(iface, "Release", 0, notification, "", "");
}

/* CreateSession({"AllowedBearers": ["ethernet"]}, notifier): the session's
 * path (l_free it), NULL on failure. */
static char *create_session(struct bench *b, const char *notifier)
{
	struct l_dbus_message *msg = manager_call(b, "CreateSession"), *reply;
	struct l_dbus_message_builder *mb = l_dbus_message_builder_new(msg);
	const char *path;
	char *out = NULL;

	l_dbus_object_add_interface(b->dbus, notifier, NOTIFICATION, b);
	l_dbus_message_builder_enter_array(mb, "{sv}");
	l_dbus_message_builder_enter_dict(mb, "sv");
	l_dbus_message_builder_append_basic(mb, 's', "AllowedBearers");
	l_dbus_message_builder_enter_variant(mb, "as");
	l_dbus_message_builder_enter_array(mb, "s");
	l_dbus_message_builder_append_basic(mb, 's', "ethernet");
	l_dbus_message_builder_leave_array(mb);
	l_dbus_message_builder_leave_variant(mb);
	l_dbus_message_builder_leave_dict(mb);
	l_dbus_message_builder_leave_array(mb);
	l_dbus_message_builder_append_basic(mb, 'o', notifier);
	l_dbus_message_builder_finalize(mb);
	l_dbus_message_builder_destroy(mb);
	reply = call(b, msg);
	if (!failed(b, reply, "CreateSession") && l_dbus_message_get_arguments(reply, "o", &path))
		out = l_strdup(path);
	if (reply)
		l_dbus_message_unref(reply);
	return out;
}

static bool destroy_session(struct bench *b, const char *path)
{
	struct l_dbus_message *msg = manager_call(b, "DestroySession"), *reply;
	bool ok;

	l_dbus_message_set_arguments(msg, "o", path);
	reply = call(b, msg);
	ok = !failed(b, reply, "DestroySession");
	if (reply)
		l_dbus_message_unref(reply);
	return ok;
}

/* Notifier paths nest two digits an element, as connd's session paths do:
 * ELL scans an object's siblings when it registers one. */
static void create_all(struct bench *b)
{
	struct mark start = mark_now(b);
	struct rusage before, after;
	char notifier[64];

	getrusage(RUSAGE_SELF, &before);
	for (; b->created < b->n; b->created++) {
		unsigned int i = b->created;

		snprintf(notifier, sizeof(notifier), "/bench/n/%02u/%02u/%02u", i / 10000 % 100,
			 i / 100 % 100, i % 100);
		b->paths[i] = create_session(b, notifier);
		if (!b->paths[i])
			break;
	}
	record(b, "create_ms_each", start, b->created);
	getrusage(RUSAGE_SELF, &after);
	put(b, "create_client_cpu", ((after.ru_utime.tv_sec - before.ru_utime.tv_sec +
				      after.ru_stime.tv_sec - before.ru_stime.tv_sec) * 1e3 +
				     (after.ru_utime.tv_usec - before.ru_utime.tv_usec +
				      after.ru_stime.tv_usec - before.ru_stime.tv_usec) / 1e3) /
				    (b->created ? b->created : 1));
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void add_one(struct bench *b)
{
	double samples[ADD_ONE_ROUNDS];
	char notifier[64], *path;

	for (unsigned int i = 0; i < ADD_ONE_ROUNDS; i++) {
		uint64_t t;

		snprintf(notifier, sizeof(notifier), "/bench/x/%02u", i);
		t = clock_ns(CLOCK_MONOTONIC);
		path = create_session(b, notifier);
		samples[i] = ms(clock_ns(CLOCK_MONOTONIC) - t);
		if (!path || !destroy_session(b, path)) {
			l_free(path);
			return;
		}
		l_free(path);
	}
	put(b, "add_one_ms", median(samples, ADD_ONE_ROUNDS));
}

/* The four counters of an a{sv}: false unless each is a uint64. */
static bool decode_statistics(struct l_dbus_message_iter *dict)
{
	struct l_dbus_message_iter value;
	const char *key;
	uint64_t v;
	unsigned int keys = 0;

	while (l_dbus_message_iter_next_entry(dict, &key, &value)) {
		if (!l_dbus_message_iter_get_variant(&value, "t", &v))
			return false;
		keys++;
	}
	return keys == 4;
}

static void read_each(struct bench *b)
{
	struct mark start = mark_now(b);

	for (unsigned int i = 0; i < b->created; i++) {
		struct l_dbus_message *msg = l_dbus_message_new_method_call(b->dbus, "net.connman",
				b->paths[i], "net.connman.Session", "GetStatistics"), *reply;
		struct l_dbus_message_iter dict;
		bool ok;

		l_dbus_message_set_arguments(msg, "");
		reply = call(b, msg);
		ok = !failed(b, reply, "GetStatistics") &&
		     l_dbus_message_get_arguments(reply, "a{sv}", &dict) && decode_statistics(&dict);
		if (reply)
			l_dbus_message_unref(reply);
		if (!ok)
			return;
	}
	record(b, "read_each_ms", start, b->created);
}

/* Entries of a(oa{sv}), each dictionary decoded; -1 if malformed. */
static int decode_batch(struct l_dbus_message *reply)
{
	struct l_dbus_message_iter list, dict;
	const char *path;
	int count = 0;

	if (!l_dbus_message_get_arguments(reply, "a(oa{sv})", &list))
		return -1;
	while (l_dbus_message_iter_next_entry(&list, &path, &dict)) {
		if (!decode_statistics(&dict))
			return -1;
		count++;
	}
	return count;
}

/* Entries of a(otttt); -1 if malformed. */
static int decode_compact(struct l_dbus_message *reply)
{
	struct l_dbus_message_iter list;
	const char *path;
	uint64_t rxp, rxb, txp, txb;
	int count = 0;

	if (!l_dbus_message_get_arguments(reply, "a(otttt)", &list))
		return -1;
	while (l_dbus_message_iter_next_entry(&list, &path, &rxp, &rxb, &txp, &txb))
		count++;
	return count;
}

/* One Manager method BATCH_ROUNDS times: KEY_ms (median wall to the reply,
 * undecoded), KEY_ms_cpu / KEY_ms_bus (mean), KEY_decode_ms (median),
 * KEY_count (entries, which must be as many as the sessions). */
static void read_batch(struct bench *b, const char *method, const char *key,
		       int (*decode)(struct l_dbus_message *))
{
	double wall[BATCH_ROUNDS], decode_ms[BATCH_ROUNDS];
	struct mark start = mark_now(b), end;
	char name[64];
	int count = -1;

	for (unsigned int i = 0; i < BATCH_ROUNDS; i++) {
		struct l_dbus_message *msg = manager_call(b, method), *reply;
		uint64_t t = clock_ns(CLOCK_MONOTONIC);

		l_dbus_message_set_arguments(msg, "");
		reply = call(b, msg);
		wall[i] = ms(clock_ns(CLOCK_MONOTONIC) - t);
		if (!reply || l_dbus_message_is_error(reply)) {
			/* A connd without the method: n/a, not an error of the run. */
			if (reply)
				l_dbus_message_unref(reply);
			return;
		}
		t = clock_ns(CLOCK_MONOTONIC);
		count = decode(reply);
		decode_ms[i] = ms(clock_ns(CLOCK_MONOTONIC) - t);
		l_dbus_message_unref(reply);
		if (count != (int)b->created && !b->error[0])
			snprintf(b->error, sizeof(b->error), "%s: %d entries, not %u", method, count,
				 b->created);
	}
	end = mark_now(b);
	snprintf(name, sizeof(name), "%s_ms", key);
	put(b, name, median(wall, BATCH_ROUNDS));
	snprintf(name, sizeof(name), "%s_ms_cpu", key);
	if (b->have_connd)
		put(b, name, ms(end.connd - start.connd) / BATCH_ROUNDS);
	snprintf(name, sizeof(name), "%s_ms_bus", key);
	if (b->have_bus)
		put(b, name, ms(end.bus - start.bus) / BATCH_ROUNDS);
	snprintf(name, sizeof(name), "%s_decode_ms", key);
	put(b, name, median(decode_ms, BATCH_ROUNDS));
	snprintf(name, sizeof(name), "%s_count", key);
	put(b, name, count);
}

static void destroy_all(struct bench *b)
{
	struct mark start = mark_now(b);
	unsigned int done = 0;

	while (done < b->created && destroy_session(b, b->paths[done]))
		done++;
	record(b, "destroy_ms_each", start, done);
}

static int write_json(struct bench *b, const char *file)
{
	FILE *f = fopen(file, "w");

	if (!f)
		return -errno;
	fputs(b->json, f);
	/* The message is ours or the bus's: no quote or backslash in it. */
	if (b->error[0])
		fprintf(f, ", \"error\": \"%s\"", b->error);
	fputs("}\n", f);
	return fclose(f) ? -errno : 0;
}

static void ready_cb(void *user_data)
{
	*(bool *)user_data = true;
}

static bool pid_clock(const char *pid, clockid_t *id)
{
	return pid && clock_getcpuclockid(atoi(pid), id) == 0;
}

int main(int argc, char **argv)
{
	struct bench b = { .json = "{", .json_len = 1 };
	char line[16];
	bool ready = false;

	if (argc < 3) {
		fprintf(stderr, "usage: %s N OUT.json [CONND_PID [BUS_PID]]\n", argv[0]);
		return 2;
	}
	b.n = strtoul(argv[1], NULL, 10);
	b.paths = calloc(b.n + 1, sizeof(char *));
	b.have_connd = pid_clock(argc > 3 ? argv[3] : NULL, &b.connd);
	b.have_bus = pid_clock(argc > 4 ? argv[4] : NULL, &b.bus);
	if (!l_main_init())
		return 1;
	b.dbus = l_dbus_new_default(L_DBUS_SYSTEM_BUS);
	if (!b.dbus || !l_dbus_register_interface(b.dbus, NOTIFICATION, setup_notification,
						     NULL, false))
		return 1;
	l_dbus_set_ready_handler(b.dbus, ready_cb, &ready, NULL);
	while (!ready)
		l_main_iterate(-1);
	put(&b, "n", b.n);
	create_all(&b);
	printf("created\n");
	fflush(stdout);
	if (!b.error[0]) {
		add_one(&b);
		read_each(&b);
		read_batch(&b, "GetSessionStatistics", "read_batch", decode_batch);
		read_batch(&b, "GetSessionCounters", "read_compact", decode_compact);
	}
	if (write_json(&b, argv[2]) < 0)
		return 1;
	printf("ready\n");
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	destroy_all(&b);
	if (write_json(&b, argv[2]) < 0)
		return 1;
	printf("destroyed\n");
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin))
		;
	l_dbus_destroy(b.dbus);
	l_main_exit();
	return 0;
}
