/* The tethered clients the Manager has told its listeners about, and what
 * changed since: the arguments of TetheringClientsChanged(as registered,
 * as removed). Clients are keyed by MAC address, "02:00:5e:00:00:01", lower
 * case, as ConnMan keys them. Pure: the caller says when to look. */
#pragma once

#include <stdbool.h>

struct tether_clients;

struct tether_clients *tether_clients_new(void);
void tether_clients_free(struct tether_clients *c);	/* accepts NULL */

/* The clients now (any order; duplicates count once) become the told set:
 * *registered gets those new since the last update and *removed those gone,
 * each sorted (caller frees both; both NULL when nothing changed). Returns
 * whether anything changed. */
bool tether_clients_update(struct tether_clients *c, char **now, char ***registered,
			   char ***removed);

/* Sorts a list of strings in place, removing duplicates; returns it. */
char **tether_clients_sort(char **list);
