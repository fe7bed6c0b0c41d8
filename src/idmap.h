/* Pointers found by small numeric ids (1, 2, 3, ...: ids handed out lowest
 * free first, as session-ids.c does), in O(1) without hashing. Ids live in
 * pages of 512 slots, a page made when its first id comes and freed when
 * its last goes: 8 bytes an id where ids are dense (a hash table of key and
 * value slots, 3/4 full at most, costs 21 to 43), and no page at all once
 * every id is gone. Values are the caller's; NULL is no value. */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct idmap;

struct idmap *idmap_new(void);
void idmap_free(struct idmap *map);	/* accepts NULL */

/* -EEXIST (nothing changed) if the id has a value already, -EINVAL for a
 * NULL value. */
int idmap_set(struct idmap *map, uint32_t id, void *value);
void *idmap_get(const struct idmap *map, uint32_t id);
/* The removed value, or NULL if the id had none. */
void *idmap_remove(struct idmap *map, uint32_t id);
/* The bytes its pages and directory take (the tests' and the bench's view). */
size_t idmap_bytes(const struct idmap *map);
