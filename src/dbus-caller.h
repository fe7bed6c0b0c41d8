/* Who is calling, asked of the bus (GetConnectionCredentials), and connd's
 * own check on the methods that configure: root or a member of the admin
 * group (netdev, as data/connd-dbus.conf says) may call them; anyone else
 * gets net.connman.Error.PermissionDenied, whatever the bus policy let
 * through (doc/dbus-api.md, "Who may call what"). The answer is kept per
 * unique bus name until that name leaves the bus; unique names are never
 * reused, so a kept answer never applies to another client. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <ell/ell.h>

#define DBUS_ADMIN_GROUP "netdev"

struct dbus_creds {
	uint32_t uid;
	uint32_t pid;		/* 0 when the bus did not say */
	uint32_t *gids;		/* the caller's groups; NULL when the bus did not say */
	unsigned int n_gids;
};

/* Sends GetConnectionCredentials for `name`; the l_dbus_send id, 0 on failure. */
uint32_t dbus_creds_ask(struct l_dbus *dbus, const char *name, l_dbus_message_func_t reply,
			void *user_data, l_dbus_destroy_func_t destroy);
/* Reads its answer; -EACCES when it names no uid (an error, or the name left). */
int dbus_creds_parse(struct l_dbus_message *reply, struct dbus_creds *creds);
void dbus_creds_clear(struct dbus_creds *creds);
/* Root, or admin_gid among the groups (none: nobody but root). */
bool dbus_creds_may_configure(const struct dbus_creds *creds, bool have_admin, uint32_t admin_gid);

typedef struct l_dbus_message *(*dbus_method_fn)(struct l_dbus *dbus, struct l_dbus_message *msg,
						 void *user_data);

struct dbus_callers;

/* `admin_group` is looked up now; an unknown group leaves only root. */
struct dbus_callers *dbus_callers_new(struct l_dbus *dbus, const char *admin_group);
/* Cancels the questions still asked; the calls waiting for them get no answer. */
void dbus_callers_free(struct dbus_callers *callers);

/* The check atop a configuring method of `interface`. true: go on. false:
 * return *reply — PermissionDenied, or NULL while the bus is asked: once
 * the caller is known, `method` runs again with the object then registered
 * at the message's path (the message waits, not a pointer that may die),
 * or the caller is refused. */
bool dbus_callers_check(struct dbus_callers *callers, struct l_dbus_message *msg,
			const char *interface, dbus_method_fn method,
			struct l_dbus_message **reply);
/* Who calls, for a method any caller may call: true and the caller's uid
 * and pid (0 if the bus did not say) as the bus told them, asked once per
 * connection — the bus reads them from the socket when the client
 * connects (SO_PEERCRED), so they never change while the name lives.
 * What can change (a process's groups, its cgroup) is the caller's to read
 * each time. false: return *reply — PermissionDenied if the bus could not
 * say, or NULL while it is asked: `method` then runs again as with
 * dbus_callers_check, allowed or not. */
bool dbus_callers_identify(struct dbus_callers *callers, struct l_dbus_message *msg,
			   const char *interface, dbus_method_fn method,
			   uint32_t *uid, uint32_t *pid, struct l_dbus_message **reply);
