/* ConnMan's AuthErrorLimit: whether the VPN agent, asked for credentials,
 * is told that the last ones were refused (the informational field
 * VpnAgent.AuthFailure), so that it forgets saved ones and asks the user.
 * A server that allows one login per account at a time refuses a
 * reconnection while the old login lingers (after a change of network):
 * up to `limit` refusals within an hour of the last successful connection
 * are not told; a limit of 0 tells every refusal. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define VPN_AUTH_OK_WINDOW_S 3600

struct vpn_auth_errors {
	unsigned int refused;	/* refusals since the last successful connection */
	uint64_t ready_at;	/* its time (monotonic seconds); 0: none to go by */
};

void vpn_auth_errors_connected(struct vpn_auth_errors *e, uint64_t now_s);
void vpn_auth_errors_refused(struct vpn_auth_errors *e);
/* A failure other than a refusal: the last success no longer vouches. */
void vpn_auth_errors_other_failure(struct vpn_auth_errors *e);
/* The connection's settings changed: earlier refusals say nothing of them. */
void vpn_auth_errors_forget(struct vpn_auth_errors *e);
bool vpn_auth_errors_tell(const struct vpn_auth_errors *e, unsigned int limit, uint64_t now_s);
/* AuthErrorLimit's text: a decimal number (up to 9 digits). -EINVAL else. */
int vpn_auth_error_limit_parse(const char *text, unsigned int *limit);
