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
	__typeof__(bpf_program__type) *program_type;
	__typeof__(bpf_program__insns) *insns;
	__typeof__(bpf_program__insn_cnt) *insn_cnt;
	__typeof__(bpf_object__btf_fd) *btf_fd;
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
	SYM(program_type, "bpf_program__type"),
	SYM(insns, "bpf_program__insns"),
	SYM(insn_cnt, "bpf_program__insn_cnt"),
	SYM(btf_fd, "bpf_object__btf_fd"),
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

static int take_map(const struct libbpf *lib, const struct bpf_object *obj, struct bpf_load_map *m)
{
	struct bpf_map *map = lib->find_map(obj, m->name);

	if (!map)
		return -ENOENT;
	m->fd = keep(lib->map_fd(map));
	return m->fd < 0 ? m->fd : 0;
}

/* The caller's descriptor of the map libbpf has as `fd`, or -ENOENT. */
static int caller_fd(const struct libbpf *lib, const struct bpf_object *obj,
		     const struct bpf_load *load, int fd)
{
	for (size_t i = 0; i < load->n_maps; i++)
		if (lib->map_fd(lib->find_map(obj, load->maps[i].name)) == fd)
			return load->maps[i].fd;
	return -ENOENT;
}

/* After the load, libbpf's instructions name its own descriptors of the
 * maps (ld_imm64 of a map or of a map value, the fd in imm), which its
 * close closes: they are made to name the caller's. */
static int retarget_maps(const struct libbpf *lib, const struct bpf_object *obj,
			 const struct bpf_load *load, struct bpf_insn *insns, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		struct bpf_insn *insn = &insns[i];
		int fd;

		if (insn->code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		i++;	/* the second half of the 16-byte instruction */
		if (insn->src_reg != BPF_PSEUDO_MAP_FD && insn->src_reg != BPF_PSEUDO_MAP_VALUE)
			continue;
		fd = caller_fd(lib, obj, load, insn->imm);
		if (fd < 0)
			return fd;
		insn->imm = fd;
	}
	return 0;
}

static int take_program(const struct libbpf *lib, const struct bpf_object *obj,
			const struct bpf_load *load, struct bpf_load_program *p)
{
	struct bpf_program *prog = lib->find_program(obj, p->name);

	if (!prog)
		return -ENOENT;
	p->attach_type = lib->attach_type(prog);
	p->type = lib->program_type(prog);
	p->n_insns = lib->insn_cnt(prog);
	p->insns = l_memdup(lib->insns(prog), p->n_insns * sizeof(*p->insns));
	p->fd = keep(lib->program_fd(prog));
	if (p->fd < 0)
		return p->fd;
	return retarget_maps(lib, obj, load, p->insns, p->n_insns);
}

/* The maps first: the programs' instructions are made to name them. */
static int take_fds(const struct libbpf *lib, const struct bpf_object *obj,
		    struct bpf_load *load)
{
	int err = 0;

	for (size_t i = 0; i < load->n_maps && !err; i++)
		err = take_map(lib, obj, &load->maps[i]);
	for (size_t i = 0; i < load->n_programs && !err; i++)
		err = take_program(lib, obj, load, &load->programs[i]);
	if (err)
		return err;
	if (lib->btf_fd(obj) < 0)
		return 0;	/* none: load->btf stays -1 */
	load->btf = keep(lib->btf_fd(obj));
	return load->btf < 0 ? load->btf : 0;
}

static void reset_fd(int *fd, bool opened)
{
	if (opened && *fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Every fd to -1, closing those taken when `opened`, and no instruction
 * kept. */
static void reset_fds(struct bpf_load *load, bool opened)
{
	for (size_t i = 0; i < load->n_programs; i++) {
		reset_fd(&load->programs[i].fd, opened);
		if (opened)
			l_free(load->programs[i].insns);
		load->programs[i].insns = NULL;
		load->programs[i].n_insns = 0;
	}
	for (size_t i = 0; i < load->n_maps; i++)
		reset_fd(&load->maps[i].fd, opened);
	reset_fd(&load->btf, opened);
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
