#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vpn-auth-errors.h"

void vpn_auth_errors_connected(struct vpn_auth_errors *e, uint64_t now_s)
{
	e->refused = 0;
	e->ready_at = now_s;
}

void vpn_auth_errors_refused(struct vpn_auth_errors *e)
{
	e->refused++;
}

void vpn_auth_errors_other_failure(struct vpn_auth_errors *e)
{
	e->ready_at = 0;
}

void vpn_auth_errors_forget(struct vpn_auth_errors *e)
{
	e->refused = 0;
}

bool vpn_auth_errors_tell(const struct vpn_auth_errors *e, unsigned int limit, uint64_t now_s)
{
	if (!e->refused)
		return false;
	if (!limit || !e->ready_at)
		return true;
	return now_s - e->ready_at > VPN_AUTH_OK_WINDOW_S || e->refused > limit;
}

int vpn_auth_error_limit_parse(const char *text, unsigned int *limit)
{
	size_t len = text ? strlen(text) : 0;

	if (!len || len > 9 || strspn(text, "0123456789") != len)
		return -EINVAL;
	*limit = strtoul(text, NULL, 10);
	return 0;
}
