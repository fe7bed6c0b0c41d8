/* The Captive Portal API's JSON (RFC 8908, application/captive+json), as
 * far as connd needs it: the top-level object's "captive" (required),
 * "user-portal-url", "venue-info-url", "seconds-remaining",
 * "bytes-remaining" and "can-extend-session". Other members are skipped
 * (nested up to a small depth). Pure, no allocation, fuzzed: the text comes
 * from the network. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CAPPORT_URL_MAX 1024

struct capport_info {
	bool captive;
	/* printable ASCII without spaces (as the D-Bus agent and logs get
	 * them); "" when absent */
	char user_portal_url[CAPPORT_URL_MAX];
	char venue_info_url[CAPPORT_URL_MAX];
	bool has_seconds_remaining;
	uint64_t seconds_remaining;	/* whole seconds, fractions dropped */
	bool has_bytes_remaining;
	uint64_t bytes_remaining;
	bool can_extend_session;
};

/* Parses one JSON object (RFC 8259; whitespace around it allowed). Returns
 * 0, or -EBADMSG when the text is not JSON, not an object, lacks "captive",
 * or gives a known member of the wrong type (a string URL that is not
 * printable ASCII or is too long, a negative count); *info is then zeroed. */
int capport_json_parse(const char *text, size_t len, struct capport_info *info);
