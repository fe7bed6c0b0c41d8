/* The manager's side of name resolution (see manager-dns.h). */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <ell/ell.h>

#include "dns-upstream.h"
#include "dnsproxy.h"
#include "manager-dns.h"
#include "marks.h"
#include "resolv-conf.h"
#include "service.h"
#include "sysctl.h"
#include "tethering.h"

#define MAX_ROUTES 16
#define FWMARK_ACCEPT "/proc/sys/net/ipv4/tcp_fwmark_accept"

struct manager_dns {
	char *resolv_conf;
	char **fallback;		/* FallbackNameservers, NULL when none */
	struct dnsproxy *proxy;		/* NULL without the proxy */
	bool on_ipv6_loopback;
	bool on_fallback;		/* the last update used the fallback servers */
	char *resolv_text;		/* what connd last wrote there */
	char bridge_address[16];	/* the proxy listens there while tethering, */
	char bridge_address6[INET6_ADDRSTRLEN];	/* and there with IPv6 on the bridge */
	char *refused;			/* servers last left out as upstreams, for the log */
	int (*session_slot)(uint32_t id, void *data);
	void *data;
	char fwmark_accept;		/* '0'/'1' before a connd set it; 0: untouched */
};

static bool connected(const struct service *svc)
{
	return service_state_is_connected(service_get_state(svc));
}

/* Every connected service's nameservers, best service first, no repeats. */
static char **service_servers(const struct l_queue *services)
{
	char **all = l_new(char *, 1);

	for (const struct l_queue_entry *e = l_queue_get_entries(services); e; e = e->next) {
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

/* The fallback servers stand in only while no connected service has any,
 * as in ConnMan: a service's own servers always win. */
static bool use_fallback(struct manager_dns *dns, const struct l_queue *services)
{
	char **servers = service_servers(services);
	bool fallback = !servers[0] && dns->fallback;

	l_strv_free(servers);
	if (fallback != dns->on_fallback) {
		if (fallback)
			l_info("dns: no service has nameservers; using FallbackNameservers");
		else
			l_info("dns: a service has nameservers; FallbackNameservers no longer used");
		dns->on_fallback = fallback;
	}
	return fallback;
}

static char **upstream_servers(const struct manager_dns *dns, const struct l_queue *services)
{
	if (dns->on_fallback)
		return l_strv_copy(dns->fallback);
	return service_servers(services);
}

static struct service *default_service(const struct l_queue *services)
{
	const struct l_queue_entry *e = l_queue_get_entries(services);

	return e && connected(e->data) ? e->data : NULL;
}

static void write_resolv_conf(struct manager_dns *dns, const struct l_queue *services,
			      bool direct)
{
	struct service *def = default_service(services);
	char **search = def ? service_domains(def) : NULL;
	char **servers = NULL, *text;
	int err;

	if (!direct && dns->proxy) {
		servers = l_strv_append(l_new(char *, 1), "127.0.0.1");
		if (dns->on_ipv6_loopback)
			servers = l_strv_append(servers, "::1");
	} else {
		servers = upstream_servers(dns, services);
	}
	text = resolv_conf_text(servers, search);
	if (!l_streq0(text, dns->resolv_text)) {
		err = resolv_conf_write(dns->resolv_conf, text);
		if (err < 0)
			l_warn("%s: cannot write: %s", dns->resolv_conf, strerror(-err));
		l_free(dns->resolv_text);
		dns->resolv_text = err < 0 ? NULL : l_steal_ptr(text);
	}
	l_free(text);
	l_strv_free(servers);
	l_strv_free(search);
}

/* The addresses of connd's links: a nameserver among them would make the
 * proxy forward to itself. */
static char **own_addresses(const struct manager_dns *dns, const struct l_queue *services)
{
	char **own = l_new(char *, 1);
	char buf[INET6_ADDRSTRLEN];

	if (dns->bridge_address[0])
		own = l_strv_append(own, dns->bridge_address);
	if (dns->bridge_address6[0])
		own = l_strv_append(own, dns->bridge_address6);
	for (const struct l_queue_entry *e = l_queue_get_entries(services); e; e = e->next) {
		const struct ipv4_settings *v4 = service_ipv4(e->data);
		const struct ipv6_status *v6 = service_ipv6(e->data);

		if (v4->address)
			own = l_strv_append(own, ipv4_ntop(v4->address, buf));
		if (!IN6_IS_ADDR_UNSPECIFIED(&v6->address) &&
		    inet_ntop(AF_INET6, &v6->address, buf, sizeof(buf)))
			own = l_strv_append(own, buf);
	}
	return own;
}

/* Says once which servers are left out, until that changes. */
static void log_refused(struct manager_dns *dns, char **refused)
{
	char *joined = refused ? l_strjoinv(refused, ' ') : NULL;

	if (!l_streq0(joined, dns->refused) && joined)
		l_warn("dns: not forwarding to %s: loopback, multicast or connd's own address",
		       joined);
	l_free(dns->refused);
	dns->refused = joined;
}

static char **allowed(char **servers, char **own, char ***refused)
{
	char **kept = dns_upstream_filter(servers, own, refused);

	l_strv_free(servers);
	return kept;
}

static void set_upstreams(struct manager_dns *dns, const struct l_queue *services)
{
	struct service *def = default_service(services);
	struct dns_route routes[MAX_ROUTES];
	char **def_servers, **own = own_addresses(dns, services), **refused = NULL;
	unsigned int n = 0;

	if (dns->on_fallback)
		def_servers = l_strv_copy(dns->fallback);
	else
		def_servers = def ? service_nameservers(def) : NULL;
	def_servers = allowed(def_servers, own, &refused);
	for (const struct l_queue_entry *e = l_queue_get_entries(services);
	     e && n < MAX_ROUTES; e = e->next) {
		if (!connected(e->data))
			continue;
		routes[n].domains = service_domains(e->data);
		routes[n].servers = allowed(service_nameservers(e->data), own, &refused);
		routes[n].id = service_id(e->data);
		routes[n].slot = service_slot(e->data);
		n++;
	}
	log_refused(dns, refused);
	dnsproxy_set_upstreams(dns->proxy, def ? service_id(def) : NULL, def_servers, routes, n);
	for (unsigned int i = 0; i < n; i++) {
		l_strv_free(routes[i].domains);
		l_strv_free(routes[i].servers);
	}
	l_strv_free(def_servers);
	l_strv_free(own);
	l_strv_free(refused);
}

/* Tethered clients are told the bridge address is their nameserver (by
 * DHCP, and for IPv6 by RDNSS and DHCPv6). `current` is where the proxy
 * listens on the bridge now, "" for nowhere. */
static void listen_on_bridge(struct manager_dns *dns, char *current, size_t size,
			     const char *address)
{
	int err;

	if (!address)
		address = "";
	if (!strcmp(address, current))
		return;
	if (current[0])
		dnsproxy_unlisten(dns->proxy, current);
	current[0] = '\0';
	if (!address[0])
		return;
	err = dnsproxy_listen(dns->proxy, address, TETHER_BRIDGE);
	if (err < 0)
		l_warn("dnsproxy: cannot listen on %s: %s", address, strerror(-err));
	else
		l_strlcpy(current, address, size);
}

void manager_dns_update(struct manager_dns *dns, const struct l_queue *services,
			const char *bridge_address, const char *bridge_address6)
{
	/* NULL after manager_dns_free(): services going down at exit change nothing. */
	if (!dns)
		return;
	use_fallback(dns, services);
	if (dns->proxy) {
		set_upstreams(dns, services);
		listen_on_bridge(dns, dns->bridge_address, sizeof(dns->bridge_address),
				 bridge_address);
		listen_on_bridge(dns, dns->bridge_address6, sizeof(dns->bridge_address6),
				 bridge_address6);
	}
	write_resolv_conf(dns, services, false);
}

/* A packet of a session's application carries its session's id and the
 * slot of its service (marks.h); connd's own carry MARK_OWN. */
static int query_slot(uint32_t mark, void *data)
{
	struct manager_dns *dns = data;

	if (!(mark & MARK_SLOT_MASK) || (mark & MARK_OWN) || !(mark & MARK_SESSION_MASK))
		return 0;
	return dns->session_slot(mark & MARK_SESSION_MASK, dns->data);
}

/* TCP has no SO_RCVMARK: with this sysctl of connd's network namespace on,
 * a socket accept() returns carries the mark of the SYN that opened it, so
 * the proxy tells a session's TCP query from another's. Other listeners'
 * accepted sockets then carry their SYN's mark too: 0 from outside, and a
 * session's only for connections from its own application. */
static void follow_tcp_marks(struct manager_dns *dns)
{
	char old[8];
	int err = sysctl_read(FWMARK_ACCEPT, old, sizeof(old));

	if (err == 0 && !strcmp(old, "1"))
		return;		/* on already: by us before a crash, or by the admin */
	if (err == 0)
		err = sysctl_write(FWMARK_ACCEPT, "1");
	if (err < 0) {
		l_warn("dnsproxy: cannot set %s (%s): sessions' TCP queries go to the default "
		       "service", FWMARK_ACCEPT, strerror(-err));
		return;
	}
	dns->fwmark_accept = old[0] == '0' ? '0' : '1';
}

void manager_dns_restore_tcp_marks(struct manager_dns *dns)
{
	if (!dns || !dns->fwmark_accept)
		return;
	sysctl_write(FWMARK_ACCEPT, dns->fwmark_accept == '1' ? "1" : "0");
	dns->fwmark_accept = 0;
}

char manager_dns_tcp_marks_before(const struct manager_dns *dns)
{
	return dns ? dns->fwmark_accept : 0;
}

static struct dnsproxy *start_proxy(bool *on_ipv6_loopback)
{
	struct dnsproxy *proxy = dnsproxy_new(53);
	bool v4 = dnsproxy_listen(proxy, "127.0.0.1", NULL) == 0;

	*on_ipv6_loopback = dnsproxy_listen(proxy, "::1", NULL) == 0;
	if (v4)
		return proxy;
	l_warn("dnsproxy: cannot listen on 127.0.0.1 port 53; resolv.conf will "
	       "list the upstream servers instead");
	dnsproxy_free(proxy);
	*on_ipv6_loopback = false;
	return NULL;
}

struct manager_dns *manager_dns_new(const struct manager_dns_options *opts)
{
	struct manager_dns *dns = l_new(struct manager_dns, 1);

	dns->resolv_conf = l_strdup(opts->resolv_conf);
	if (opts->fallback_nameservers && opts->fallback_nameservers[0])
		dns->fallback = l_strv_copy(opts->fallback_nameservers);
	if (opts->proxy)
		dns->proxy = start_proxy(&dns->on_ipv6_loopback);
	dns->session_slot = opts->session_slot;
	dns->data = opts->data;
	dns->fwmark_accept = opts->tcp_marks_before;
	if (dns->proxy && dns->session_slot) {
		dnsproxy_set_mark_hook(dns->proxy, query_slot, dns);
		follow_tcp_marks(dns);
	} else {
		manager_dns_restore_tcp_marks(dns);	/* a crashed connd's, not followed now */
	}
	return dns;
}

bool manager_dns_proxy_running(const struct manager_dns *dns)
{
	return dns && dns->proxy;
}

void manager_dns_free(struct manager_dns *dns, const struct l_queue *services)
{
	if (!dns)
		return;
	write_resolv_conf(dns, services, true);
	dnsproxy_free(dns->proxy);
	manager_dns_restore_tcp_marks(dns);
	l_free(dns->resolv_text);
	l_free(dns->refused);
	l_strv_free(dns->fallback);
	l_free(dns->resolv_conf);
	l_free(dns);
}
