/* main.conf: defaults, every value type, refusals with file and line, and
 * warnings for what connd does not know. */
#include <string.h>
#include <ell/ell.h>

#include "check.h"
#include "config.h"

static int warnings;
static unsigned int warned_line;

static char last_warning[256];

static void warn(const char *file, unsigned int line, const char *msg, void *data)
{
	warnings++;
	warned_line = line;
	snprintf(last_warning, sizeof(last_warning), "%s", msg);
}

static int parse(struct connd_config *cfg, const char *text, char **error)
{
	*error = NULL;
	warnings = 0;
	return config_parse_text(cfg, "main.conf", text, strlen(text), warn, NULL, error);
}

static void test_defaults(void)
{
	struct connd_config *cfg = config_new_defaults();

	CHECK(cfg->enable_online_check);
	CHECK_STR(cfg->online_check_ipv4_url, "http://ipv4.connman.net/online/status.html");
	CHECK_INT(cfg->online_check_initial_interval, 1);
	CHECK_INT(cfg->online_check_max_interval, 12);
	CHECK_INT(cfg->online_check_timeout, 10000);
	CHECK_INT(cfg->input_request_timeout, 120);
	CHECK_INT(l_strv_length(cfg->network_interface_blacklist), 6);
	CHECK_STR(cfg->network_interface_blacklist[4], "ve-");
	CHECK(cfg->fallback_nameservers == NULL);
	CHECK_STR(cfg->online_check_interval_style, "fibonacci");
	CHECK(!cfg->set_system_clock);
	CHECK_STR(cfg->localtime_file, "/etc/localtime");
	CHECK_STR(cfg->zoneinfo_dir, "/usr/share/zoneinfo");
	CHECK_INT(cfg->sessions_per_user, 64);
	CHECK_INT(cfg->max_sessions, 131072);
	CHECK(cfg->captive_portal_ca_file == NULL);	/* the system's store */
	config_free(cfg);
}

static void test_values(void)
{
	struct connd_config *cfg = config_new_defaults();
	char *error;

	CHECK_INT(parse(cfg,
		"# a comment\n"
		"[General]\n"
		"EnableOnlineCheck = false\n"
		"OnlineCheckIPv4URL=http://isp.lab/online/status.html\n"
		"OnlineCheckMaxInterval = 30\n"
		"FallbackNameservers = 192.0.2.1 , 192.0.2.2,,\n"
		"NetworkInterfaceBlacklist =\n"
		"OnlineCheckIntervalStyle = geometric\n"
		"SessionsPerUser = 3\n"
		"MaxSessions = 3\n", &error), 0);
	CHECK(error == NULL);
	CHECK(!cfg->enable_online_check);
	CHECK_STR(cfg->online_check_ipv4_url, "http://isp.lab/online/status.html");
	CHECK_INT(cfg->online_check_max_interval, 30);
	CHECK_INT(l_strv_length(cfg->fallback_nameservers), 2);
	CHECK_STR(cfg->fallback_nameservers[1], "192.0.2.2");
	CHECK(cfg->network_interface_blacklist == NULL);
	CHECK_STR(cfg->online_check_interval_style, "geometric");
	CHECK_INT(cfg->sessions_per_user, 3);
	CHECK_INT(cfg->max_sessions, 3);
	CHECK_INT(warnings, 0);
	config_free(cfg);
}

static void test_refused_with_line(void)
{
	struct connd_config *cfg = config_new_defaults();
	char *error;

	CHECK(parse(cfg, "[General]\nOnlineCheckMaxInterval = 30\nEnableOnlineCheck = maybe\n",
		    &error) < 0);
	CHECK_STR(error, "main.conf:3: EnableOnlineCheck: expected true or false, got 'maybe'");
	l_free(error);
	/* Nothing of a refused file is applied, not even its good lines. */
	CHECK_INT(cfg->online_check_max_interval, 12);
	CHECK(cfg->enable_online_check);

	CHECK(parse(cfg, "[General]\nSessionsPerUser = 0\n", &error) < 0);
	CHECK_STR(error, "main.conf:2: SessionsPerUser: expected a number from 1 to 65536, got '0'");
	l_free(error);
	/* MaxSessions: 1 up to the session ids the marks hold (MARK_SESSION_MASK). */
	CHECK(parse(cfg, "[General]\nMaxSessions = 0\n", &error) < 0);
	CHECK_STR(error, "main.conf:2: MaxSessions: expected a number from 1 to 524287, got '0'");
	l_free(error);
	CHECK(parse(cfg, "[General]\nMaxSessions = 524288\n", &error) < 0);
	CHECK_STR(error,
		  "main.conf:2: MaxSessions: expected a number from 1 to 524287, got '524288'");
	l_free(error);
	CHECK_INT(parse(cfg, "[General]\nMaxSessions = 524287\n", &error), 0);
	CHECK_INT(cfg->max_sessions, 524287);
	CHECK_INT(parse(cfg, "[General]\nMaxSessions = 1\n", &error), 0);
	CHECK_INT(cfg->max_sessions, 1);
	CHECK(parse(cfg, "[General]\nOnlineCheckTimeout = 12x\n", &error) < 0);
	CHECK(error && strstr(error, "main.conf:2: OnlineCheckTimeout") == error);
	l_free(error);
	CHECK(parse(cfg, "[General]\n\nthis is not a key\n", &error) < 0);
	CHECK_STR(error, "main.conf:3: expected 'Key = value'");
	l_free(error);
	CHECK(parse(cfg, "[General\nA=b\n", &error) < 0);
	CHECK(error && strstr(error, "main.conf:1:") == error);
	l_free(error);
	CHECK(parse(cfg, "[General]\nOnlineCheckIntervalStyle = random\n", &error) < 0);
	l_free(error);
	CHECK(parse(cfg, "Key = outside\n", &error) < 0);
	l_free(error);
	CHECK(parse(cfg, "[General]\nLocaltimeFile = etc/localtime\n", &error) < 0);
	CHECK_STR(error, "main.conf:2: LocaltimeFile: expected an absolute path, got 'etc/localtime'");
	l_free(error);
	CHECK_STR(cfg->localtime_file, "/etc/localtime");
	CHECK(parse(cfg, "[General]\nCaptivePortalCAFile = ca.pem\n", &error) < 0);
	l_free(error);
	CHECK_INT(parse(cfg, "[General]\nCaptivePortalCAFile = /etc/connd/ca.pem\n", &error), 0);
	CHECK_STR(cfg->captive_portal_ca_file, "/etc/connd/ca.pem");
	config_free(cfg);
}

static void test_unknown_warned(void)
{
	struct connd_config *cfg = config_new_defaults();
	char *error;

	CHECK_INT(parse(cfg, "[General]\nNoSuchKey = 1\n[Other]\nX = y\n", &error), 0);
	CHECK_INT(warnings, 2);
	CHECK_INT(warned_line, 3);
	config_free(cfg);
}

/* A key connd reads but cannot honour: a value other than the default is
 * warned about with the key and why; the default, and keys that only mean
 * something for bearers connd does not have, are not. */
static void test_no_effect_warned(void)
{
	struct connd_config *cfg = config_new_defaults();
	char *error;

	CHECK_INT(parse(cfg, "[General]\nEnable6to4 = false\nAddressConflictDetection = false\n"
			"BackgroundScanning = false\nAutoConnectRoamingServices = true\n",
			&error), 0);
	CHECK_INT(warnings, 0);
	CHECK_INT(parse(cfg, "[General]\nEnableOnlineCheck = true\nEnable6to4 = true\n", &error), 0);
	CHECK_INT(warnings, 1);
	CHECK_INT(warned_line, 3);
	CHECK(strstr(last_warning, "Enable6to4 = true has no effect: 6to4") == last_warning);
	CHECK(cfg->enable_6to4);
	CHECK_INT(parse(cfg, "[General]\nAddressConflictDetection = true\n", &error), 0);
	CHECK_INT(warnings, 1);
	CHECK(strstr(last_warning, "AddressConflictDetection = true has no effect") == last_warning);
	config_free(cfg);
}

static void test_missing_file(void)
{
	struct connd_config *cfg = config_new_defaults();
	char *error = NULL;

	CHECK(config_load_file(cfg, "/nonexistent/main.conf", warn, NULL, &error) < 0);
	CHECK(error && strstr(error, "/nonexistent/main.conf") == error);
	l_free(error);
	config_free(cfg);
}

int main(void)
{
	test_defaults();
	test_values();
	test_refused_with_line();
	test_unknown_warned();
	test_no_effect_warned();
	test_missing_file();
	CHECK_DONE();
}
