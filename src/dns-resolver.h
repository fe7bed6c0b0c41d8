/* The stub resolver the online check and SNTP share: asks nameservers in
 * turn for a name's A or AAAA record over UDP, each for a while, from a fresh
 * socket with a random ID, bound to a link (and marked) when the owner says
 * so. A reply counts only from the server asked (the socket is connected to
 * it), with our ID and our question (dns-query reads it).
 *
 * Lookups belong to a resolver: each owner has its own, and freeing it
 * cancels what is still pending. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct dns_resolver;

/* result: 1 with the address (4 octets for A, 16 for AAAA, network order);
 * 0 when the name has no such record (NXDOMAIN, no data); -ETIMEDOUT when no
 * server answered in time, -ENXIO when there was none to ask, -EINVAL for a
 * name that cannot be asked, another negative errno when no socket could be
 * made. */
typedef void (*dns_resolver_cb_t)(int result, const void *address, void *user_data);
typedef void (*dns_resolver_destroy_t)(void *user_data);

/* ifname: the link every query leaves by (NULL: where routing says);
 * mark: the SO_MARK of its sockets (0: none). */
struct dns_resolver *dns_resolver_new(const char *ifname, uint32_t mark);
/* Cancels every pending lookup (destroy runs, the callback does not).
 * Accepts NULL; may be called from a lookup's callback. */
void dns_resolver_free(struct dns_resolver *r);
/* The port nameservers are asked on: 53, another one in tests. */
void dns_resolver_set_port(struct dns_resolver *r, uint16_t port);

/* Looks up name's record of type (DNS_TYPE_A or DNS_TYPE_AAAA) through
 * nameservers (NULL-terminated addresses of either family, "fe80::1%eth0"
 * too; copied), each asked for try_ms. Returns the lookup's id, never 0. The
 * callback runs once from the main loop, never before this returns, then
 * destroy (which may be NULL). */
unsigned int dns_resolver_lookup(struct dns_resolver *r, const char *name, uint16_t type,
				 char *const *nameservers, unsigned int try_ms,
				 dns_resolver_cb_t cb, void *user_data,
				 dns_resolver_destroy_t destroy);
/* Cancels a pending lookup: its callback does not run, its destroy does.
 * false when there is no such lookup (any more). */
bool dns_resolver_cancel(struct dns_resolver *r, unsigned int id);
