#include <ctype.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <ell/ell.h>

#include "ini.h"
#include "ipv4-settings.h"
#include "names.h"
#include "vpn-config.h"

#define MAX_NETWORKS 64
#define MAX_KEYS 64

struct reader {
	struct vpn_config ***list;
	unsigned int added;
};

void vpn_config_free(struct vpn_config *c)
{
	if (!c)
		return;
	l_free(c->file);
	l_free(c->group);
	l_free(c->type);
	l_free(c->name);
	l_free(c->host);
	l_free(c->domain);
	l_strv_free(c->keys);
	l_free(c->networks);
	l_free(c);
}

void vpn_config_list_free(struct vpn_config **list)
{
	for (struct vpn_config **c = list; c && *c; c++)
		vpn_config_free(*c);
	l_free(list);
}

static void append(struct reader *r, struct vpn_config *c)
{
	unsigned int n = 0;

	while (*r->list && (*r->list)[n])
		n++;
	*r->list = l_realloc(*r->list, (n + 2) * sizeof(**r->list));
	(*r->list)[n] = c;
	(*r->list)[n + 1] = NULL;
	r->added++;
}

static const char *missing(const struct vpn_config *c)
{
	if (!c->type)
		return "Type";
	if (!c->name)
		return "Name";
	if (!c->host)
		return "Host";
	if (!c->domain)
		return "Domain";
	return NULL;
}

static void end_group(struct ini_objects *in, void *object, bool dropped, unsigned int line)
{
	struct reader *r = ini_state(in);
	struct vpn_config *c = object;
	const char *what = missing(c);

	if (dropped)
		ini_warn(in, line, "[%s] ignored", c->group);
	else if (what)
		ini_warn(in, line, "[%s]: no %s; ignored", c->group, what);
	else {
		append(r, c);
		return;
	}
	vpn_config_free(c);
}

/* "NET/NETMASK[/GATEWAY]" for IPv4 (NETMASK dotted or a length),
 * "NET/PREFIXLEN" for IPv6; the network is stored masked. */
static int parse_network(const char *text, struct vpn_route *r)
{
	char **parts = l_strsplit(text, '/');
	unsigned int n = l_strv_length(parts);
	uint32_t gateway, net4;
	char *end;
	int err = -EINVAL;

	memset(r, 0, sizeof(*r));
	if (n < 2 || n > 3)
		goto out;
	if (strchr(parts[0], ':')) {
		unsigned long len = strtoul(parts[1], &end, 10);

		if (n != 2 || inet_pton(AF_INET6, parts[0], r->network) != 1 ||
		    parts[1][0] < '0' || parts[1][0] > '9' || *end || len > 128)
			goto out;
		r->family = AF_INET6;
		r->prefix_len = len;
		for (unsigned int i = len; i < 128; i++)
			r->network[i / 8] &= ~(0x80 >> (i % 8));
		err = 0;
		goto out;
	}
	if (ipv4_parse_address(parts[0], &net4) < 0 ||
	    ipv4_parse_netmask(parts[1], &r->prefix_len) < 0 ||
	    (n == 3 && ipv4_parse_address(parts[2], &gateway) < 0))
		goto out;
	r->family = AF_INET;
	if (n == 3) {
		memcpy(r->gateway, &gateway, 4);
		r->has_gateway = true;
	}
	net4 &= ipv4_prefix_to_mask(r->prefix_len);
	memcpy(r->network, &net4, 4);
	err = 0;
out:
	l_strv_free(parts);
	return err;
}

static int set_networks(struct ini_objects *in, struct vpn_config *c, const char *value,
			unsigned int line)
{
	char **parts = l_strsplit(value, ',');
	unsigned int n = 0;
	int err = 0;

	l_free(c->networks);
	c->networks = l_new(struct vpn_route, l_strv_length(parts) + 1);
	for (char **p = parts; *p && !err; p++) {
		const char *start = *p + strspn(*p, " \t");
		size_t len = strlen(start);
		char *item;

		while (len && (start[len - 1] == ' ' || start[len - 1] == '\t'))
			len--;
		item = l_strndup(start, len);
		if (!*item) {
			l_free(item);
			continue;
		}
		if (n >= MAX_NETWORKS) {
			ini_warn(in, line, "Networks: more than %d entries", MAX_NETWORKS);
			err = -EINVAL;
		} else if (parse_network(item, &c->networks[n]) < 0) {
			ini_warn(in, line, "Networks: '%s' is not NETWORK/NETMASK[/GATEWAY] "
				 "or an IPv6 NETWORK/PREFIXLEN", item);
			err = -EINVAL;
		} else {
			n++;
		}
		l_free(item);
	}
	c->n_networks = n;
	l_strv_free(parts);
	return err;
}

static int set_text(struct ini_objects *in, char **field, const char *key, const char *value,
		    bool (*valid)(const char *), unsigned int line)
{
	if (!*value || strlen(value) > 255 || (valid && !valid(value))) {
		ini_warn(in, line, "%s '%s' is not valid", key, value);
		return -EINVAL;
	}
	l_free(*field);
	*field = l_strdup(value);
	return 0;
}

static bool valid_host(const char *host)
{
	return name_is_ip_address(host) || name_is_domain(host);
}

/* "PROVIDER.KEY": a later line with the same key replaces the value. */
static int set_provider_key(struct ini_objects *in, struct vpn_config *c, const char *key,
			    const char *value, unsigned int line)
{
	char **keys = l_new(char *, 1);
	unsigned int n = 0;

	for (char **k = c->keys; k && k[0] && k[1]; k += 2, n++)
		if (strcmp(k[0], key)) {
			keys = l_strv_append(keys, k[0]);
			keys = l_strv_append(keys, k[1]);
		}
	l_strv_free(c->keys);
	c->keys = keys;
	if (n >= MAX_KEYS) {
		ini_warn(in, line, "more than %d provider keys", MAX_KEYS);
		return -EINVAL;
	}
	c->keys = l_strv_append(c->keys, key);
	c->keys = l_strv_append(c->keys, value);
	return 0;
}

static int set_key(struct ini_objects *in, void *object, const char *key, const char *value,
		   unsigned int line)
{
	struct vpn_config *c = object;

	if (!strcmp(key, "Type")) {
		int err = set_text(in, &c->type, key, value, NULL, line);

		for (char *t = c->type; !err && *t; t++)
			*t = tolower((unsigned char)*t);
		return err;
	}
	if (!strcmp(key, "Name"))
		return set_text(in, &c->name, key, value, NULL, line);
	if (!strcmp(key, "Host"))
		return set_text(in, &c->host, key, value, valid_host, line);
	if (!strcmp(key, "Domain"))
		return set_text(in, &c->domain, key, value, name_is_domain, line);
	if (!strcmp(key, "Networks"))
		return set_networks(in, c, value, line);
	if (!strcmp(key, "SplitRouting")) {
		if (strcmp(value, "true") && strcmp(value, "false")) {
			ini_warn(in, line, "SplitRouting must be true or false");
			return -EINVAL;
		}
		c->split_routing = value[0] == 't';
		return 0;
	}
	if (strchr(key, '.') && key[0] != '.')
		return set_provider_key(in, c, key, value, line);
	ini_warn(in, line, "unknown key %s; ignored", key);
	return 0;
}

static void *begin_group(struct ini_objects *in, const char *group, unsigned int line)
{
	struct vpn_config *c = l_new(struct vpn_config, 1);

	c->file = l_strdup(ini_file(in));
	c->group = l_strdup(group);
	return c;
}

static const struct ini_object_ops ops = {
	.prefix = "provider_",
	.quiet_group = "global",
	.begin = begin_group,
	.key = set_key,
	.end = end_group,
};

unsigned int vpn_config_parse(const char *file, const char *text, size_t len,
			      struct vpn_config ***list, vpn_config_warn_fn warn, void *data)
{
	struct reader r = { .list = list };

	ini_parse_objects(file, text, len, &ops, &r, warn, data);
	return r.added;
}

static bool same_text(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

bool vpn_config_equal(const struct vpn_config *a, const struct vpn_config *b)
{
	return same_text(a->type, b->type) && same_text(a->name, b->name) &&
	       same_text(a->host, b->host) && same_text(a->domain, b->domain) &&
	       l_strv_eq(a->keys, b->keys) && a->split_routing == b->split_routing &&
	       a->n_networks == b->n_networks &&
	       (!a->n_networks ||
		!memcmp(a->networks, b->networks, a->n_networks * sizeof(*a->networks)));
}

void vpn_config_request(const struct vpn_config *c, struct vpn_request *req)
{
	memset(req, 0, sizeof(*req));
	req->type = c->type;
	req->name = c->name;
	req->host = c->host;
	req->domain = c->domain;
	req->keys = c->keys;
	req->user_routes = c->n_networks ? c->networks : NULL;
	req->n_user_routes = c->n_networks;
	req->split_routing = c->split_routing;
	req->immutable = true;
}
