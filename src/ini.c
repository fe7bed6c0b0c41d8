#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <ell/ell.h>

#include "ini.h"

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

static int parse_line(char *line, unsigned int n, char **group, ini_entry_fn entry,
		      ini_error_fn error, void *data)
{
	char *s = trim(line), *eq;
	size_t len = strlen(s);

	if (!len || *s == '#' || *s == ';')
		return 0;
	if (*s == '[') {
		if (s[len - 1] != ']' || len < 3) {
			error(n, "malformed group header", data);
			return 0;
		}
		s[len - 1] = '\0';
		l_free(*group);
		*group = l_strdup(trim(s + 1));
		return entry(*group, NULL, NULL, n, data);
	}
	eq = strchr(s, '=');
	if (!eq) {
		error(n, "expected 'Key = value'", data);
		return 0;
	}
	if (!*group) {
		error(n, "key outside any [group]", data);
		return 0;
	}
	*eq = '\0';
	if (!*trim(s)) {
		error(n, "empty key", data);
		return 0;
	}
	return entry(*group, trim(s), trim(eq + 1), n, data);
}

int ini_parse(const char *text, size_t len, ini_entry_fn entry, ini_error_fn error, void *data)
{
	char *copy = l_strndup(text, len), *line = copy, *next;
	char *group = NULL;
	unsigned int n = 0;
	int err = 0;

	if (memchr(text, '\0', len)) {
		error(1, "file contains a NUL byte", data);
		l_free(copy);
		return -EINVAL;
	}
	for (; line && err >= 0; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		err = parse_line(line, ++n, &group, entry, error, data);
	}
	l_free(group);
	l_free(copy);
	return err < 0 ? err : 0;
}

struct ini_objects {
	const char *file;
	const struct ini_object_ops *ops;
	void *state;
	ini_warn_fn warn;
	void *warn_data;
	void *current;			/* NULL outside an object's group */
	unsigned int current_line;
	bool dropped;
};

void ini_warn(struct ini_objects *in, unsigned int line, const char *fmt, ...)
{
	char why[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (in->warn)
		in->warn(in->file, line, why, in->warn_data);
}

const char *ini_file(const struct ini_objects *in)
{
	return in->file;
}

void *ini_state(const struct ini_objects *in)
{
	return in->state;
}

static void end_object(struct ini_objects *in)
{
	void *object = in->current;

	in->current = NULL;
	if (object)
		in->ops->end(in, object, in->dropped, in->current_line);
}

static void begin_group(struct ini_objects *in, const char *group, unsigned int line)
{
	const char *prefix = in->ops->prefix, *quiet = in->ops->quiet_group;
	size_t n = strlen(prefix);

	end_object(in);
	if (!strncmp(group, prefix, n) && group[n]) {
		in->current = in->ops->begin(in, group, line);
		in->current_line = line;
		in->dropped = false;
	} else if (quiet && strcmp(group, quiet)) {
		ini_warn(in, line, "group [%s] is neither [%s] nor [%sNAME]; ignored", group, quiet,
			 prefix);
	} else if (!quiet) {
		ini_warn(in, line, "group [%s] is not [%sNAME]; ignored", group, prefix);
	}
}

static int object_entry(const char *group, const char *key, const char *value,
			unsigned int line, void *data)
{
	struct ini_objects *in = data;

	if (!key)
		begin_group(in, group, line);
	else if (in->current && !in->dropped && in->ops->key(in, in->current, key, value, line) < 0)
		in->dropped = true;
	return 0;
}

static void object_error(unsigned int line, const char *why, void *data)
{
	struct ini_objects *in = data;

	ini_warn(in, line, "%s", why);
	if (in->current)
		in->dropped = true;
}

int ini_parse_objects(const char *file, const char *text, size_t len,
		      const struct ini_object_ops *ops, void *state, ini_warn_fn warn,
		      void *warn_data)
{
	struct ini_objects in = { .file = file, .ops = ops, .state = state, .warn = warn,
				  .warn_data = warn_data };
	int err = ini_parse(text, len, object_entry, object_error, &in);

	end_object(&in);
	return err;
}
