/* A service's Captive Portal API: which URI is used, when the session is
 * asked again, and an API that cannot be trusted giving no verdict. */
#include <errno.h>
#include <sys/socket.h>
#include <ell/ell.h>

#include "captive-api.h"
#include "check.h"
#include "ticker.h"

static int verdicts;
static enum captive_verdict last;

static void verdict(enum captive_verdict v, const char *user_url, bool first, void *data)
{
	verdicts++;
	last = v;
}

/* DHCP's URI before the RAs'; RFC 8910's "unrestricted" is no API. */
static void test_uri(struct captive_api *api)
{
	CHECK(!captive_api_uri(api));
	CHECK_INT(captive_api_check(api, AF_INET, "lo", NULL), -ENOENT);
	CHECK(captive_api_set_uri(api, CAPTIVE_FROM_RA, "https://ra.example/api"));
	CHECK_STR(captive_api_uri(api), "https://ra.example/api");
	CHECK(captive_api_set_uri(api, CAPTIVE_FROM_DHCP, "https://dhcp.example/api"));
	CHECK_STR(captive_api_uri(api), "https://dhcp.example/api");
	CHECK(!captive_api_set_uri(api, CAPTIVE_FROM_RA, "https://other.example/api"));
	CHECK(!captive_api_set_uri(api, CAPTIVE_FROM_DHCP, "https://dhcp.example/api"));
	CHECK(captive_api_set_uri(api, CAPTIVE_FROM_DHCP, NULL));
	CHECK_STR(captive_api_uri(api), "https://other.example/api");
	CHECK(captive_api_set_uri(api, CAPTIVE_FROM_DHCP, "urn:ietf:params:capport:unrestricted"));
	CHECK(!captive_api_uri(api));
	CHECK(captive_api_set_uri(api, CAPTIVE_FROM_DHCP, ""));
	CHECK_STR(captive_api_uri(api), "https://other.example/api");
	captive_api_set_uri(api, CAPTIVE_FROM_RA, NULL);
	CHECK(!captive_api_uri(api));
}

/* A little before the end; right after it when nearly over; never a tight loop. */
static void test_recheck_delay(void)
{
	CHECK_INT(captive_api_recheck_delay(3600), 3570);
	CHECK_INT(captive_api_recheck_delay(61), 31);
	CHECK_INT(captive_api_recheck_delay(60), 58);
	CHECK_INT(captive_api_recheck_delay(6), 4);
	CHECK_INT(captive_api_recheck_delay(5), 6);
	CHECK_INT(captive_api_recheck_delay(1), 2);
	CHECK_INT(captive_api_recheck_delay(0), 2);
	CHECK_INT(captive_api_recheck_delay(~0ULL), 86370);
}

/* A plain-http API proves nothing (RFC 8908 wants TLS): no verdict of its
 * own, the online check decides. It arrives from the main loop. */
static void test_plain_http(struct captive_api *api)
{
	captive_api_set_uri(api, CAPTIVE_FROM_DHCP, "http://portal.example/api");
	CHECK_INT(captive_api_check(api, AF_INET, "lo", NULL), 0);
	CHECK_INT(captive_api_check(api, AF_INET, "lo", NULL), -EBUSY);
	CHECK_INT(verdicts, 0);
	for (int i = 0; i < 20 && !verdicts; i++)
		l_main_iterate(50);
	CHECK_INT(verdicts, 1);
	CHECK_INT(last, CAPTIVE_UNKNOWN);
	/* Stopped, a check says nothing. */
	CHECK_INT(captive_api_check(api, AF_INET, "lo", NULL), 0);
	captive_api_stop(api);
	for (int i = 0; i < 4; i++)
		l_main_iterate(20);
	CHECK_INT(verdicts, 1);
}

int main(void)
{
	struct ticker *ticker;
	struct captive_api_env env;
	struct captive_api *api;

	CHECK(l_main_init());
	ticker = ticker_new();
	env = (struct captive_api_env) { .ticker = ticker, .timeout_ms = 1000 };
	api = captive_api_new(&env, "test", verdict, NULL);
	test_uri(api);
	test_recheck_delay();
	test_plain_http(api);
	captive_api_free(api);
	ticker_free(ticker);
	l_main_exit();
	CHECK_DONE();
}
