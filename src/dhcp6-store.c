#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <ell/ell.h>

#include "dhcp6-store.h"
#include "storage.h"

#define GROUP "DHCPv6"
#define DUID_FILE "dhcp6-duid"

static int duid_from_hex(const char *hex, struct dhcp6_duid *duid)
{
	size_t len = 0;
	unsigned char *bytes = hex ? l_util_from_hexstring(hex, &len) : NULL;
	int err = bytes && len >= 3 && len <= DHCP6_DUID_MAX ? 0 : -EINVAL;

	if (!err) {
		duid->len = len;
		memcpy(duid->data, bytes, len);
	}
	l_free(bytes);
	return err;
}

int dhcp6_store_duid(const char *state_dir, const uint8_t mac[6], struct dhcp6_duid *duid)
{
	struct l_settings *s = storage_load(state_dir, DUID_FILE);
	char *hex = s ? l_settings_get_string(s, GROUP, "DUID") : NULL;
	int err = duid_from_hex(hex, duid);

	l_free(hex);
	l_settings_free(s);
	if (!err)
		return 1;
	dhcp6_duid_from_mac(duid, mac);
	s = l_settings_new();
	hex = l_util_hexstring(duid->data, duid->len);
	l_settings_set_string(s, GROUP, "DUID", hex);
	err = storage_save(state_dir, DUID_FILE, s);
	if (err < 0)
		l_warn("%s/%s: cannot save: %s", state_dir, DUID_FILE, strerror(-err));
	l_free(hex);
	l_settings_free(s);
	return 0;
}

static char **addrs_strv(const struct in6_addr *list, unsigned int n)
{
	char **strv = l_new(char *, n + 1);
	char text[INET6_ADDRSTRLEN];

	for (unsigned int i = 0; i < n; i++)
		strv[i] = l_strdup(inet_ntop(AF_INET6, &list[i], text, sizeof(text)));
	return strv;
}

void dhcp6_lease_to_settings(const struct dhcp6_lease *lease, uint64_t saved_at,
			     struct l_settings *s)
{
	char *hex = l_util_hexstring(lease->server_id.data, lease->server_id.len);
	char **list;
	char text[INET6_ADDRSTRLEN], key[24];

	l_settings_set_uint64(s, GROUP, "SavedAt", saved_at);
	l_settings_set_string(s, GROUP, "ServerID", hex);
	l_free(hex);
	l_settings_set_uint(s, GROUP, "T1", lease->t1);
	l_settings_set_uint(s, GROUP, "T2", lease->t2);
	for (unsigned int i = 0; i < lease->n_addrs; i++) {
		char *value = l_strdup_printf("%s,%u,%u",
			inet_ntop(AF_INET6, &lease->addrs[i].address, text, sizeof(text)),
			lease->addrs[i].preferred, lease->addrs[i].valid);

		snprintf(key, sizeof(key), "Address%u", i);
		l_settings_set_string(s, GROUP, key, value);
		l_free(value);
	}
	if (lease->has_prefix) {
		char *value = l_strdup_printf("%s/%u,%u,%u",
			inet_ntop(AF_INET6, &lease->prefix.prefix, text, sizeof(text)),
			lease->prefix.len, lease->prefix.preferred, lease->prefix.valid);

		l_settings_set_string(s, GROUP, "Prefix", value);
		l_free(value);
	}
	list = addrs_strv(lease->dns, lease->n_dns);
	l_settings_set_string_list(s, GROUP, "Nameservers", list, ',');
	l_strv_free(list);
	list = addrs_strv(lease->ntp, lease->n_ntp);
	l_settings_set_string_list(s, GROUP, "Timeservers", list, ',');
	l_strv_free(list);
	list = l_new(char *, lease->n_domains + 1);
	for (unsigned int i = 0; i < lease->n_domains; i++)
		list[i] = l_strdup(lease->domains[i]);
	l_settings_set_string_list(s, GROUP, "Domains", list, ',');
	l_strv_free(list);
}

/* Seconds left of a lifetime after elapsed; infinity stays. */
static uint32_t less(uint32_t seconds, uint64_t elapsed)
{
	if (seconds == DHCP6_INFINITY)
		return seconds;
	return seconds > elapsed ? (uint32_t)(seconds - elapsed) : 0;
}

static int parse_u32(const char *text, uint32_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno || end == text || *end || v > UINT32_MAX)
		return -EINVAL;
	*out = v;
	return 0;
}

/* "ADDRESS,PREFERRED,VALID" */
static int parse_address(const char *value, struct dhcp6_address *a)
{
	char **parts = l_strsplit(value, ',');
	int err = -EINVAL;

	if (parts && l_strv_length(parts) == 3 && inet_pton(AF_INET6, parts[0], &a->address) == 1 &&
	    !parse_u32(parts[1], &a->preferred) && !parse_u32(parts[2], &a->valid) &&
	    a->preferred <= a->valid)
		err = 0;
	l_strv_free(parts);
	return err;
}

static bool host_bits_zero(const struct in6_addr *a, uint32_t len)
{
	for (uint32_t bit = len; bit < 128; bit++)
		if (a->s6_addr[bit / 8] & (0x80 >> (bit % 8)))
			return false;
	return true;
}

/* "PREFIX/LEN,PREFERRED,VALID", as the codec lets in: 1..64 bits, host
 * bits zero. */
static int parse_prefix(const char *value, struct dhcp6_prefix *p)
{
	char **parts = l_strsplit(value, ',');
	char **net = parts && l_strv_length(parts) == 3 ? l_strsplit(parts[0], '/') : NULL;
	uint32_t len;
	int err = -EINVAL;

	if (net && l_strv_length(net) == 2 && inet_pton(AF_INET6, net[0], &p->prefix) == 1 &&
	    !parse_u32(net[1], &len) && len >= 1 && len <= 64 &&
	    host_bits_zero(&p->prefix, len) && !IN6_IS_ADDR_UNSPECIFIED(&p->prefix) &&
	    !parse_u32(parts[1], &p->preferred) && !parse_u32(parts[2], &p->valid) &&
	    p->preferred <= p->valid) {
		p->len = len;
		err = 0;
	}
	l_strv_free(net);
	l_strv_free(parts);
	return err;
}

/* The delegated prefix, if the lease has one still valid. */
static int parse_lease_prefix(const struct l_settings *s, uint64_t elapsed,
			      struct dhcp6_lease *lease)
{
	char *value = l_settings_get_string(s, GROUP, "Prefix");
	int err = value ? parse_prefix(value, &lease->prefix) : 0;

	l_free(value);
	if (!value || err < 0)
		return err;
	lease->prefix.preferred = less(lease->prefix.preferred, elapsed);
	lease->prefix.valid = less(lease->prefix.valid, elapsed);
	lease->has_prefix = lease->prefix.valid > 0;
	return 0;
}

static int parse_servers(const struct l_settings *s, const char *key, struct in6_addr *list,
			 unsigned int *n)
{
	char **strv = l_settings_get_string_list(s, GROUP, key, ',');
	int err = 0;

	*n = 0;
	for (char **p = strv; p && *p && !err; p++) {
		if (*n == DHCP6_MAX_SERVERS || inet_pton(AF_INET6, *p, &list[*n]) != 1)
			err = -EINVAL;
		else
			(*n)++;
	}
	l_strv_free(strv);
	return err;
}

static int parse_domains(const struct l_settings *s, struct dhcp6_lease *lease)
{
	char **strv = l_settings_get_string_list(s, GROUP, "Domains", ',');
	int err = 0;

	lease->n_domains = 0;
	for (char **p = strv; p && *p && !err; p++) {
		/* Only what may go into resolv.conf, as the codec let in. */
		if (lease->n_domains == DHCP6_MAX_DOMAINS || !**p || strlen(*p) >= 254 ||
		    strspn(*p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") !=
		    strlen(*p))
			err = -EINVAL;
		else
			l_strlcpy(lease->domains[lease->n_domains++], *p, 254);
	}
	l_strv_free(strv);
	return err;
}

static int parse_addresses(const struct l_settings *s, uint64_t elapsed,
			   struct dhcp6_lease *lease)
{
	char key[24];

	lease->n_addrs = 0;
	for (unsigned int i = 0; i < DHCP6_MAX_ADDRS; i++) {
		struct dhcp6_address a;
		char *value;
		int err;

		snprintf(key, sizeof(key), "Address%u", i);
		value = l_settings_get_string(s, GROUP, key);
		if (!value)
			break;
		err = parse_address(value, &a);
		l_free(value);
		if (err < 0)
			return err;
		a.preferred = less(a.preferred, elapsed);
		a.valid = less(a.valid, elapsed);
		if (a.valid)
			lease->addrs[lease->n_addrs++] = a;
	}
	return 0;
}

int dhcp6_lease_from_settings(const struct l_settings *s, uint64_t now,
			      struct dhcp6_lease *lease)
{
	struct dhcp6_lease read;
	uint64_t saved_at, elapsed;
	uint32_t t1, t2;
	char *hex;
	int err;

	memset(&read, 0, sizeof(read));
	if (!l_settings_get_uint64(s, GROUP, "SavedAt", &saved_at) ||
	    !l_settings_get_uint(s, GROUP, "T1", &t1) || !l_settings_get_uint(s, GROUP, "T2", &t2))
		return -EINVAL;
	elapsed = now > saved_at ? now - saved_at : 0;
	hex = l_settings_get_string(s, GROUP, "ServerID");
	err = duid_from_hex(hex, &read.server_id);
	l_free(hex);
	if (!err)
		err = parse_addresses(s, elapsed, &read);
	if (!err)
		err = parse_lease_prefix(s, elapsed, &read);
	if (!err)
		err = parse_servers(s, "Nameservers", read.dns, &read.n_dns);
	if (!err)
		err = parse_servers(s, "Timeservers", read.ntp, &read.n_ntp);
	if (!err)
		err = parse_domains(s, &read);
	if (err < 0)
		return err;
	read.t1 = less(t1, elapsed);
	read.t2 = less(t2, elapsed);
	*lease = read;
	return read.n_addrs + read.has_prefix;
}

static char *lease_file(const char *id)
{
	return l_strdup_printf("%s/dhcp6-lease", id);
}

int dhcp6_store_save_lease(const char *state_dir, const char *id, const struct dhcp6_lease *lease)
{
	struct l_settings *s = l_settings_new();
	char *name = lease_file(id);
	int err;

	dhcp6_lease_to_settings(lease, time(NULL), s);
	err = storage_save(state_dir, name, s);
	l_settings_free(s);
	l_free(name);
	return err;
}

int dhcp6_store_load_lease(const char *state_dir, const char *id, struct dhcp6_lease *lease)
{
	char *name = lease_file(id);
	struct l_settings *s = storage_load(state_dir, name);
	int err = s ? dhcp6_lease_from_settings(s, time(NULL), lease) : -ENOENT;

	if (err == -EINVAL)
		l_warn("%s/%s: malformed; DHCPv6 starts afresh", state_dir, name);
	l_settings_free(s);
	l_free(name);
	return err;
}

void dhcp6_store_forget_lease(const char *state_dir, const char *id)
{
	char *name = lease_file(id);

	storage_remove(state_dir, name);
	l_free(name);
}
