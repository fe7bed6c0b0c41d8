/* The tethered clients told in TetheringClientsChanged: only the changes,
 * sorted, each client once, and nothing when nothing changed. */
#include <ell/ell.h>

#include "check.h"
#include "tether-clients.h"

#define A "02:00:00:00:00:0a"
#define B "02:00:00:00:00:0b"
#define C "02:00:00:00:00:0c"

static char *joined(char **list)
{
	return list ? l_strjoinv(list, ',') : l_strdup("");
}

/* Updates with `now` and checks the registered and removed lists. */
static void step(struct tether_clients *c, char **now, bool changed, const char *want_reg,
		 const char *want_rem)
{
	char **reg = NULL, **rem = NULL;
	char *r, *m;

	CHECK_INT(tether_clients_update(c, now, &reg, &rem), changed);
	r = joined(reg);
	m = joined(rem);
	CHECK_STR(r, want_reg);
	CHECK_STR(m, want_rem);
	l_free(r);
	l_free(m);
	l_strv_free(reg);
	l_strv_free(rem);
}

static void test_changes_only(void)
{
	struct tether_clients *c = tether_clients_new();

	step(c, NULL, false, "", "");
	step(c, (char *[]) { B, A, B, NULL }, true, A "," B, "");
	step(c, (char *[]) { A, B, NULL }, false, "", "");
	step(c, (char *[]) { C, B, NULL }, true, C, A);
	step(c, (char *[]) { NULL }, true, "", B "," C);
	step(c, NULL, false, "", "");
	tether_clients_free(c);
	tether_clients_free(NULL);
}

static void test_sort(void)
{
	char **list = l_strv_append(NULL, C);
	char *text;

	list = l_strv_append(list, A);
	list = l_strv_append(list, C);
	list = l_strv_append(list, B);
	text = joined(tether_clients_sort(list));
	CHECK_STR(text, A "," B "," C);
	l_free(text);
	l_strv_free(list);
	CHECK(!tether_clients_sort(NULL));
}

int main(void)
{
	test_changes_only();
	test_sort();
	CHECK_DONE();
}
