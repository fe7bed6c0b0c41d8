/* A service's saved settings, in ConnMan's key names (group = service id),
 * parsed and validated without side effects so that a bad file cannot
 * change anything it should not. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ipv4-settings.h"
#include "ipv6-settings.h"
#include "proxy-config.h"

struct l_settings;

struct service_saved {
	char *name;				/* written for the reader; not read back */
	bool favorite;
	bool autoconnect;
	struct ipv4_settings ipv4;		/* method DHCP when nothing is saved */
	struct ipv6_settings ipv6;		/* auto, privacy disabled by default */
	uint32_t last_dhcp_address;		/* for INIT-REBOOT, network order */
	char **nameservers;
	char **timeservers;
	char **domains;
	struct proxy_config proxy;		/* Proxy.Method, .Servers, .Excludes, .URL */
};

typedef void (*service_settings_warn_fn)(const char *key, const char *why, void *data);

/* Fills `saved` from `settings`; defaults for what is absent; each invalid
 * value is reported through `warn` and left at its default. */
void service_settings_parse(const struct l_settings *settings, const char *id,
			    struct service_saved *saved, service_settings_warn_fn warn, void *data);
struct l_settings *service_settings_build(const char *id, const struct service_saved *saved);
void service_saved_clear(struct service_saved *saved);
