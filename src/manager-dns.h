/* Name resolution for the system: which servers the DNS proxy forwards to,
 * where it listens (loopback, and the tethering bridge while there is one),
 * and the resolv.conf that points the system at it — or, with the proxy
 * off, at the upstream servers themselves. With no connected service that
 * has nameservers, main.conf's FallbackNameservers stand in. A query from
 * an application in a session is answered through the servers of the
 * service its session rides, out of that service's link. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct l_queue;
struct manager_dns;

struct manager_dns_options {
	const char *resolv_conf;	/* the file connd maintains */
	bool proxy;			/* false with --nodnsproxy (-r) */
	char **fallback_nameservers;	/* may be NULL; kept by the caller */
	/* The slot (marks.h) of the service session `id` rides now, 0 when no
	 * session has that id, a negative errno when it rides none. NULL: the
	 * proxy answers every query as if from no session. */
	int (*session_slot)(uint32_t id, void *data);
	void *data;
	/* '0'/'1': net.ipv4.tcp_fwmark_accept before a previous connd set it
	 * (kept in the global settings, so a crash does not lose it); 0: none. */
	char tcp_marks_before;
};

/* Starts the proxy on 127.0.0.1 (and ::1 if it can); without 127.0.0.1 it
 * runs without the proxy and says so. */
struct manager_dns *manager_dns_new(const struct manager_dns_options *opts);
/* services: struct service *, ranked (the first is the default service).
 * bridge_address, bridge_address6: the tethering bridge's IPv4 and IPv6
 * addresses, where the proxy also listens, or NULL. */
void manager_dns_update(struct manager_dns *dns, const struct l_queue *services,
			const char *bridge_address, const char *bridge_address6);
/* The value to keep in the global settings for tcp_marks_before, 0: none. */
char manager_dns_tcp_marks_before(const struct manager_dns *dns);
/* Puts net.ipv4.tcp_fwmark_accept back as connd found it (manager_dns_free
 * does too); afterwards manager_dns_tcp_marks_before() is 0. Accepts NULL. */
void manager_dns_restore_tcp_marks(struct manager_dns *dns);
/* Whether the proxy answers on 127.0.0.1 (clients then resolve through it). */
bool manager_dns_proxy_running(const struct manager_dns *dns);
/* Stops the proxy and leaves resolv.conf naming the upstream servers of the
 * services as they are now, so the system keeps resolving without connd.
 * Accepts NULL. */
void manager_dns_free(struct manager_dns *dns, const struct l_queue *services);
