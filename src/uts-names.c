#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <ell/ell.h>

#include "uts-names.h"

typedef int (*set_fn)(const char *name, size_t len);

static void apply(const char *what, const char *current, const char *wanted, set_fn set)
{
	if (!wanted || !wanted[0] || !strcmp(current, wanted))
		return;
	if (set(wanted, strlen(wanted)) < 0)
		l_warn("cannot set the %s to %s (DHCP): %s", what, wanted, strerror(errno));
	else
		l_info("%s set to %s (DHCP)", what, wanted);
}

void uts_names_apply(bool hostname_allowed, const char *hostname, bool domainname_allowed,
		     const char *domainname)
{
	struct utsname uts;

	if (uname(&uts) < 0)
		return;
	if (hostname_allowed)
		apply("host name", uts.nodename, hostname, sethostname);
	if (domainname_allowed)
		apply("domain name", uts.domainname, domainname, setdomainname);
}
