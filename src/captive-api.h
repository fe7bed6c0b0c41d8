/* A service's Captive Portal API (RFC 8908), found by RFC 8910 in its
 * DHCPv4 lease (option 114) or its router advertisements (option 37).
 *
 * captive_api_check() fetches the API's JSON over HTTPS through the
 * service's link and gives a verdict: LOCKED (captive: the service stays
 * ready and the user should see user-portal-url, `first` once per captive
 * episode), OPEN (the network lets the device out: the online check
 * decides), or UNKNOWN (no API, or it could not be fetched, trusted or
 * read: the online check decides, as without one). After an OPEN verdict
 * with seconds-remaining, the module looks again by itself shortly before
 * the session runs out and reports what it finds the same way. */
#pragma once

#include <stdbool.h>

struct captive_api;
struct ticker;

enum captive_source {
	CAPTIVE_FROM_DHCP,
	CAPTIVE_FROM_RA,
	CAPTIVE_SOURCES,
};

enum captive_verdict {
	CAPTIVE_LOCKED,
	CAPTIVE_OPEN,
	CAPTIVE_UNKNOWN,
};

/* user_url: LOCKED's user-portal-url (may be NULL when the API gave none). */
typedef void (*captive_api_cb_t)(enum captive_verdict verdict, const char *user_url,
				 bool first, void *data);

struct captive_api_env {
	struct ticker *ticker;
	const char *ca_file;		/* NULL: the system's trust store */
	unsigned int timeout_ms;
};

struct captive_api *captive_api_new(const struct captive_api_env *env, const char *name,
				    captive_api_cb_t cb, void *data);
void captive_api_free(struct captive_api *api);	/* accepts NULL */

/* What a source announced (NULL or "": nothing). True when the URI the
 * service uses changed. */
bool captive_api_set_uri(struct captive_api *api, enum captive_source source, const char *uri);
/* The URI in use: DHCP's, else the RAs'; NULL when none, or when it is
 * RFC 8910's "urn:ietf:params:capport:unrestricted" (no portal). */
const char *captive_api_uri(const struct captive_api *api);

/* Fetches the API through ifname (family: the address family to use;
 * nameservers: NULL-terminated). -ENOENT without an API URI, -EBUSY while
 * a fetch runs; 0: the verdict comes from the main loop. */
int captive_api_check(struct captive_api *api, int family, const char *ifname,
		      char *const *nameservers);
/* Stops a fetch and the session's re-check (the service left ready/online). */
void captive_api_stop(struct captive_api *api);
/* A new connection: what the API said before no longer holds. */
void captive_api_reset(struct captive_api *api);

/* Seconds until the re-check of an open session with `remaining` seconds
 * left: a little before it ends, just after when it is nearly over. Pure. */
unsigned int captive_api_recheck_delay(unsigned long long remaining);
