#include <errno.h>
#include <string.h>
#include <ell/ell.h>

#include "vpn-agents.h"

struct agent {
	struct vpn_agents *agents;
	char *sender;
	char *path;
	unsigned int watch;	/* the sender leaving */
	bool gone;		/* it left: skipped, freed at the next idle */
};

struct vpn_agents {
	struct l_dbus *dbus;
	struct l_queue *list;	/* oldest (the default) first */
	struct l_idle *sweep;	/* frees the gone ones outside the watch's callback */
};

struct vpn_agents *vpn_agents_new(struct l_dbus *dbus)
{
	struct vpn_agents *agents = l_new(struct vpn_agents, 1);

	agents->dbus = dbus;
	agents->list = l_queue_new();
	return agents;
}

static void agent_free(void *data)
{
	struct agent *a = data;

	if (a->watch && a->agents->dbus)
		l_dbus_remove_watch(a->agents->dbus, a->watch);
	l_free(a->sender);
	l_free(a->path);
	l_free(a);
}

void vpn_agents_free(struct vpn_agents *agents)
{
	if (!agents)
		return;
	l_idle_remove(agents->sweep);
	l_queue_destroy(agents->list, agent_free);
	l_free(agents);
}

static bool is_gone(const void *data, const void *user_data)
{
	return ((const struct agent *)data)->gone;
}

static void sweep(struct l_idle *idle, void *data)
{
	struct vpn_agents *agents = data;
	struct agent *a;

	l_idle_remove(agents->sweep);
	agents->sweep = NULL;
	while ((a = l_queue_remove_if(agents->list, is_gone, NULL)))
		agent_free(a);
}

static void agent_left(struct l_dbus *dbus, void *data)
{
	struct agent *a = data;

	l_info("vpn: the agent %s left the bus", a->sender);
	a->gone = true;
	if (!a->agents->sweep)
		a->agents->sweep = l_idle_create(sweep, a->agents, NULL);
}

static bool live_sender(const void *data, const void *user_data)
{
	const struct agent *a = data;

	return !a->gone && !strcmp(a->sender, user_data);
}

int vpn_agents_register(struct vpn_agents *agents, const char *sender, const char *path)
{
	struct agent *a;

	if (l_queue_find(agents->list, live_sender, sender))
		return -EEXIST;
	a = l_new(struct agent, 1);
	a->agents = agents;
	a->sender = l_strdup(sender);
	a->path = l_strdup(path);
	if (agents->dbus)
		a->watch = l_dbus_add_disconnect_watch(agents->dbus, sender, agent_left, a, NULL);
	l_queue_push_tail(agents->list, a);
	return 0;
}

int vpn_agents_unregister(struct vpn_agents *agents, const char *sender, const char *path)
{
	struct agent *a = l_queue_find(agents->list, live_sender, sender);

	if (!a || strcmp(a->path, path))
		return -ENOENT;
	l_queue_remove(agents->list, a);
	agent_free(a);
	return 0;
}

static bool live(const void *data, const void *user_data)
{
	return !((const struct agent *)data)->gone;
}

bool vpn_agents_find(const struct vpn_agents *agents, const char *requester,
		     const char **sender, const char **path)
{
	struct agent *a = NULL;

	if (requester && *requester)
		a = l_queue_find(agents->list, live_sender, requester);
	if (!a)
		a = l_queue_find(agents->list, live, NULL);
	if (!a)
		return false;
	*sender = a->sender;
	*path = a->path;
	return true;
}
