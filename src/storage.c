#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <ell/ell.h>

#include "storage.h"

struct l_settings *storage_load(const char *dir, const char *name)
{
	char *path = l_strdup_printf("%s/%s", dir, name);
	struct l_settings *settings = NULL;
	void *data;
	size_t len;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;

	if (fd < 0) {
		if (errno != ENOENT)
			l_warn("%s: %s; using defaults", path, strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) < 0 || st.st_size > 1024 * 1024) {
		l_warn("%s: unreadable or too large; ignored", path);
		goto out;
	}
	len = st.st_size;
	data = l_malloc(len + 1);
	if (read(fd, data, len) == (ssize_t)len) {
		settings = l_settings_new();
		if (!l_settings_load_from_data(settings, data, len)) {
			l_warn("%s: corrupt settings file ignored", path);
			l_settings_free(settings);
			settings = NULL;
		}
	} else {
		l_warn("%s: short read; ignored", path);
	}
	l_free(data);
out:
	if (fd >= 0)
		close(fd);
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

int storage_write_file(const char *path, const char *data, size_t len, mode_t mode)
{
	char *tmp = l_strdup_printf("%s.tmp.%d", path, (int)getpid());
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
