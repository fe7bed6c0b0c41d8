/* The VPN agents (net.connman.vpn.Agent), one per bus name, as ConnMan's
 * vpnd keeps them: the first registered is the default. A connection asks
 * the agent of the bus name that asked it to connect (Connect's caller, or
 * Connect2's argument: the original sender when a client proxies the
 * request), and the default agent when that name has none. An agent is
 * forgotten when its bus name leaves; the oldest remaining one becomes the
 * default. */
#pragma once

#include <stdbool.h>

struct l_dbus;
struct vpn_agents;

struct vpn_agents *vpn_agents_new(struct l_dbus *dbus);
void vpn_agents_free(struct vpn_agents *agents);	/* accepts NULL */
/* -EEXIST when `sender` has an agent already. */
int vpn_agents_register(struct vpn_agents *agents, const char *sender, const char *path);
/* -ENOENT unless `sender` registered `path`. */
int vpn_agents_unregister(struct vpn_agents *agents, const char *sender, const char *path);
/* The agent for a request of `requester` (NULL or "": the default's):
 * true with its bus name and path (valid until the next change). */
bool vpn_agents_find(const struct vpn_agents *agents, const char *requester,
		     const char **sender, const char **path);
