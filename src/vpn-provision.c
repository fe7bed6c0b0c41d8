#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <ell/ell.h>

#include "config-files.h"
#include "vpn.h"
#include "vpn-config.h"
#include "vpn-provision.h"

struct vpn_provision {
	struct vpn *vpn;
	char *dir;
	struct vpn_config **applied;	/* the entries that made a connection */
	struct l_dir_watch *watch;
};

static void warn(const char *file, unsigned int line, const char *why, void *data)
{
	l_warn("%s:%u: %s", file, line, why);
}

static void read_file(const char *path, const char *text, size_t len, void *data)
{
	vpn_config_parse(path, text, len, data, warn, NULL);
}

static char *path_of(const struct vpn_config *c)
{
	struct vpn_request req;

	vpn_config_request(c, &req);
	return vpn_request_path(&req);
}

static const struct vpn_config *find_same_path(struct vpn_config **list, const char *path)
{
	for (struct vpn_config **c = list; c && *c; c++) {
		char *p = path_of(*c);
		bool same = !strcmp(p, path);

		l_free(p);
		if (same)
			return *c;
	}
	return NULL;
}

static bool has_equal(struct vpn_config **list, const struct vpn_config *c)
{
	for (struct vpn_config **e = list; e && *e; e++)
		if (vpn_config_equal(*e, c))
			return true;
	return false;
}

static void unprovision(struct vpn_provision *vp, const struct vpn_config *c)
{
	char *path = path_of(c);

	if (vpn_remove_provisioned(vp->vpn, path) == 0)
		l_info("vpn: %s [%s] is gone: its connection is removed", c->file, c->group);
	l_free(path);
}

/* 0, or <0 after saying why in the log. */
static int provision(struct vpn_provision *vp, struct vpn_config **kept,
		     const struct vpn_config *c)
{
	char *path = path_of(c);
	const struct vpn_config *first = find_same_path(kept, path);
	struct vpn_request req;
	struct vpn_conn *conn;
	const char *why = NULL;
	int err;

	if (first) {
		l_warn("%s [%s]: not provisioned: %s [%s] already provisions %s", c->file,
		       c->group, first->file, first->group, path);
		l_free(path);
		return -EEXIST;
	}
	l_free(path);
	if (has_equal(vp->applied, c))
		return 0;	/* unchanged: the connection stays as it is */
	vpn_config_request(c, &req);
	err = vpn_create(vp->vpn, &req, &conn, &why);
	if (err < 0) {
		l_warn("%s [%s]: not provisioned: %s", c->file, c->group, why);
		return err;
	}
	l_info("vpn: %s provisioned by %s [%s]", vpn_conn_path(conn), c->file, c->group);
	return 0;
}

/* What the files say now against what was applied: entries gone or
 * changed are removed first, then the new and changed ones created. */
static void reload(struct vpn_provision *vp)
{
	struct vpn_config **fresh = NULL, **kept;
	unsigned int n = 0;

	config_files_read(vp->dir, read_file, &fresh);
	for (struct vpn_config **c = vp->applied; c && *c; c++)
		if (!has_equal(fresh, *c))
			unprovision(vp, *c);
	kept = l_new(struct vpn_config *, l_strv_length((char **)fresh) + 1);
	for (struct vpn_config **c = fresh; c && *c; c++) {
		if (provision(vp, kept, *c) == 0)
			kept[n++] = *c;
		else
			vpn_config_free(*c);
	}
	l_free(fresh);
	vpn_config_list_free(vp->applied);
	vp->applied = kept;
}

static void dir_changed(void *data)
{
	reload(data);
}

struct vpn_provision *vpn_provision_new(struct vpn *vpn, const char *dir)
{
	struct vpn_provision *vp = l_new(struct vpn_provision, 1);

	vp->vpn = vpn;
	vp->dir = l_strdup(dir);
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		l_debug("vpn: cannot create %s: %s", dir, strerror(errno));
	reload(vp);
	vp->watch = config_files_watch(dir, dir_changed, vp);
	if (!vp->watch)
		l_warn("vpn: %s is not watched: files added later are not seen", dir);
	return vp;
}

void vpn_provision_free(struct vpn_provision *vp)
{
	if (!vp)
		return;
	l_dir_watch_destroy(vp->watch);
	vpn_config_list_free(vp->applied);
	l_free(vp->dir);
	l_free(vp);
}
