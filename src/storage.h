/* Files under the state directory, written atomically: a temporary file in
 * the same directory, fsync, rename, fsync of the directory. A kill -9 at any
 * moment leaves the old file or the new one, never a torn one. */
#pragma once

#include <stddef.h>
#include <sys/types.h>

struct l_settings;

/* Reads DIR/NAME (e.g. "settings", "ethernet_..._cable/settings").
 * Returns NULL when absent; a file that does not parse is reported with its
 * path and also gives NULL, so the caller starts from defaults. */
struct l_settings *storage_load(const char *dir, const char *name);
/* What connd's configuration files may weigh: far more than any needs. */
#define CONFIG_FILE_MAX (1024 * 1024)
/* Reads a whole file (main.conf, a provisioning or policy file) into *text,
 * NUL-terminated, l_free()d by the caller. An empty file is an empty text,
 * as a file of defaults is (ELL's l_file_get_contents() gives NULL for
 * it). -EFBIG past `max` bytes; another negative errno when it cannot be
 * read. */
int storage_read_file(const char *path, size_t max, char **text, size_t *len);
/* Writes DIR/NAME atomically, creating NAME's directory if needed. */
int storage_save(const char *dir, const char *name, const struct l_settings *settings);
/* Writes any file the same way (its directory is created when missing). */
int storage_write_file(const char *path, const char *data, size_t len, mode_t mode);
/* Removes DIR/NAME and its directory when it becomes empty. */
int storage_remove(const char *dir, const char *name);
/* Creates DIR (mode 0700) and its missing parents (0755, like mkdir -p);
 * an existing DIR is kept as it is. */
int storage_make_dir(const char *dir);
/* Makes DIR/.lock ours for as long as the process lives (fd kept open, also
 * across daemon()'s fork): two daemons writing one state directory would undo
 * each other's settings. Returns the fd, -EBUSY when another process holds it,
 * or another negative errno. */
int storage_lock_dir(const char *dir);
/* Deletes temporary files a killed writer left in DIR and its immediate
 * subdirectories (only safe while holding the lock). Returns how many. */
int storage_sweep_temp(const char *dir);
