#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <ell/ell.h>

#include "provision-wifi.h"

/* Keys ConnMan reads for 802.1X: taken, and the group refused if EAP is set. */
static const char *const eap_keys[] = {
	"Identity", "AnonymousIdentity", "CACertFile", "ClientCertFile", "PrivateKeyFile",
	"PrivateKeyPassphrase", "PrivateKeyPassphraseType", "SubjectMatch", "AltSubjectMatch",
	"DomainSuffixMatch", "DomainMatch", "Phase2", NULL
};

static void replace(char **field, const char *value)
{
	l_free(*field);
	*field = l_strdup(value);
}

/* Kept as written: checked by provision_wifi_finish, once the group's Type
 * says they matter (Name is every group's). */
int provision_wifi_key(struct provision_wifi *w, const char *key, const char *value)
{
	char **field = !strcmp(key, "Name") ? &w->name : !strcmp(key, "SSID") ? &w->ssid_hex :
		       !strcmp(key, "Passphrase") ? &w->passphrase :
		       !strcmp(key, "Security") ? &w->security : !strcmp(key, "EAP") ? &w->eap :
		       !strcmp(key, "Hidden") ? &w->hidden_text : NULL;

	if (field) {
		replace(field, value);
		return 1;
	}
	return l_strv_contains((char **)eap_keys, key) ? 1 : 0;
}

/* SSID (hex) wins over Name, as in ConnMan. */
static int resolve_ssid(struct provision_wifi *w, char *why, size_t why_len)
{
	unsigned char *bytes;
	size_t len;

	if (w->ssid_hex) {
		len = strlen(w->ssid_hex);
		bytes = len && len % 2 == 0 && len <= 2 * WIFI_SSID_MAX ?
			l_util_from_hexstring(w->ssid_hex, &len) : NULL;
		if (!bytes) {
			snprintf(why, why_len, "SSID must be 1 to 32 bytes in hex");
			return -EINVAL;
		}
		memcpy(w->ssid, bytes, len);
		w->ssid_len = len;
		l_free(bytes);
		return 0;
	}
	len = w->name ? strlen(w->name) : 0;
	if (!len || len > WIFI_SSID_MAX) {
		snprintf(why, why_len, w->name ? "Name must be an SSID of 1 to 32 bytes" :
			 "names no network (Name or SSID)");
		return -EINVAL;
	}
	memcpy(w->ssid, w->name, len);
	w->ssid_len = len;
	return 0;
}

/* What iwd takes from its agent: a WPA passphrase of 8 to 63 characters. */
static bool passphrase_usable(const char *text)
{
	size_t len = strlen(text);

	if (len < 8 || len > 63)
		return false;
	for (const char *c = text; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return false;
	return true;
}

static int resolve_security(struct provision_wifi *w, char *why, size_t why_len)
{
	const char *s = w->security;

	if (w->eap || (s && !strcmp(s, "ieee8021x"))) {
		snprintf(why, why_len, "802.1X (EAP) networks take iwd's own provisioning file "
			 "(/var/lib/iwd/NAME.8021x), not connd's");
		return -EINVAL;
	}
	if (s && !strcmp(s, "wep")) {
		snprintf(why, why_len, "WEP is not supported (iwd has none)");
		return -EINVAL;
	}
	if (s && strcmp(s, "psk") && strcmp(s, "none")) {
		snprintf(why, why_len, "Security must be psk, none, wep or ieee8021x");
		return -EINVAL;
	}
	/* ConnMan's rule: a passphrase makes it psk, whatever Security says. */
	w->resolved = w->passphrase || (s && !strcmp(s, "psk")) ? WIFI_SECURITY_PSK :
								   WIFI_SECURITY_NONE;
	if (w->passphrase && !passphrase_usable(w->passphrase)) {
		snprintf(why, why_len, "Passphrase must be 8 to 63 characters (iwd takes no "
			 "other from its agent)");
		return -EINVAL;
	}
	return 0;
}

int provision_wifi_finish(struct provision_wifi *w, char *why, size_t why_len)
{
	char *hex;

	if (resolve_ssid(w, why, why_len) < 0)
		return -EINVAL;
	if (w->hidden_text && strcmp(w->hidden_text, "true") && strcmp(w->hidden_text, "false")) {
		snprintf(why, why_len, "Hidden must be true or false");
		return -EINVAL;
	}
	w->hidden = l_streq0(w->hidden_text, "true");
	if (resolve_security(w, why, why_len) < 0)
		return -EINVAL;
	hex = l_util_hexstring(w->ssid, w->ssid_len);
	snprintf(w->ident, sizeof(w->ident), "%s_managed_%s", hex, wifi_security_name(w->resolved));
	l_free(hex);
	return 0;
}

void provision_wifi_clear(struct provision_wifi *w)
{
	if (w->passphrase)
		explicit_bzero(w->passphrase, strlen(w->passphrase));
	l_free(w->passphrase);
	l_free(w->name);
	l_free(w->ssid_hex);
	l_free(w->security);
	l_free(w->eap);
	l_free(w->hidden_text);
	memset(w, 0, sizeof(*w));
}

/* wifi_<12 hex digits of the MAC>_<ident> */
bool provision_wifi_matches(const struct provision_wifi *w, const char *id)
{
	size_t prefix = strlen("wifi_") + 12 + 1;

	return w->ident[0] && strlen(id) > prefix && !strncmp(id, "wifi_", 5) &&
	       id[prefix - 1] == '_' && !strcmp(id + prefix, w->ident);
}
