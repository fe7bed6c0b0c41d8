#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <ell/ell.h>

#include "proxy-config.h"

static const char *const method_names[] = {
	[PROXY_METHOD_NONE] = NULL,
	[PROXY_METHOD_DIRECT] = "direct",
	[PROXY_METHOD_MANUAL] = "manual",
	[PROXY_METHOD_AUTO] = "auto",
};

const char *proxy_method_name(enum proxy_method method)
{
	return method_names[method];
}

int proxy_method_parse(const char *name, enum proxy_method *method)
{
	for (enum proxy_method m = PROXY_METHOD_DIRECT; m <= PROXY_METHOD_AUTO; m++)
		if (name && !strcmp(name, method_names[m])) {
			*method = m;
			return 0;
		}
	return -EINVAL;
}

static bool printable_word(const char *text, size_t max)
{
	size_t len = text ? strlen(text) : 0;

	if (len == 0 || len > max)
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)text[i] <= ' ' || (unsigned char)text[i] > '~')
			return false;
	return true;
}

/* Where the scheme's "://" ends, or NULL when it is neither http nor https. */
static const char *after_scheme(const char *url)
{
	if (!strncasecmp(url, "http://", 7))
		return url + 7;
	if (!strncasecmp(url, "https://", 8))
		return url + 8;
	return NULL;
}

bool proxy_url_valid(const char *url)
{
	const char *host;

	if (!printable_word(url, PROXY_URL_MAX))
		return false;
	host = after_scheme(url);
	/* A host must come first: not "http:///x", "http://:80/" or "http://?q". */
	return host && *host && !strchr("/:?#@", *host);
}

bool proxy_entry_valid(const char *entry)
{
	return printable_word(entry, 255) && !strchr(entry, ';');
}

static char **drop_empty(char **list)
{
	char **kept = NULL;

	for (char **s = list; s && *s; s++)
		if (**s)
			kept = l_strv_append(kept, *s);
	l_strv_free(list);
	return kept;
}

void proxy_config_normalize(struct proxy_config *c)
{
	c->servers = drop_empty(c->servers);
	c->excludes = drop_empty(c->excludes);
	if (c->method != PROXY_METHOD_MANUAL) {
		l_strv_free(c->servers);
		l_strv_free(c->excludes);
		c->servers = c->excludes = NULL;
	}
	if (c->method != PROXY_METHOD_AUTO || (c->url && !*c->url)) {
		l_free(c->url);
		c->url = NULL;
	}
}

static const char *first_invalid(char **list)
{
	for (char **s = list; s && *s; s++)
		if (!proxy_entry_valid(*s))
			return *s;
	return NULL;
}

int proxy_config_validate(const struct proxy_config *c, char *why, size_t why_len)
{
	const char *list = first_invalid(c->servers) ? "Servers" :
			   first_invalid(c->excludes) ? "Excludes" : NULL;

	if (c->method == PROXY_METHOD_MANUAL && !c->servers) {
		snprintf(why, why_len, "Proxy.Configuration: manual needs at least one server");
		return -EINVAL;
	}
	if (list) {
		snprintf(why, why_len, "Proxy.Configuration: an entry of %s is not 1 to 255 "
			 "printable characters without spaces or ';'", list);
		return -EINVAL;
	}
	if (c->url && !proxy_url_valid(c->url)) {
		snprintf(why, why_len,
			 "Proxy.Configuration: URL must be an http:// or https:// URL");
		return -EINVAL;
	}
	return 0;
}

void proxy_config_copy(struct proxy_config *dst, const struct proxy_config *src)
{
	dst->method = src->method;
	dst->servers = l_strv_copy(src->servers);
	dst->excludes = l_strv_copy(src->excludes);
	dst->url = l_strdup(src->url);
}

bool proxy_config_equal(const struct proxy_config *a, const struct proxy_config *b)
{
	return a->method == b->method && l_strv_eq(a->servers, b->servers) &&
	       l_strv_eq(a->excludes, b->excludes) && l_streq0(a->url, b->url);
}

void proxy_config_clear(struct proxy_config *c)
{
	l_strv_free(c->servers);
	l_strv_free(c->excludes);
	l_free(c->url);
	memset(c, 0, sizeof(*c));
}

/* WPAD's well-known location under a search domain; NULL when the domain
 * does not make a valid URL. */
static char *wpad_url(const char *domain)
{
	size_t len = domain ? strlen(domain) : 0;
	char *url;

	if (len && domain[len - 1] == '.')
		len--;	/* "example.com." is the same domain */
	if (!len)
		return NULL;
	url = l_strdup_printf("http://wpad.%.*s/wpad.dat", (int)len, domain);
	if (!proxy_url_valid(url)) {
		l_free(url);
		return NULL;
	}
	return url;
}

void proxy_in_force(const struct proxy_config *config, const char *dhcp_url, const char *domain,
		    struct proxy_config *out)
{
	proxy_config_clear(out);
	if (config->method == PROXY_METHOD_DIRECT || config->method == PROXY_METHOD_MANUAL ||
	    (config->method == PROXY_METHOD_AUTO && config->url)) {
		proxy_config_copy(out, config);
		return;
	}
	out->url = dhcp_url && proxy_url_valid(dhcp_url) ? l_strdup(dhcp_url) : wpad_url(domain);
	out->method = out->url ? PROXY_METHOD_AUTO : PROXY_METHOD_DIRECT;
}
