#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <ctype.h>
#include <dirent.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <ell/ell.h>

#include "storage.h"

/* Read to the end, whatever fstat says: a file may change under us. */
static int read_all(int fd, size_t max, char **text, size_t *len)
{
	size_t size = 4096, n = 0;
	char *buf = l_malloc(size + 1);
	ssize_t got;

	while ((got = read(fd, buf + n, size - n)) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 || n + got > max) {
			int err = got < 0 ? -errno : -EFBIG;

			l_free(buf);
			return err;
		}
		n += got;
		if (n == size) {	/* n <= max: room for more */
			size *= 2;
			buf = l_realloc(buf, size + 1);
		}
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

int storage_read_file(const char *path, size_t max, char **text, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;

	if (fd < 0)
		return -errno;
	err = read_all(fd, max, text, len);
	close(fd);
	return err;
}

#define SETTINGS_MAX (1024 * 1024)

struct l_settings *storage_load(const char *dir, const char *name)
{
	char *path = l_strdup_printf("%s/%s", dir, name);
	struct l_settings *settings = NULL;
	char *data;
	size_t len;
	int err = storage_read_file(path, SETTINGS_MAX, &data, &len);

	if (err < 0) {
		if (err != -ENOENT)
			l_warn("%s: %s; using defaults", path, strerror(-err));
		l_free(path);
		return NULL;
	}
	settings = l_settings_new();
	if (!l_settings_load_from_data(settings, data, len)) {
		l_warn("%s: corrupt settings file ignored", path);
		l_settings_free(settings);
		settings = NULL;
	}
	l_free(data);
	l_free(path);
	return settings;
}

static int make_parent(const char *path)
{
	char *parent = l_strdup(path);
	char *slash = strrchr(parent, '/');
	int err = 0;

	if (slash) {
		*slash = '\0';
		if (mkdir(parent, 0700) < 0 && errno != EEXIST)
			err = -errno;
	}
	l_free(parent);
	return err;
}

static int sync_parent(const char *path)
{
	char *parent = l_strdup(path);
	char *slash = strrchr(parent, '/');
	int fd, err = 0;

	if (slash)
		*slash = '\0';
	fd = open(slash ? parent : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) < 0)
		err = -errno;
	if (fd >= 0)
		close(fd);
	l_free(parent);
	return err;
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		data += n;
		len -= n;
	}
	return 0;
}

#define TEMP_INFIX ".tmp."

int storage_write_file(const char *path, const char *data, size_t len, mode_t mode)
{
	char *tmp = l_strdup_printf("%s" TEMP_INFIX "%d", path, (int)getpid());
	int fd, err = make_parent(path);

	if (err < 0)
		goto out;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	err = write_all(fd, data, len);
	if (!err && fsync(fd) < 0)
		err = -errno;
	close(fd);
	if (!err && rename(tmp, path) < 0)
		err = -errno;
	if (!err)
		err = sync_parent(path);
	if (err < 0)
		unlink(tmp);
out:
	l_free(tmp);
	return err;
}

int storage_save(const char *dir, const char *name, const struct l_settings *settings)
{
	char *path = l_strdup_printf("%s/%s", dir, name);
	size_t len;
	char *data = l_settings_to_data(settings, &len);
	int err = storage_write_file(path, data ? data : "", data ? len : 0, 0600);

	if (err < 0)
		l_warn("%s: cannot save: %s", path, strerror(-err));
	l_free(data);
	l_free(path);
	return err;
}

int storage_remove(const char *dir, const char *name)
{
	char *path = l_strdup_printf("%s/%s", dir, name);
	char *slash;
	int err = 0;

	if (unlink(path) < 0 && errno != ENOENT)
		err = -errno;
	slash = strrchr(path, '/');
	*slash = '\0';
	if (strcmp(path, dir))
		rmdir(path);	/* fails harmlessly while other files remain */
	l_free(path);
	return err;
}

int storage_make_dir(const char *dir)
{
	char *path = l_strdup(dir);
	int err = 0;

	/* Each missing ancestor, shallowest first: /var/local, /var/local/lib ... */
	for (char *slash = strchr(path + 1, '/'); slash && !err; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			err = -errno;
		*slash = '/';
	}
	if (!err && mkdir(path, 0700) < 0 && errno != EEXIST)
		err = -errno;
	l_free(path);
	return err;
}

int storage_lock_dir(const char *dir)
{
	char *path = l_strdup_printf("%s/.lock", dir);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	int err = 0;

	l_free(path);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		err = errno == EWOULDBLOCK ? -EBUSY : -errno;
		close(fd);
		return err;
	}
	return fd;
}

/* NAME.tmp.PID, as storage_write_file names its temporary files. */
static bool is_temp_name(const char *name)
{
	const char *infix = strstr(name, TEMP_INFIX);
	const char *digits;

	if (!infix || infix == name)
		return false;
	digits = infix + strlen(TEMP_INFIX);
	if (!*digits)
		return false;
	for (; *digits; digits++)
		if (!isdigit((unsigned char)*digits))
			return false;
	return true;
}

static int sweep_one_dir(int dirfd, const char *path, bool descend)
{
	DIR *d = fdopendir(dirfd);
	struct dirent *e;
	int removed = 0;

	if (!d) {
		close(dirfd);
		return 0;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (e->d_type == DT_REG && is_temp_name(e->d_name)) {
			if (unlinkat(dirfd, e->d_name, 0) == 0) {
				l_info("%s/%s: removed a temporary file a killed writer left", path,
				       e->d_name);
				removed++;
			}
		} else if (e->d_type == DT_DIR && descend) {
			int sub = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
					 O_NOFOLLOW);
			char *subpath = l_strdup_printf("%s/%s", path, e->d_name);

			if (sub >= 0)
				removed += sweep_one_dir(sub, subpath, false);
			l_free(subpath);
		}
	}
	closedir(d);
	return removed;
}

int storage_sweep_temp(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	return sweep_one_dir(fd, dir, true);
}
