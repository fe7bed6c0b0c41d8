/* connd: start-up, the main loop and shutdown. */
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <ell/ell.h>

#include "config.h"
#include "connd-config.h"
#include "dbus-util.h"
#include "manager.h"
#include "options.h"
#include "storage.h"
#include "vpn-dbus.h"

struct daemon {
	struct connd_options opts;
	struct connd_config *config;
	struct l_dbus *dbus;
	struct manager *manager;
	int exit_code;
};

static void fail(struct daemon *d, const char *why)
{
	l_error("%s", why);
	d->exit_code = EXIT_FAILURE;
	l_main_quit();
}

static void name_acquired(struct l_dbus *dbus, bool success, bool queued, void *user_data)
{
	struct daemon *d = user_data;
	int err;

	/* A stop signal came before the bus answered: the reply arrives while
	 * the bus is flushed, after the manager is gone. */
	if (!d->manager)
		return;
	if (!success) {
		fail(d, "cannot own " CONND_SERVICE " on the system bus: "
		     "is another connection manager running?");
		return;
	}
	err = manager_start(d->manager);
	if (err < 0)
		fail(d, strerror(-err));
}

/* net.connman.vpn is served by this process too (doc/vpn-api.md): the VPN
 * shares services, routing and DNS with the rest, with no IPC between them. */
static void vpn_name_acquired(struct l_dbus *dbus, bool success, bool queued, void *user_data)
{
	struct daemon *d = user_data;

	if (!d->manager)	/* stopping already, as in name_acquired */
		return;
	if (!success)
		fail(d, "cannot own " VPN_SERVICE " on the system bus: "
		     "is connman-vpnd running?");
}

static void name_lost(struct l_dbus_message *message, void *user_data)
{
	const char *name;

	if (l_dbus_message_get_arguments(message, "s", &name))
		l_warn("the bus took the name %s from connd", name);
}

/* ELL 0.56 dispatches every incoming signal through its match tree and
 * crashes on a NULL root once the last signal or disconnect watch is gone:
 * after manager_free(), a signal still in flight (an application leaving,
 * NameOwnerChanged) reached it inside flush_bus(). This watch lives until
 * l_dbus_destroy(), so the tree is never empty. */
static void keep_match_tree(struct l_dbus *dbus)
{
	l_dbus_add_signal_watch(dbus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
				"org.freedesktop.DBus", "NameLost", L_DBUS_MATCH_NONE,
				name_lost, NULL);
}

static void bus_ready(void *user_data)
{
	struct daemon *d = user_data;

	l_dbus_name_acquire(d->dbus, CONND_SERVICE, false, false, false, name_acquired, d);
	l_dbus_name_acquire(d->dbus, VPN_SERVICE, false, false, false, vpn_name_acquired, d);
}

static void bus_disconnected(void *user_data)
{
	fail(user_data, "lost the system bus");
}

static void signal_received(uint32_t signo, void *user_data)
{
	l_info("terminating on signal %u", signo);
	l_main_quit();
}

/* Once the loop is over, ELL gives SIGINT and SIGTERM their default action
 * back: a second stop signal (an impatient user, a service manager) then
 * killed connd halfway through its cleanup, leaving the bridge, the rules
 * and the BPF programs behind. Until the cleanup is done they are counted
 * here instead, and ignored. */
static volatile sig_atomic_t late_signals;

static void count_late_signal(int signo)
{
	late_signals++;
}

/* Blocked first: one that comes before the loop reads them waits for it
 * rather than being counted and ignored. */
static void catch_late_signals(void)
{
	struct sigaction sa = { .sa_handler = count_late_signal };
	sigset_t stop;

	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop, NULL);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static void config_warning(const char *file, unsigned int line, const char *message, void *data)
{
	l_warn("%s:%u: %s", file, line, message);
}

static int load_config(struct daemon *d)
{
	const char *path;
	char *error = NULL;
	int err;

	d->config = config_new_defaults();
	/* Like connmand: the default file is optional, one named with -c is not. */
	path = d->opts.config_file ? d->opts.config_file : CONND_CONFIG_FILE;
	if (!d->opts.config_file && access(path, F_OK) < 0)
		return 0;
	err = config_load_file(d->config, path, config_warning, NULL, &error);
	if (err < 0) {
		fprintf(stderr, "connd: %s\n", error ? error : strerror(-err));
		l_free(error);
	}
	return err;
}

/* The lock fd stays open until exit: closing it would release the lock. */
static int prepare_state_dir(const char *dir)
{
	int fd = storage_make_dir(dir);

	if (fd < 0) {
		fprintf(stderr, "connd: cannot create state directory %s: %s\n", dir, strerror(-fd));
		return fd;
	}
	fd = storage_lock_dir(dir);
	if (fd == -EBUSY) {
		fprintf(stderr, "connd: state directory %s is in use by another connd\n", dir);
		return fd;
	}
	if (fd < 0) {
		fprintf(stderr, "connd: cannot lock state directory %s: %s\n", dir, strerror(-fd));
		return fd;
	}
	storage_sweep_temp(dir);
	return 0;
}

/* Release() to agents, counters and sessions is only queued by manager_free:
 * give the loop a moment to write it out before the bus goes. */
static void flush_bus(void)
{
	for (int i = 0; i < 20; i++)
		l_main_iterate(5);
}

static int run(struct daemon *d)
{
	d->dbus = l_dbus_new_default(L_DBUS_SYSTEM_BUS);
	if (!d->dbus) {
		fprintf(stderr, "connd: cannot connect to the system bus\n");
		return EXIT_FAILURE;
	}
	l_dbus_set_ready_handler(d->dbus, bus_ready, d, NULL);
	l_dbus_set_disconnect_handler(d->dbus, bus_disconnected, d, NULL);
	keep_match_tree(d->dbus);
	d->manager = manager_new(d->dbus, d->config, &d->opts);
	/* ELL reads them through a signalfd while the loop runs: this
	 * handler only sees those that come after. */
	catch_late_signals();
	l_main_run_with_signal(signal_received, d);
	l_dbus_set_disconnect_handler(d->dbus, NULL, NULL, NULL);
	manager_free(d->manager);
	d->manager = NULL;
	flush_bus();
	l_dbus_destroy(d->dbus);
	if (late_signals)
		l_info("%d more stop signal(s) during the cleanup: ignored, it ran to the end",
		       (int)late_signals);
	return d->exit_code;
}

/* glibc serves blocks of 128 KiB and more with mmap, but raises that bound
 * to the size of each such block freed (up to 32 MiB), and the heap's trim
 * bound to twice it: after one large D-Bus reply (10,000 sessions' counters,
 * ~2 MB) every later one stayed in the heap, and so did the heap's free top.
 * Pinned at its default, large blocks go back when freed and so does the
 * top: 2,000 sessions cost 1,712 KiB of RSS instead of 1,964. */
static void pin_malloc_thresholds(void)
{
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
}

int main(int argc, char **argv)
{
	struct daemon d = { .exit_code = EXIT_SUCCESS };
	int ret;

	pin_malloc_thresholds();
	ret = options_parse(&d.opts, argc, argv);

	if (ret != 0) {
		options_clear(&d.opts);
		return ret > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	}
	l_log_set_stderr();	/* before the config, whose warnings go there */
	if (load_config(&d) < 0 || prepare_state_dir(d.opts.state_dir) < 0) {
		ret = EXIT_FAILURE;
		goto out;
	}
	if (!d.opts.nodaemon && daemon(0, 0) < 0) {
		perror("connd: daemon");
		ret = EXIT_FAILURE;
		goto out;
	}
	if (!l_main_init()) {
		ret = EXIT_FAILURE;
		goto out;
	}
	if (d.opts.debug) {
		/* ELL separates patterns with ':'; connmand's users write ','. */
		for (char *c = d.opts.debug; *c; c++)
			if (*c == ',')
				*c = ':';
		l_debug_enable(d.opts.debug);
	}
	l_info("connd %s starting", CONND_VERSION);
	ret = run(&d);
	l_main_exit();
	/* The last word before exit's own handlers (LeakSanitizer's among
	 * them, which may replace the status when its tool fails). */
	l_info("exiting with status %d", ret);
out:
	config_free(d.config);
	options_clear(&d.opts);
	return ret;
}
