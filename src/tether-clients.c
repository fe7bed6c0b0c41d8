#include <stdlib.h>
#include <string.h>
#include <ell/ell.h>

#include "tether-clients.h"

struct tether_clients {
	char **told;		/* sorted, never NULL */
};

struct tether_clients *tether_clients_new(void)
{
	struct tether_clients *c = l_new(struct tether_clients, 1);

	c->told = l_new(char *, 1);
	return c;
}

void tether_clients_free(struct tether_clients *c)
{
	if (!c)
		return;
	l_strv_free(c->told);
	l_free(c);
}

static int compare(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **tether_clients_sort(char **list)
{
	unsigned int n = l_strv_length(list), kept = 0;

	if (!n)
		return list;
	qsort(list, n, sizeof(*list), compare);
	for (unsigned int i = 0; i < n; i++) {
		if (kept && !strcmp(list[kept - 1], list[i])) {
			l_free(list[i]);
			continue;
		}
		list[kept++] = list[i];
	}
	list[kept] = NULL;
	return list;
}

/* The entries of `a` that `b` lacks; both sorted. */
static char **missing(char **a, char **b)
{
	char **out = NULL;

	for (; a && *a; a++)
		if (!l_strv_contains(b, *a))
			out = l_strv_append(out, *a);
	return out;
}

bool tether_clients_update(struct tether_clients *c, char **now, char ***registered,
			   char ***removed)
{
	char **sorted = tether_clients_sort(l_strv_copy(now ? now : (char *[]) { NULL }));

	*registered = missing(sorted, c->told);
	*removed = missing(c->told, sorted);
	l_strv_free(c->told);
	c->told = sorted;
	return *registered || *removed;
}
