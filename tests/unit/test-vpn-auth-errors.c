/* AuthErrorLimit: when the VPN agent is told the last credentials were
 * refused, as ConnMan's vpnd decides it. */
#include <errno.h>

#include "check.h"
#include "vpn-auth-errors.h"

#define T0 1000		/* a successful connection, in monotonic seconds */

static void test_no_refusal_tells_nothing(void)
{
	struct vpn_auth_errors e = { 0 };

	CHECK(!vpn_auth_errors_tell(&e, 10, T0));
	vpn_auth_errors_connected(&e, T0);
	CHECK(!vpn_auth_errors_tell(&e, 0, T0 + 5));
}

/* Never connected: the first refusal is told. */
static void test_refusal_without_success(void)
{
	struct vpn_auth_errors e = { 0 };

	vpn_auth_errors_refused(&e);
	CHECK(vpn_auth_errors_tell(&e, 10, T0));
}

/* Within the hour after a success, up to `limit` refusals are not told. */
static void test_within_the_limit(void)
{
	struct vpn_auth_errors e = { 0 };

	vpn_auth_errors_connected(&e, T0);
	for (unsigned int i = 0; i < 3; i++)
		vpn_auth_errors_refused(&e);
	CHECK(!vpn_auth_errors_tell(&e, 3, T0 + 60));
	vpn_auth_errors_refused(&e);
	CHECK(vpn_auth_errors_tell(&e, 3, T0 + 60));
	CHECK(vpn_auth_errors_tell(&e, 0, T0 + 60));	/* 0: the feature off */
}

static void test_after_the_hour(void)
{
	struct vpn_auth_errors e = { 0 };

	vpn_auth_errors_connected(&e, T0);
	vpn_auth_errors_refused(&e);
	CHECK(!vpn_auth_errors_tell(&e, 10, T0 + VPN_AUTH_OK_WINDOW_S));
	CHECK(vpn_auth_errors_tell(&e, 10, T0 + VPN_AUTH_OK_WINDOW_S + 1));
}

/* Another failure: the success no longer vouches; a new success, a change
 * of settings start the count again. */
static void test_resets(void)
{
	struct vpn_auth_errors e = { 0 };

	vpn_auth_errors_connected(&e, T0);
	vpn_auth_errors_refused(&e);
	vpn_auth_errors_other_failure(&e);
	CHECK(vpn_auth_errors_tell(&e, 10, T0 + 1));
	vpn_auth_errors_connected(&e, T0 + 2);
	CHECK(!vpn_auth_errors_tell(&e, 0, T0 + 3));
	vpn_auth_errors_refused(&e);
	vpn_auth_errors_forget(&e);
	CHECK(!vpn_auth_errors_tell(&e, 0, T0 + 3));
}

static void test_limit_text(void)
{
	unsigned int limit = 99;

	CHECK_INT(vpn_auth_error_limit_parse("0", &limit), 0);
	CHECK_INT(limit, 0);
	CHECK_INT(vpn_auth_error_limit_parse("25", &limit), 0);
	CHECK_INT(limit, 25);
	CHECK_INT(vpn_auth_error_limit_parse("", &limit), -EINVAL);
	CHECK_INT(vpn_auth_error_limit_parse("-1", &limit), -EINVAL);
	CHECK_INT(vpn_auth_error_limit_parse("1x", &limit), -EINVAL);
	CHECK_INT(vpn_auth_error_limit_parse("1234567890", &limit), -EINVAL);
	CHECK_INT(vpn_auth_error_limit_parse(NULL, &limit), -EINVAL);
	CHECK_INT(limit, 25);
}

int main(void)
{
	test_no_refusal_tells_nothing();
	test_refusal_without_success();
	test_within_the_limit();
	test_after_the_hour();
	test_resets();
	test_limit_text();
	CHECK_DONE();
}
