/* A reader for ConnMan's key-file format that keeps line numbers, so that a
 * bad line can be named precisely: "[Group]" headers, "Key = value" lines,
 * '#' and ';' comments, blank lines. On top of it, the skeleton of files
 * whose groups each describe one object (provisioning and session policy
 * files): the group being read, dropped whole at its first bad line, and
 * every problem named by file and line. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Called for each header (key and value NULL) and each key; a negative
 * return stops the reading and is returned by ini_parse. */
typedef int (*ini_entry_fn)(const char *group, const char *key, const char *value,
			    unsigned int line, void *data);
/* Called for a line that is neither; the reading goes on. */
typedef void (*ini_error_fn)(unsigned int line, const char *why, void *data);

int ini_parse(const char *text, size_t len, ini_entry_fn entry, ini_error_fn error, void *data);

/* ---- files of objects, one per [PREFIXname] group ---- */

typedef void (*ini_warn_fn)(const char *file, unsigned int line, const char *why, void *data);

/* One file being read: handed to the callbacks, for ini_warn(). */
struct ini_objects;

struct ini_object_ops {
	const char *prefix;		/* "service_": [service_NAME] is an object */
	const char *quiet_group;	/* another group allowed (its keys unread), or NULL */
	/* A group starts (line: its header's): the object its keys fill. */
	void *(*begin)(struct ini_objects *in, const char *group, unsigned int line);
	/* One of its keys: 0, or <0 after a warning, which drops the object. */
	int (*key)(struct ini_objects *in, void *object, const char *key, const char *value,
		   unsigned int line);
	/* The group ends: keep the object (checks that need all its keys go
	 * here) or free it; dropped after a bad key or line. */
	void (*end)(struct ini_objects *in, void *object, bool dropped, unsigned int line);
};

/* Reads text, from file, calling ops (ini_state() gives them state) and
 * warning through warn (may be NULL) for every line it cannot use. Returns
 * ini_parse()'s result. */
int ini_parse_objects(const char *file, const char *text, size_t len,
		      const struct ini_object_ops *ops, void *state, ini_warn_fn warn,
		      void *warn_data);
/* Warns "why" about a line of the file being read. */
void ini_warn(struct ini_objects *in, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *ini_file(const struct ini_objects *in);
void *ini_state(const struct ini_objects *in);
