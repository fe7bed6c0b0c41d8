/* Wi-Fi tethering's settings: ConnMan's limits on the SSID and the WPA2
 * passphrase, and the global settings file's keys read back as written,
 * with values that fail a check dropped rather than used. */
#include <errno.h>
#include <ell/ell.h>

#include "check.h"
#include "tether-ap.h"

#define HEX64 "00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF"

static void test_identifier(void)
{
	CHECK_INT(tether_ap_check_identifier("a"), 0);
	CHECK_INT(tether_ap_check_identifier("0123456789abcdef0123456789abcdef"), 0);
	CHECK_INT(tether_ap_check_identifier("0123456789abcdef0123456789abcdef!"), -EINVAL);
	CHECK_INT(tether_ap_check_identifier(""), -EINVAL);
	CHECK_INT(tether_ap_check_identifier(NULL), -EINVAL);
}

static void test_passphrase(void)
{
	CHECK_INT(tether_ap_check_passphrase("12345678"), 0);
	CHECK_INT(tether_ap_check_passphrase("1234567"), -ENOKEY);
	CHECK_INT(tether_ap_check_passphrase(""), -ENOKEY);
	CHECK_INT(tether_ap_check_passphrase(NULL), -ENOKEY);
	CHECK_INT(tether_ap_check_passphrase("correct horse \"battery\" \\ staple"), 0);
	/* 63 characters: the longest passphrase. */
	CHECK_INT(tether_ap_check_passphrase(HEX64 + 1), 0);
	CHECK_INT(tether_ap_check_passphrase(HEX64), 0);
	CHECK_INT(tether_ap_check_passphrase(HEX64 "0"), -ENOKEY);
	/* 64 characters that are not all hex: no key, and too long a passphrase. */
	CHECK_INT(tether_ap_check_passphrase("g0112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"), -ENOKEY);
	CHECK_INT(tether_ap_check_passphrase("tab\there!"), -ENOKEY);
	CHECK_INT(tether_ap_check_passphrase("caf\xc3\xa9-latte"), -ENOKEY);
}

static void test_round_trip(void)
{
	struct tether_ap ap = { .identifier = l_strdup("my ap"), .passphrase = l_strdup("p\\ss w\"rd#1"),
				.freq = 5180, .saved_on = true };
	struct tether_ap back = { 0 };
	struct l_settings *s = l_settings_new(), *again = l_settings_new();
	const char *bad;
	char *text;

	tether_ap_save(&ap, s, "WiFi");
	text = l_settings_to_data(s, NULL);
	CHECK(l_settings_load_from_data(again, text, strlen(text)));
	tether_ap_load(&back, again, "WiFi", &bad);
	CHECK(bad == NULL);
	CHECK_STR(back.identifier, "my ap");
	CHECK_STR(back.passphrase, "p\\ss w\"rd#1");
	CHECK_INT(back.freq, 5180);
	CHECK(back.saved_on);
	tether_ap_clear(&ap);
	tether_ap_clear(&back);
	CHECK(back.identifier == NULL && back.passphrase == NULL && !back.saved_on);
	l_free(text);
	l_settings_free(s);
	l_settings_free(again);
}

/* ConnMan writes Tethering.Freq even when never set. */
static void test_defaults(void)
{
	struct tether_ap ap = { 0 };
	struct l_settings *s = l_settings_new();
	int freq = 0;
	bool on = true;

	tether_ap_save(&ap, s, "WiFi");
	CHECK(l_settings_get_int(s, "WiFi", "Tethering.Freq", &freq));
	CHECK_INT(freq, 2412);
	CHECK(l_settings_get_bool(s, "WiFi", "Tethering", &on) && !on);
	CHECK(!l_settings_has_key(s, "WiFi", "Tethering.Passphrase"));
	l_settings_free(s);
}

static void test_bad_values_dropped(void)
{
	static const char file[] = "[WiFi]\nTethering=maybe\nTethering.Identifier=ok\n"
				   "Tethering.Passphrase=short\nTethering.Freq=-3\n";
	struct tether_ap ap = { .passphrase = l_strdup("kept-from-before") };
	struct l_settings *s = l_settings_new();
	const char *bad;

	CHECK(l_settings_load_from_data(s, file, sizeof(file) - 1));
	tether_ap_load(&ap, s, "WiFi", &bad);
	CHECK(bad != NULL);
	CHECK_STR(ap.identifier, "ok");
	CHECK_STR(ap.passphrase, "kept-from-before");
	CHECK_INT(ap.freq, 0);
	CHECK(!ap.saved_on);
	tether_ap_clear(&ap);
	l_settings_free(s);
}

int main(void)
{
	test_identifier();
	test_passphrase();
	test_round_trip();
	test_defaults();
	test_bad_values_dropped();
	CHECK_DONE();
}
