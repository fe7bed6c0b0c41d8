/* VPN agents per bus name: the requester's agent, else the default (the
 * oldest registered); one agent per bus name. */
#include <errno.h>
#include <ell/ell.h>

#include "check.h"
#include "vpn-agents.h"

static const char *agent_for(struct vpn_agents *agents, const char *requester)
{
	const char *sender, *path;

	return vpn_agents_find(agents, requester, &sender, &path) ? sender : "(none)";
}

int main(void)
{
	struct vpn_agents *agents = vpn_agents_new(NULL);

	CHECK_STR(agent_for(agents, NULL), "(none)");
	CHECK_INT(vpn_agents_register(agents, ":1.5", "/a"), 0);
	CHECK_INT(vpn_agents_register(agents, ":1.7", "/b"), 0);
	CHECK_INT(vpn_agents_register(agents, ":1.7", "/c"), -EEXIST);
	CHECK_STR(agent_for(agents, NULL), ":1.5");
	CHECK_STR(agent_for(agents, ""), ":1.5");
	CHECK_STR(agent_for(agents, ":1.7"), ":1.7");
	CHECK_STR(agent_for(agents, ":1.9"), ":1.5");	/* no agent of its own */
	CHECK_INT(vpn_agents_unregister(agents, ":1.7", "/a"), -ENOENT);
	CHECK_INT(vpn_agents_unregister(agents, ":1.9", "/a"), -ENOENT);
	/* The default goes: the oldest remaining one takes its place. */
	CHECK_INT(vpn_agents_unregister(agents, ":1.5", "/a"), 0);
	CHECK_STR(agent_for(agents, NULL), ":1.7");
	CHECK_INT(vpn_agents_register(agents, ":1.5", "/a"), 0);
	CHECK_STR(agent_for(agents, NULL), ":1.7");
	CHECK_STR(agent_for(agents, ":1.5"), ":1.5");
	vpn_agents_free(agents);
	vpn_agents_free(NULL);
	CHECK_DONE();
}
