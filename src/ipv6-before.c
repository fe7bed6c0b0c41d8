#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <ell/ell.h>

#include "ipv6-before.h"
#include "storage.h"

#define GROUP "IPv6Before"

static char *file_name(const char *id)
{
	return l_strdup_printf("%s/ipv6-before", id);
}

static int load(const char *state_dir, const char *id, const char *ifname,
		struct ipv6_link_saved *saved)
{
	char *name = file_name(id);
	struct l_settings *s = storage_load(state_dir, name);
	int err = 0;

	if (s) {
		err = ipv6_link_saved_from_settings(saved, s, GROUP);
		if (err < 0)
			l_warn("%s/%s: malformed; reading %s's current values", state_dir, name,
			       ifname);
	}
	l_settings_free(s);
	l_free(name);
	return s && err == 0;
}

static int store(const char *state_dir, const char *id, const char *ifname,
		 const struct ipv6_link_saved *saved)
{
	char *name = file_name(id);
	struct l_settings *s = l_settings_new();
	int err;

	ipv6_link_saved_to_settings(saved, s, GROUP);
	/* Only to help a reader: the values go back to the service's link. */
	l_settings_set_string(s, GROUP, "Interface", ifname);
	err = storage_save(state_dir, name, s);
	if (err < 0)
		l_warn("%s/%s: cannot save: %s", state_dir, name, strerror(-err));
	l_settings_free(s);
	l_free(name);
	return err;
}

int ipv6_before_take(const char *state_dir, const char *id, const char *ifname,
		     struct ipv6_link_saved *saved)
{
	int err;

	if (load(state_dir, id, ifname, saved) == 1) {
		l_info("%s: IPv6 settings from before an unclean stop, to restore at exit",
		       ifname);
		return 1;
	}
	err = ipv6_link_save(ifname, saved);
	if (err < 0)
		return err;
	store(state_dir, id, ifname, saved);
	return 0;
}

int ipv6_before_give_back(const char *state_dir, const char *id, const char *ifname,
			  const struct ipv6_link_saved *saved)
{
	int err = ipv6_link_restore(ifname, saved);
	char *name;

	if (err < 0 && err != -ENOENT)
		return err;
	name = file_name(id);
	storage_remove(state_dir, name);
	l_free(name);
	return err;
}
