/* What a technology that tethers through an access point of its own (Wi-Fi)
 * is told to broadcast, as ConnMan keeps it: TetheringIdentifier (the SSID,
 * 1 to 32 bytes), TetheringPassphrase (WPA2's: 8 to 63 characters, or 64 hex
 * digits for the raw key), TetheringFreq (MHz, 2412 when never set), and
 * whether it tethered when last saved; in the technology's group of the
 * global settings file under ConnMan's keys (Tethering, Tethering.Identifier,
 * Tethering.Passphrase, Tethering.Freq). Checks and the file's form only: no
 * logging (the passphrase must never reach a log). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct l_settings;

#define TETHER_AP_SSID_MAX 32
#define TETHER_AP_DEFAULT_FREQ 2412

struct tether_ap {
	char *identifier;	/* NULL: never set */
	char *passphrase;	/* NULL: never set */
	int32_t freq;
	bool saved_on;
};

/* 0, or -EINVAL (empty, longer than 32 bytes). */
int tether_ap_check_identifier(const char *identifier);
/* 0, or -ENOKEY (too short, too long, 64 characters that are not hex, a
 * control character). */
int tether_ap_check_passphrase(const char *passphrase);
/* 0, or -EINVAL (zero or negative). */
int tether_ap_check_freq(int32_t freq);

/* Reads the group's keys (absent ones keep their defaults); a value that
 * fails its check is dropped and its key named in *bad (or NULL). */
void tether_ap_load(struct tether_ap *ap, const struct l_settings *s, const char *group,
		    const char **bad);
void tether_ap_save(const struct tether_ap *ap, struct l_settings *s, const char *group);
void tether_ap_clear(struct tether_ap *ap);
