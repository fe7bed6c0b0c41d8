#include <errno.h>
#include <string.h>
#include <ell/ell.h>

#include "tether-ap.h"

int tether_ap_check_identifier(const char *identifier)
{
	size_t len = identifier ? strlen(identifier) : 0;

	return len >= 1 && len <= TETHER_AP_SSID_MAX ? 0 : -EINVAL;
}

static bool all_hex(const char *s)
{
	for (; *s; s++)
		if (!l_ascii_isxdigit(*s))
			return false;
	return true;
}

/* WPA2's passphrase (IEEE 802.11i, H.4.1): 8 to 63 printable ASCII
 * characters; 64 characters are the 256-bit key itself, in hex. */
int tether_ap_check_passphrase(const char *passphrase)
{
	size_t len = passphrase ? strlen(passphrase) : 0;

	if (len == 64)
		return all_hex(passphrase) ? 0 : -ENOKEY;
	if (len < 8 || len > 63)
		return -ENOKEY;
	for (const char *p = passphrase; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			return -ENOKEY;
	return 0;
}

int tether_ap_check_freq(int32_t freq)
{
	return freq > 0 ? 0 : -EINVAL;
}

static char *load_string(const struct l_settings *s, const char *group, const char *key,
			 int (*check)(const char *), const char **bad)
{
	char *value = l_settings_get_string(s, group, key);

	if (value && check(value) < 0) {
		explicit_bzero(value, strlen(value));
		l_free(value);
		*bad = key;
		return NULL;
	}
	return value;
}

void tether_ap_load(struct tether_ap *ap, const struct l_settings *s, const char *group,
		    const char **bad)
{
	char *identifier, *passphrase;
	int freq;
	bool on;

	*bad = NULL;
	if (l_settings_get_bool(s, group, "Tethering", &on))
		ap->saved_on = on;
	else if (l_settings_has_key(s, group, "Tethering"))
		*bad = "Tethering";
	identifier = load_string(s, group, "Tethering.Identifier", tether_ap_check_identifier, bad);
	passphrase = load_string(s, group, "Tethering.Passphrase", tether_ap_check_passphrase, bad);
	if (identifier) {
		l_free(ap->identifier);
		ap->identifier = identifier;
	}
	if (passphrase) {
		l_free(ap->passphrase);
		ap->passphrase = passphrase;
	}
	if (l_settings_get_int(s, group, "Tethering.Freq", &freq) && tether_ap_check_freq(freq) == 0)
		ap->freq = freq;
	else if (l_settings_has_key(s, group, "Tethering.Freq"))
		*bad = "Tethering.Freq";
}

void tether_ap_save(const struct tether_ap *ap, struct l_settings *s, const char *group)
{
	l_settings_set_bool(s, group, "Tethering", ap->saved_on);
	if (ap->identifier)
		l_settings_set_string(s, group, "Tethering.Identifier", ap->identifier);
	if (ap->passphrase)
		l_settings_set_string(s, group, "Tethering.Passphrase", ap->passphrase);
	l_settings_set_int(s, group, "Tethering.Freq", ap->freq ? ap->freq : TETHER_AP_DEFAULT_FREQ);
}

void tether_ap_clear(struct tether_ap *ap)
{
	if (ap->passphrase)
		explicit_bzero(ap->passphrase, strlen(ap->passphrase));
	l_free(ap->identifier);
	l_free(ap->passphrase);
	*ap = (struct tether_ap) { 0 };
}
