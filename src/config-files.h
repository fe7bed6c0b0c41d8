/* The *.config files of a directory, as ConnMan keeps provisioning files:
 * each one read whole, and the directory watched so that a file added,
 * changed or removed is noticed. Shared by the services' provisioning
 * (manager-provision.c) and the VPNs' (vpn-provision.c). */
#pragma once

#include <stddef.h>

struct l_dir_watch;

/* fn runs once per readable NAME.config in dir (text is NUL-terminated);
 * one that cannot be read is warned about. A missing dir reads as empty. */
typedef void (*config_file_fn)(const char *path, const char *text, size_t len, void *data);
void config_files_read(const char *dir, config_file_fn fn, void *data);

/* changed runs after any *.config file of dir was created, written, moved
 * or removed; NULL when dir cannot be watched (absent). Freed with
 * l_dir_watch_destroy. */
struct l_dir_watch *config_files_watch(const char *dir, void (*changed)(void *data), void *data);
