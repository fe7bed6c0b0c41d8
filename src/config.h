/* main.conf: ConnMan's [General] keys that connd reads, with their defaults,
 * parsed through one declarative table. A malformed line or value refuses
 * the whole file with "FILE:LINE: reason"; an unknown key or group is only
 * warned about, as ConnMan does. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct connd_config {
	char **fallback_nameservers;
	char **fallback_timeservers;
	char **preferred_technologies;
	char **network_interface_blacklist;
	char **tethering_technologies;
	char **default_autoconnect_technologies;
	char **always_connected_technologies;
	bool allow_hostname_updates;
	bool allow_domainname_updates;
	bool single_connected_technology;
	bool persistent_tethering_mode;
	bool enable_6to4;
	bool background_scanning;
	bool auto_connect_roaming_services;
	bool address_conflict_detection;
	bool enable_online_check;
	char *online_check_ipv4_url;
	char *online_check_ipv6_url;
	unsigned int online_check_initial_interval;	/* seconds */
	unsigned int online_check_max_interval;		/* seconds */
	char *online_check_interval_style;		/* "fibonacci" or "geometric" */
	unsigned int online_check_timeout;		/* ms; connd's own key */
	unsigned int input_request_timeout;		/* seconds the agent may take */
	/* connd's own: the CAs the Captive Portal API's server must chain to
	 * (PEM); NULL: the system's store. */
	char *captive_portal_ca_file;
	/* connd's own: the links to tether (names or globs; empty: every link not an uplink). */
	char **tethering_interfaces;
	/* connd's own: whether SNTP may set the clock, and where the timezone is. */
	bool set_system_clock;
	char *localtime_file;
	char *zoneinfo_dir;
	/* connd's own: how many sessions one uid may hold at once. */
	unsigned int sessions_per_user;
	/* connd's own: how many sessions connd holds at once (ids 1..this;
	 * on the BPF data path, the counters array's size). */
	unsigned int max_sessions;
	/* connd's own: sessions' data path ("auto", "bpf" or "nftables") and the
	 * cgroup v2 directory the BPF programs attach to ("": the cgroup2 root). */
	char *session_data_path;
	char *session_cgroup;
	/* connd's own: the openvpn program, and the --up hook connd gives it. */
	char *openvpn;
	char *vpn_script;
};

typedef void (*config_warn_fn)(const char *file, unsigned int line, const char *message,
			       void *data);

struct connd_config *config_new_defaults(void);
void config_free(struct connd_config *cfg);

/* On error the config is unchanged and *error_out holds "FILE:LINE: reason"
 * (free with l_free). */
int config_load_file(struct connd_config *cfg, const char *path, config_warn_fn warn,
		     void *data, char **error_out);
int config_parse_text(struct connd_config *cfg, const char *name, const char *text, size_t len,
		      config_warn_fn warn, void *data, char **error_out);
