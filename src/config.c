/* Interim: built-in defaults only. The main.conf parser replaces this file. */
#include <errno.h>
#include <stdio.h>
#include <ell/ell.h>
#include "config.h"

struct connd_config *config_new_defaults(void)
{
	struct connd_config *c = l_new(struct connd_config, 1);

	c->online_check_ipv4_url = l_strdup("http://ipv4.connman.net/online/status.html");
	c->enable_online_check = true;
	c->online_check_timeout = 10000;
	c->online_check_initial_interval = 1;
	c->online_check_max_interval = 12;
	return c;
}

int config_load_file(struct connd_config *cfg, const char *path, config_warn_fn warn,
		     void *data, char **error_out)
{
	*error_out = l_strdup_printf("%s: configuration files are not supported yet", path);
	return -ENOTSUP;
}

void config_free(struct connd_config *c)
{
	if (!c)
		return;
	l_free(c->online_check_ipv4_url);
	l_free(c);
}
