/* Checks of names and addresses that arrive as text from clients and files. */
#pragma once

#include <stdbool.h>

/* An IPv4 or IPv6 address in numeric form. */
bool name_is_ip_address(const char *text);
/* A host or domain name: dot-separated labels of 1 to 63 letters, digits, '-'
 * (not first or last) and '_', at most 253 bytes, one trailing dot allowed;
 * not ".", "a..b" or "-a". */
bool name_is_domain(const char *text);
/* A timeserver: an address, a link-local IPv6 address with its link
 * ("fe80::1%eth0"; the link need not exist yet), or a host name. */
bool name_is_timeserver(const char *text);
