#pragma once
#include <stdbool.h>
struct connd_config {
	char *online_check_ipv4_url;
	bool enable_online_check;
	unsigned int online_check_timeout;
	unsigned int online_check_initial_interval;
	unsigned int online_check_max_interval;
	char **network_interface_blacklist;
};
typedef void (*config_warn_fn)(const char *file, unsigned int line, const char *message, void *data);
struct connd_config *config_new_defaults(void);
int config_load_file(struct connd_config *cfg, const char *path, config_warn_fn warn, void *data, char **error_out);
void config_free(struct connd_config *cfg);
