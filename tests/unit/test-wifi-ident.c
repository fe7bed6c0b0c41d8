/* The Wi-Fi bearer's pure pieces: ConnMan's service ids (non-UTF-8 and
 * 32-byte SSIDs included), iwd's types in ConnMan's words, the Strength
 * scale, and what iwd's object paths and addresses carry. */
#include <errno.h>
#include <string.h>

#include "check.h"
#include "wifi-ident.h"

static const uint8_t mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x01, 0xaf };

static void test_security(void)
{
	enum wifi_security s = WIFI_SECURITY_WEP;

	CHECK_INT(wifi_security_from_iwd("open", &s), 0);
	CHECK_STR(wifi_security_name(s), "none");
	CHECK_INT(wifi_security_from_iwd("psk", &s), 0);
	CHECK_STR(wifi_security_name(s), "psk");
	CHECK_INT(wifi_security_from_iwd("8021x", &s), 0);
	CHECK_STR(wifi_security_name(s), "ieee8021x");
	CHECK_INT(wifi_security_from_iwd("wep", &s), 0);
	CHECK_STR(wifi_security_name(s), "wep");
	/* Unknown types leave the output alone. */
	CHECK_INT(wifi_security_from_iwd("sae", &s), -EINVAL);
	CHECK_INT(wifi_security_from_iwd(NULL, &s), -EINVAL);
	CHECK_INT(s, WIFI_SECURITY_WEP);
}

static void test_id(void)
{
	char id[WIFI_ID_MAX];
	uint8_t odd[] = { 0xff, 0x00, 'a', 0x80 };
	uint8_t longest[32], too_long[33] = { 0 };

	CHECK_INT(wifi_service_id(mac, (const uint8_t *)"lab-psk", 7, WIFI_SECURITY_PSK, id,
				  sizeof(id)), 0);
	CHECK_STR(id, "wifi_0200000001af_6c61622d70736b_managed_psk");
	/* Bytes that are not UTF-8, a NUL among them, stay exact. */
	CHECK_INT(wifi_service_id(mac, odd, sizeof(odd), WIFI_SECURITY_NONE, id, sizeof(id)), 0);
	CHECK_STR(id, "wifi_0200000001af_ff006180_managed_none");
	for (unsigned int i = 0; i < sizeof(longest); i++)
		longest[i] = (uint8_t)(0xa0 + i);
	CHECK_INT(wifi_service_id(mac, longest, sizeof(longest), WIFI_SECURITY_IEEE8021X, id,
				  sizeof(id)), 0);
	CHECK_STR(id, "wifi_0200000001af_a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf_managed_ieee8021x");
	CHECK_INT(strlen(id) + 1 <= WIFI_ID_MAX, 1);
	CHECK_INT(wifi_service_id(mac, too_long, sizeof(too_long), WIFI_SECURITY_PSK, id,
				  sizeof(id)), -EINVAL);
	CHECK_INT(wifi_service_id(mac, NULL, 0, WIFI_SECURITY_PSK, id, sizeof(id)), 0);
	CHECK_STR(id, "wifi_0200000001af_hidden_managed_psk");
	CHECK_INT(wifi_service_id(mac, odd, sizeof(odd), WIFI_SECURITY_PSK, id, 20), -ENOSPC);
}

static void test_strength(void)
{
	CHECK_INT(wifi_strength(-3000), 100);	/* hwsim's usual -30 dBm */
	CHECK_INT(wifi_strength(-5000), 100);
	CHECK_INT(wifi_strength(-6000), 80);
	CHECK_INT(wifi_strength(-7550), 49);
	CHECK_INT(wifi_strength(-9900), 2);
	CHECK_INT(wifi_strength(-10000), 1);	/* listed: never "not reported" */
	CHECK_INT(wifi_strength(-12000), 1);
	CHECK_INT(wifi_strength(0), 100);
}

static void test_mac(void)
{
	uint8_t out[6] = { 9, 9, 9, 9, 9, 9 };

	CHECK_INT(wifi_parse_mac("02:00:00:00:01:AF", out), 0);
	CHECK(!memcmp(out, mac, 6));
	CHECK_INT(wifi_parse_mac("02:00:00:00:01", out), -EINVAL);
	CHECK_INT(wifi_parse_mac("02-00-00-00-01-af", out), -EINVAL);
	CHECK_INT(wifi_parse_mac("02:00:00:00:01:ag", out), -EINVAL);
	CHECK_INT(wifi_parse_mac(NULL, out), -EINVAL);
	CHECK(!memcmp(out, mac, 6));
}

static void test_network_path(void)
{
	uint8_t ssid[WIFI_SSID_MAX];
	size_t len = 99;
	enum wifi_security s = WIFI_SECURITY_WEP;

	CHECK_INT(wifi_parse_network_path("/net/connman/iwd/0/4/6c61622d70736b_psk", ssid, &len,
					  &s), 0);
	CHECK_INT(len, 7);
	CHECK(!memcmp(ssid, "lab-psk", 7));
	CHECK_INT(s, WIFI_SECURITY_PSK);
	CHECK_INT(wifi_parse_network_path("/net/connman/iwd/0/4/ff0080_8021x", ssid, &len, &s), 0);
	CHECK_INT(len, 3);
	CHECK_INT(ssid[0], 0xff);
	CHECK_INT(ssid[1], 0);
	CHECK_INT(s, WIFI_SECURITY_IEEE8021X);
	/* Not iwd's form: nothing written. */
	len = 99;
	CHECK_INT(wifi_parse_network_path("/net/connman/iwd/0/4", ssid, &len, &s), -EINVAL);
	CHECK_INT(wifi_parse_network_path("/net/connman/iwd/0/4/abc_psk", ssid, &len, &s), -EINVAL);
	CHECK_INT(wifi_parse_network_path("/net/connman/iwd/0/4/zz_psk", ssid, &len, &s), -EINVAL);
	CHECK_INT(wifi_parse_network_path("/net/connman/iwd/0/4/6c61_sae", ssid, &len, &s), -EINVAL);
	CHECK_INT(wifi_parse_network_path("/x/_open", ssid, &len, &s), -EINVAL);
	CHECK_INT(wifi_parse_network_path("/x/a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0_open",
					  ssid, &len, &s), -EINVAL);
	CHECK_INT(wifi_parse_network_path(NULL, ssid, &len, &s), -EINVAL);
	CHECK_INT(len, 99);
	CHECK_INT(s, WIFI_SECURITY_IEEE8021X);
}

/* The agent's answer for a hidden network: Name first, else SSID bytes
 * in hex; nothing empty, nothing past 32 bytes. */
static void test_hidden_ssid(void)
{
	uint8_t ssid[WIFI_SSID_MAX] = { 0x77 };
	size_t len = 99;
	char long_name[34], long_hex[67];

	CHECK_INT(wifi_hidden_ssid("lab-hidden", NULL, ssid, &len), 0);
	CHECK_INT(len, 10);
	CHECK(!memcmp(ssid, "lab-hidden", 10));
	CHECK_INT(wifi_hidden_ssid("by-name", "ff00", ssid, &len), 0);
	CHECK_INT(len, 7);
	CHECK_INT(wifi_hidden_ssid(NULL, "ff0061", ssid, &len), 0);
	CHECK_INT(len, 3);
	CHECK(ssid[0] == 0xff && ssid[1] == 0 && ssid[2] == 'a');
	CHECK_INT(wifi_hidden_ssid("", "6162", ssid, &len), 0);
	CHECK_INT(len, 2);
	memset(long_name, 'x', 32);
	long_name[32] = '\0';
	CHECK_INT(wifi_hidden_ssid(long_name, NULL, ssid, &len), 0);
	CHECK_INT(len, 32);
	/* Refused, outputs untouched. */
	len = 99;
	ssid[0] = 0x77;
	long_name[32] = 'x';
	long_name[33] = '\0';
	CHECK_INT(wifi_hidden_ssid(long_name, NULL, ssid, &len), -EINVAL);
	memset(long_hex, 'a', 66);
	long_hex[66] = '\0';
	CHECK_INT(wifi_hidden_ssid(NULL, long_hex, ssid, &len), -EINVAL);
	CHECK_INT(wifi_hidden_ssid(NULL, NULL, ssid, &len), -EINVAL);
	CHECK_INT(wifi_hidden_ssid("", "", ssid, &len), -EINVAL);
	CHECK_INT(wifi_hidden_ssid(NULL, "abc", ssid, &len), -EINVAL);
	CHECK_INT(wifi_hidden_ssid(NULL, "zz", ssid, &len), -EINVAL);
	CHECK_INT(len, 99);
	CHECK_INT(ssid[0], 0x77);
}

int main(void)
{
	test_hidden_ssid();
	test_security();
	test_id();
	test_strength();
	test_mac();
	test_network_path();
	CHECK_DONE();
}
