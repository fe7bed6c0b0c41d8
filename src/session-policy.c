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

enum match_kind { MATCH_NONE, MATCH_UID, MATCH_GID, MATCH_CGROUP };

struct policy {
	enum match_kind kind;
	uint32_t id;
	char *cgroup;
	struct session_policy_rule rule;
};

struct session_policies {
	struct l_queue *list;
	policy_warn_fn warn;
	void *data;
};

/* The state of reading one file. */
struct reader {
	struct session_policies *set;
	const char *file;
	struct policy *current;
	unsigned int current_line;
	bool current_bad;
};

static void policy_free(void *data)
{
	struct policy *p = data;

	l_strv_free(p->rule.allowed_bearers);
	l_free(p->cgroup);
	l_free(p->rule.cgroup);
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

static void warn(struct reader *r, unsigned int line, const char *why)
{
	r->set->warn(r->file, line, why, r->set->data);
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

/* Ends the policy being read: kept only if it named exactly one match. */
static void finish_policy(struct reader *r)
{
	struct policy *p = r->current;

	r->current = NULL;
	if (!p)
		return;
	if (!r->current_bad && p->kind == MATCH_NONE) {
		warn(r, r->current_line, "policy names no uid, gid or cgroup; ignored");
		r->current_bad = true;
	}
	if (r->current_bad)
		policy_free(p);
	else
		l_queue_push_tail(r->set->list, p);
}

static int set_match(struct reader *r, unsigned int line, enum match_kind kind, const char *value)
{
	struct policy *p = r->current;

	if (p->kind != MATCH_NONE) {
		warn(r, line, "a policy matches on exactly one of uid, gid or cgroup");
		return -EINVAL;
	}
	p->kind = kind;
	p->rule.match = kind == MATCH_CGROUP ? SESSION_MATCH_CGROUP :
			kind == MATCH_GID ? SESSION_MATCH_GID : SESSION_MATCH_UID;
	if (kind == MATCH_CGROUP) {
		if (value[0] != '/') {
			warn(r, line, "cgroup must be an absolute cgroup v2 path");
			return -EINVAL;
		}
		p->cgroup = l_strdup(value);
		p->rule.cgroup = l_strdup(value);
		return 0;
	}
	if (parse_id(value, kind == MATCH_GID, &p->id) < 0) {
		warn(r, line, kind == MATCH_GID ? "unknown group" : "unknown user");
		return -EINVAL;
	}
	return 0;
}

static int set_bearers(struct reader *r, unsigned int line, const char *value)
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
		warn(r, line, "AllowedBearers names an unknown bearer");
		l_strv_free(clean);
		return err;
	}
	/* A repeated key replaces the earlier list, as in ConnMan's key files. */
	l_strv_free(r->current->rule.allowed_bearers);
	r->current->rule.allowed_bearers = clean;
	return 0;
}

static int set_key(struct reader *r, const char *key, const char *value, unsigned int line)
{
	struct session_policy_rule *rule = &r->current->rule;

	if (!strcmp(key, "uid"))
		return set_match(r, line, MATCH_UID, value);
	if (!strcmp(key, "gid"))
		return set_match(r, line, MATCH_GID, value);
	if (!strcmp(key, "cgroup"))
		return set_match(r, line, MATCH_CGROUP, value);
	if (!strcmp(key, "AllowedBearers"))
		return set_bearers(r, line, value);
	if (!strcmp(key, "ConnectionType")) {
		if (session_conn_type_parse(value, &rule->type) < 0) {
			warn(r, line, "ConnectionType must be any, local or internet");
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(key, "Priority")) {
		if (strcmp(value, "true") && strcmp(value, "false")) {
			warn(r, line, "Priority must be true or false");
			return -EINVAL;
		}
		rule->priority = !strcmp(value, "true");
		return 0;
	}
	if (!strcmp(key, "selinux")) {
		warn(r, line, "selinux policies are not supported");
		return -EINVAL;
	}
	/* RoamingPolicy, EmergencyCall: ConnMan's, meaningless without cellular. */
	if (!strcmp(key, "RoamingPolicy") || !strcmp(key, "EmergencyCall"))
		return 0;
	warn(r, line, "unknown key; ignored");
	return 0;
}

static int on_entry(const char *group, const char *key, const char *value, unsigned int line,
		    void *data)
{
	struct reader *r = data;

	if (!key) {
		finish_policy(r);
		if (strncmp(group, "policy_", 7)) {
			warn(r, line, "groups must be named [policy_NAME]; ignored");
			return 0;
		}
		r->current = l_new(struct policy, 1);
		r->current_line = line;
		r->current_bad = false;
		return 0;
	}
	if (!r->current || r->current_bad)
		return 0;
	if (set_key(r, key, value, line) < 0)
		r->current_bad = true;
	return 0;
}

static void on_error(unsigned int line, const char *why, void *data)
{
	struct reader *r = data;

	warn(r, line, why);
	if (r->current)
		r->current_bad = true;
}

int session_policies_parse(struct session_policies *set, const char *file,
			   const char *text, size_t len)
{
	struct reader r = { .set = set, .file = file };
	int err = ini_parse(text, len, on_entry, on_error, &r);

	finish_policy(&r);
	return err;
}

static void load_file(struct session_policies *set, const char *dir, const char *name)
{
	char *path = l_strdup_printf("%s/%s", dir, name);
	size_t len;
	char *text = l_file_get_contents(path, &len);

	if (text)
		session_policies_parse(set, path, text, len);
	else
		set->warn(path, 0, "cannot be read", set->data);
	l_free(text);
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
		return &by_cgroup->rule;
	if (by_uid)
		return &by_uid->rule;
	return by_gid ? &by_gid->rule : NULL;
}
