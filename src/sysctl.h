/* Reading and writing /proc/sys files of our own network namespace. */
#pragma once

#include <stddef.h>

/* Reads the value without its newline into value (size > 1); 0 or -errno. */
int sysctl_read(const char *path, char *value, size_t size);
int sysctl_write(const char *path, const char *value);
