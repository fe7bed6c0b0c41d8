/* The key-file reader's skeleton for files of objects: which groups make
 * objects, when one is dropped, and the file:line of every warning. */
#include <errno.h>
#include <string.h>
#include <ell/ell.h>

#include "check.h"
#include "ini.h"

struct state {
	char log[1024];		/* what the callbacks saw, in order */
	unsigned int warnings;
	char last_warning[256];
};

static void note(struct state *st, const char *what, const char *name, unsigned int line)
{
	size_t n = strlen(st->log);

	snprintf(st->log + n, sizeof(st->log) - n, "%s %s@%u;", what, name, line);
}

static void *begin(struct ini_objects *in, const char *group, unsigned int line)
{
	note(ini_state(in), "begin", group, line);
	return l_strdup(group);
}

static int key(struct ini_objects *in, void *object, const char *k, const char *value,
	       unsigned int line)
{
	if (!strcmp(value, "bad")) {
		ini_warn(in, line, "%s is bad", k);
		return -EINVAL;
	}
	note(ini_state(in), "key", k, line);
	return 0;
}

static void end(struct ini_objects *in, void *object, bool dropped, unsigned int line)
{
	note(ini_state(in), dropped ? "drop" : "keep", object, line);
	l_free(object);
}

static void warned(const char *file, unsigned int line, const char *why, void *data)
{
	struct state *st = data;

	st->warnings++;
	snprintf(st->last_warning, sizeof(st->last_warning), "%s:%u: %s", file, line, why);
}

static const struct ini_object_ops ops = {
	.prefix = "thing_",
	.quiet_group = "global",
	.begin = begin,
	.key = key,
	.end = end,
};

static int parse(struct state *st, const char *text, size_t len)
{
	memset(st, 0, sizeof(*st));
	return ini_parse_objects("x.conf", text, len, &ops, st, warned, st);
}

static void test_objects(void)
{
	static const char text[] =
		"# comment\n[global]\nName = g\n"
		"[thing_a]\n; comment\nA = 1\n\nB = 2\n"
		"[thing_b]\nA = bad\nB = 2\n"
		"[thing_c]\nno equals sign\nA = 1\n"
		"[thing_]\nA = 1\n"
		"[other]\nA = 1\n"
		"[thing_d]\nA = 1";
	struct state st;

	CHECK_INT(parse(&st, text, strlen(text)), 0);
	CHECK_STR(st.log, "begin thing_a@4;key A@6;key B@8;keep thing_a@4;"
		  "begin thing_b@9;drop thing_b@9;"
		  "begin thing_c@12;drop thing_c@12;"
		  "begin thing_d@19;key A@20;keep thing_d@19;");
	/* A bad value, a malformed line, [thing_] (no name), [other]. */
	CHECK_INT(st.warnings, 4);
	CHECK_STR(st.last_warning, "x.conf:17: group [other] is neither [global] nor [thing_NAME]; ignored");
}

static void test_errors(void)
{
	struct state st;

	CHECK_INT(parse(&st, "[thing_a]\nA = 1\0", 16), -EINVAL);
	CHECK_STR(st.last_warning, "x.conf:1: file contains a NUL byte");
	CHECK_STR(st.log, "");
	CHECK_INT(parse(&st, "A = 1\n[thing_a\n", 15), 0);
	CHECK_INT(st.warnings, 2);
	CHECK_STR(st.last_warning, "x.conf:2: malformed group header");
}

int main(void)
{
	test_objects();
	test_errors();
	CHECK_DONE();
}
