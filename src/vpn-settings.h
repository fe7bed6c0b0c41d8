/* A VPN connection's settings in the state directory (vpn/<ident>), in the
 * format of ConnMan's .config files' [provider_<ident>] groups: Type, Name,
 * Host, Domain, SplitRouting, Networks (UserRoutes as ADDR/PREFIXLEN,
 * comma-separated) and the provider's keys. Written atomically, mode 0600. */
#pragma once

struct vpn_request;

/* Logs a failure itself (with the ident), as nothing else can be done. */
void vpn_settings_save(const char *state_dir, const char *ident, const struct vpn_request *req);
void vpn_settings_remove(const char *state_dir, const char *ident);

/* Each saved connection read into a request: only keys its Type's provider
 * knows, with valid values; `file` names it for the log. */
typedef void (*vpn_settings_fn)(const char *file, const struct vpn_request *req, void *data);
void vpn_settings_load_all(const char *state_dir, vpn_settings_fn cb, void *data);
