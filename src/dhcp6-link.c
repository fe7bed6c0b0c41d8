#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <ell/ell.h>

#include "dhcp6.h"
#include "dhcp6-link.h"
#include "dhcp6-store.h"
#include "ipv6-prefix.h"
#include "ra-watch.h"
#include "rtnl.h"

struct dhcp6_link {
	struct rtnl *rtnl;
	int ifindex;
	char *ifname;
	uint8_t mac[6];
	char *state_dir;
	char *id;
	void (*changed)(void *data);
	void *data;
	struct ra_watch *ra;
	struct dhcp6_client *client;
	struct in6_addr applied[DHCP6_MAX_ADDRS];	/* what the kernel has from us */
	unsigned int n_applied;
	char **nameservers;
	char **domains;
	char **timeservers;
	bool seen_ra;			/* the flags below are the last RA's */
	bool managed, other;
	bool want_prefix;		/* ask for a delegated prefix (IA_PD) */
	bool has_prefix;
	struct ipv6_prefix prefix;	/* delegated now, if has_prefix */
};

struct dhcp6_link *dhcp6_link_new(struct rtnl *rtnl, int ifindex, const char *ifname,
				  const uint8_t mac[6], const char *state_dir, const char *id,
				  void (*changed)(void *data), void *data)
{
	struct dhcp6_link *link = l_new(struct dhcp6_link, 1);

	link->rtnl = rtnl;
	link->ifindex = ifindex;
	link->ifname = l_strdup(ifname);
	memcpy(link->mac, mac, 6);
	link->state_dir = l_strdup(state_dir);
	link->id = l_strdup(id);
	link->changed = changed;
	link->data = data;
	return link;
}

static const char *ntop(const struct in6_addr *a, char text[static INET6_ADDRSTRLEN])
{
	return inet_ntop(AF_INET6, a, text, INET6_ADDRSTRLEN);
}

static void remove_address(struct dhcp6_link *link, unsigned int i)
{
	char text[INET6_ADDRSTRLEN];
	int err = rtnl_addr6_lease_del(link->rtnl, link->ifindex, &link->applied[i]);

	/* Gone already when it expired, or when IPv6 went off on the link. */
	if (err < 0 && err != -EADDRNOTAVAIL && err != -ENODEV)
		l_warn("%s: cannot remove %s: %s", link->ifname, ntop(&link->applied[i], text),
		       strerror(-err));
	link->applied[i] = link->applied[--link->n_applied];
}

static void remove_addresses(struct dhcp6_link *link)
{
	while (link->n_applied)
		remove_address(link, link->n_applied - 1);
}

static bool in_lease(const struct dhcp6_lease *lease, const struct in6_addr *a)
{
	for (unsigned int i = 0; i < lease->n_addrs; i++)
		if (IN6_ARE_ADDR_EQUAL(&lease->addrs[i].address, a))
			return true;
	return false;
}

static bool applied(const struct dhcp6_link *link, const struct in6_addr *a)
{
	for (unsigned int i = 0; i < link->n_applied; i++)
		if (IN6_ARE_ADDR_EQUAL(&link->applied[i], a))
			return true;
	return false;
}

static void log_address(const struct dhcp6_link *link, const struct dhcp6_address *a)
{
	char text[INET6_ADDRSTRLEN], pref[16] = "infinite", valid[16] = "infinite";

	if (a->preferred != DHCP6_INFINITY)
		snprintf(pref, sizeof(pref), "%us", a->preferred);
	if (a->valid != DHCP6_INFINITY)
		snprintf(valid, sizeof(valid), "%us", a->valid);
	l_info("%s: DHCPv6 address %s (preferred %s, valid %s)", link->ifname,
	       ntop(&a->address, text), pref, valid);
}

/* Adds or refreshes every leased address, removes those the lease lost. */
static void apply_addresses(struct dhcp6_link *link, const struct dhcp6_lease *lease)
{
	char text[INET6_ADDRSTRLEN];

	for (unsigned int i = link->n_applied; i-- > 0;)
		if (!in_lease(lease, &link->applied[i]))
			remove_address(link, i);
	for (unsigned int i = 0; i < lease->n_addrs; i++) {
		const struct dhcp6_address *a = &lease->addrs[i];
		bool known = applied(link, &a->address);
		int err = rtnl_addr6_lease_add(link->rtnl, link->ifindex, &a->address,
					       a->preferred, a->valid);

		if (err < 0) {
			l_warn("%s: cannot add DHCPv6 address %s: %s", link->ifname,
			       ntop(&a->address, text), strerror(-err));
			continue;
		}
		if (!known) {
			link->applied[link->n_applied++] = a->address;
			log_address(link, a);
		}
	}
}

static char **servers_strv(const struct dhcp6_link *link, const struct in6_addr *list,
			   unsigned int n)
{
	char **strv = NULL;
	char text[INET6_ADDRSTRLEN];

	for (unsigned int i = 0; i < n; i++) {
		char *s = IN6_IS_ADDR_LINKLOCAL(&list[i]) ?
			l_strdup_printf("%s%%%s", ntop(&list[i], text), link->ifname) :
			l_strdup(ntop(&list[i], text));

		strv = l_strv_append(strv, s);
		l_free(s);
	}
	return strv;
}

/* Returns true when a list changed. */
static bool take_options(struct dhcp6_link *link, const struct dhcp6_lease *lease)
{
	char **dns = lease ? servers_strv(link, lease->dns, lease->n_dns) : NULL;
	char **ntp = lease ? servers_strv(link, lease->ntp, lease->n_ntp) : NULL;
	char **domains = NULL;
	bool changed;

	for (unsigned int i = 0; lease && i < lease->n_domains; i++)
		domains = l_strv_append(domains, lease->domains[i]);
	changed = !l_strv_eq(dns, link->nameservers) || !l_strv_eq(ntp, link->timeservers) ||
		  !l_strv_eq(domains, link->domains);
	l_strv_free(link->nameservers);
	l_strv_free(link->timeservers);
	l_strv_free(link->domains);
	link->nameservers = dns;
	link->timeservers = ntp;
	link->domains = domains;
	return changed;
}

static void log_prefix(const struct dhcp6_link *link, const char *what,
		       const struct dhcp6_prefix *p)
{
	char text[INET6_ADDRSTRLEN], valid[16] = "infinite";

	if (p->valid != DHCP6_INFINITY)
		snprintf(valid, sizeof(valid), "%u s", p->valid);
	l_info("%s: %s prefix %s/%u, valid %s", link->ifname, what, ntop(&p->prefix, text),
	       p->len, valid);
}

static uint64_t until(uint64_t now, uint32_t seconds)
{
	return seconds == DHCP6_INFINITY ? UINT64_MAX : now + (uint64_t)seconds * L_USEC_PER_SEC;
}

/* What tethering reads: a new one, another one, or none any more is said
 * in the log; a renewal of the same one only in the debug log. Returns
 * true when it changed (lifetimes included). */
static bool take_prefix(struct dhcp6_link *link, const struct dhcp6_lease *lease)
{
	struct ipv6_prefix p = { 0 };
	bool had = link->has_prefix;
	uint64_t now = l_time_now();
	char text[INET6_ADDRSTRLEN];

	if (!lease || !lease->has_prefix) {
		if (had)
			l_info("%s: delegated prefix %s/%u lost", link->ifname,
			       ntop(&link->prefix.prefix, text), link->prefix.len);
		link->has_prefix = false;
		return had;
	}
	p.prefix = lease->prefix.prefix;
	p.len = lease->prefix.len;
	p.preferred_until = until(now, lease->prefix.preferred);
	p.valid_until = until(now, lease->prefix.valid);
	if (!had || p.len != link->prefix.len ||
	    !IN6_ARE_ADDR_EQUAL(&p.prefix, &link->prefix.prefix))
		log_prefix(link, "delegated", &lease->prefix);
	else
		l_debug("%s: delegated prefix renewed, valid %u s", link->ifname,
			lease->prefix.valid);
	link->has_prefix = true;
	link->prefix = p;
	return true;
}

static void client_event(struct dhcp6_client *client, enum dhcp6_event event,
			 const struct dhcp6_lease *lease, void *user_data)
{
	struct dhcp6_link *link = user_data;
	bool changed = false;
	int err;

	l_debug("%s: DHCPv6 %s, %u addresses", link->ifname, dhcp6_event_name(event),
		lease->n_addrs);
	switch (event) {
	case DHCP6_EVENT_BOUND:
		apply_addresses(link, lease);
		changed = take_options(link, lease);
		changed |= take_prefix(link, lease);
		if (lease->n_addrs || lease->has_prefix) {
			err = dhcp6_store_save_lease(link->state_dir, link->id, lease);
			if (err < 0)
				l_warn("%s: cannot keep the DHCPv6 lease: %s", link->ifname,
				       strerror(-err));
		}
		break;
	case DHCP6_EVENT_LOST:
		l_info("%s: DHCPv6 lease lost", link->ifname);
		remove_addresses(link);
		changed = take_options(link, NULL);
		changed |= take_prefix(link, NULL);
		dhcp6_store_forget_lease(link->state_dir, link->id);
		break;
	}
	if (changed && link->changed)
		link->changed(link->data);
}

static struct dhcp6_client *make_client(struct dhcp6_link *link)
{
	struct dhcp6_duid duid;
	/* Stable for the link, as the RFC wants: its MAC's last four octets. */
	uint32_t iaid = (uint32_t)link->mac[2] << 24 | (uint32_t)link->mac[3] << 16 |
			(uint32_t)link->mac[4] << 8 | link->mac[5];

	dhcp6_store_duid(link->state_dir, link->mac, &duid);
	return dhcp6_client_new(link->ifindex, link->ifname, &duid, iaid, client_event, link);
}

static const char *mode_text(enum dhcp6_mode mode, bool prefix)
{
	switch (mode) {
	case DHCP6_MODE_STATELESS:
		return "for options, as the router advertises";
	case DHCP6_MODE_STATEFUL:
		return prefix ? "for addresses, as the router advertises, and a delegated prefix" :
				"for addresses, as the router advertises";
	case DHCP6_MODE_PREFIX:
		return "for a delegated prefix";
	}
	return "?";
}

static void start_client(struct dhcp6_link *link, enum dhcp6_mode mode)
{
	struct dhcp6_lease previous;
	bool have = mode != DHCP6_MODE_STATELESS &&
		    dhcp6_store_load_lease(link->state_dir, link->id, &previous) > 0;
	int err;

	if (!link->client)
		link->client = make_client(link);
	if (link->client)
		dhcp6_client_want_prefix(link->client, link->want_prefix);
	err = link->client ? dhcp6_client_start(link->client, mode, have ? &previous : NULL) :
			     -ENOMEM;
	if (err < 0) {
		l_warn("%s: cannot start DHCPv6: %s", link->ifname, strerror(-err));
		return;
	}
	l_info("%s: DHCPv6 %s%s", link->ifname, mode_text(mode, link->want_prefix),
	       !have ? "" : mode == DHCP6_MODE_STATEFUL && !link->want_prefix ?
	       "; confirming the kept lease" : "; rebinding the kept lease");
}

/* Everything DHCPv6 held goes from the link and the store. */
static void forget_lease(struct dhcp6_link *link)
{
	bool changed;

	remove_addresses(link);
	dhcp6_store_forget_lease(link->state_dir, link->id);
	changed = take_options(link, NULL);
	changed |= take_prefix(link, NULL);
	if (changed && link->changed)
		link->changed(link->data);
}

/* The mode the last RA and the wish for a prefix call for: addresses with
 * the M flag; otherwise a prefix alone if wanted (a requesting router may
 * ask without the M flag, RFC 8415 6.3); otherwise options with the O flag.
 * Returns false for none. */
static bool wanted_mode(const struct dhcp6_link *link, enum dhcp6_mode *mode)
{
	if (link->managed)
		*mode = DHCP6_MODE_STATEFUL;
	else if (link->want_prefix)
		*mode = DHCP6_MODE_PREFIX;
	else if (link->other)
		*mode = DHCP6_MODE_STATELESS;
	else
		return false;
	return true;
}

static void update_client(struct dhcp6_link *link)
{
	enum dhcp6_mode mode, now;
	bool want = link->seen_ra && wanted_mode(link, &mode);

	if (!dhcp6_client_running(link->client)) {
		if (want)
			start_client(link, mode);
		return;
	}
	now = dhcp6_client_mode(link->client);
	/* A network that turns M on gets a stateful client; one that turns
	 * it off keeps what it has until the lease runs out. */
	if (want && mode == DHCP6_MODE_STATEFUL && now != mode) {
		if (dhcp6_client_go_stateful(link->client) == 0)
			l_info("%s: DHCPv6 for addresses now, as the router advertises",
			       link->ifname);
	} else if (now == DHCP6_MODE_PREFIX && !link->want_prefix) {
		/* The prefix was all it asked for: released, then options
		 * alone if the router says so. */
		dhcp6_client_stop(link->client, true);
		forget_lease(link);
		if (want)
			start_client(link, mode);
		return;
	} else if (now == DHCP6_MODE_STATELESS && want && mode == DHCP6_MODE_PREFIX) {
		dhcp6_client_stop(link->client, false);
		start_client(link, mode);
		return;
	}
	dhcp6_client_want_prefix(link->client, link->want_prefix);
}

static void ra_received(const struct ra_info *info, void *user_data)
{
	struct dhcp6_link *link = user_data;

	link->seen_ra = true;
	link->managed = info->managed;
	link->other = info->other;
	update_client(link);
}

void dhcp6_link_want_prefix(struct dhcp6_link *link, bool want)
{
	if (link->want_prefix == want)
		return;
	link->want_prefix = want;
	if (link->ra)
		update_client(link);
}

const struct ipv6_prefix *dhcp6_link_delegated_prefix(const struct dhcp6_link *link)
{
	return link->has_prefix ? &link->prefix : NULL;
}

void dhcp6_link_dad_failed(struct dhcp6_link *link, const struct in6_addr *address)
{
	/* The client reports the shorter lease at once, which takes the
	 * address off the link (the kernel did already, for a leased one). */
	if (link->client && applied(link, address))
		dhcp6_client_decline(link->client, address);
}

int dhcp6_link_start(struct dhcp6_link *link)
{
	int err = 0;

	if (link->ra)
		return 0;
	link->ra = ra_watch_new(link->ifindex, link->ifname, ra_received, link, &err);
	return link->ra ? 0 : err;
}

void dhcp6_link_stop(struct dhcp6_link *link, bool release)
{
	bool changed;

	ra_watch_free(link->ra);
	link->ra = NULL;
	link->seen_ra = link->managed = link->other = false;
	if (link->client) {
		dhcp6_client_stop(link->client, release);
		dhcp6_client_free(link->client);
		link->client = NULL;
	}
	remove_addresses(link);
	if (release)
		dhcp6_store_forget_lease(link->state_dir, link->id);
	/* Not "|=" of both in one expression: each must run. */
	changed = take_options(link, NULL);
	changed |= take_prefix(link, NULL);
	if (changed && link->changed)
		link->changed(link->data);
}

void dhcp6_link_free(struct dhcp6_link *link)
{
	if (!link)
		return;
	link->changed = NULL;
	dhcp6_link_stop(link, false);
	l_free(link->ifname);
	l_free(link->state_dir);
	l_free(link->id);
	l_free(link);
}

char **dhcp6_link_nameservers(const struct dhcp6_link *link)
{
	return link->nameservers;
}

char **dhcp6_link_domains(const struct dhcp6_link *link)
{
	return link->domains;
}

char **dhcp6_link_timeservers(const struct dhcp6_link *link)
{
	return link->timeservers;
}
