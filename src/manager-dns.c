/* The manager's side of name resolution: which servers the DNS proxy
 * forwards to, where it listens (loopback, and the bridge while tethering),
 * and the resolv.conf that points the system at it — or, with the proxy
 * off, at the upstream servers themselves. */
#include <errno.h>
#include <string.h>
#include <ell/ell.h>

#include "dnsproxy.h"
#include "ipv4-config.h"
#include "manager-private.h"
#include "options.h"
#include "resolv-conf.h"
#include "tethering.h"

#define MAX_ROUTES 16

static bool connected(const struct service *svc)
{
	return service_state_is_connected(service_get_state(svc));
}

/* Every connected service's nameservers, best service first, no repeats. */
static char **all_servers(const struct manager *m)
{
	char **all = l_new(char *, 1);

	for (const struct l_queue_entry *e = l_queue_get_entries(m->services); e; e = e->next) {
		char **servers;

		if (!connected(e->data))
			continue;
		servers = service_nameservers(e->data);
		for (char **s = servers; s && *s; s++)
			if (!l_strv_contains(all, *s))
				all = l_strv_append(all, *s);
		l_strv_free(servers);
	}
	return all;
}

static struct service *default_service(const struct manager *m)
{
	struct service *first = l_queue_peek_head(m->services);

	return first && connected(first) ? first : NULL;
}

static void write_resolv_conf(struct manager *m, bool direct)
{
	struct service *def = default_service(m);
	char **search = def ? service_domains(def) : NULL;
	char **servers = NULL, *text;
	int err;

	if (!direct && m->dnsproxy) {
		servers = l_strv_append(l_new(char *, 1), "127.0.0.1");
		if (m->dns_on_ipv6_loopback)
			servers = l_strv_append(servers, "::1");
	} else {
		servers = all_servers(m);
	}
	text = resolv_conf_text(servers, search);
	if (!l_streq0(text, m->resolv_text)) {
		err = resolv_conf_write(m->opts->resolv_conf, text);
		if (err < 0)
			l_warn("%s: cannot write: %s", m->opts->resolv_conf, strerror(-err));
		l_free(m->resolv_text);
		m->resolv_text = err < 0 ? NULL : l_steal_ptr(text);
	}
	l_free(text);
	l_strv_free(servers);
	l_strv_free(search);
}

static void set_upstreams(struct manager *m)
{
	struct service *def = default_service(m);
	struct dns_route routes[MAX_ROUTES];
	char **def_servers = def ? service_nameservers(def) : NULL;
	unsigned int n = 0;

	for (const struct l_queue_entry *e = l_queue_get_entries(m->services);
	     e && n < MAX_ROUTES; e = e->next) {
		if (!connected(e->data))
			continue;
		routes[n].domains = service_domains(e->data);
		routes[n].servers = service_nameservers(e->data);
		n++;
	}
	dnsproxy_set_upstreams(m->dnsproxy, def ? service_id(def) : NULL, def_servers, routes, n);
	for (unsigned int i = 0; i < n; i++) {
		l_strv_free(routes[i].domains);
		l_strv_free(routes[i].servers);
	}
	l_strv_free(def_servers);
}

/* Tethered clients are told the bridge address is their nameserver. */
static void listen_on_bridge(struct manager *m)
{
	char address[16] = "";
	int err;

	if (m->tethering)
		ipv4_ntop(tethering_address(m->tethering), address);
	if (!strcmp(address, m->dns_bridge_address))
		return;
	if (m->dns_bridge_address[0])
		dnsproxy_unlisten(m->dnsproxy, m->dns_bridge_address);
	m->dns_bridge_address[0] = '\0';
	if (!address[0])
		return;
	err = dnsproxy_listen(m->dnsproxy, address, TETHER_BRIDGE);
	if (err < 0)
		l_warn("dnsproxy: cannot listen on %s: %s", address, strerror(-err));
	else
		memcpy(m->dns_bridge_address, address, sizeof(address));
}

void manager_update_dns(struct manager *m)
{
	if (m->dns_stopped)
		return;
	if (m->dnsproxy) {
		set_upstreams(m);
		listen_on_bridge(m);
	}
	write_resolv_conf(m, false);
}

void manager_start_dns(struct manager *m)
{
	bool v4;

	if (!m->opts->nodnsproxy) {
		m->dnsproxy = dnsproxy_new(53);
		v4 = dnsproxy_listen(m->dnsproxy, "127.0.0.1", NULL) == 0;
		m->dns_on_ipv6_loopback = dnsproxy_listen(m->dnsproxy, "::1", NULL) == 0;
		if (!v4) {
			l_warn("dnsproxy: cannot listen on 127.0.0.1 port 53; resolv.conf will "
			       "list the upstream servers instead");
			dnsproxy_free(m->dnsproxy);
			m->dnsproxy = NULL;
		}
	}
	manager_update_dns(m);
}

/* The system keeps resolving without us: resolv.conf names the upstreams,
 * as they are before the services go down with us. */
void manager_stop_dns(struct manager *m)
{
	write_resolv_conf(m, true);
	m->dns_stopped = true;
	l_free(m->resolv_text);
	m->resolv_text = NULL;
	dnsproxy_free(m->dnsproxy);
	m->dnsproxy = NULL;
	m->dns_bridge_address[0] = '\0';
}
