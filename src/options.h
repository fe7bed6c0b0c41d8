/* Command-line options of the daemon (connmand-compatible where they overlap). */
#pragma once

#include <stdbool.h>

struct connd_options {
	bool nodaemon;		/* -n */
	char *debug;		/* -d [PATTERN]: "*" when given without a pattern */
	char *config_file;	/* -c FILE */
	char **devices;		/* -i: manage only interfaces matching these patterns */
	char **nodevices;	/* -I: never these */
	char *state_dir;	/* --state-dir */
	bool nodnsproxy;	/* -r */
	char *policy_dir;	/* --policy-dir: session policy files */
	char *resolv_conf;	/* --resolv-conf: the resolv.conf connd maintains */
	char *config_dir;	/* --config-dir: provisioning files, *.config */
	char *vpn_config_dir;	/* --vpn-config-dir: the VPNs' provisioning files */
};

/* Parses argv; returns 0, 1 when the program should exit 0 (--help,
 * --version), or -EINVAL after printing why. */
int options_parse(struct connd_options *opts, int argc, char **argv);
void options_clear(struct connd_options *opts);
