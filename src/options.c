#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <ell/ell.h>

#include "connd-config.h"
#include "options.h"

static const struct option long_options[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "debug", optional_argument, NULL, 'd' },
	{ "device", required_argument, NULL, 'i' },
	{ "nodevice", required_argument, NULL, 'I' },
	{ "nodaemon", no_argument, NULL, 'n' },
	{ "nodnsproxy", no_argument, NULL, 'r' },
	{ "state-dir", required_argument, NULL, 'S' },
	{ "policy-dir", required_argument, NULL, 'P' },
	{ "resolv-conf", required_argument, NULL, 'R' },
	{ "config-dir", required_argument, NULL, 'C' },
	{ "vpn-config-dir", required_argument, NULL, 'V' },
	{ "version", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ }
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: connd [OPTION...]\n"
		"  -c, --config=FILE       main configuration file (default %s)\n"
		"  -d, --debug[=PATTERN]   debug messages, optionally only from matching source files\n"
		"                          (e.g. -d 'src/service*'); comma-separated patterns\n"
		"  -i, --device=IFACES     manage only these interfaces (comma-separated, globs allowed)\n"
		"  -I, --nodevice=IFACES   never manage these interfaces\n"
		"  -n, --nodaemon          stay in the foreground\n"
		"  -r, --nodnsproxy        do not run the DNS proxy\n"
		"      --state-dir=DIR     where settings are kept (default %s)\n"
		"      --policy-dir=DIR    session policy files, *.policy (default %s)\n"
		"      --resolv-conf=FILE  the resolv.conf connd writes (default %s)\n"
		"      --config-dir=DIR    provisioning files, *.config (default: the state dir)\n"
		"      --vpn-config-dir=DIR  VPN provisioning files, *.config\n"
		"                          (default: the state dir's vpn-config)\n"
		"  -v, --version           print the version and exit\n"
		"  -h, --help              print this help and exit\n",
		CONND_CONFIG_FILE, CONND_STATE_DIR, CONND_POLICY_DIR, CONND_RESOLV_CONF);
}

static char **split_list(char **old, const char *arg)
{
	char **parts = l_strsplit(arg, ',');

	for (char **p = parts; p && *p; p++)
		if (**p)
			old = l_strv_append(old, *p);
	l_strfreev(parts);
	return old;
}

static int replace(char **field, const char *value)
{
	l_free(*field);
	*field = l_strdup(value);
	return 0;
}

int options_parse(struct connd_options *opts, int argc, char **argv)
{
	int opt;

	memset(opts, 0, sizeof(*opts));
	optind = 1;
	while ((opt = getopt_long(argc, argv, "c:d::i:I:nrvh", long_options, NULL)) != -1) {
		switch (opt) {
		case 'c': replace(&opts->config_file, optarg); break;
		case 'd':
			/* Like connmand: "-d PATTERN" takes the next word unless it is an option. */
			if (!optarg && optind < argc && argv[optind][0] != '-')
				optarg = argv[optind++];
			replace(&opts->debug, optarg ? optarg : "*");
			break;
		case 'i': opts->devices = split_list(opts->devices, optarg); break;
		case 'I': opts->nodevices = split_list(opts->nodevices, optarg); break;
		case 'n': opts->nodaemon = true; break;
		case 'r': opts->nodnsproxy = true; break;
		case 'S': replace(&opts->state_dir, optarg); break;
		case 'P': replace(&opts->policy_dir, optarg); break;
		case 'R': replace(&opts->resolv_conf, optarg); break;
		case 'C': replace(&opts->config_dir, optarg); break;
		case 'V': replace(&opts->vpn_config_dir, optarg); break;
		case 'v':
			printf("%s\n", CONND_VERSION);
			return 1;
		case 'h':
			usage(stdout);
			return 1;
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "connd: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	if (!opts->state_dir)
		opts->state_dir = l_strdup(CONND_STATE_DIR);
	if (!opts->policy_dir)
		opts->policy_dir = l_strdup(CONND_POLICY_DIR);
	if (!opts->resolv_conf)
		opts->resolv_conf = l_strdup(CONND_RESOLV_CONF);
	/* ConnMan reads its .config files from its state directory too. */
	if (!opts->config_dir)
		opts->config_dir = l_strdup(opts->state_dir);
	/* ConnMan's vpnd has a directory of its own (/var/lib/connman-vpn);
	 * beside the state dir's vpn/, where connd keeps what Create made. */
	if (!opts->vpn_config_dir)
		opts->vpn_config_dir = l_strdup_printf("%s/vpn-config", opts->state_dir);
	return 0;
}

void options_clear(struct connd_options *opts)
{
	l_free(opts->debug);
	l_free(opts->config_file);
	l_strv_free(opts->devices);
	l_strv_free(opts->nodevices);
	l_free(opts->state_dir);
	l_free(opts->policy_dir);
	l_free(opts->resolv_conf);
	l_free(opts->config_dir);
	l_free(opts->vpn_config_dir);
	memset(opts, 0, sizeof(*opts));
}
