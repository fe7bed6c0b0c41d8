/* Domain names in DNS wire form (RFC 1035, 3.1 and 4.1.4): the one codec
 * that reads, writes, compares and prints them, for the proxy, the stub
 * resolver and router advertisements alike. Pure functions over bytes from
 * the network, fuzzed.
 *
 * A name handed out or taken by these functions is uncompressed wire form:
 * labels of at most 63 octets, each after its length octet, ending in the
 * empty root label, 255 octets at most in all. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DNS_NAME_MAX 255
#define DNS_LABEL_MAX 63
/* Room for any name as text: 253 characters, or "." for the root, and a NUL. */
#define DNS_NAME_TEXT_MAX 254

enum {
	/* msg is a whole DNS message: compression pointers may be followed,
	 * backwards only and never into the 12-octet header, so no name loops. */
	DNS_NAME_COMPRESSED = 1 << 0,
	/* ASCII letters are lowercased in the copy (names compare without case). */
	DNS_NAME_LOWER = 1 << 1,
};

/* Reads the name at *pos of msg[0..len) into out (DNS_NAME_MAX octets; NULL
 * to skip it) and moves *pos past it, that is past its first pointer.
 * Returns the name's length in out, or -EBADMSG for a name that runs past
 * len, is too long, has a label type other than 0 or (with
 * DNS_NAME_COMPRESSED) a valid pointer; *pos and out are then untouched. */
int dns_name_read(const uint8_t *msg, size_t len, size_t *pos, unsigned int flags, uint8_t *out);
/* Writes "www.example.com" (a final dot allowed; "." is the root) in wire
 * form into out (DNS_NAME_MAX octets). Returns its length, or -EINVAL for an
 * empty name or label, a label over 63 octets or a name over 255. */
int dns_name_from_text(const char *text, uint8_t *out);
/* Writes name as dotted text without the final dot ("." for the root),
 * octets that are not printable ASCII as '?'. Returns the text's length, or
 * -ENOSPC when out_size is too small (DNS_NAME_TEXT_MAX never is). */
int dns_name_to_text(const uint8_t *name, char *out, size_t out_size);
/* Octets of name, its root label included. */
size_t dns_name_len(const uint8_t *name);
/* Whether every label holds only letters, digits, '-' and '_': what may be
 * written into resolv.conf. The root is not such a name. */
bool dns_name_is_hostname(const uint8_t *name);
/* Same name, ASCII case ignored. */
bool dns_name_equal(const uint8_t *a, const uint8_t *b);
/* Whether name is domain or a name under it, ASCII case ignored. */
bool dns_name_under(const uint8_t *name, const uint8_t *domain);
/* Lowercases the ASCII letters of name in place. */
void dns_name_lower(uint8_t *name);
