#include <errno.h>
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
