#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <ell/ell.h>

#include "storage.h"
#include "vpn.h"
#include "vpn-auth-errors.h"
#include "vpn-provider.h"
#include "vpn-settings.h"

static char *settings_name(const char *ident)
{
	return l_strdup_printf("vpn/%s", ident);
}

/* "NET/LEN" or "NET/LEN/GATEWAY" */
static char *route_text(const struct vpn_route *r)
{
	char addr[INET6_ADDRSTRLEN], gw[INET6_ADDRSTRLEN];

	inet_ntop(r->family, r->network, addr, sizeof(addr));
	if (!r->has_gateway)
		return l_strdup_printf("%s/%u", addr, r->prefix_len);
	inet_ntop(r->family, r->gateway, gw, sizeof(gw));
	return l_strdup_printf("%s/%u/%s", addr, r->prefix_len, gw);
}

static int parse_route_text(const char *text, struct vpn_route *r)
{
	char **parts = l_strsplit(text, '/');
	unsigned int n = l_strv_length(parts);
	unsigned long len;
	char *end;
	int err = -EINVAL;

	memset(r, 0, sizeof(*r));
	if (n < 2 || n > 3)
		goto out;
	r->family = strchr(parts[0], ':') ? AF_INET6 : AF_INET;
	if (inet_pton(r->family, parts[0], r->network) != 1)
		goto out;
	len = strtoul(parts[1], &end, 10);
	if (*end || !parts[1][0] || len > (r->family == AF_INET ? 32u : 128u))
		goto out;
	r->prefix_len = len;
	if (n == 3) {
		if (inet_pton(r->family, parts[2], r->gateway) != 1)
			goto out;
		r->has_gateway = true;
	}
	err = 0;
out:
	l_strv_free(parts);
	return err;
}

void vpn_settings_save(const char *state_dir, const char *ident, const struct vpn_request *req)
{
	struct l_settings *s = l_settings_new();
	char *group = l_strdup_printf("provider_%s", ident), *name = settings_name(ident);
	char **nets = l_new(char *, req->n_user_routes + 1);
	int err;

	l_settings_set_string(s, group, "Type", req->type);
	l_settings_set_string(s, group, "Name", req->name);
	l_settings_set_string(s, group, "Host", req->host);
	if (req->domain)
		l_settings_set_string(s, group, "Domain", req->domain);
	if (req->auth_error_limit)
		l_settings_set_string(s, group, "AuthErrorLimit", req->auth_error_limit);
	l_settings_set_bool(s, group, "SplitRouting", req->split_routing);
	for (unsigned int i = 0; i < req->n_user_routes; i++)
		nets[i] = route_text(&req->user_routes[i]);
	if (nets[0]) {
		char *joined = l_strjoinv(nets, ',');

		l_settings_set_string(s, group, "Networks", joined);
		l_free(joined);
	}
	for (char **k = req->keys; k && k[0] && k[1]; k += 2)
		l_settings_set_string(s, group, k[0], k[1]);
	err = storage_save(state_dir, name, s);
	if (err < 0)
		l_warn("vpn %s: cannot save its settings: %s", ident, strerror(-err));
	l_strv_free(nets);
	l_free(group);
	l_free(name);
	l_settings_free(s);
}

void vpn_settings_remove(const char *state_dir, const char *ident)
{
	char *name = settings_name(ident);

	storage_remove(state_dir, name);
	l_free(name);
}

static char **read_keys(struct l_settings *s, const char *group, const char *type)
{
	const struct vpn_provider *p = type ? vpn_provider_find(type) : NULL;
	char **names = l_settings_get_keys(s, group), **keys = l_new(char *, 1);

	for (char **k = names; p && k && *k; k++) {
		char *value;

		if (!p->key_known(*k))
			continue;
		value = l_settings_get_string(s, group, *k);
		if (value && p->value_valid(*k, value)) {
			keys = l_strv_append(keys, *k);
			keys = l_strv_append(keys, value);
		}
		l_free(value);
	}
	l_strv_free(names);
	return keys;
}

static struct vpn_route *read_networks(const char *text, unsigned int *n)
{
	char **parts = text ? l_strsplit(text, ',') : NULL;
	struct vpn_route *routes = l_new(struct vpn_route, l_strv_length(parts) + 1);

	*n = 0;
	for (char **p = parts; p && *p; p++)
		if (parse_route_text(*p, &routes[*n]) == 0)
			(*n)++;
	l_strv_free(parts);
	return routes;
}

static void load_one(const char *state_dir, const char *file, vpn_settings_fn cb, void *data)
{
	char *name = settings_name(file);
	struct l_settings *s = storage_load(state_dir, name);
	char **groups = s ? l_settings_get_groups(s) : NULL;
	const char *group = groups && groups[0] ? groups[0] : NULL;
	char *type = NULL, *cname = NULL, *host = NULL, *domain = NULL, *nets = NULL, *limit = NULL;
	struct vpn_request req = { 0 };

	if (group && !strncmp(group, "provider_", 9)) {
		type = l_settings_get_string(s, group, "Type");
		cname = l_settings_get_string(s, group, "Name");
		host = l_settings_get_string(s, group, "Host");
		domain = l_settings_get_string(s, group, "Domain");
		nets = l_settings_get_string(s, group, "Networks");
		limit = l_settings_get_string(s, group, "AuthErrorLimit");
		req = (struct vpn_request) {
			.type = type, .name = cname, .host = host, .domain = domain,
			.keys = read_keys(s, group, type),
			.auth_error_limit = limit && vpn_auth_error_limit_parse(limit,
						&(unsigned int){ 0 }) == 0 ? limit : NULL,
		};
		l_settings_get_bool(s, group, "SplitRouting", &req.split_routing);
		req.user_routes = read_networks(nets, &req.n_user_routes);
		cb(name, &req, data);
		l_strv_free(req.keys);
		l_free(req.user_routes);
	}
	l_free(type);
	l_free(cname);
	l_free(host);
	l_free(domain);
	l_free(nets);
	l_free(limit);
	l_strv_free(groups);
	l_settings_free(s);
	l_free(name);
}

void vpn_settings_load_all(const char *state_dir, vpn_settings_fn cb, void *data)
{
	char *dir = l_strdup_printf("%s/vpn", state_dir);
	struct dirent **list;
	int n = scandir(dir, &list, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		if (list[i]->d_name[0] != '.' && !strchr(list[i]->d_name, '~'))
			load_one(state_dir, list[i]->d_name, cb, data);
		free(list[i]);
	}
	if (n >= 0)
		free(list);
	l_free(dir);
}
