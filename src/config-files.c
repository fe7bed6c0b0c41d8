#include <dirent.h>
#include <string.h>
#include <ell/ell.h>

#include "config-files.h"
#include "storage.h"

void config_files_read(const char *dir, config_file_fn fn, void *data)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	while (d && (de = readdir(d))) {
		size_t n = strlen(de->d_name), len;
		char *path, *text;
		int err;

		if (n <= 7 || strcmp(de->d_name + n - 7, ".config"))
			continue;
		path = l_strdup_printf("%s/%s", dir, de->d_name);
		err = storage_read_file(path, CONFIG_FILE_MAX, &text, &len);
		if (err == 0) {
			fn(path, text, len, data);
			l_free(text);
		} else {
			l_warn("%s: cannot be read: %s", path, strerror(-err));
		}
		l_free(path);
	}
	if (d)
		closedir(d);
}

struct watch {
	void (*changed)(void *data);
	void *data;
};

static void dir_changed(const char *filename, enum l_dir_watch_event event, void *user_data)
{
	struct watch *w = user_data;

	if (event == L_DIR_WATCH_EVENT_ACCESSED)
		return;
	if (filename && !l_str_has_suffix(filename, ".config"))
		return;
	w->changed(w->data);
}

struct l_dir_watch *config_files_watch(const char *dir, void (*changed)(void *data), void *data)
{
	struct watch *w = l_new(struct watch, 1);
	struct l_dir_watch *dw;

	w->changed = changed;
	w->data = data;
	dw = l_dir_watch_new(dir, dir_changed, w, l_free);
	if (!dw)
		l_free(w);
	return dw;
}
