/* The Wi-Fi part of a provisioning entry (ConnMan's config-format.txt):
 * the network by Name (its SSID as text) or SSID (hex, which wins), its
 * Security (psk, none; by default psk with a Passphrase, none without),
 * the Passphrase, Hidden. What iwd cannot be given this way is refused
 * with a reason: WEP (iwd has none), 802.1X (EAP, Security = ieee8021x:
 * iwd takes those from its own provisioning files). Pure. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wifi-ident.h"

struct provision_wifi {
	/* As written in the group. */
	char *name, *ssid_hex, *security, *passphrase, *eap, *hidden_text;
	/* Resolved by provision_wifi_finish. */
	uint8_t ssid[WIFI_SSID_MAX];
	size_t ssid_len;
	enum wifi_security resolved;
	bool hidden;
	/* "<ssid hex>_managed_<security>": the end of the service id. */
	char ident[2 * WIFI_SSID_MAX + 32];
};

/* Any key of a group: 1 when it is one of the Wi-Fi keys (kept as written,
 * checked by provision_wifi_finish), else 0. */
int provision_wifi_key(struct provision_wifi *w, const char *key, const char *value);
/* For a Type = wifi group, once it ended: the network, its security and
 * ident. 0, or -EINVAL with `why` set (no network named, a bad SSID, a
 * passphrase iwd would refuse, WEP, 802.1X). */
int provision_wifi_finish(struct provision_wifi *w, char *why, size_t why_len);
void provision_wifi_clear(struct provision_wifi *w);
/* Whether the service `id` is this entry's network (any device). */
bool provision_wifi_matches(const struct provision_wifi *w, const char *id);
