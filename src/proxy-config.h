/* A service's web proxy as ConnMan's API carries it (Proxy and
 * Proxy.Configuration: Method direct, manual with Servers and Excludes, or
 * auto with a PAC file URL): checks of what clients and settings files
 * give, and the choice of what is in force when the configuration leaves it
 * to discovery (DHCP option 252, then WPAD's well-known URL under the search
 * domain). No side effects: service.c keeps and announces it. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

enum proxy_method {
	PROXY_METHOD_NONE,	/* never configured: an empty dictionary */
	PROXY_METHOD_DIRECT,
	PROXY_METHOD_MANUAL,
	PROXY_METHOD_AUTO,
};

/* The lists are NULL-terminated, NULL when empty; strings are owned. */
struct proxy_config {
	enum proxy_method method;
	char **servers;		/* manual: at least one; "host:port" or "scheme://host:port" */
	char **excludes;	/* manual: hosts reached directly */
	char *url;		/* auto: the PAC file; NULL to discover one */
};

/* ConnMan's names; NULL for PROXY_METHOD_NONE. */
const char *proxy_method_name(enum proxy_method method);
/* direct, manual or auto; -EINVAL for anything else. */
int proxy_method_parse(const char *name, enum proxy_method *method);

/* An http:// or https:// URL with a host, printable ASCII without spaces,
 * at most PROXY_URL_MAX bytes. */
#define PROXY_URL_MAX 2048
bool proxy_url_valid(const char *url);
/* A server or an exclude: 1 to 255 printable ASCII characters without
 * spaces or ';' (the list separator of settings files). */
bool proxy_entry_valid(const char *entry);

/* Drops empty entries and what the method does not use (servers and
 * excludes unless manual, the URL unless auto; "" is no URL). */
void proxy_config_normalize(struct proxy_config *config);
/* Checks a normalized configuration: manual names a server, every entry
 * and the URL are valid. 0, or -EINVAL with a readable reason in `why`. */
int proxy_config_validate(const struct proxy_config *config, char *why, size_t why_len);

void proxy_config_copy(struct proxy_config *dst, const struct proxy_config *src);
bool proxy_config_equal(const struct proxy_config *a, const struct proxy_config *b);
/* Frees what it holds and leaves PROXY_METHOD_NONE. */
void proxy_config_clear(struct proxy_config *config);

/* What is in force on a connected service, into `out` (cleared first):
 * the configuration when it is direct, manual or auto with a URL; else
 * (auto without a URL, or none) auto with the DHCP server's PAC URL when
 * it is valid, else auto with http://wpad.<domain>/wpad.dat when a search
 * domain is known, else direct. `dhcp_url` and `domain` may be NULL. */
void proxy_in_force(const struct proxy_config *config, const char *dhcp_url, const char *domain,
		    struct proxy_config *out);
