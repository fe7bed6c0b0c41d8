/* A hash table that grows and shrinks with what it holds, so lookups,
 * inserts and removals stay O(1) at any size: ELL's l_hashmap has a fixed
 * 127 buckets, and at 10,000 sessions each lookup walks a chain of ~80.
 * Keys are not copied: a key must live as long as its entry (a session's
 * path, an owner's name). Open addressing, linear probing, deletion by
 * backward shift: no tombstones, two allocations for the whole table
 * (keys, values), one for a set (keys only: 8 bytes a slot instead of 16). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct htable;

typedef uint32_t (*htable_hash_fn)(const void *key);
typedef bool (*htable_equal_fn)(const void *a, const void *b);

struct htable *htable_new(htable_hash_fn hash, htable_equal_fn equal);
/* Keys only, each its own value: lookups and removals return the key held
 * (e.g. the record a key made of its fields finds); insert's value is
 * not kept. */
struct htable *htable_new_set(htable_hash_fn hash, htable_equal_fn equal);
struct htable *htable_new_str(void);	/* NUL-terminated string keys */
struct htable *htable_new_ptr(void);	/* keys compared by address */
void htable_free(struct htable *t);	/* accepts NULL; values are the caller's */

/* -EEXIST (nothing changed) if the key is there already. */
int htable_insert(struct htable *t, const void *key, void *value);
void *htable_lookup(const struct htable *t, const void *key);
/* The removed entry's value, or NULL if the key was not there. */
void *htable_remove(struct htable *t, const void *key);
unsigned int htable_size(const struct htable *t);
/* The hash of htable_new_str's keys, for keys made of several strings. */
uint32_t htable_str_hash(const void *key);
/* fn must not change the table. */
void htable_foreach(const struct htable *t, void (*fn)(const void *key, void *value, void *data),
		    void *data);
