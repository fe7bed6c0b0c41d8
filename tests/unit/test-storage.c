/* The state directory: atomic writes, the lock that keeps a second daemon
 * out, and the sweep of temporary files a killed writer left behind. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <ell/ell.h>

#include "check.h"
#include "storage.h"

static char dir[] = "/tmp/connd-test-storage.XXXXXX";

static char *path_in(const char *name)
{
	return l_strdup_printf("%s/%s", dir, name);
}

static void touch(const char *name)
{
	char *path = path_in(name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	CHECK(fd >= 0);
	if (fd >= 0)
		close(fd);
	l_free(path);
}

static bool exists(const char *name)
{
	char *path = path_in(name);
	bool found = access(path, F_OK) == 0;

	l_free(path);
	return found;
}

static void test_save_and_load(void)
{
	struct l_settings *s = l_settings_new(), *back;
	char *text;

	l_settings_set_string(s, "global", "OfflineMode", "true");
	CHECK_INT(storage_save(dir, "svc/settings", s), 0);
	back = storage_load(dir, "svc/settings");
	CHECK(back != NULL);
	text = back ? l_settings_get_string(back, "global", "OfflineMode") : NULL;
	CHECK_STR(text, "true");
	l_free(text);
	l_settings_free(back);
	l_settings_free(s);
	CHECK(!storage_load(dir, "absent/settings"));
	CHECK_INT(storage_remove(dir, "svc/settings"), 0);
	CHECK(!exists("svc"));	/* the emptied directory goes too */
}

static void test_sweep(void)
{
	char *sub = path_in("svc");

	CHECK(mkdir(sub, 0700) == 0 || errno == EEXIST);
	l_free(sub);
	touch("settings.tmp.4242");
	touch("svc/settings.tmp.17");
	touch("svc/settings");
	touch("notes.tmp.");		/* no pid: not ours */
	touch("notes.tmp.12a");
	touch(".tmp.5");
	CHECK_INT(storage_sweep_temp(dir), 2);
	CHECK(!exists("settings.tmp.4242"));
	CHECK(!exists("svc/settings.tmp.17"));
	CHECK(exists("svc/settings"));
	CHECK(exists("notes.tmp.") && exists("notes.tmp.12a") && exists(".tmp.5"));
	CHECK_INT(storage_sweep_temp("/nonexistent/connd"), -ENOENT);
}

static void test_lock(void)
{
	int first = storage_lock_dir(dir);

	CHECK(first >= 0);
	/* flock() belongs to the open file description: a second open conflicts
	 * even in the same process, just as another daemon's would. */
	CHECK_INT(storage_lock_dir(dir), -EBUSY);
	close(first);
	first = storage_lock_dir(dir);
	CHECK(first >= 0);
	close(first);
	CHECK_INT(storage_lock_dir("/nonexistent/connd"), -ENOENT);
}

static mode_t mode_of(const char *name)
{
	char *path = path_in(name);
	struct stat st;
	mode_t mode = stat(path, &st) == 0 ? st.st_mode & 07777 : (mode_t)-1;

	l_free(path);
	return mode;
}

/* `make install` then `connd`: the default /var/local/lib/connd had no parent. */
static void test_make_dir(void)
{
	char *nested = path_in("var/local/lib/connd");
	mode_t old = umask(022);

	CHECK_INT(storage_make_dir(nested), 0);
	CHECK_INT(mode_of("var"), 0755);
	CHECK_INT(mode_of("var/local/lib"), 0755);
	CHECK_INT(mode_of("var/local/lib/connd"), 0700);
	CHECK_INT(storage_make_dir(nested), 0);
	touch("var/local/file");
	l_free(nested);
	nested = path_in("var/local/file/connd");
	CHECK_INT(storage_make_dir(nested), -ENOTDIR);
	umask(old);
	l_free(nested);
}

static void write_bytes(const char *name, size_t n)
{
	char *path = path_in(name), *data = l_malloc(n + 1);

	memset(data, 'x', n);
	CHECK_INT(storage_write_file(path, data, n, 0600), 0);
	l_free(data);
	l_free(path);
}

/* An empty file is an empty text (a main.conf of defaults), a file
 * bigger than the first buffer comes whole, one past the limit is refused
 * and a missing one says so. */
static void test_read_file(void)
{
	char *path = path_in("empty.conf"), *text = NULL;
	size_t len = 99;

	touch("empty.conf");
	CHECK_INT(storage_read_file(path, 1024, &text, &len), 0);
	CHECK(text && text[0] == '\0');
	CHECK_INT(len, 0);
	l_free(text);
	l_free(path);

	path = path_in("big.conf");
	write_bytes("big.conf", 10000);
	CHECK_INT(storage_read_file(path, 10000, &text, &len), 0);
	CHECK_INT(len, 10000);
	CHECK(text && text[9999] == 'x' && text[10000] == '\0');
	l_free(text);
	CHECK_INT(storage_read_file(path, 9999, &text, &len), -EFBIG);
	l_free(path);

	path = path_in("absent.conf");
	CHECK_INT(storage_read_file(path, 1024, &text, &len), -ENOENT);
	l_free(path);
}

int main(void)
{
	char *cmd;

	if (!mkdtemp(dir))
		return 1;
	test_save_and_load();
	test_sweep();
	test_lock();
	test_make_dir();
	test_read_file();
	cmd = l_strdup_printf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		check_failures++;
	l_free(cmd);
	CHECK_DONE();
}
