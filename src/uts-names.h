/* The system's host name and domain name from the default service's DHCP
 * lease (options 12 and 15), as ConnMan sets them when main.conf's
 * AllowHostnameUpdates / AllowDomainnameUpdates allow. sethostname() and
 * setdomainname() change the UTS namespace connd runs in (the lab runs it
 * under unshare --uts, so the host's names never change). Names are never
 * put back: ConnMan does not either, and the previous one may be stale. */
#pragma once

#include <stdbool.h>

/* Each name is set when allowed, given (not NULL or "") and different from
 * the namespace's; a refusal is logged, and asked again at the next change. */
void uts_names_apply(bool hostname_allowed, const char *hostname, bool domainname_allowed,
		     const char *domainname);
