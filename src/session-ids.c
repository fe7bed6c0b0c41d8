#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ell/ell.h>

#include "marks.h"
#include "session-ids.h"

#define PATH_PREFIX "/sessions/"
#define PATH_DIGITS "DD/DD/DD"

_Static_assert(MARK_SESSION_MASK <= 999999, "a session path holds six digits");

/* One bit per id in use (bit n for id n + 1), only as many words as the
 * highest id taken needed so far: the whole mark range would be 64 KiB,
 * zeroed (so resident) in an idle daemon; 10,000 sessions need 1.25 KiB.
 * ELL's l_uintset stops at 65535 numbers, fewer than the range. */
struct session_ids {
	uint64_t *used;
	uint32_t max;
	uint32_t words;		/* allocated so far */
	uint32_t first;		/* every word before it is full: takes start there */
};

struct session_ids *session_ids_new(uint32_t max)
{
	struct session_ids *ids;

	if (!max || max > MARK_SESSION_MASK)
		return NULL;
	ids = l_new(struct session_ids, 1);
	ids->max = max;
	return ids;
}

void session_ids_free(struct session_ids *ids)
{
	if (!ids)
		return;
	l_free(ids->used);
	l_free(ids);
}

/* Doubles the words (at least 4), up to what max needs; false at max. */
static bool grow(struct session_ids *ids)
{
	uint32_t all = (ids->max + 63) / 64;
	uint32_t words = ids->words ? ids->words * 2 : 4;

	if (ids->words >= all)
		return false;
	if (words > all)
		words = all;
	ids->used = l_realloc(ids->used, words * sizeof(*ids->used));
	memset(ids->used + ids->words, 0, (words - ids->words) * sizeof(*ids->used));
	ids->words = words;
	return true;
}

int session_ids_take(struct session_ids *ids, uint32_t *out)
{
	for (uint32_t w = ids->first; w < ids->words || grow(ids); w++) {
		uint32_t bit;

		if (ids->used[w] == UINT64_MAX) {
			ids->first = w + 1;
			continue;
		}
		bit = w * 64 + __builtin_ctzll(~ids->used[w]);
		if (bit >= ids->max)
			break;
		ids->used[w] |= 1ull << (bit % 64);
		*out = bit + 1;
		return 0;
	}
	return -ENOSPC;
}

void session_ids_put(struct session_ids *ids, uint32_t id)
{
	if (!id || id > ids->max || (id - 1) / 64 >= ids->words)
		return;
	ids->used[(id - 1) / 64] &= ~(1ull << ((id - 1) % 64));
	if ((id - 1) / 64 < ids->first)
		ids->first = (id - 1) / 64;
}

size_t session_id_path(uint32_t id, char *dst, size_t size)
{
	return (size_t)snprintf(dst, size, PATH_PREFIX "%02u/%02u/%02u", id / 10000, id / 100 % 100,
				id % 100);
}

uint32_t session_path_id(const char *path)
{
	const char *shape = PATH_DIGITS;
	uint32_t id = 0;

	if (strncmp(path, PATH_PREFIX, strlen(PATH_PREFIX)))
		return 0;
	path += strlen(PATH_PREFIX);
	for (unsigned int i = 0; shape[i]; i++) {
		if (shape[i] == '/' ? path[i] != '/' : path[i] < '0' || path[i] > '9')
			return 0;
		if (shape[i] == 'D')
			id = id * 10 + (uint32_t)(path[i] - '0');
	}
	return path[strlen(shape)] ? 0 : id;
}
