/* Provisioning files of VPNs in ConnMan's format (its
 * doc/vpn-config-format.txt): an optional [global] group (Name,
 * Description) and one [provider_NAME] group per connection with
 *   Type      OpenVPN, WireGuard, ... (any case; kept in lower case)
 *   Name, Host, Domain   mandatory, as in ConnMan
 *   Networks  NET/NETMASK[/GATEWAY] (IPv4, NETMASK dotted or a length; a
 *             tun has no gateway, so it is checked and not used) or
 *             NET/PREFIXLEN (IPv6), comma-separated: the UserRoutes
 *   SplitRouting  true/false (connd's, as its saved connections write it)
 *   PROVIDER.KEY  the provider's keys ("OpenVPN.CACert", ...), kept as text;
 *             which are known and valid is vpn_create's to say.
 * A group with a bad or missing value is ignored whole, with a warning
 * naming the file and line. Pure: parsing touches nothing. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "vpn.h"

struct vpn_config {
	char *file;		/* the .config file it came from */
	char *group;		/* "provider_office" */
	char *type, *name, *host, *domain;
	char **keys;		/* "OpenVPN.X", value, ... NULL-terminated pairs */
	struct vpn_route *networks;
	unsigned int n_networks;
	bool split_routing;
};

typedef void (*vpn_config_warn_fn)(const char *file, unsigned int line, const char *why,
				   void *data);

/* Appends the valid groups of one file to *list (NULL-terminated, grown
 * with l_realloc); returns how many it added. */
unsigned int vpn_config_parse(const char *file, const char *text, size_t len,
			      struct vpn_config ***list, vpn_config_warn_fn warn, void *data);
/* The same connection settings (file and group aside). */
bool vpn_config_equal(const struct vpn_config *a, const struct vpn_config *b);
/* What vpn_create takes; borrows from c. */
void vpn_config_request(const struct vpn_config *c, struct vpn_request *req);
void vpn_config_free(struct vpn_config *c);
void vpn_config_list_free(struct vpn_config **list);
