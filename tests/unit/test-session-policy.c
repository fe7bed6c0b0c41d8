/* Session policy files: matching by cgroup, uid and gid, and malformed
 * policies warned about with file and line, then skipped; a rule a session
 * holds outlives a reload. */
#include <string.h>
#include <ell/ell.h>

#include "check.h"
#include "session.h"
#include "session-policy.h"

static char last_warning[256];
static int warnings;

static void warn(const char *file, unsigned int line, const char *why, void *data)
{
	snprintf(last_warning, sizeof(last_warning), "%s:%u: %s", file, line, why);
	warnings++;
}

static struct session_policies *load(const char *text)
{
	struct session_policies *set = session_policies_new(warn, NULL);

	warnings = 0;
	session_policies_parse(set, "test.policy", text, strlen(text));
	return set;
}

static void test_match_order(void)
{
	struct session_policies *set = load(
		"# comment\n"
		"[policy_users]\n"
		"gid = 100\n"
		"AllowedBearers = wifi\n"
		"\n"
		"[policy_alice]\n"
		"uid = 1000\n"
		"AllowedBearers = ethernet cellular\n"
		"ConnectionType = internet\n"
		"Priority = true\n"
		"[policy_app]\n"
		"cgroup = /app.slice\n"
		"AllowedBearers = cellular\n"
		"[policy_app_deep]\n"
		"cgroup = /app.slice/special.scope\n"
		"AllowedBearers = gadget\n");
	const struct session_policy_rule *r;

	CHECK_INT(warnings, 0);
	CHECK_INT(session_policies_count(set), 4);
	r = session_policies_lookup(set, 1000, 100, "/user.slice");
	CHECK(r && r->type == SESSION_CONN_INTERNET && r->priority);
	CHECK_STR(r->allowed_bearers[0], "ethernet");
	r = session_policies_lookup(set, 2000, 100, "/user.slice");
	CHECK(r && !strcmp(r->allowed_bearers[0], "wifi"));
	/* cgroup beats uid; the deepest cgroup wins; prefixes stop at '/'. */
	r = session_policies_lookup(set, 1000, 100, "/app.slice/x.scope");
	CHECK(r && !strcmp(r->allowed_bearers[0], "cellular"));
	r = session_policies_lookup(set, 1000, 100, "/app.slice/special.scope");
	CHECK(r && !strcmp(r->allowed_bearers[0], "gadget"));
	r = session_policies_lookup(set, 1000, 100, "/app.slicex");
	CHECK(r && !strcmp(r->allowed_bearers[0], "ethernet"));
	CHECK(session_policies_lookup(set, 3000, 300, NULL) == NULL);
	session_policies_free(set);
}

static void test_malformed_skipped(void)
{
	struct session_policies *set = load(
		"[policy_bad_bearer]\n"
		"uid = 1\n"
		"AllowedBearers = ethernet pigeon\n"
		"[policy_two_matches]\n"
		"uid = 2\n"
		"gid = 2\n"
		"[policy_no_match]\n"
		"AllowedBearers = wifi\n"
		"[policy_garbage]\n"
		"uid = 3\n"
		"this line has no equals sign\n"
		"[policy_good]\n"
		"uid = 4\n"
		"ConnectionType = local\n");

	CHECK_INT(session_policies_count(set), 1);
	CHECK_INT(warnings, 4);
	CHECK(strstr(last_warning, "test.policy:11:") != NULL);
	CHECK(session_policies_lookup(set, 1, 1, NULL) == NULL);
	CHECK(session_policies_lookup(set, 4, 4, NULL) != NULL);
	session_policies_free(set);
}

static void test_bad_values(void)
{
	struct session_policies *set = load(
		"[policy_a]\nuid = no-such-user-here\n"
		"[policy_b]\nuid = 5\nConnectionType = online\n"
		"[policy_c]\nuid = 6\nPriority = maybe\n"
		"[policy_d]\ncgroup = relative/path\n"
		"[other]\nuid = 7\n");

	CHECK_INT(session_policies_count(set), 0);
	CHECK_INT(warnings, 5);
	session_policies_free(set);
}

/* Sessions keep a reference on their rule, not a copy: the files may be
 * re-read (every policy freed) before each session has its new rule. */
static void test_rule_outlives_reload(void)
{
	struct session_policies *set = load("[policy_alice]\nuid = 1000\n"
					    "AllowedBearers = ethernet\n");
	static const struct session_policy_rule open;
	const struct session_policy_rule *r = session_policies_lookup(set, 1000, 100, NULL);
	const struct session_policy_rule *held;

	CHECK(r != NULL);
	held = session_policy_rule_ref(r);
	CHECK(held == r);
	CHECK_INT(session_policies_load_dir(set, "/nonexistent-policy-dir"), 0);
	CHECK_INT(session_policies_count(set), 0);
	CHECK(!session_policies_lookup(set, 1000, 100, NULL));
	CHECK_STR(held->allowed_bearers[0], "ethernet");
	CHECK_INT(held->refs, 1);
	session_policy_rule_unref(held);
	/* A static rule is neither counted nor freed. */
	CHECK(session_policy_rule_ref(&open) == &open);
	session_policy_rule_unref(&open);
	CHECK_INT(open.refs, 0);
	session_policy_rule_unref(NULL);
	session_policies_free(set);
}

int main(void)
{
	test_match_order();
	test_malformed_skipped();
	test_bad_values();
	test_rule_outlives_reload();
	CHECK_DONE();
}
