#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ell/ell.h>

#include "ini.h"
#include "names.h"
#include "provision.h"

struct reader {
	struct provision ***list;
	unsigned int added;
};

void provision_free(struct provision *p)
{
	if (!p)
		return;
	l_free(p->file);
	l_free(p->name);
	l_free(p->device_name);
	l_strv_free(p->nameservers);
	l_strv_free(p->search_domains);
	l_strv_free(p->timeservers);
	provision_wifi_clear(&p->wifi);
	l_free(p);
}

void provision_list_free(struct provision **list)
{
	for (struct provision **p = list; p && *p; p++)
		provision_free(*p);
	l_free(list);
}

static void append(struct reader *r, struct provision *p)
{
	unsigned int n = 0;

	while (*r->list && (*r->list)[n])
		n++;
	*r->list = l_realloc(*r->list, (n + 2) * sizeof(**r->list));
	(*r->list)[n] = p;
	(*r->list)[n + 1] = NULL;
	r->added++;
}

/* A group ends: kept if it is a whole, valid entry of a known Type. */
static void end_group(struct ini_objects *in, void *object, bool dropped, unsigned int line)
{
	struct reader *r = ini_state(in);
	struct provision *p = object;
	char why[160];

	if (dropped)
		ini_warn(in, line, "[%s] ignored", p->name);
	else if (p->type == PROVISION_NONE)
		ini_warn(in, line, "[%s]: no Type (ethernet or wifi); ignored", p->name);
	else if (p->type == PROVISION_ETHERNET && !p->has_mac && !p->device_name)
		ini_warn(in, line, "[%s]: names neither MAC nor DeviceName; ignored", p->name);
	else if (p->type == PROVISION_WIFI && provision_wifi_finish(&p->wifi, why, sizeof(why)) < 0)
		ini_warn(in, line, "[%s]: %s; ignored", p->name, why);
	else {
		append(r, p);
		return;
	}
	provision_free(p);
}

static int parse_mac(const char *text, uint8_t mac[6])
{
	unsigned int b[6];
	char end;

	if (sscanf(text, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
		   &end) != 6 || strlen(text) != 17)
		return -EINVAL;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	return 0;
}

/* "off", "dhcp", or "ADDR/NETMASK[/GATEWAY]" (NETMASK dotted or a length). */
static int parse_ipv4(const char *text, struct ipv4_settings *out, char *why, size_t why_len)
{
	char **parts;
	unsigned int n;
	int err = 0;

	memset(out, 0, sizeof(*out));
	if (!strcmp(text, "off") || !strcmp(text, "dhcp")) {
		out->method = text[0] == 'o' ? IPV4_METHOD_OFF : IPV4_METHOD_DHCP;
		return 0;
	}
	parts = l_strsplit(text, '/');
	n = l_strv_length(parts);
	out->method = IPV4_METHOD_MANUAL;
	if (n < 2 || n > 3 || ipv4_parse_address(parts[0], &out->address) < 0 ||
	    ipv4_parse_netmask(parts[1], &out->prefix_len) < 0 ||
	    (n == 3 && ipv4_parse_address(parts[2], &out->gateway) < 0)) {
		snprintf(why, why_len, "IPv4 must be off, dhcp or ADDRESS/NETMASK[/GATEWAY]");
		err = -EINVAL;
	} else {
		err = ipv4_settings_validate(out, why, why_len);
	}
	l_strv_free(parts);
	return err;
}

static int parse_prefix_len(const char *text, uint8_t *len)
{
	char *end;
	unsigned long n;

	if (text[0] < '0' || text[0] > '9')	/* no sign, no space, not empty */
		return -EINVAL;
	n = strtoul(text, &end, 10);
	if (*end || n > 128)
		return -EINVAL;
	*len = (uint8_t)n;
	return 0;
}

/* "off", "auto", or "ADDR/PREFIXLEN[/GATEWAY]" as ConnMan reads them; the
 * manual form passes the same checks as IPv6.Configuration over D-Bus.
 * Privacy is a key of its own and is left as it is. */
static int parse_ipv6(const char *text, struct ipv6_settings *out, char *why, size_t why_len)
{
	struct ipv6_settings s = { .privacy = out->privacy };
	char **parts;
	unsigned int n;
	int err;

	if (!strcmp(text, "off") || !strcmp(text, "auto")) {
		s.method = text[0] == 'o' ? IPV6_METHOD_OFF : IPV6_METHOD_AUTO;
		*out = s;
		return 0;
	}
	parts = l_strsplit(text, '/');
	n = l_strv_length(parts);
	s.method = IPV6_METHOD_MANUAL;
	if (n < 2 || n > 3 || ipv6_parse_address(parts[0], &s.address) < 0 ||
	    parse_prefix_len(parts[1], &s.prefix_len) < 0 ||
	    (n == 3 && ipv6_parse_address(parts[2], &s.gateway) < 0)) {
		snprintf(why, why_len, "IPv6 must be off, auto or ADDRESS/PREFIXLEN[/GATEWAY]");
		err = -EINVAL;
	} else {
		err = ipv6_settings_validate(&s, why, why_len);
	}
	l_strv_free(parts);
	if (!err)
		*out = s;
	return err;
}

/* A comma-separated list whose every entry passes `valid`. */
static char **parse_list(const char *text, bool (*valid)(const char *))
{
	char **parts = l_strsplit(text, ','), **clean = l_new(char *, 1);

	for (char **p = parts; *p; p++) {
		const char *start = *p + strspn(*p, " \t");
		size_t n = strlen(start);
		char *item;

		while (n && (start[n - 1] == ' ' || start[n - 1] == '\t'))
			n--;
		item = l_strndup(start, n);
		if (*item && !valid(item)) {
			l_free(item);
			l_strv_free(parts);
			l_strv_free(clean);
			return NULL;
		}
		if (*item)
			clean = l_strv_append(clean, item);
		l_free(item);
	}
	l_strv_free(parts);
	return clean;
}


static int set_list(char ***field, const char *value, bool (*valid)(const char *))
{
	char **list = parse_list(value, valid);

	if (!list)
		return -EINVAL;
	l_strv_free(*field);
	*field = list;
	return 0;
}

static int set_ipv6_key(struct ini_objects *in, struct provision *p, const char *key,
			const char *value, unsigned int line)
{
	char why[160];

	if (!strcmp(key, "IPv6.Privacy")) {
		if (ipv6_privacy_parse(value, &p->ipv6.privacy) == 0)
			return 0;
		ini_warn(in, line, "IPv6.Privacy must be disabled, enabled or preferred");
		return -EINVAL;
	}
	if (parse_ipv6(value, &p->ipv6, why, sizeof(why)) == 0)
		return 0;
	ini_warn(in, line, "%s", why);
	return -EINVAL;
}

static int set_key(struct ini_objects *in, void *object, const char *key, const char *value,
		   unsigned int line)
{
	struct provision *p = object;
	char why[160];

	if (!strcmp(key, "Type")) {
		p->type = !strcmp(value, "ethernet") ? PROVISION_ETHERNET :
			  !strcmp(value, "wifi") ? PROVISION_WIFI : PROVISION_NONE;
		if (p->type == PROVISION_NONE)
			ini_warn(in, line, "Type %s is not supported (ethernet or wifi)", value);
		return p->type == PROVISION_NONE ? -EINVAL : 0;
	}
	if (!strcmp(key, "MAC")) {
		p->has_mac = parse_mac(value, p->mac) == 0;
		if (!p->has_mac)
			ini_warn(in, line, "MAC '%s' is not a hardware address", value);
		return p->has_mac ? 0 : -EINVAL;
	}
	if (!strcmp(key, "DeviceName")) {
		l_free(p->device_name);
		p->device_name = l_strdup(value);
		return 0;
	}
	if (!strcmp(key, "IPv4")) {
		if (parse_ipv4(value, &p->ipv4, why, sizeof(why)) < 0) {
			ini_warn(in, line, "%s", why);
			return -EINVAL;
		}
		p->has_ipv4 = true;
		return 0;
	}
	if (!strcmp(key, "IPv6") || !strcmp(key, "IPv6.Privacy"))
		return set_ipv6_key(in, p, key, value, line);
	if (!strcmp(key, "Nameservers") || !strcmp(key, "Timeservers") ||
	    !strcmp(key, "SearchDomains")) {
		char ***field = key[0] == 'N' ? &p->nameservers :
				key[0] == 'T' ? &p->timeservers : &p->search_domains;
		bool (*valid)(const char *) = key[0] == 'N' ? name_is_ip_address :
					      key[0] == 'T' ? name_is_timeserver : name_is_domain;

		if (set_list(field, value, valid) < 0) {
			ini_warn(in, line, "%s has an invalid entry", key);
			return -EINVAL;
		}
		return 0;
	}
	if (provision_wifi_key(&p->wifi, key, value))
		return 0;
	if (strcmp(key, "Description") && strcmp(key, "Domain") && strcmp(key, "mDNS"))
		ini_warn(in, line, "unknown key %s; ignored", key);
	return 0;
}

static void *begin_group(struct ini_objects *in, const char *group, unsigned int line)
{
	struct provision *p = l_new(struct provision, 1);

	p->file = l_strdup(ini_file(in));
	p->name = l_strdup(group);
	return p;
}

static const struct ini_object_ops ops = {
	.prefix = "service_",
	.quiet_group = "global",
	.begin = begin_group,
	.key = set_key,
	.end = end_group,
};

unsigned int provision_parse(const char *file, const char *text, size_t len,
			     struct provision ***list, provision_warn_fn warn_fn, void *data)
{
	struct reader r = { .list = list };

	ini_parse_objects(file, text, len, &ops, &r, warn_fn, data);
	return r.added;
}

/* MAC and DeviceName, each when the entry names it. */
static bool on_link(const struct provision *p, const uint8_t mac[6], const char *ifname)
{
	if (p->has_mac && (!mac || memcmp(p->mac, mac, 6)))
		return false;
	return !p->device_name || (ifname && !strcmp(p->device_name, ifname));
}

const struct provision *provision_find(struct provision *const *list, const uint8_t mac[6],
				       const char *ifname)
{
	for (struct provision *const *p = list; p && *p; p++) {
		if ((*p)->type != PROVISION_ETHERNET || !on_link(*p, mac, ifname))
			continue;
		return *p;
	}
	return NULL;
}

const struct provision *provision_find_wifi(struct provision *const *list, const char *id,
					    const uint8_t mac[6], const char *ifname)
{
	for (struct provision *const *p = list; p && *p; p++) {
		if ((*p)->type != PROVISION_WIFI || !on_link(*p, mac, ifname) ||
		    !provision_wifi_matches(&(*p)->wifi, id))
			continue;
		return *p;
	}
	return NULL;
}
