#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>
#include <ell/ell.h>
#include <bpf/libbpf.h>

#include "bpf-load.h"
#include "dl-syms.h"

/* libbpf 1.x, the API <bpf/libbpf.h> describes (meson.build asks for >= 1.0). */
#define LIBBPF_SONAME "libbpf.so.1"

/* The functions a load calls, typed by the header's declarations, which
 * connd compiles against but never links. */
struct libbpf {
	__typeof__(libbpf_set_print) *set_print;
	__typeof__(bpf_object__open_mem) *open_mem;
	__typeof__(bpf_object__find_map_by_name) *find_map;
	__typeof__(bpf_map__set_initial_value) *set_initial_value;
	__typeof__(bpf_map__set_max_entries) *set_max_entries;
	__typeof__(bpf_object__load) *load;
	__typeof__(bpf_object__find_program_by_name) *find_program;
	__typeof__(bpf_program__fd) *program_fd;
	__typeof__(bpf_program__expected_attach_type) *attach_type;
	__typeof__(bpf_map__fd) *map_fd;
	__typeof__(bpf_object__close) *close;
};

#define SYM(field, name) DL_SYM(struct libbpf, field, name)
static const struct dl_sym symbols[] = {
	SYM(set_print, "libbpf_set_print"),
	SYM(open_mem, "bpf_object__open_mem"),
	SYM(find_map, "bpf_object__find_map_by_name"),
	SYM(set_initial_value, "bpf_map__set_initial_value"),
	SYM(set_max_entries, "bpf_map__set_max_entries"),
	SYM(load, "bpf_object__load"),
	SYM(find_program, "bpf_object__find_program_by_name"),
	SYM(program_fd, "bpf_program__fd"),
	SYM(attach_type, "bpf_program__expected_attach_type"),
	SYM(map_fd, "bpf_map__fd"),
	SYM(close, "bpf_object__close"),
};

/* libbpf's messages (each starts "libbpf: ") for `-d`, whole: the
 * verifier's log is one message, its reason last. Its debug level (a line
 * per relocation) is left out. */
static int print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	char *msg;
	size_t len;

	if (level == LIBBPF_DEBUG)
		return 0;
	msg = l_strdup_vprintf(fmt, args);
	len = strlen(msg);
	if (len && msg[len - 1] == '\n')
		msg[len - 1] = '\0';
	l_debug("%s", msg);
	l_free(msg);
	return 0;
}

static void *open_libbpf(struct libbpf *lib, const char **why)
{
	void *handle = dlopen(LIBBPF_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (!handle) {
		*why = dlerror();
		return NULL;
	}
	if (dl_syms(handle, symbols, L_ARRAY_SIZE(symbols), lib) < 0) {
		dlclose(handle);
		*why = "a libbpf function connd needs is missing";
		return NULL;
	}
	return handle;
}

/* A descriptor of the caller's own: closing the object closes libbpf's. */
static int keep(int fd)
{
	if (fd < 0)
		return fd;
	fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	return fd < 0 ? -errno : fd;
}

static int take_program(const struct libbpf *lib, const struct bpf_object *obj,
			struct bpf_load_program *p)
{
	struct bpf_program *prog = lib->find_program(obj, p->name);

	if (!prog)
		return -ENOENT;
	p->attach_type = lib->attach_type(prog);
	p->fd = keep(lib->program_fd(prog));
	return p->fd < 0 ? p->fd : 0;
}

static int take_map(const struct libbpf *lib, const struct bpf_object *obj, struct bpf_load_map *m)
{
	struct bpf_map *map = lib->find_map(obj, m->name);

	if (!map)
		return -ENOENT;
	m->fd = keep(lib->map_fd(map));
	return m->fd < 0 ? m->fd : 0;
}

static int take_fds(const struct libbpf *lib, const struct bpf_object *obj,
		    struct bpf_load *load)
{
	int err = 0;

	for (size_t i = 0; i < load->n_programs && !err; i++)
		err = take_program(lib, obj, &load->programs[i]);
	for (size_t i = 0; i < load->n_maps && !err; i++)
		err = take_map(lib, obj, &load->maps[i]);
	return err;
}

static void reset_fd(int *fd, bool opened)
{
	if (opened && *fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Every fd to -1, closing those taken when `opened`. */
static void reset_fds(struct bpf_load *load, bool opened)
{
	for (size_t i = 0; i < load->n_programs; i++)
		reset_fd(&load->programs[i].fd, opened);
	for (size_t i = 0; i < load->n_maps; i++)
		reset_fd(&load->maps[i].fd, opened);
}

static int set_rodata(const struct libbpf *lib, struct bpf_object *obj,
		      const struct bpf_load *load)
{
	struct bpf_map *rodata;

	if (!load->rodata)
		return 0;
	rodata = lib->find_map(obj, ".rodata");
	if (!rodata)
		return -ENOENT;
	return lib->set_initial_value(rodata, load->rodata, load->rodata_len);
}

/* The sizes the caller gives, in place of the object's. */
static int set_sizes(const struct libbpf *lib, struct bpf_object *obj,
		     const struct bpf_load *load)
{
	for (size_t i = 0; i < load->n_maps; i++) {
		const struct bpf_load_map *m = &load->maps[i];
		struct bpf_map *map;
		int err;

		if (!m->max_entries)
			continue;
		map = lib->find_map(obj, m->name);
		if (!map)
			return -ENOENT;
		err = lib->set_max_entries(map, m->max_entries);
		if (err < 0)
			return err;
	}
	return 0;
}

/* libbpf 1.x returns negative errnos (NULL and errno for objects). */
static int load_with(const struct libbpf *lib, struct bpf_load *load)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = load->object_name);
	struct bpf_object *obj = lib->open_mem(load->elf, load->elf_len, &opts);
	int err;

	if (!obj)
		return -errno;
	err = set_rodata(lib, obj, load);
	if (err == 0)
		err = set_sizes(lib, obj, load);
	if (err == 0)
		err = lib->load(obj);
	if (err == 0)
		err = take_fds(lib, obj, load);
	lib->close(obj);
	return err;
}

int bpf_load(struct bpf_load *load, const char **why)
{
	struct libbpf lib;
	void *handle;
	int err;

	reset_fds(load, false);
	handle = open_libbpf(&lib, why);
	if (!handle)
		return -ELIBACC;
	lib.set_print(print);
	err = load_with(&lib, load);
	dlclose(handle);
	if (err < 0) {
		reset_fds(load, true);
		*why = strerror(-err);
	}
	return err;
}
