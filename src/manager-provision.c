#include <errno.h>
#include <string.h>
#include <ell/ell.h>

#include "config-files.h"
#include "manager-provision.h"
#include "provision.h"
#include "service.h"

struct provisioning {
	char *dir;
	struct provision **entries;	/* from the *.config files */
	struct l_dir_watch *watch;
	const struct provisioning_ops *ops;
	void *data;
};

static void warn(const char *file, unsigned int line, const char *why, void *data)
{
	l_warn("%s:%u: %s", file, line, why);
}

static void read_file(const char *path, const char *text, size_t len, void *data)
{
	provision_parse(path, text, len, data, warn, NULL);
}

static struct provision **load_dir(const char *dir)
{
	struct provision **list = NULL;

	config_files_read(dir, read_file, &list);
	return list;
}

static bool same_ipv4(const struct ipv4_settings *a, const struct ipv4_settings *b)
{
	return a->method == b->method && a->address == b->address &&
	       a->prefix_len == b->prefix_len && a->gateway == b->gateway;
}

static bool same_ipv6(const struct ipv6_settings *a, const struct ipv6_settings *b)
{
	return a->method == b->method && a->privacy == b->privacy &&
	       !memcmp(&a->address, &b->address, sizeof(a->address)) &&
	       a->prefix_len == b->prefix_len &&
	       !memcmp(&a->gateway, &b->gateway, sizeof(a->gateway));
}

/* Set before the setters run: the manager does not save an immutable
 * service's configuration as the user's. */
static void apply_entry(struct service *svc, const struct provision *p)
{
	struct ipv4_settings dhcp = { .method = IPV4_METHOD_DHCP };
	const struct ipv4_settings *ipv4 = p->has_ipv4 ? &p->ipv4 : &dhcp;

	if (service_immutable(svc) && same_ipv4(service_ipv4_config(svc), ipv4) &&
	    same_ipv6(service_ipv6_config(svc), &p->ipv6) &&
	    l_strv_eq(service_nameservers_config(svc), p->nameservers) &&
	    l_strv_eq(service_timeservers_config(svc), p->timeservers) &&
	    l_strv_eq(service_domains_config(svc), p->search_domains))
		return;
	service_set_immutable(svc, true);
	if (!same_ipv4(service_ipv4_config(svc), ipv4))
		service_set_ipv4_config(svc, ipv4);
	if (!same_ipv6(service_ipv6_config(svc), &p->ipv6))
		service_set_ipv6_config(svc, &p->ipv6);
	service_set_nameservers_config(svc, p->nameservers);
	service_set_timeservers_config(svc, p->timeservers);
	service_set_domains_config(svc, p->search_domains);
	l_info("%s: configured by %s [%s]", service_id(svc), p->file, p->name);
}

/* An entry of the service's Type: ethernet by link, Wi-Fi by network. */
static const struct provision *entry_of(const struct provisioning *pv, const struct service *svc)
{
	if (!strcmp(service_type(svc), "ethernet"))
		return provision_find(pv->entries, service_mac(svc), service_ifname(svc));
	if (!strcmp(service_type(svc), "wifi"))
		return provision_find_wifi(pv->entries, service_id(svc), service_mac(svc),
					   service_ifname(svc));
	return NULL;
}

void provisioning_apply(struct provisioning *pv, struct service *svc)
{
	const struct provision *p = entry_of(pv, svc);

	if (p) {
		apply_entry(svc, p);
	} else if (service_immutable(svc)) {
		service_set_immutable(svc, false);
		pv->ops->restore_user(svc, pv->data);
		l_info("%s: no longer provisioned; the user's configuration is back",
		       service_id(svc));
	}
}

const char *provisioning_wifi_passphrase(const struct provisioning *pv, const char *id,
					 const uint8_t mac[6], const char *ifname)
{
	const struct provision *p = pv ? provision_find_wifi(pv->entries, id, mac, ifname) : NULL;

	return p ? p->wifi.passphrase : NULL;
}

void provisioning_foreach_hidden(const struct provisioning *pv, provisioning_hidden_fn fn,
				 void *data)
{
	for (struct provision *const *p = pv ? pv->entries : NULL; p && *p; p++)
		if ((*p)->type == PROVISION_WIFI && (*p)->wifi.hidden)
			fn(&(*p)->wifi, (*p)->has_mac ? (*p)->mac : NULL, (*p)->device_name, data);
}

static void reload(struct provisioning *pv)
{
	unsigned int n;
	struct service **all;

	provision_list_free(pv->entries);
	pv->entries = load_dir(pv->dir);
	all = pv->ops->services(pv->data, &n);
	for (unsigned int i = 0; i < n; i++)
		provisioning_apply(pv, all[i]);
	l_free(all);
	if (pv->ops->reloaded)
		pv->ops->reloaded(pv->data);
}

static void dir_changed(void *data)
{
	reload(data);
}

struct provisioning *provisioning_new(const char *dir, const struct provisioning_ops *ops,
				      void *data)
{
	struct provisioning *pv = l_new(struct provisioning, 1);

	pv->dir = l_strdup(dir);
	pv->ops = ops;
	pv->data = data;
	pv->entries = load_dir(dir);
	pv->watch = config_files_watch(dir, dir_changed, pv);
	if (!pv->watch)
		l_debug("config directory %s is not watched (absent?)", dir);
	return pv;
}

void provisioning_free(struct provisioning *pv)
{
	if (!pv)
		return;
	l_dir_watch_destroy(pv->watch);
	provision_list_free(pv->entries);
	l_free(pv->dir);
	l_free(pv);
}
