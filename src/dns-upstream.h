/* Which servers the DNS proxy may forward to. Never itself: a loopback,
 * unspecified or multicast address, or an address of one of connd's own
 * links, would send its queries back to it (a DHCP server handing out
 * 127.0.0.1 or the client's own address made a forwarding loop). Pure code. */
#pragma once

#include <stdbool.h>

/* Whether server (an IPv4 or IPv6 literal, "fe80::1%eth0" allowed) may be an
 * upstream, own being the host's addresses (literals, NULL-terminated, may
 * be NULL). A server that is not an address literal is not one. */
bool dns_upstream_allowed(const char *server, char *const *own);
/* The servers that are allowed, in order; never NULL. Those left out are
 * appended to *refused when refused is not NULL. */
char **dns_upstream_filter(char *const *servers, char *const *own, char ***refused);
