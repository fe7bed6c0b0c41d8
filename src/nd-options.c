#include <errno.h>
#include <string.h>

#include "dns-name.h"
#include "nd-options.h"
#include "wire.h"

/* RDNSS: 2 reserved octets, lifetime, then 16 octets per address. */
static int parse_rdnss(const uint8_t *opt, size_t len, struct nd_dns_info *info)
{
	uint32_t lifetime;
	size_t off;

	if (len < 24 || (len - 8) % 16)
		return -EBADMSG;
	lifetime = get_be32(opt + 4);
	for (off = 8; off < len && info->n_servers < ND_MAX_SERVERS; off += 16) {
		memcpy(&info->servers[info->n_servers], opt + off, 16);
		info->server_lifetime[info->n_servers++] = lifetime;
	}
	if (off < len)
		info->truncated = true;
	return 0;
}

/* One name in DNS wire form (uncompressed, RFC 8106) into dotted text.
 * Returns octets used, 0 for the padding that ends the list, or -EBADMSG. */
static int parse_name(const uint8_t *p, size_t len, char *out, size_t out_size)
{
	uint8_t name[DNS_NAME_MAX];
	size_t used = 0;

	if (len && p[0] == 0)
		return 0;
	/* Only what a search domain may hold: resolv.conf is written from it. */
	if (dns_name_read(p, len, &used, 0, name) < 0 || !dns_name_is_hostname(name) ||
	    dns_name_to_text(name, out, out_size) < 0)
		return -EBADMSG;
	return (int)used;
}

/* DNSSL: 2 reserved octets, lifetime, then names padded with zeros. */
static int parse_dnssl(const uint8_t *opt, size_t len, struct nd_dns_info *info)
{
	uint32_t lifetime;
	size_t off = 8;

	if (len < 16)
		return -EBADMSG;
	lifetime = get_be32(opt + 4);
	while (off < len && info->n_domains < ND_MAX_DOMAINS) {
		char *name = info->domains[info->n_domains];
		int used = parse_name(opt + off, len - off, name, sizeof(info->domains[0]));

		if (used < 0)
			return used;
		if (used == 0)
			break;
		info->domain_lifetime[info->n_domains++] = lifetime;
		off += used;
	}
	if (off < len && opt[off])
		info->truncated = true;
	return 0;
}

/* Captive Portal: the URI right after type and length, padded with NULs to
 * the option's end. A URI that cannot be one (controls, spaces, a NUL
 * inside) or does not fit is dropped, the option still well formed. */
static void parse_captive_portal(const uint8_t *opt, size_t len, struct nd_dns_info *info)
{
	size_t n = len - 2;

	while (n && opt[2 + n - 1] == 0)
		n--;
	info->captive_portal[0] = '\0';
	if (n == 0 || n >= sizeof(info->captive_portal))
		return;
	for (size_t i = 0; i < n; i++)
		if (opt[2 + i] <= ' ' || opt[2 + i] > '~')
			return;
	memcpy(info->captive_portal, opt + 2, n);
	info->captive_portal[n] = '\0';
}

int nd_parse_dns_options(const uint8_t *data, size_t len, struct nd_dns_info *info)
{
	size_t off = 0;

	while (off + 2 <= len) {
		size_t opt_len = (size_t)data[off + 1] * 8;
		int err = 0;

		if (opt_len == 0 || off + opt_len > len)
			return -EBADMSG;
		if (data[off] == ND_OPT_RDNSS)
			err = parse_rdnss(data + off, opt_len, info);
		else if (data[off] == ND_OPT_DNSSL)
			err = parse_dnssl(data + off, opt_len, info);
		else if (data[off] == ND_OPT_CAPTIVE_PORTAL)
			parse_captive_portal(data + off, opt_len, info);
		if (err < 0)
			return err;
		off += opt_len;
	}
	return off == len ? 0 : -EBADMSG;
}
