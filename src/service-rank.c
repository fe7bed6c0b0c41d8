#include <string.h>

#include "service-rank.h"

int service_rank_class(enum service_state state)
{
	switch (state) {
	case SERVICE_STATE_ONLINE:
	case SERVICE_STATE_READY:
		return 0;
	case SERVICE_STATE_ASSOCIATION:
	case SERVICE_STATE_CONFIGURATION:
		return 1;
	case SERVICE_STATE_IDLE:
	case SERVICE_STATE_DISCONNECT:
	case SERVICE_STATE_FAILURE:
		return 2;
	}
	return 2;
}

int service_rank_index(char *const *list, const char *type)
{
	for (int i = 0; list && list[i]; i++)
		if (!strcmp(list[i], type))
			return i;
	return -1;
}

static const char *const type_order[] = {
	"ethernet", "wifi", "cellular", "bluetooth", "vpn", "gadget", NULL
};

static int type_rank(const char *type)
{
	int i = service_rank_index((char *const *)type_order, type);

	return i < 0 ? (int)(sizeof(type_order) / sizeof(type_order[0])) : i;
}

/* A listed position beats none; lower positions first. */
static int compare_positions(int a, int b)
{
	if (a == b)
		return 0;
	if (a < 0 || b < 0)
		return a < 0 ? 1 : -1;
	return a < b ? -1 : 1;
}

static int compare_ints(int a, int b)
{
	return a == b ? 0 : a < b ? -1 : 1;
}

int service_rank_compare(const struct service_rank_key *a, const struct service_rank_key *b)
{
	int r = compare_ints(service_rank_class(a->state), service_rank_class(b->state));

	if (r)
		return r;
	r = compare_ints(!a->carries_default, !b->carries_default);
	if (r)
		return r;
	/* Online before ready: a checked connection beats an unchecked one. */
	r = compare_ints(a->state != SERVICE_STATE_ONLINE, b->state != SERVICE_STATE_ONLINE);
	if (r)
		return r;
	r = compare_ints(a->unrouted, b->unrouted);
	if (r)
		return r;
	r = compare_ints(!a->favorite, !b->favorite);
	if (r)
		return r;
	r = compare_positions(a->preferred, b->preferred);
	if (r)
		return r;
	r = compare_positions(a->user, b->user);
	if (r)
		return r;
	r = compare_ints(type_rank(a->type), type_rank(b->type));
	if (r)
		return r;
	r = compare_ints(a->order, b->order);
	if (r)
		return r;
	r = compare_ints(b->strength, a->strength);
	if (r)
		return r;
	return strcmp(a->id, b->id);
}
