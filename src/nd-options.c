#include <errno.h>
#include <string.h>

#include "nd-options.h"

static uint32_t get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* RDNSS: 2 reserved octets, lifetime, then 16 octets per address. */
static int parse_rdnss(const uint8_t *opt, size_t len, struct nd_dns_info *info)
{
	uint32_t lifetime;

	if (len < 24 || (len - 8) % 16)
		return -EBADMSG;
	lifetime = get_u32(opt + 4);
	for (size_t off = 8; off < len && info->n_servers < ND_MAX_SERVERS; off += 16) {
		memcpy(&info->servers[info->n_servers], opt + off, 16);
		info->server_lifetime[info->n_servers++] = lifetime;
	}
	return 0;
}

/* One name in DNS wire format (no compression) into dotted text. Returns
 * octets used, 0 for the padding that ends the list, or -EBADMSG. */
static int parse_name(const uint8_t *p, size_t len, char *out, size_t out_size)
{
	size_t at = 0, used = 0;

	if (len && p[0] == 0)
		return 0;
	while (used < len) {
		uint8_t label = p[used++];

		if (label == 0) {
			if (at == 0)
				return -EBADMSG;
			out[at - 1] = '\0';	/* drop the last dot */
			return (int)used;
		}
		if (label > 63 || used + label > len || at + label + 1 >= out_size)
			return -EBADMSG;
		for (unsigned int i = 0; i < label; i++) {
			char c = (char)p[used + i];

			/* Only what a search domain may hold: resolv.conf is written from it. */
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			      (c >= '0' && c <= '9') || c == '-' || c == '_'))
				return -EBADMSG;
			out[at++] = c;
		}
		out[at++] = '.';
		used += label;
	}
	return -EBADMSG;
}

/* DNSSL: 2 reserved octets, lifetime, then names padded with zeros. */
static int parse_dnssl(const uint8_t *opt, size_t len, struct nd_dns_info *info)
{
	uint32_t lifetime;
	size_t off = 8;

	if (len < 16)
		return -EBADMSG;
	lifetime = get_u32(opt + 4);
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
	return 0;
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
		if (err < 0)
			return err;
		off += opt_len;
	}
	return off == len ? 0 : -EBADMSG;
}
