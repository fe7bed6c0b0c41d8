#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <ell/ell.h>

#include "ini.h"
#include "session.h"
#include "session-policy.h"
#include "storage.h"

enum match_kind { MATCH_NONE, MATCH_UID, MATCH_GID, MATCH_CGROUP };

struct policy {
	enum match_kind kind;
	uint32_t id;
	char *cgroup;
	struct session_policy_rule *rule;	/* one reference is the policy's */
};

struct session_policies {
	struct l_queue *list;
	policy_warn_fn warn;
	void *data;
};

/* The count is the one field that changes once the rule is parsed: every
 * rule counted was allocated writable here, const only where it is shared. */
const struct session_policy_rule *session_policy_rule_ref(const struct session_policy_rule *rule)
{
	if (rule->refs)
		((struct session_policy_rule *)rule)->refs++;
	return rule;
}

void session_policy_rule_unref(const struct session_policy_rule *rule)
{
	struct session_policy_rule *r = (struct session_policy_rule *)rule;

	if (!r || !r->refs || --r->refs)
		return;
	l_strv_free(r->allowed_bearers);
	l_free(r->cgroup);
	l_free(r);
}

static void policy_free(void *data)
{
	struct policy *p = data;

	session_policy_rule_unref(p->rule);
	l_free(p->cgroup);
	l_free(p);
}

struct session_policies *session_policies_new(policy_warn_fn warn, void *data)
{
	struct session_policies *set = l_new(struct session_policies, 1);

	set->list = l_queue_new();
	set->warn = warn;
	set->data = data;
	return set;
}

void session_policies_free(struct session_policies *set)
{
	if (!set)
		return;
	l_queue_destroy(set->list, policy_free);
	l_free(set);
}

unsigned int session_policies_count(const struct session_policies *set)
{
	return l_queue_length(set->list);
}

static int parse_id(const char *text, bool group, uint32_t *id)
{
	char *end, buf[1024];
	unsigned long n = strtoul(text, &end, 10);

	if (*text && !*end && n < UINT32_MAX) {
		*id = n;
		return 0;
	}
	if (group) {
		struct group gr, *res = NULL;

		if (getgrnam_r(text, &gr, buf, sizeof(buf), &res) || !res)
			return -ENOENT;
		*id = res->gr_gid;
	} else {
		struct passwd pw, *res = NULL;

		if (getpwnam_r(text, &pw, buf, sizeof(buf), &res) || !res)
			return -ENOENT;
		*id = res->pw_uid;
	}
	return 0;
}

/* A policy's group ends: kept only if it named exactly one match. */
static void end_policy(struct ini_objects *in, void *object, bool dropped, unsigned int line)
{
	struct session_policies *set = ini_state(in);
	struct policy *p = object;

	if (!dropped && p->kind == MATCH_NONE) {
		ini_warn(in, line, "policy names no uid, gid or cgroup; ignored");
		dropped = true;
	}
	if (dropped)
		policy_free(p);
	else
		l_queue_push_tail(set->list, p);
}

static int set_match(struct ini_objects *in, struct policy *p, unsigned int line,
		     enum match_kind kind, const char *value)
{
	if (p->kind != MATCH_NONE) {
		ini_warn(in, line, "a policy matches on exactly one of uid, gid or cgroup");
		return -EINVAL;
	}
	p->kind = kind;
	p->rule->match = kind == MATCH_CGROUP ? SESSION_MATCH_CGROUP :
			kind == MATCH_GID ? SESSION_MATCH_GID : SESSION_MATCH_UID;
	if (kind == MATCH_CGROUP) {
		if (value[0] != '/') {
			ini_warn(in, line, "cgroup must be an absolute cgroup v2 path");
			return -EINVAL;
		}
		p->cgroup = l_strdup(value);
		p->rule->cgroup = l_strdup(value);
		return 0;
	}
	if (parse_id(value, kind == MATCH_GID, &p->id) < 0) {
		ini_warn(in, line, kind == MATCH_GID ? "unknown group" : "unknown user");
		return -EINVAL;
	}
	return 0;
}

static int set_bearers(struct ini_objects *in, struct policy *p, unsigned int line,
		       const char *value)
{
	char **list = l_strsplit_set(value, " \t,");
	char **clean = l_new(char *, 1);
	const char *bad = NULL;
	int err;

	for (char **b = list; *b; b++)
		if (**b)
			clean = l_strv_append(clean, *b);
	l_strv_free(list);
	err = session_bearers_validate(clean, &bad);
	if (err < 0) {
		ini_warn(in, line, "AllowedBearers names an unknown bearer");
		l_strv_free(clean);
		return err;
	}
	/* A repeated key replaces the earlier list, as in ConnMan's key files. */
	l_strv_free(p->rule->allowed_bearers);
	p->rule->allowed_bearers = clean;
	return 0;
}

static int set_key(struct ini_objects *in, void *object, const char *key, const char *value,
		   unsigned int line)
{
	struct policy *p = object;
	struct session_policy_rule *rule = p->rule;

	if (!strcmp(key, "uid"))
		return set_match(in, p, line, MATCH_UID, value);
	if (!strcmp(key, "gid"))
		return set_match(in, p, line, MATCH_GID, value);
	if (!strcmp(key, "cgroup"))
		return set_match(in, p, line, MATCH_CGROUP, value);
	if (!strcmp(key, "AllowedBearers"))
		return set_bearers(in, p, line, value);
	if (!strcmp(key, "ConnectionType")) {
		if (session_conn_type_parse(value, &rule->type) < 0) {
			ini_warn(in, line, "ConnectionType must be any, local or internet");
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(key, "Priority")) {
		if (strcmp(value, "true") && strcmp(value, "false")) {
			ini_warn(in, line, "Priority must be true or false");
			return -EINVAL;
		}
		rule->priority = !strcmp(value, "true");
		return 0;
	}
	if (!strcmp(key, "selinux")) {
		ini_warn(in, line, "selinux policies are not supported");
		return -EINVAL;
	}
	/* RoamingPolicy, EmergencyCall: ConnMan's, meaningless without cellular. */
	if (!strcmp(key, "RoamingPolicy") || !strcmp(key, "EmergencyCall"))
		return 0;
	ini_warn(in, line, "unknown key; ignored");
	return 0;
}

static void *begin_policy(struct ini_objects *in, const char *group, unsigned int line)
{
	struct policy *p = l_new(struct policy, 1);

	p->rule = l_new(struct session_policy_rule, 1);
	p->rule->refs = 1;
	return p;
}

static const struct ini_object_ops ops = {
	.prefix = "policy_",
	.begin = begin_policy,
	.key = set_key,
	.end = end_policy,
};

int session_policies_parse(struct session_policies *set, const char *file,
			   const char *text, size_t len)
{
	return ini_parse_objects(file, text, len, &ops, set, set->warn, set->data);
}

static void load_file(struct session_policies *set, const char *dir, const char *name)
{
	char *path = l_strdup_printf("%s/%s", dir, name);
	size_t len;
	char *text;
	int err = storage_read_file(path, CONFIG_FILE_MAX, &text, &len);

	if (err == 0) {
		session_policies_parse(set, path, text, len);
		l_free(text);
	} else {
		char *why = l_strdup_printf("cannot be read: %s", strerror(-err));

		set->warn(path, 0, why, set->data);
		l_free(why);
	}
	l_free(path);
}

int session_policies_load_dir(struct session_policies *set, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	l_queue_clear(set->list, policy_free);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (n > 7 && !strcmp(de->d_name + n - 7, ".policy"))
			load_file(set, dir, de->d_name);
	}
	closedir(d);
	return 0;
}

/* A policy's cgroup covers the cgroup itself and everything below it. */
static size_t cgroup_match_len(const char *policy, const char *cgroup)
{
	size_t n = strlen(policy);

	if (!cgroup || strncmp(policy, cgroup, n))
		return 0;
	if (cgroup[n] == '\0' || cgroup[n] == '/' || (n == 1 && policy[0] == '/'))
		return n;
	return 0;
}

const struct session_policy_rule *session_policies_lookup(const struct session_policies *set,
							  uint32_t uid, uint32_t gid,
							  const char *cgroup)
{
	const struct l_queue_entry *e;
	const struct policy *by_uid = NULL, *by_gid = NULL, *by_cgroup = NULL;
	size_t best = 0;

	for (e = l_queue_get_entries(set->list); e; e = e->next) {
		const struct policy *p = e->data;
		size_t n;

		switch (p->kind) {
		case MATCH_CGROUP:
			n = cgroup_match_len(p->cgroup, cgroup);
			if (n > best) {
				best = n;
				by_cgroup = p;
			}
			break;
		case MATCH_UID:
			if (!by_uid && p->id == uid)
				by_uid = p;
			break;
		case MATCH_GID:
			if (!by_gid && p->id == gid)
				by_gid = p;
			break;
		case MATCH_NONE:
			break;
		}
	}
	if (by_cgroup)
		return by_cgroup->rule;
	if (by_uid)
		return by_uid->rule;
	return by_gid ? by_gid->rule : NULL;
}
