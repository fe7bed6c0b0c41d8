/* Checks of names and addresses that arrive as text from clients and files. */
#pragma once

#include <stdbool.h>

/* An IPv4 or IPv6 address in numeric form. */
bool name_is_ip_address(const char *text);
/* A host or domain name: letters, digits, '-', '_' and '.', at most 253 bytes. */
bool name_is_domain(const char *text);
