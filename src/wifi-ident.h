/* Pure pieces of the Wi-Fi bearer, kept apart so they are unit-tested:
 * ConnMan's service identifier for a network, iwd's security types in
 * ConnMan's words, iwd's signal as ConnMan's Strength, and the SSID bytes
 * and type iwd encodes in a network's object path. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WIFI_SSID_MAX 32

enum wifi_security {
	WIFI_SECURITY_NONE,
	WIFI_SECURITY_WEP,
	WIFI_SECURITY_PSK,
	WIFI_SECURITY_IEEE8021X,
};

/* iwd's Network.Type ("open", "wep", "psk", "8021x"): 0 and *out set, or
 * -EINVAL for a type connd does not know (out untouched). SAE and
 * transition networks are "psk" to iwd, OWE is "open". */
int wifi_security_from_iwd(const char *type, enum wifi_security *out);
/* ConnMan's name: "none", "wep", "psk", "ieee8021x". */
const char *wifi_security_name(enum wifi_security security);

/* wifi_<mac>_<ssid as lower-case hex>_managed_<security>, ConnMan's form;
 * an SSID of length 0 gives ConnMan's hidden form wifi_<mac>_hidden_managed_<security>.
 * -EINVAL for an SSID longer than 32 bytes, -ENOSPC when out is too small;
 * WIFI_ID_MAX always suffices. */
#define WIFI_ID_MAX (5 + 12 + 1 + 2 * WIFI_SSID_MAX + 9 + 10 + 1)
int wifi_service_id(const uint8_t mac[6], const uint8_t *ssid, size_t ssid_len,
		    enum wifi_security security, char *out, size_t size);

/* iwd reports a network's signal in 100 * dBm (GetOrderedNetworks). The
 * Strength is linear from -100 dBm (0) to -50 dBm (100) and clamped: below
 * -100 dBm nothing connects, and above -50 dBm more signal adds nothing a
 * user sees (the rates are already the highest). A network that is listed
 * at all shows at least 1, since 0 means "not reported". */
uint8_t wifi_strength(int32_t signal);

/* "aa:bb:cc:dd:ee:ff" (iwd's Device.Address) into 6 bytes: 0, or -EINVAL. */
int wifi_parse_mac(const char *text, uint8_t mac[6]);

/* A hidden network's SSID from the user's agent: its Name (the text's
 * bytes) or, without one, its SSID (the bytes in hex, as agents.h gives
 * them). 0 with ssid and *ssid_len set, or -EINVAL for neither, an empty
 * one, more than 32 bytes or bad hex (outputs untouched). */
int wifi_hidden_ssid(const char *name, const char *ssid_hex, uint8_t ssid[WIFI_SSID_MAX],
		     size_t *ssid_len);

/* iwd's Network object path ends in <ssid hex>_<type>: the SSID's exact
 * bytes even when they are not UTF-8. 0 with ssid, *ssid_len and
 * *security filled, or -EINVAL when the path is not of that form. */
int wifi_parse_network_path(const char *path, uint8_t ssid[WIFI_SSID_MAX], size_t *ssid_len,
			    enum wifi_security *security);
