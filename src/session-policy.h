/* Session policies: which applications may use what, from files in a
 * configuration directory (ConnMan's session_policy_local format, plus a
 * cgroup key). The most specific match wins: cgroup, then uid, then gid.
 *
 *   [policy_browser]
 *   uid = alice            # a name or a number; or gid = ..., or cgroup = /path
 *   AllowedBearers = ethernet wifi
 *   ConnectionType = internet
 *   Priority = true
 */
#pragma once

#include <stdint.h>
#include <stddef.h>

struct session_policies;
struct session_policy_rule;

typedef void (*policy_warn_fn)(const char *file, unsigned int line, const char *why, void *data);

struct session_policies *session_policies_new(policy_warn_fn warn, void *data);
void session_policies_free(struct session_policies *policies);

/* Replaces every policy with those of DIR's files (*.policy). */
int session_policies_load_dir(struct session_policies *policies, const char *dir);
/* Adds the policies of one file's text; a malformed policy is warned about
 * (file and line) and skipped, the others are kept. */
int session_policies_parse(struct session_policies *policies, const char *file,
			   const char *text, size_t len);
unsigned int session_policies_count(const struct session_policies *policies);

/* NULL when no policy matches. The rule lives as long as its policy, or
 * as long as a reference taken on it. */
const struct session_policy_rule *session_policies_lookup(const struct session_policies *policies,
							  uint32_t uid, uint32_t gid,
							  const char *cgroup);

/* A reference on a rule (returned), released with _unref; a static rule
 * (refs 0) is neither counted nor freed. */
const struct session_policy_rule *session_policy_rule_ref(const struct session_policy_rule *rule);
void session_policy_rule_unref(const struct session_policy_rule *rule);	/* accepts NULL */
