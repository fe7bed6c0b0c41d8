/* The manager's side of provisioning files (*.config in the config
 * directory): which service each entry configures, re-read when the
 * directory changes. A provisioned service is immutable over D-Bus and its
 * provisioned configuration is not saved as the user's; when its entry goes
 * away, the user's saved configuration comes back. */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <ell/ell.h>

#include "manager-private.h"
#include "options.h"
#include "provision.h"
#include "service-settings.h"
#include "storage.h"

static void warn(const char *file, unsigned int line, const char *why, void *data)
{
	l_warn("%s:%u: %s", file, line, why);
}

static struct provision **load_dir(const char *dir)
{
	struct provision **list = NULL;
	DIR *d = opendir(dir);
	struct dirent *de;

	while (d && (de = readdir(d))) {
		size_t n = strlen(de->d_name), len;
		char *path, *text;

		if (n <= 7 || strcmp(de->d_name + n - 7, ".config"))
			continue;
		path = l_strdup_printf("%s/%s", dir, de->d_name);
		text = l_file_get_contents(path, &len);
		if (text)
			provision_parse(path, text, len, &list, warn, NULL);
		else
			l_warn("%s: cannot be read", path);
		l_free(text);
		l_free(path);
	}
	if (d)
		closedir(d);
	return list;
}

static bool same_ipv4(const struct ipv4_settings *a, const struct ipv4_settings *b)
{
	return a->method == b->method && a->address == b->address &&
	       a->prefix_len == b->prefix_len && a->gateway == b->gateway;
}

/* Set before the setters run: the manager does not save an immutable
 * service's configuration as the user's. */
static void apply_entry(struct service *svc, const struct provision *p)
{
	struct ipv4_settings dhcp = { .method = IPV4_METHOD_DHCP };
	const struct ipv4_settings *ipv4 = p->has_ipv4 ? &p->ipv4 : &dhcp;

	if (service_immutable(svc) && same_ipv4(service_ipv4_config(svc), ipv4) &&
	    l_strv_eq(service_nameservers_config(svc), p->nameservers) &&
	    l_strv_eq(service_timeservers_config(svc), p->timeservers) &&
	    l_strv_eq(service_domains_config(svc), p->search_domains))
		return;
	service_set_immutable(svc, true);
	if (!same_ipv4(service_ipv4_config(svc), ipv4))
		service_set_ipv4_config(svc, ipv4);
	service_set_nameservers_config(svc, p->nameservers);
	service_set_timeservers_config(svc, p->timeservers);
	service_set_domains_config(svc, p->search_domains);
	l_info("%s: configured by %s [%s]", service_id(svc), p->file, p->name);
}

static void saved_warn(const char *key, const char *why, void *data)
{
	l_warn("%s: saved %s: %s; ignored", (const char *)data, key, why);
}

/* Back to what the user had saved for it (the file was not touched while
 * the service was provisioned). */
static void restore_user(struct manager *m, struct service *svc)
{
	char *name = l_strdup_printf("%s/settings", service_id(svc));
	struct l_settings *settings = storage_load(m->opts->state_dir, name);
	struct service_saved saved;

	service_settings_parse(settings, service_id(svc), &saved, saved_warn, name);
	service_set_immutable(svc, false);
	service_set_ipv4_config(svc, &saved.ipv4);
	service_set_nameservers_config(svc, saved.nameservers);
	service_set_timeservers_config(svc, saved.timeservers);
	service_set_domains_config(svc, saved.domains);
	service_saved_clear(&saved);
	l_settings_free(settings);
	l_free(name);
	l_info("%s: no longer provisioned; the user's configuration is back", service_id(svc));
}

void manager_provision_service(struct manager *m, struct service *svc)
{
	const struct provision *p = provision_find(m->provisions, service_mac(svc),
						   service_ifname(svc));

	if (p)
		apply_entry(svc, p);
	else if (service_immutable(svc))
		restore_user(m, svc);
}

static void reload(struct manager *m)
{
	unsigned int n;
	struct service **all;

	provision_list_free(m->provisions);
	m->provisions = load_dir(m->opts->config_dir);
	all = manager_services_snapshot(m, &n);
	for (unsigned int i = 0; i < n; i++)
		manager_provision_service(m, all[i]);
	l_free(all);
}

static void dir_changed(const char *filename, enum l_dir_watch_event event, void *data)
{
	if (event == L_DIR_WATCH_EVENT_ACCESSED)
		return;
	if (filename && !l_str_has_suffix(filename, ".config"))
		return;
	reload(data);
}

void manager_start_provisioning(struct manager *m)
{
	m->provisions = load_dir(m->opts->config_dir);
	m->provision_watch = l_dir_watch_new(m->opts->config_dir, dir_changed, m, NULL);
	if (!m->provision_watch)
		l_debug("config directory %s is not watched (absent?)", m->opts->config_dir);
}

void manager_stop_provisioning(struct manager *m)
{
	l_dir_watch_destroy(m->provision_watch);
	m->provision_watch = NULL;
	provision_list_free(m->provisions);
	m->provisions = NULL;
}
