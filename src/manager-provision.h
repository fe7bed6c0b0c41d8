/* The manager's side of provisioning files (*.config in the config
 * directory): which service each entry configures, re-read when the
 * directory changes. A provisioned service is immutable over D-Bus and its
 * provisioned configuration is not saved as the user's; when its entry goes
 * away, the user's saved configuration comes back. */
#pragma once

#include <stdint.h>

struct provisioning;
struct provision_wifi;
struct service;

struct provisioning_ops {
	/* Every service now (caller frees the array), to apply changed files to. */
	struct service **(*services)(void *data, unsigned int *n);
	/* The service is no longer provisioned: the user's saved configuration. */
	void (*restore_user)(struct service *svc, void *data);
	/* Optional: the files were read again and applied. */
	void (*reloaded)(void *data);
};

struct provisioning *provisioning_new(const char *dir, const struct provisioning_ops *ops,
				      void *data);
void provisioning_free(struct provisioning *pv);
/* The service's entry, if any, or the user's configuration back. */
void provisioning_apply(struct provisioning *pv, struct service *svc);
/* The Passphrase provisioned for the Wi-Fi network of service id `id` on
 * that link, or NULL (none, or not provisioned). Borrowed until the files
 * are read again. */
const char *provisioning_wifi_passphrase(const struct provisioning *pv, const char *id,
					 const uint8_t mac[6], const char *ifname);
/* Each Hidden = true Wi-Fi entry, with the MAC and DeviceName it is
 * limited to (NULL: any). */
typedef void (*provisioning_hidden_fn)(const struct provision_wifi *w, const uint8_t *mac,
				       const char *device_name, void *data);
void provisioning_foreach_hidden(const struct provisioning *pv, provisioning_hidden_fn fn,
				 void *data);
