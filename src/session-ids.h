/* Session ids: a session's id is written into the conntrack mark's
 * MARK_SESSION bits, so ids are bounded by that mask. A freed id is given
 * out again, lowest free first, so creating and destroying sessions never
 * runs out of ids. Pure. */
#pragma once

#include <stdint.h>

struct session_ids;

/* Ids 1..max (max at most MARK_SESSION_MASK); NULL for a max of 0. */
struct session_ids *session_ids_new(uint32_t max);
void session_ids_free(struct session_ids *ids);	/* accepts NULL */

/* The lowest free id into *out, now taken; -ENOSPC when every id is. */
int session_ids_take(struct session_ids *ids, uint32_t *out);
/* Gives a taken id back; anything else is ignored. */
void session_ids_put(struct session_ids *ids, uint32_t id);
