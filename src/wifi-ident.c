#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "wifi-ident.h"
#include "hex.h"

static const struct {
	const char *iwd;
	const char *connman;
} security_names[] = {
	[WIFI_SECURITY_NONE] = { "open", "none" },
	[WIFI_SECURITY_WEP] = { "wep", "wep" },
	[WIFI_SECURITY_PSK] = { "psk", "psk" },
	[WIFI_SECURITY_IEEE8021X] = { "8021x", "ieee8021x" },
};

int wifi_security_from_iwd(const char *type, enum wifi_security *out)
{
	for (size_t i = 0; type && i < sizeof(security_names) / sizeof(security_names[0]); i++) {
		if (!strcmp(type, security_names[i].iwd)) {
			*out = (enum wifi_security)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *wifi_security_name(enum wifi_security security)
{
	return security_names[security].connman;
}

int wifi_service_id(const uint8_t mac[6], const uint8_t *ssid, size_t ssid_len,
		    enum wifi_security security, char *out, size_t size)
{
	char hex[2 * WIFI_SSID_MAX + 1] = "hidden";
	int n;

	if (ssid_len > WIFI_SSID_MAX)
		return -EINVAL;
	for (size_t i = 0; i < ssid_len; i++)
		snprintf(hex + 2 * i, 3, "%02x", ssid[i]);
	n = snprintf(out, size, "wifi_%02x%02x%02x%02x%02x%02x_%s_managed_%s", mac[0], mac[1],
		     mac[2], mac[3], mac[4], mac[5], hex, wifi_security_name(security));
	return n < 0 || (size_t)n >= size ? -ENOSPC : 0;
}

uint8_t wifi_strength(int32_t signal)
{
	/* 2 * (dBm + 100), with dBm = signal / 100. */
	int32_t s = signal / 50 + 200;

	if (s > 100)
		return 100;
	return s < 1 ? 1 : (uint8_t)s;
}

int wifi_parse_mac(const char *text, uint8_t mac[6])
{
	uint8_t out[6];

	if (!text || strlen(text) != 17)
		return -EINVAL;
	for (int i = 0; i < 6; i++) {
		int hi = hex_digit(text[3 * i]), lo = hex_digit(text[3 * i + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && text[3 * i + 2] != ':'))
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(mac, out, 6);
	return 0;
}

/* Hex of at most `max` bytes into `out`: the byte count, or -EINVAL. */
static int parse_hex(const char *hex, size_t hex_len, uint8_t *out, size_t max)
{
	if (hex_len == 0 || hex_len % 2 || hex_len / 2 > max)
		return -EINVAL;
	for (size_t i = 0; i < hex_len / 2; i++) {
		int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (int)(hex_len / 2);
}

int wifi_hidden_ssid(const char *name, const char *ssid_hex, uint8_t ssid[WIFI_SSID_MAX],
		     size_t *ssid_len)
{
	uint8_t bytes[WIFI_SSID_MAX];
	size_t len;
	int n;

	if (name && *name) {
		len = strlen(name);
		if (len > WIFI_SSID_MAX)
			return -EINVAL;
		memcpy(ssid, name, len);
		*ssid_len = len;
		return 0;
	}
	n = ssid_hex ? parse_hex(ssid_hex, strlen(ssid_hex), bytes, WIFI_SSID_MAX) : -EINVAL;
	if (n < 0)
		return n;
	memcpy(ssid, bytes, (size_t)n);
	*ssid_len = (size_t)n;
	return 0;
}

int wifi_parse_network_path(const char *path, uint8_t ssid[WIFI_SSID_MAX], size_t *ssid_len,
			    enum wifi_security *security)
{
	const char *name = path ? strrchr(path, '/') : NULL;
	const char *sep = name ? strrchr(name, '_') : NULL;
	uint8_t bytes[WIFI_SSID_MAX];
	int n;

	if (!sep)
		return -EINVAL;
	name++;
	n = parse_hex(name, (size_t)(sep - name), bytes, WIFI_SSID_MAX);
	if (n < 0 || wifi_security_from_iwd(sep + 1, security) < 0)
		return -EINVAL;
	memcpy(ssid, bytes, (size_t)n);
	*ssid_len = (size_t)n;
	return 0;
}
