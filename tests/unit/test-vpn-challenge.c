/* OpenVPN's static challenge: the management interface's question, read
 * strictly, and the SCRV1 answer (doc/management-notes.txt's example). */
#include <errno.h>
#include <string.h>
#include <ell/ell.h>

#include "check.h"
#include "vpn-challenge.h"

static void test_parse(void)
{
	struct vpn_challenge c = {};

	CHECK_INT(vpn_challenge_parse(">PASSWORD:Need 'Auth' username/password "
				      "SC:1,Please enter token PIN", &c), 1);
	CHECK(c.echo);
	CHECK_STR(c.text, "Please enter token PIN");
	vpn_challenge_clear(&c);
	CHECK(!c.text);

	/* The text is everything after the first comma, commas included. */
	CHECK_INT(vpn_challenge_parse(">PASSWORD:Need 'Auth' username/password "
				      "SC:0,Code, from the app:", &c), 1);
	CHECK(!c.echo);
	CHECK_STR(c.text, "Code, from the app:");
	vpn_challenge_clear(&c);

	CHECK_INT(vpn_challenge_parse(">PASSWORD:Need 'Auth' username/password SC:0,", &c), 1);
	CHECK_STR(c.text, "");
	vpn_challenge_clear(&c);

	/* Flags are bits: 3 still echoes. */
	CHECK_INT(vpn_challenge_parse(">PASSWORD:Need 'Auth' username/password SC:3,x", &c), 1);
	CHECK(c.echo);
	vpn_challenge_clear(&c);
}

static void test_no_challenge(void)
{
	struct vpn_challenge c = {};

	CHECK_INT(vpn_challenge_parse(">PASSWORD:Need 'Auth' username/password", &c), 0);
	CHECK(!c.text);
}

static void test_malformed(void)
{
	static const char *const bad[] = {
		">PASSWORD:Need 'Private Key' password",
		">PASSWORD:Need 'Auth' username/passwordX",
		">PASSWORD:Need 'Auth' username/password SC:",
		">PASSWORD:Need 'Auth' username/password SC:1",
		">PASSWORD:Need 'Auth' username/password SC:,text",
		">PASSWORD:Need 'Auth' username/password SC:x,text",
		">PASSWORD:Need 'Auth' username/password SC:-1,text",
		">PASSWORD:Need 'Auth' username/password SC: 1,text",
		">PASSWORD:Need 'Auth' username/password SC:1x,text",
		">PASSWORD:Need 'Auth' username/password SC:99999999999999999999,text",
		">PASSWORD:Need 'Auth' username/password CRV1:1,text",
		">INFO:OpenVPN Management Interface",
		"",
	};
	struct vpn_challenge c = {};

	for (unsigned int i = 0; i < L_ARRAY_SIZE(bad); i++) {
		CHECK_INT(vpn_challenge_parse(bad[i], &c), -EINVAL);
		CHECK(!c.text);
	}
}

static void test_scrv1(void)
{
	char *s = vpn_challenge_scrv1("bar", "8675309");

	/* management-notes.txt: user "foo", password "bar", PIN 8675309. */
	CHECK_STR(s, "SCRV1:YmFy:ODY3NTMwOQ==");
	l_free(s);
	s = vpn_challenge_scrv1("", "");
	CHECK_STR(s, "SCRV1::");
	l_free(s);
	/* Quotes, colons and backslashes are only base64 on the wire. */
	s = vpn_challenge_scrv1("a:\"\\", "12");
	CHECK_STR(s, "SCRV1:YToiXA==:MTI=");
	l_free(s);
}

int main(void)
{
	test_parse();
	test_no_challenge();
	test_malformed();
	test_scrv1();
	CHECK_DONE();
}
