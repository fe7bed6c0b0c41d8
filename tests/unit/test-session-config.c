/* Session rules: bearer lists narrowed by policy, connection types, and which
 * service a session may ride on. */
#include <ell/ell.h>

#include "check.h"
#include "session-config.h"

static char **strv(const char *a, const char *b, const char *c)
{
	char **v = NULL;

	if (a) v = l_strv_append(v, a);
	if (b) v = l_strv_append(v, b);
	if (c) v = l_strv_append(v, c);
	return v ? v : l_new(char *, 1);
}

/* ConnMan 1.41 without a policy: "*" is these five, and a VPN is no bearer
 * of its own. connd goes further: an application that names "vpn" gets it
 * (a per-application VPN), "*" still does not; a policy decides alone. */
static void test_default_bearers(void)
{
	char **vpn = strv("vpn", NULL, NULL);
	char **vpn_eth = strv("vpn", "ethernet", NULL);
	char **star = strv("*", NULL, NULL);
	char **eth = strv("ethernet", NULL, NULL);
	char **e = session_bearers_effective(NULL, NULL);
	char *text = l_strjoinv(e, ',');

	CHECK_STR(text, "ethernet,wifi,bluetooth,cellular,gadget");
	l_free(text);
	l_strv_free(e);
	e = session_bearers_effective(NULL, vpn);
	CHECK_INT(l_strv_length(e), 1);
	CHECK_STR(e[0], "vpn");
	l_strv_free(e);
	e = session_bearers_effective(NULL, vpn_eth);
	text = l_strjoinv(e, ',');
	CHECK_STR(text, "ethernet,vpn");
	l_free(text);
	l_strv_free(e);
	e = session_bearers_effective(NULL, star);
	CHECK(!l_strv_contains(e, "vpn"));
	l_strv_free(e);
	e = session_bearers_effective(eth, vpn);	/* the policy decides */
	CHECK(e != NULL && e[0] == NULL);
	l_strv_free(e);
	l_strv_free(vpn_eth);
	l_strv_free(star);
	l_strv_free(eth);
	e = session_bearers_effective(vpn, NULL);
	CHECK_INT(l_strv_length(e), 1);
	CHECK_STR(e[0], "vpn");
	l_strv_free(e);
	l_strv_free(vpn);
}

static void test_validate(void)
{
	char **ok = strv("ethernet", "*", "");
	char **bad = strv("wifi", "carrier-pigeon", NULL);
	const char *which = NULL;

	CHECK_INT(session_bearers_validate(ok, &which), 0);
	CHECK(session_bearers_validate(bad, &which) < 0);
	CHECK_STR(which, "carrier-pigeon");
	l_strv_free(ok);
	l_strv_free(bad);
}

static void test_effective_bearers(void)
{
	char **policy = strv("wifi", "ethernet", NULL);
	char **user = strv("ethernet", "wifi", "cellular");
	char **star = strv("*", NULL, NULL);
	char **e;

	/* The policy's order wins, and the user cannot add cellular. */
	e = session_bearers_effective(policy, user);
	CHECK_INT(l_strv_length(e), 2);
	CHECK_STR(e[0], "wifi");
	CHECK_STR(e[1], "ethernet");
	l_strv_free(e);

	/* No policy: every known bearer, filtered by the user. */
	e = session_bearers_effective(NULL, user);
	CHECK_INT(l_strv_length(e), 3);
	CHECK_STR(e[0], "ethernet");
	l_strv_free(e);

	/* No user list means "*". */
	e = session_bearers_effective(policy, NULL);
	CHECK_INT(l_strv_length(e), 2);
	l_strv_free(e);

	e = session_bearers_effective(star, star);
	CHECK_INT(l_strv_length(e), 5);
	l_strv_free(e);

	/* Disjoint lists: nothing allowed, and an empty list, not NULL. */
	l_strv_free(user);
	user = strv("cellular", NULL, NULL);
	e = session_bearers_effective(policy, user);
	CHECK(e != NULL && e[0] == NULL);
	l_strv_free(e);
	l_strv_free(policy);
	l_strv_free(user);
	l_strv_free(star);
}

static void test_conn_types(void)
{
	enum session_conn_type t;

	CHECK_INT(session_conn_type_parse("internet", &t), 0);
	CHECK_INT(t, SESSION_CONN_INTERNET);
	CHECK(session_conn_type_parse("online", &t) < 0);
	CHECK_STR(session_conn_type_name(SESSION_CONN_UNKNOWN), "");
	CHECK_INT(session_conn_type_effective(SESSION_CONN_ANY, SESSION_CONN_LOCAL), SESSION_CONN_LOCAL);
	CHECK_INT(session_conn_type_effective(SESSION_CONN_LOCAL, SESSION_CONN_INTERNET),
		  SESSION_CONN_LOCAL);
}

/* The packed list keeps the order, each bearer once, the known ones only. */
static void test_bearer_list(void)
{
	char **in = strv("vpn", "*", "wifi");
	char **all = l_strv_copy((char **)session_known_bearers);
	session_bearer_list list;
	char **out, *text;

	in = l_strv_append(in, "vpn");
	in = l_strv_append(in, "ethernet");
	list = session_bearer_list_pack(in);
	out = session_bearer_list_strv(list);
	text = l_strjoinv(out, ',');
	CHECK_STR(text, "vpn,wifi,ethernet");
	CHECK(session_bearer_list_has(list, "wifi"));
	CHECK(!session_bearer_list_has(list, "gadget"));
	CHECK(!session_bearer_list_has(list, "*"));
	l_free(text);
	l_strv_free(out);
	out = session_bearer_list_strv(session_bearer_list_pack(all));
	CHECK(l_strv_eq(out, all));
	l_strv_free(out);
	CHECK_INT(session_bearer_list_pack(NULL), 0);
	out = session_bearer_list_strv(0);
	CHECK(out && !out[0]);
	l_strv_free(out);
	l_strv_free(all);
	l_strv_free(in);
}

static void test_may_use(void)
{
	char **eth = strv("ethernet", NULL, NULL);
	struct session_settings s = { .allowed_bearers = session_bearer_list_pack(eth) };

	CHECK(session_may_use(&s, "ethernet", "eth0", SERVICE_STATE_READY));
	CHECK(session_may_use(&s, "ethernet", "eth0", SERVICE_STATE_ONLINE));
	CHECK(!session_may_use(&s, "ethernet", "eth0", SERVICE_STATE_CONFIGURATION));
	CHECK(!session_may_use(&s, "wifi", "wlan0", SERVICE_STATE_ONLINE));
	s.type = SESSION_CONN_INTERNET;
	CHECK(!session_may_use(&s, "ethernet", "eth0", SERVICE_STATE_READY));
	CHECK(session_may_use(&s, "ethernet", "eth0", SERVICE_STATE_ONLINE));
	s.allowed_interface = l_strdup("eth1");
	CHECK(!session_may_use(&s, "ethernet", "eth0", SERVICE_STATE_ONLINE));
	CHECK(session_may_use(&s, "ethernet", "eth1", SERVICE_STATE_ONLINE));
	/* What Connect() may connect: any state; a link not up yet has no name. */
	CHECK(session_may_ride(&s, "ethernet", "eth1"));
	CHECK(!session_may_ride(&s, "ethernet", "eth0"));
	CHECK(!session_may_ride(&s, "ethernet", NULL));
	CHECK(!session_may_ride(&s, "vpn", "eth1"));
	session_settings_clear(&s);
	l_strv_free(eth);
}

static void test_state_names(void)
{
	struct session_settings any = { .type = SESSION_CONN_ANY };
	struct session_settings local = { .type = SESSION_CONN_LOCAL };

	CHECK_STR(session_state_name(&any, false, SERVICE_STATE_ONLINE), "disconnected");
	CHECK_STR(session_state_name(&any, true, SERVICE_STATE_READY), "connected");
	CHECK_STR(session_state_name(&any, true, SERVICE_STATE_ONLINE), "online");
	CHECK_STR(session_state_name(&local, true, SERVICE_STATE_ONLINE), "connected");
	CHECK_STR(session_state_name(&any, true, SERVICE_STATE_IDLE), "disconnected");
}

int main(void)
{
	test_validate();
	test_default_bearers();
	test_effective_bearers();
	test_conn_types();
	test_bearer_list();
	test_may_use();
	test_state_names();
	CHECK_DONE();
}
