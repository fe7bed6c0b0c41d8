#include <errno.h>
#include <string.h>
#include <ell/ell.h>

#include "idmap.h"

#define PAGE_SHIFT 9
#define PAGE_SLOTS (1u << PAGE_SHIFT)	/* 4 KiB of pointers */

struct page_ref {
	void **slots;		/* NULL: no id of this page has a value */
	uint32_t used;
};

struct idmap {
	struct page_ref *pages;	/* the directory, page n for ids n * PAGE_SLOTS ... */
	uint32_t n_pages;	/* its length, doubled as ids grow */
	uint32_t live_pages;	/* with a value: at none the directory goes too */
};

struct idmap *idmap_new(void)
{
	return l_new(struct idmap, 1);
}

static void drop_directory(struct idmap *map)
{
	l_free(map->pages);
	map->pages = NULL;
	map->n_pages = 0;
}

void idmap_free(struct idmap *map)
{
	if (!map)
		return;
	for (uint32_t i = 0; i < map->n_pages; i++)
		l_free(map->pages[i].slots);
	drop_directory(map);
	l_free(map);
}

static void grow_directory(struct idmap *map, uint32_t page)
{
	uint32_t n = map->n_pages ? map->n_pages : 1;

	while (n <= page)
		n *= 2;
	map->pages = l_realloc(map->pages, n * sizeof(*map->pages));
	memset(map->pages + map->n_pages, 0, (n - map->n_pages) * sizeof(*map->pages));
	map->n_pages = n;
}

int idmap_set(struct idmap *map, uint32_t id, void *value)
{
	uint32_t page = id >> PAGE_SHIFT;
	struct page_ref *ref;

	if (!value)
		return -EINVAL;
	if (page >= map->n_pages)
		grow_directory(map, page);
	ref = &map->pages[page];
	if (!ref->slots) {
		ref->slots = l_new(void *, PAGE_SLOTS);
		map->live_pages++;
	}
	if (ref->slots[id % PAGE_SLOTS])
		return -EEXIST;
	ref->slots[id % PAGE_SLOTS] = value;
	ref->used++;
	return 0;
}

void *idmap_get(const struct idmap *map, uint32_t id)
{
	uint32_t page = id >> PAGE_SHIFT;

	if (page >= map->n_pages || !map->pages[page].slots)
		return NULL;
	return map->pages[page].slots[id % PAGE_SLOTS];
}

void *idmap_remove(struct idmap *map, uint32_t id)
{
	void *value = idmap_get(map, id);
	struct page_ref *ref;

	if (!value)
		return NULL;
	ref = &map->pages[id >> PAGE_SHIFT];
	ref->slots[id % PAGE_SLOTS] = NULL;
	if (--ref->used)
		return value;
	l_free(ref->slots);
	ref->slots = NULL;
	if (!--map->live_pages)
		drop_directory(map);
	return value;
}

size_t idmap_bytes(const struct idmap *map)
{
	return map->n_pages * sizeof(*map->pages) +
	       (size_t)map->live_pages * PAGE_SLOTS * sizeof(void *);
}
