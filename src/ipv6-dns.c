#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <ell/ell.h>

#include "ipv6-dns.h"
#include "nd-options.h"

#define LIFETIME_INFINITE 0xffffffffu

struct entry_list {
	char **names;		/* NULL-terminated, or NULL */
	uint64_t *expiry;	/* monotonic µs, UINT64_MAX: never */
	unsigned int n;
};

struct ipv6_dns {
	struct entry_list servers;
	struct entry_list domains;
	struct l_timeout *timeout;
	void (*changed)(void *data);
	void *data;
};

struct ipv6_dns *ipv6_dns_new(void (*changed)(void *data), void *data)
{
	struct ipv6_dns *dns = l_new(struct ipv6_dns, 1);

	dns->changed = changed;
	dns->data = data;
	return dns;
}

static void list_clear(struct entry_list *list)
{
	l_strv_free(list->names);
	l_free(list->expiry);
	memset(list, 0, sizeof(*list));
}

void ipv6_dns_free(struct ipv6_dns *dns)
{
	if (!dns)
		return;
	l_timeout_remove(dns->timeout);
	list_clear(&dns->servers);
	list_clear(&dns->domains);
	l_free(dns);
}

static void list_remove(struct entry_list *list, unsigned int i)
{
	l_free(list->names[i]);
	memmove(&list->names[i], &list->names[i + 1], (list->n - i) * sizeof(char *));
	memmove(&list->expiry[i], &list->expiry[i + 1], (list->n - i - 1) * sizeof(uint64_t));
	if (--list->n == 0)
		list_clear(list);
}

/* The entry that runs out first, where a newcomer to a full list goes. */
static unsigned int list_soonest(const struct entry_list *list)
{
	unsigned int soonest = 0;

	for (unsigned int i = 1; i < list->n; i++)
		if (list->expiry[i] < list->expiry[soonest])
			soonest = i;
	return soonest;
}

/* Adds, refreshes or (lifetime 0) withdraws one name; true if the list
 * changed. A full list (max entries) takes a newcomer in place of the entry
 * that runs out first, as RFC 8106 5.3.1 says, or drops it when every kept
 * one outlives it; *over counts both. */
static bool list_set(struct entry_list *list, const char *name, uint32_t lifetime, uint64_t now,
		     unsigned int max, unsigned int *over)
{
	uint64_t expiry = lifetime == LIFETIME_INFINITE ? UINT64_MAX :
			  now + (uint64_t)lifetime * L_USEC_PER_SEC;
	unsigned int soonest;

	for (unsigned int i = 0; i < list->n; i++) {
		if (strcmp(list->names[i], name))
			continue;
		if (lifetime == 0) {
			list_remove(list, i);
			return true;
		}
		list->expiry[i] = expiry;
		return false;
	}
	if (lifetime == 0)
		return false;
	if (list->n >= max) {
		(*over)++;
		soonest = list_soonest(list);
		if (list->expiry[soonest] > expiry)
			return false;
		list_remove(list, soonest);
	}
	list->names = l_strv_append(list->names, name);
	list->expiry = l_realloc(list->expiry, (list->n + 1) * sizeof(uint64_t));
	list->expiry[list->n++] = expiry;
	return true;
}

static bool list_expire(struct entry_list *list, uint64_t now)
{
	bool changed = false;

	for (unsigned int i = list->n; i-- > 0;)
		if (list->expiry[i] <= now) {
			list_remove(list, i);
			changed = true;
		}
	return changed;
}

static uint64_t list_next_expiry(const struct entry_list *list)
{
	uint64_t next = UINT64_MAX;

	for (unsigned int i = 0; i < list->n; i++)
		if (list->expiry[i] < next)
			next = list->expiry[i];
	return next;
}

static void schedule(struct ipv6_dns *dns, uint64_t now);

static void expired(struct l_timeout *timeout, void *user_data)
{
	struct ipv6_dns *dns = user_data;
	uint64_t now = l_time_now();
	bool changed = list_expire(&dns->servers, now) | list_expire(&dns->domains, now);

	schedule(dns, now);
	if (changed)
		dns->changed(dns->data);
}

/* One timer, for the entry that runs out first. */
static void schedule(struct ipv6_dns *dns, uint64_t now)
{
	uint64_t next = list_next_expiry(&dns->servers);
	uint64_t next_domain = list_next_expiry(&dns->domains);
	uint64_t ms;

	if (next_domain < next)
		next = next_domain;
	l_timeout_remove(dns->timeout);
	dns->timeout = NULL;
	if (next == UINT64_MAX)
		return;
	ms = next > now ? (next - now + 999) / 1000 : 1;
	dns->timeout = l_timeout_create_ms(ms, expired, dns, NULL);
	if (!dns->timeout)
		l_warn("ipv6-dns: no timer for the RDNSS/DNSSL lifetimes (out of file descriptors)");
}

static void server_text(const struct in6_addr *addr, const char *ifname, char *out, size_t size)
{
	char text[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, addr, text, sizeof(text));
	if (IN6_IS_ADDR_LINKLOCAL(addr))
		snprintf(out, size, "%s%%%s", text, ifname);
	else
		snprintf(out, size, "%s", text);
}

unsigned int ipv6_dns_update(struct ipv6_dns *dns, const char *ifname,
			     const struct nd_dns_info *info)
{
	uint64_t now = l_time_now();
	bool changed = false;
	unsigned int over = 0;

	for (unsigned int i = 0; i < info->n_servers; i++) {
		char text[INET6_ADDRSTRLEN + IF_NAMESIZE + 1];

		/* Unspecified, loopback and multicast servers make no sense from a router. */
		if (IN6_IS_ADDR_UNSPECIFIED(&info->servers[i]) ||
		    IN6_IS_ADDR_LOOPBACK(&info->servers[i]) ||
		    IN6_IS_ADDR_MULTICAST(&info->servers[i]))
			continue;
		server_text(&info->servers[i], ifname, text, sizeof(text));
		changed |= list_set(&dns->servers, text, info->server_lifetime[i], now,
				    ND_MAX_SERVERS, &over);
	}
	for (unsigned int i = 0; i < info->n_domains; i++)
		changed |= list_set(&dns->domains, info->domains[i], info->domain_lifetime[i], now,
				    ND_MAX_DOMAINS, &over);
	schedule(dns, now);
	if (changed)
		dns->changed(dns->data);
	return over;
}

void ipv6_dns_clear(struct ipv6_dns *dns)
{
	bool had = dns->servers.n || dns->domains.n;

	list_clear(&dns->servers);
	list_clear(&dns->domains);
	l_timeout_remove(dns->timeout);
	dns->timeout = NULL;
	if (had)
		dns->changed(dns->data);
}

char **ipv6_dns_servers(const struct ipv6_dns *dns)
{
	return dns->servers.names;
}

char **ipv6_dns_domains(const struct ipv6_dns *dns)
{
	return dns->domains.names;
}
