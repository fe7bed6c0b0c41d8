#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "sysctl.h"

int sysctl_read(const char *path, char *value, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	int err;

	if (fd < 0)
		return -errno;
	n = read(fd, value, size - 1);
	err = n < 0 ? -errno : 0;
	close(fd);
	if (err < 0)
		return err;
	value[n] = '\0';
	value[strcspn(value, "\n")] = '\0';
	return 0;
}

int sysctl_write(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, value, strlen(value)) < 0)
		err = -errno;
	close(fd);
	return err;
}
