/* Who is calling, and may they configure (see dbus-caller.h). */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>
#include <ell/ell.h>

#include "dbus-caller.h"
#include "dbus-util.h"

uint32_t dbus_creds_ask(struct l_dbus *dbus, const char *name, l_dbus_message_func_t reply,
			void *user_data, l_dbus_destroy_func_t destroy)
{
	struct l_dbus_message *query = l_dbus_message_new_method_call(dbus, "org.freedesktop.DBus",
				"/org/freedesktop/DBus", "org.freedesktop.DBus", "GetConnectionCredentials");

	l_dbus_message_set_arguments(query, "s", name);
	return l_dbus_send_with_reply(dbus, query, reply, user_data, destroy);
}

static void read_gids(struct l_dbus_message_iter *value, struct dbus_creds *creds)
{
	struct l_dbus_message_iter array;
	uint32_t gid;

	if (!l_dbus_message_iter_get_variant(value, "au", &array))
		return;
	l_free(creds->gids);
	creds->gids = l_new(uint32_t, 1);
	creds->n_gids = 0;
	while (l_dbus_message_iter_next_entry(&array, &gid)) {
		creds->gids = l_realloc(creds->gids, (creds->n_gids + 1) * sizeof(uint32_t));
		creds->gids[creds->n_gids++] = gid;
	}
}

int dbus_creds_parse(struct l_dbus_message *reply, struct dbus_creds *creds)
{
	struct l_dbus_message_iter dict, value;
	const char *key;
	bool have_uid = false;

	if (l_dbus_message_is_error(reply) || !l_dbus_message_get_arguments(reply, "a{sv}", &dict))
		return -EACCES;
	while (l_dbus_message_iter_next_entry(&dict, &key, &value)) {
		if (!strcmp(key, "UnixUserID"))
			have_uid = l_dbus_message_iter_get_variant(&value, "u", &creds->uid);
		else if (!strcmp(key, "ProcessID"))
			l_dbus_message_iter_get_variant(&value, "u", &creds->pid);
		else if (!strcmp(key, "UnixGroupIDs"))
			read_gids(&value, creds);
	}
	if (!have_uid) {
		dbus_creds_clear(creds);
		return -EACCES;
	}
	return 0;
}

void dbus_creds_clear(struct dbus_creds *creds)
{
	l_free(creds->gids);
	creds->gids = NULL;
	creds->n_gids = 0;
}

bool dbus_creds_may_configure(const struct dbus_creds *creds, bool have_admin, uint32_t admin_gid)
{
	if (creds->uid == 0)
		return true;
	for (unsigned int i = 0; have_admin && i < creds->n_gids; i++)
		if (creds->gids[i] == admin_gid)
			return true;
	return false;
}

/* A bus too old to tell the groups: the user database's, as the bus policy
 * itself reads them (dbus-daemon < 1.14 resolves group="" rules this way). */
static void load_groups(struct dbus_creds *creds)
{
	struct passwd pw, *found = NULL;
	char buf[4096];
	gid_t groups[256];
	int n = L_ARRAY_SIZE(groups);

	if (getpwuid_r(creds->uid, &pw, buf, sizeof(buf), &found) != 0 || !found)
		return;
	if (getgrouplist(pw.pw_name, pw.pw_gid, groups, &n) < 0)
		n = L_ARRAY_SIZE(groups);
	creds->gids = l_new(uint32_t, n + 1);
	for (int i = 0; i < n; i++)
		creds->gids[i] = groups[i];
	creds->n_gids = n;
}

struct dbus_callers {
	struct l_dbus *dbus;
	bool admin_looked_up;
	bool have_admin;
	uint32_t admin_gid;
	char *admin_group;
	struct l_hashmap *callers;	/* unique name → struct caller */
	struct l_queue *gone;		/* left the bus, freed from the main loop */
	struct l_idle *reaper;
};

struct waiting_call {
	struct l_dbus_message *msg;
	const char *interface;
	dbus_method_fn method;
	bool configures;		/* for the allowed only, else for any known caller */
};

struct caller {
	struct dbus_callers *callers;
	char *name;
	uint32_t query;			/* the credentials question, while it is asked */
	uint32_t watch;			/* the name leaving the bus */
	bool known, allowed;
	uint32_t uid;
	uint32_t pid;			/* 0 when the bus did not say */
	struct l_queue *waiting;	/* struct waiting_call, until known */
};

static void waiting_call_free(void *data)
{
	struct waiting_call *w = data;

	l_dbus_message_unref(w->msg);
	l_free(w);
}

static void caller_free(void *data)
{
	struct caller *c = data;

	if (c->query)
		l_dbus_cancel(c->callers->dbus, c->query);
	if (c->watch)
		l_dbus_remove_watch(c->callers->dbus, c->watch);
	l_queue_destroy(c->waiting, waiting_call_free);
	l_free(c->name);
	l_free(c);
}

static void reap(struct l_idle *idle, void *user_data)
{
	struct dbus_callers *callers = user_data;

	l_queue_clear(callers->gone, caller_free);
	l_idle_remove(callers->reaper);
	callers->reaper = NULL;
}

/* Freeing removes the very watch that called: later, from the main loop. */
static void caller_left(struct l_dbus *dbus, void *user_data)
{
	struct caller *c = user_data;
	struct dbus_callers *callers = c->callers;

	l_hashmap_remove(callers->callers, c->name);
	l_queue_push_tail(callers->gone, c);
	if (!callers->reaper)
		callers->reaper = l_idle_create(reap, callers, NULL);
}

static struct l_dbus_message *denied(struct dbus_callers *callers, struct caller *c,
				     struct l_dbus_message *msg, const char *interface)
{
	if (!c->known)
		return dbus_error(msg, "PermissionDenied", "The bus did not say who is calling");
	return dbus_error(msg, "PermissionDenied", "%s.%s is for root and members of group %s "
			  "only (uid %u is neither)",
			  interface, l_dbus_message_get_member(msg),
			  callers->admin_group, c->uid);
}

/* The caller is allowed: the method runs on whatever object is now at the path. */
static void replay(struct dbus_callers *callers, struct waiting_call *w)
{
	const char *path = l_dbus_message_get_path(w->msg);
	void *object = l_dbus_object_get_data(callers->dbus, path, w->interface);
	struct l_dbus_message *reply;

	if (!object)
		reply = l_dbus_message_new_error(w->msg, "org.freedesktop.DBus.Error.UnknownObject",
						 "%s is gone", path);
	else
		reply = w->method(callers->dbus, w->msg, object);
	if (reply)
		l_dbus_send(callers->dbus, reply);
}

/* The admin group is looked up when the first caller other than root asks
 * to configure, not at start: the lookup loads the NSS modules (here
 * libnss_systemd with libm and libcap, ~670 KiB of RSS) that a daemon only
 * root configures never needs. */
static void look_up_admin(struct dbus_callers *callers)
{
	struct group gr, *found = NULL;
	char buf[4096];

	if (callers->admin_looked_up)
		return;
	callers->admin_looked_up = true;
	if (getgrnam_r(callers->admin_group, &gr, buf, sizeof(buf), &found) == 0 && found) {
		callers->have_admin = true;
		callers->admin_gid = gr.gr_gid;
	} else {
		l_info("no group %s: only root may configure connd over D-Bus",
		       callers->admin_group);
	}
}

static void decide(struct caller *c, struct l_dbus_message *reply)
{
	struct dbus_callers *callers = c->callers;
	struct dbus_creds creds = { 0 };

	if (dbus_creds_parse(reply, &creds) < 0) {
		l_info("could not tell who %s is: refusing its configuring calls", c->name);
		return;
	}
	if (creds.uid != 0 && !creds.gids)
		load_groups(&creds);
	if (creds.uid != 0)
		look_up_admin(callers);
	c->known = true;
	c->uid = creds.uid;
	c->pid = creds.pid;
	c->allowed = dbus_creds_may_configure(&creds, callers->have_admin, callers->admin_gid);
	if (!c->allowed)
		l_info("%s (uid %u) is neither root nor in group %s: refusing its configuring calls",
		       c->name, c->uid, callers->admin_group);
	dbus_creds_clear(&creds);
}

static void creds_received(struct l_dbus_message *reply, void *user_data)
{
	struct caller *c = user_data;
	struct waiting_call *w;

	decide(c, reply);
	while ((w = l_queue_pop_head(c->waiting))) {
		if (c->allowed || (c->known && !w->configures))
			replay(c->callers, w);
		else
			l_dbus_send(c->callers->dbus, denied(c->callers, c, w->msg, w->interface));
		waiting_call_free(w);
	}
}

static void creds_done(void *user_data)
{
	struct caller *c = user_data;

	c->query = 0;
}

static struct caller *caller_new(struct dbus_callers *callers, const char *name)
{
	struct caller *c = l_new(struct caller, 1);

	c->callers = callers;
	c->name = l_strdup(name);
	c->waiting = l_queue_new();
	/* The watch first: the bus answers in order, so a name that was still
	 * there for the question will be seen leaving. */
	c->watch = l_dbus_add_disconnect_watch(callers->dbus, name, caller_left, c, NULL);
	c->query = dbus_creds_ask(callers->dbus, name, creds_received, c, creds_done);
	l_hashmap_insert(callers->callers, name, c);
	return c;
}

static struct caller *caller_of(struct dbus_callers *callers, struct l_dbus_message *msg,
				 struct l_dbus_message **reply)
{
	const char *sender = l_dbus_message_get_sender(msg);
	struct caller *c;

	*reply = NULL;
	if (!callers || !sender) {
		*reply = dbus_error(msg, "PermissionDenied", "The caller cannot be identified");
		return NULL;
	}
	c = l_hashmap_lookup(callers->callers, sender);
	return c ? c : caller_new(callers, sender);
}

static void wait_for_answer(struct caller *c, struct l_dbus_message *msg, const char *interface,
			    dbus_method_fn method, bool configures)
{
	struct waiting_call *w = l_new(struct waiting_call, 1);

	w->msg = l_dbus_message_ref(msg);
	w->interface = interface;
	w->method = method;
	w->configures = configures;
	l_queue_push_tail(c->waiting, w);
}

bool dbus_callers_check(struct dbus_callers *callers, struct l_dbus_message *msg,
			const char *interface, dbus_method_fn method,
			struct l_dbus_message **reply)
{
	struct caller *c = caller_of(callers, msg, reply);

	if (!c)
		return false;
	if (c->allowed)
		return true;
	if (c->known || !c->query) {
		l_debug("refused %s.%s from %s", interface, l_dbus_message_get_member(msg), c->name);
		*reply = denied(callers, c, msg, interface);
		return false;
	}
	wait_for_answer(c, msg, interface, method, true);
	return false;
}

bool dbus_callers_identify(struct dbus_callers *callers, struct l_dbus_message *msg,
			   const char *interface, dbus_method_fn method,
			   uint32_t *uid, uint32_t *pid, struct l_dbus_message **reply)
{
	struct caller *c = caller_of(callers, msg, reply);

	if (!c)
		return false;
	if (c->known) {
		*uid = c->uid;
		*pid = c->pid;
		return true;
	}
	if (!c->query) {
		*reply = denied(callers, c, msg, interface);
		return false;
	}
	wait_for_answer(c, msg, interface, method, false);
	return false;
}

struct dbus_callers *dbus_callers_new(struct l_dbus *dbus, const char *admin_group)
{
	struct dbus_callers *callers = l_new(struct dbus_callers, 1);

	callers->dbus = dbus;
	callers->admin_group = l_strdup(admin_group);
	callers->callers = l_hashmap_string_new();
	callers->gone = l_queue_new();
	return callers;
}

void dbus_callers_free(struct dbus_callers *callers)
{
	if (!callers)
		return;
	l_hashmap_destroy(callers->callers, caller_free);
	l_queue_destroy(callers->gone, caller_free);
	l_idle_remove(callers->reaper);
	l_free(callers->admin_group);
	l_free(callers);
}
