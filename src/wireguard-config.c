#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <ell/ell.h>

#include "wireguard-config.h"

#define PREFIX "WireGuard."

static const char *const known_keys[] = {
	"Address", "ListenPort", "DNS", "PrivateKey", "PresharedKey", "PublicKey",
	"AllowedIPs", "EndpointPort", "PersistentKeepalive", NULL
};

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* 32 bytes are 43 significant characters and one '='; the last one's two
 * low bits carry nothing and must be zero (the one canonical spelling). */
int wg_key_parse(const char *text, uint8_t key[WG_KEY_BYTES])
{
	uint8_t out[WG_KEY_BYTES + 1];
	uint32_t acc = 0;
	unsigned int bits = 0, n = 0;

	if (!text || strlen(text) != 44 || text[43] != '=')
		return -EINVAL;
	for (unsigned int i = 0; i < 43; i++) {
		int v = b64_value(text[i]);

		if (v < 0)
			return -EINVAL;
		acc = (acc << 6) | v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = acc >> bits;
		}
	}
	if (n != WG_KEY_BYTES || (acc & ((1u << bits) - 1)))
		return -EINVAL;
	memcpy(key, out, WG_KEY_BYTES);
	explicit_bzero(out, sizeof(out));
	return 0;
}

static const char *short_name(const char *key)
{
	return strncmp(key, PREFIX, strlen(PREFIX)) ? NULL : key + strlen(PREFIX);
}

bool wg_key_known(const char *key)
{
	const char *name = short_name(key);

	return name && l_strv_contains((char **)known_keys, name);
}

bool wg_key_secret(const char *key)
{
	const char *name = short_name(key);

	return name && (!strcmp(name, "PrivateKey") || !strcmp(name, "PresharedKey"));
}

/* A decimal in [min, max], nothing else. */
static int parse_number(const char *text, unsigned long min, unsigned long max,
			unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!text || !*text || strlen(text) > 5 || *text < '0' || *text > '9')
		return -EINVAL;
	v = strtoul(text, &end, 10);
	if (*end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* ADDR or ADDR/PREFIX of either family. */
static int parse_prefix(const char *text, uint16_t *family, uint8_t addr[16], uint8_t *len,
			bool need_prefix)
{
	const char *slash = strchr(text, '/');
	char buf[INET6_ADDRSTRLEN];
	size_t alen = slash ? (size_t)(slash - text) : strlen(text);
	unsigned long l;

	if (!alen || alen >= sizeof(buf) || (need_prefix && !slash))
		return -EINVAL;
	memcpy(buf, text, alen);
	buf[alen] = '\0';
	memset(addr, 0, 16);
	*family = strchr(buf, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(*family, buf, addr) != 1)
		return -EINVAL;
	if (!slash) {
		*len = *family == AF_INET ? 32 : 128;
		return 0;
	}
	if (parse_number(slash + 1, 0, *family == AF_INET ? 32 : 128, &l) < 0)
		return -EINVAL;
	*len = l;
	return 0;
}

static void mask(uint8_t addr[16], uint16_t family, uint8_t len)
{
	for (unsigned int bit = len; bit < (family == AF_INET ? 32u : 128u); bit++)
		addr[bit / 8] &= ~(0x80 >> (bit % 8));
}

typedef int (*item_fn)(const char *item, struct wg_config *cfg);

/* Items separated by commas and/or spaces; an empty list is invalid. */
static int parse_list(const char *text, item_fn fn, struct wg_config *cfg)
{
	char *copy = l_strdup(text), *save = NULL;
	int n = 0, err = 0;

	for (char *item = strtok_r(copy, ", ", &save); item && !err;
	     item = strtok_r(NULL, ", ", &save), n++)
		err = fn(item, cfg);
	l_free(copy);
	return err < 0 ? err : n ? 0 : -EINVAL;
}

static int address_item(const char *item, struct wg_config *cfg)
{
	uint16_t family;
	uint8_t addr[16], len;

	if (parse_prefix(item, &family, addr, &len, false) < 0)
		return -EINVAL;
	if (family == AF_INET) {
		if (cfg->address || !memcmp(addr, "\0\0\0\0", 4) || len == 0)
			return -EINVAL;
		memcpy(&cfg->address, addr, 4);
		cfg->prefix_len = len;
		return 0;
	}
	if (!IN6_IS_ADDR_UNSPECIFIED(&cfg->address6) ||
	    IN6_IS_ADDR_UNSPECIFIED((struct in6_addr *)addr) || len == 0)
		return -EINVAL;
	memcpy(&cfg->address6, addr, 16);
	cfg->prefix_len6 = len;
	return 0;
}

static int allowed_item(const char *item, struct wg_config *cfg)
{
	struct wg_allowed_ip *a = &cfg->allowed[cfg->n_allowed];

	if (cfg->n_allowed >= WG_MAX_ALLOWED_IPS ||
	    parse_prefix(item, &a->family, a->addr, &a->cidr, true) < 0)
		return -EINVAL;
	mask(a->addr, a->family, a->cidr);
	cfg->n_allowed++;
	return 0;
}

static int dns_item(const char *item, struct wg_config *cfg)
{
	uint8_t addr[16];

	if (cfg->n_dns >= WG_MAX_DNS || strlen(item) >= INET6_ADDRSTRLEN ||
	    inet_pton(strchr(item, ':') ? AF_INET6 : AF_INET, item, addr) != 1)
		return -EINVAL;
	l_strlcpy(cfg->dns[cfg->n_dns++], item, INET6_ADDRSTRLEN);
	return 0;
}

/* One key's value into cfg (a scratch one when only validating). */
static int parse_value(const char *name, const char *value, struct wg_config *cfg)
{
	unsigned long n;

	if (!strcmp(name, "PrivateKey"))
		return wg_key_parse(value, cfg->private_key);
	if (!strcmp(name, "PublicKey"))
		return wg_key_parse(value, cfg->public_key);
	if (!strcmp(name, "PresharedKey")) {
		cfg->has_preshared_key = true;
		return wg_key_parse(value, cfg->preshared_key);
	}
	if (!strcmp(name, "Address"))
		return parse_list(value, address_item, cfg);
	if (!strcmp(name, "AllowedIPs"))
		return parse_list(value, allowed_item, cfg);
	if (!strcmp(name, "DNS"))
		return parse_list(value, dns_item, cfg);
	if (!strcmp(name, "ListenPort")) {
		if (parse_number(value, 0, 65535, &n) < 0)
			return -EINVAL;
		cfg->listen_port = n;
		return 0;
	}
	if (!strcmp(name, "PersistentKeepalive")) {
		if (parse_number(value, 0, 65535, &n) < 0)
			return -EINVAL;
		cfg->keepalive = n;
		return 0;
	}
	if (!strcmp(name, "EndpointPort")) {
		if (parse_number(value, 1, 65535, &n) < 0)
			return -EINVAL;
		cfg->endpoint.v4.sin_port = htons(n);	/* same place in v6 */
		return 0;
	}
	return -ENOENT;
}

bool wg_value_valid(const char *key, const char *value)
{
	struct wg_config *scratch = l_new(struct wg_config, 1);
	bool ok = wg_key_known(key) && value && parse_value(short_name(key), value, scratch) == 0;

	wg_config_clear(scratch);
	l_free(scratch);
	return ok;
}

static const char *find(char **keys, const char *name)
{
	for (char **k = keys; k && k[0] && k[1]; k += 2)
		if (short_name(k[0]) && !strcmp(short_name(k[0]), name))
			return k[1];
	return NULL;
}

static int parse_endpoint(const char *host, struct wg_config *cfg)
{
	uint16_t port = cfg->endpoint.v4.sin_port ? cfg->endpoint.v4.sin_port :
						    htons(WG_DEFAULT_PORT);

	if (host && inet_pton(AF_INET, host, &cfg->endpoint.v4.sin_addr) == 1) {
		cfg->endpoint.v4.sin_family = AF_INET;
		cfg->endpoint.v4.sin_port = port;
		return 0;
	}
	memset(&cfg->endpoint, 0, sizeof(cfg->endpoint));
	if (!host || inet_pton(AF_INET6, host, &cfg->endpoint.v6.sin6_addr) != 1)
		return -EINVAL;
	cfg->endpoint.v6.sin6_family = AF_INET6;
	cfg->endpoint.v6.sin6_port = port;
	return 0;
}

int wg_config_parse(char **keys, const char *host, struct wg_config *cfg, const char **why)
{
	static const struct { const char *name, *why; } required[] = {
		{ "PrivateKey", "WireGuard.PrivateKey is missing" },
		{ "PublicKey", "WireGuard.PublicKey is missing" },
		{ "Address", "WireGuard.Address is missing" },
		{ "AllowedIPs", "WireGuard.AllowedIPs is missing" },
	};

	memset(cfg, 0, sizeof(*cfg));
	for (size_t i = 0; i < L_ARRAY_SIZE(required); i++)
		if (!find(keys, required[i].name)) {
			*why = required[i].why;
			return -EINVAL;
		}
	for (char **k = keys; k && k[0] && k[1]; k += 2)
		if (!short_name(k[0]) || parse_value(short_name(k[0]), k[1], cfg) < 0) {
			*why = "a WireGuard key's value is invalid";
			wg_config_clear(cfg);
			return -EINVAL;
		}
	if (parse_endpoint(host, cfg) < 0) {
		*why = "WireGuard's Host must be an IPv4 or IPv6 address (names are not resolved)";
		wg_config_clear(cfg);
		return -EINVAL;
	}
	return 0;
}

void wg_config_clear(struct wg_config *cfg)
{
	explicit_bzero(cfg->private_key, sizeof(cfg->private_key));
	explicit_bzero(cfg->preshared_key, sizeof(cfg->preshared_key));
}
