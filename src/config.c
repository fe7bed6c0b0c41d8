#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ell/ell.h>

#include "config.h"
#include "connd-config.h"
#include "ini.h"
#include "marks.h"
#include "storage.h"

enum key_type { KEY_BOOL, KEY_UINT, KEY_STRING, KEY_PATH, KEY_LIST };

struct key {
	const char *name;
	enum key_type type;
	size_t offset;
	const char *def;		/* the default, as it would be written in the file */
	const char *const *choices;	/* KEY_STRING: the allowed values, or NULL */
	unsigned int min, max;		/* KEY_UINT */
	/* Why any value but the default changes nothing in connd (yet): such a
	 * value is warned about, with this reason, when the file is read. */
	const char *no_effect;
};

static const char *const interval_styles[] = { "fibonacci", "geometric", NULL };
static const char *const data_paths[] = { "auto", "bpf", "nftables", NULL };

#define F(field) offsetof(struct connd_config, field)
static const struct key keys[] = {
	{ "FallbackNameservers", KEY_LIST, F(fallback_nameservers), "" },
	{ "FallbackTimeservers", KEY_LIST, F(fallback_timeservers), "" },
	{ "PreferredTechnologies", KEY_LIST, F(preferred_technologies), "" },
	{ "NetworkInterfaceBlacklist", KEY_LIST, F(network_interface_blacklist),
	  "vmnet,vboxnet,virbr,ifb,ve-,vb-" },
	/* connd's defaults: ethernet tethers and tethering survives restarts,
	 * as connd always did (ConnMan: wifi,bluetooth,gadget and false). */
	{ "TetheringTechnologies", KEY_LIST, F(tethering_technologies),
	  "ethernet,wifi,bluetooth,gadget" },
	{ "DefaultAutoConnectTechnologies", KEY_LIST, F(default_autoconnect_technologies),
	  "ethernet,wifi,cellular" },
	{ "AlwaysConnectedTechnologies", KEY_LIST, F(always_connected_technologies), "" },
	{ "AllowHostnameUpdates", KEY_BOOL, F(allow_hostname_updates), "true" },
	{ "AllowDomainnameUpdates", KEY_BOOL, F(allow_domainname_updates), "true" },
	{ "SingleConnectedTechnology", KEY_BOOL, F(single_connected_technology), "false" },
	{ "PersistentTetheringMode", KEY_BOOL, F(persistent_tethering_mode), "true" },
	{ "Enable6to4", KEY_BOOL, F(enable_6to4), "false", NULL, 0, 0,
	  "6to4 tunnels are not supported (ConnMan deprecated them)" },
	{ "BackgroundScanning", KEY_BOOL, F(background_scanning), "true" },
	{ "AutoConnectRoamingServices", KEY_BOOL, F(auto_connect_roaming_services), "false" },
	{ "AddressConflictDetection", KEY_BOOL, F(address_conflict_detection), "false", NULL, 0, 0,
	  "DHCP and manual addresses are not probed yet (link-local ones always are)" },
	{ "EnableOnlineCheck", KEY_BOOL, F(enable_online_check), "true" },
	{ "OnlineCheckIPv4URL", KEY_STRING, F(online_check_ipv4_url),
	  "http://ipv4.connman.net/online/status.html" },
	{ "OnlineCheckIPv6URL", KEY_STRING, F(online_check_ipv6_url),
	  "http://ipv6.connman.net/online/status.html" },
	{ "OnlineCheckInitialInterval", KEY_UINT, F(online_check_initial_interval), "1",
	  NULL, 1, 3600 },
	{ "OnlineCheckMaxInterval", KEY_UINT, F(online_check_max_interval), "12", NULL, 1, 3600 },
	{ "OnlineCheckIntervalStyle", KEY_STRING, F(online_check_interval_style), "fibonacci",
	  interval_styles },
	{ "OnlineCheckTimeout", KEY_UINT, F(online_check_timeout), "10000", NULL, 100, 600000 },
	{ "InputRequestTimeout", KEY_UINT, F(input_request_timeout), "120", NULL, 1, 3600 },
	/* "": the system's trust store (GnuTLS's default). */
	{ "CaptivePortalCAFile", KEY_PATH, F(captive_portal_ca_file), "" },
	{ "TetheringInterfaces", KEY_LIST, F(tethering_interfaces), "" },
	{ "SetSystemClock", KEY_BOOL, F(set_system_clock), "false" },
	{ "LocaltimeFile", KEY_PATH, F(localtime_file), "/etc/localtime" },
	{ "ZoneinfoDir", KEY_PATH, F(zoneinfo_dir), "/usr/share/zoneinfo" },
	{ "SessionsPerUser", KEY_UINT, F(sessions_per_user), "64", NULL, 1, 65536 },
	/* Up to the ids the marks hold; the default is the BPF counters
	 * array's size before it was a setting (5 MiB of kernel memory). */
	{ "MaxSessions", KEY_UINT, F(max_sessions), "131072", NULL, 1, MARK_SESSION_MASK },
	{ "SessionDataPath", KEY_STRING, F(session_data_path), "auto", data_paths },
	{ "SessionCgroup", KEY_PATH, F(session_cgroup), "" },
	{ "OpenVPN", KEY_PATH, F(openvpn), "/usr/sbin/openvpn" },
	{ "VPNScript", KEY_PATH, F(vpn_script), CONND_VPN_SCRIPT },
};
#undef F

static void *field(struct connd_config *cfg, const struct key *k)
{
	return (char *)cfg + k->offset;
}

/* "a, b,,c" → {"a", "b", "c"}; NULL when empty. */
static char **split_list(const char *text)
{
	char **parts = l_strsplit(text, ','), **out = NULL;

	for (char **p = parts; p && *p; p++) {
		const char *start = *p;
		size_t len;

		start += strspn(start, " \t");
		len = strlen(start);
		while (len && (start[len - 1] == ' ' || start[len - 1] == '\t'))
			len--;
		if (len) {
			char *item = l_strndup(start, len);

			out = l_strv_append(out, item);
			l_free(item);
		}
	}
	l_strfreev(parts);
	return out;
}

/* Reads `text` as k's type into its field; a reason in `why` if it cannot. */
static int set_value(struct connd_config *cfg, const struct key *k, const char *text,
		     char *why, size_t why_len)
{
	char *end;
	unsigned long n;

	switch (k->type) {
	case KEY_BOOL:
		if (strcmp(text, "true") && strcmp(text, "false")) {
			snprintf(why, why_len, "expected true or false, got '%s'", text);
			return -EINVAL;
		}
		*(bool *)field(cfg, k) = !strcmp(text, "true");
		return 0;
	case KEY_UINT:
		n = strtoul(text, &end, 10);
		if (!*text || *end || n < k->min || n > k->max) {
			snprintf(why, why_len, "expected a number from %u to %u, got '%s'",
				 k->min, k->max, text);
			return -EINVAL;
		}
		*(unsigned int *)field(cfg, k) = n;
		return 0;
	case KEY_PATH:
		if (text[0] != '/') {
			snprintf(why, why_len, "expected an absolute path, got '%s'", text);
			return -EINVAL;
		}
		/* fall through */
	case KEY_STRING:
		if (k->choices && !l_strv_contains((char **)k->choices, text)) {
			snprintf(why, why_len, "'%s' is not one of the allowed values", text);
			return -EINVAL;
		}
		l_free(*(char **)field(cfg, k));
		*(char **)field(cfg, k) = l_strdup(text);
		return 0;
	case KEY_LIST:
		l_strv_free(*(char ***)field(cfg, k));
		*(char ***)field(cfg, k) = split_list(text);
		return 0;
	}
	return -EINVAL;
}

struct connd_config *config_new_defaults(void)
{
	struct connd_config *cfg = l_new(struct connd_config, 1);
	char why[128];

	for (size_t i = 0; i < L_ARRAY_SIZE(keys); i++)
		set_value(cfg, &keys[i], keys[i].def, why, sizeof(why));
	return cfg;
}

void config_free(struct connd_config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < L_ARRAY_SIZE(keys); i++) {
		if (keys[i].type == KEY_STRING || keys[i].type == KEY_PATH)
			l_free(*(char **)field(cfg, &keys[i]));
		else if (keys[i].type == KEY_LIST)
			l_strv_free(*(char ***)field(cfg, &keys[i]));
	}
	l_free(cfg);
}

struct parse_state {
	struct connd_config *cfg;
	const char *name;
	config_warn_fn warn;
	void *data;
	char *error;
};

static const struct key *find_key(const char *name)
{
	for (size_t i = 0; i < L_ARRAY_SIZE(keys); i++)
		if (!strcmp(keys[i].name, name))
			return &keys[i];
	return NULL;
}

static void warn(struct parse_state *st, unsigned int line, const char *msg)
{
	if (st->warn)
		st->warn(st->name, line, msg, st->data);
}

static int on_entry(const char *group, const char *name, const char *value, unsigned int line,
		    void *data)
{
	struct parse_state *st = data;
	const struct key *k;
	char why[160], msg[200];

	if (strcmp(group, "General")) {
		if (!name) {
			snprintf(msg, sizeof(msg), "unknown group [%s] ignored", group);
			warn(st, line, msg);
		}
		return 0;
	}
	if (!name)
		return 0;
	k = find_key(name);
	if (!k) {
		snprintf(msg, sizeof(msg), "unknown key %s ignored", name);
		warn(st, line, msg);
		return 0;
	}
	if (set_value(st->cfg, k, value, why, sizeof(why)) < 0) {
		/* A malformed line may already have been reported: keep the first error. */
		if (!st->error)
			st->error = l_strdup_printf("%s:%u: %s: %s", st->name, line, name, why);
		return -EINVAL;
	}
	if (k->no_effect && strcmp(value, k->def)) {
		snprintf(msg, sizeof(msg), "%s = %s has no effect: %s", name, value, k->no_effect);
		warn(st, line, msg);
	}
	return 0;
}

static void on_error(unsigned int line, const char *why, void *data)
{
	struct parse_state *st = data;

	if (!st->error)
		st->error = l_strdup_printf("%s:%u: %s", st->name, line, why);
}

int config_parse_text(struct connd_config *cfg, const char *name, const char *text, size_t len,
		      config_warn_fn warn_fn, void *data, char **error_out)
{
	struct connd_config *scratch = config_new_defaults();
	struct parse_state st = { scratch, name, warn_fn, data, NULL };
	int err = ini_parse(text, len, on_entry, on_error, &st);

	/* Parsed into a scratch copy so that a refused file changes nothing. */
	if (err == 0 && st.error)
		err = -EINVAL;
	if (err < 0) {
		*error_out = st.error ? st.error : l_strdup_printf("%s: unreadable", name);
		config_free(scratch);
		return err;
	}
	for (size_t i = 0; i < L_ARRAY_SIZE(keys); i++) {
		void *tmp[1];
		size_t size = keys[i].type == KEY_BOOL ? sizeof(bool) :
			      keys[i].type == KEY_UINT ? sizeof(unsigned int) : sizeof(void *);

		memcpy(tmp, field(cfg, &keys[i]), size);
		memcpy(field(cfg, &keys[i]), field(scratch, &keys[i]), size);
		memcpy(field(scratch, &keys[i]), tmp, size);
	}
	config_free(scratch);
	return 0;
}

int config_load_file(struct connd_config *cfg, const char *path, config_warn_fn warn_fn,
		     void *data, char **error_out)
{
	size_t len;
	char *text;
	int err = storage_read_file(path, CONFIG_FILE_MAX, &text, &len);

	if (err < 0) {
		*error_out = l_strdup_printf("%s: %s", path, strerror(-err));
		return err;
	}
	err = config_parse_text(cfg, path, text, len, warn_fn, data, error_out);
	l_free(text);
	return err;
}
