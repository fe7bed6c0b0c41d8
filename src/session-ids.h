/* Session ids: a session's id is written into the conntrack mark's
 * MARK_SESSION bits, so ids are bounded by that mask. A freed id is given
 * out again, lowest free first, so creating and destroying sessions never
 * runs out of ids. The id also names the session's D-Bus object. Pure. */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct session_ids;

/* Ids 1..max (max at most MARK_SESSION_MASK); NULL for a max of 0. */
struct session_ids *session_ids_new(uint32_t max);
void session_ids_free(struct session_ids *ids);	/* accepts NULL */

/* The lowest free id into *out, now taken; -ENOSPC when every id is. */
int session_ids_take(struct session_ids *ids, uint32_t *out);
/* Gives a taken id back; anything else is ignored. */
void session_ids_put(struct session_ids *ids, uint32_t id);

/* A session's object path: "/sessions/" and its id in six decimal digits,
 * two per element (id 12345: /sessions/01/23/45), so no node of the object
 * tree has more than 100 children. ELL 0.56 keeps a node's children in a
 * list that adding or removing an object scans (strncmp each): ConnMan's
 * /sessions/OWNER/NOTIFIER made one application's sessions siblings and
 * each creation O(sessions). Written as snprintf does (dst may be NULL for
 * a size of 0); the path's length. */
#define SESSION_PATH_MAX sizeof("/sessions/00/00/00")
size_t session_id_path(uint32_t id, char *dst, size_t size);
/* The id `path` names (exactly as session_id_path writes it), else 0. */
uint32_t session_path_id(const char *path);
