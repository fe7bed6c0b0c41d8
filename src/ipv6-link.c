#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <ell/ell.h>

#include "ipv6-link.h"
#include "sysctl.h"

static const char *const link_keys[] = { "disable_ipv6", "accept_ra", "autoconf", "use_tempaddr" };

static int sysctl_path(char *path, size_t size, const char *ifname, const char *key)
{
	/* Names come from the kernel, but never let one walk out of conf/. */
	if (!ifname[0] || strchr(ifname, '/') || !strcmp(ifname, ".") || !strcmp(ifname, ".."))
		return -EINVAL;
	snprintf(path, size, "/proc/sys/net/ipv6/conf/%s/%s", ifname, key);
	return 0;
}

static int link_read(const char *ifname, const char *key, char *value, size_t size)
{
	char path[128];
	int err = sysctl_path(path, sizeof(path), ifname, key);

	return err < 0 ? err : sysctl_read(path, value, size);
}

static int link_write(const char *ifname, const char *key, const char *value)
{
	char path[128];
	int err = sysctl_path(path, sizeof(path), ifname, key);

	return err < 0 ? err : sysctl_write(path, value);
}

int ipv6_link_save(const char *ifname, struct ipv6_link_saved *saved)
{
	saved->valid = false;
	for (unsigned int i = 0; i < 4; i++) {
		int err = link_read(ifname, link_keys[i], saved->values[i],
				      sizeof(saved->values[i]));

		if (err < 0)
			return err;
	}
	saved->valid = true;
	return 0;
}

int ipv6_link_restore(const char *ifname, const struct ipv6_link_saved *saved)
{
	int first_err = 0;

	if (!saved->valid)
		return 0;
	/* disable_ipv6 last, so that SLAAC restarts with the old settings. */
	for (int i = 3; i >= 0; i--) {
		int err = link_write(ifname, link_keys[i], saved->values[i]);

		if (err < 0 && !first_err)
			first_err = err;
	}
	return first_err;
}

void ipv6_link_saved_to_settings(const struct ipv6_link_saved *saved, struct l_settings *s,
				 const char *group)
{
	for (unsigned int i = 0; i < 4; i++)
		l_settings_set_string(s, group, link_keys[i], saved->values[i]);
}

/* These sysctls hold small integers ("-1" on some links): nothing else may
 * come from a file to be written into /proc/sys. */
static bool small_integer(const char *text)
{
	const char *digits = text[0] == '-' ? text + 1 : text;
	size_t len = strlen(digits);

	return len > 0 && len <= 3 && strspn(digits, "0123456789") == len;
}

int ipv6_link_saved_from_settings(struct ipv6_link_saved *saved, const struct l_settings *s,
				  const char *group)
{
	struct ipv6_link_saved read = { .valid = true };

	for (unsigned int i = 0; i < 4; i++) {
		char *value = l_settings_get_string(s, group, link_keys[i]);
		bool good = value && small_integer(value);

		if (good)
			l_strlcpy(read.values[i], value, sizeof(read.values[i]));
		l_free(value);
		if (!good)
			return -EINVAL;
	}
	*saved = read;
	return 0;
}

int ipv6_link_enable(const char *ifname, enum ipv6_privacy privacy, bool restart)
{
	static const char *const tempaddr[] = { "0", "1", "2" };
	int err;

	if (restart)
		link_write(ifname, "disable_ipv6", "1");
	err = link_write(ifname, "use_tempaddr", tempaddr[privacy]);
	if (!err)
		err = link_write(ifname, "accept_ra", "2");
	if (!err)
		err = link_write(ifname, "autoconf", "1");
	if (!err)
		err = link_write(ifname, "disable_ipv6", "0");
	return err;
}

int ipv6_link_enable_manual(const char *ifname, bool restart)
{
	int err;

	if (restart)
		link_write(ifname, "disable_ipv6", "1");
	err = link_write(ifname, "accept_ra", "0");
	if (!err)
		err = link_write(ifname, "autoconf", "0");
	if (!err)
		err = link_write(ifname, "disable_ipv6", "0");
	return err;
}

int ipv6_link_disable(const char *ifname)
{
	return link_write(ifname, "disable_ipv6", "1");
}
