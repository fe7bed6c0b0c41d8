/* A BPF object (an ELF file in memory) loaded into the kernel by libbpf,
 * which is opened with dlopen for the load and closed right after it:
 * libbpf, with the libelf and libz it pulls in, was 456 KiB of connd's
 * resident memory for a job done once, at start. What a load leaves is
 * descriptors, the programs' and the maps', owned by the caller; whatever
 * comes after goes through bpf(2) (bpf-sys.h). libbpf's messages, the
 * verifier's log among them, go to connd's debug log (`-d`). */
#pragma once

#include <stddef.h>
#include <linux/bpf.h>

struct bpf_load_program {
	const char *name;			/* the program's function */
	int fd;					/* out */
	enum bpf_attach_type attach_type;	/* out: as its section names it */
	enum bpf_prog_type type;		/* out */
	/* out: the instructions as loaded, each map named by the caller's
	 * descriptor of it (struct bpf_load_map), so that the program can be
	 * loaded again by bpf(2) alone (bpf_sys_prog_load); l_free()d by the
	 * caller. */
	struct bpf_insn *insns;
	size_t n_insns;
};

struct bpf_load_map {
	const char *name;
	unsigned int max_entries;		/* set before the load; 0: the object's */
	int fd;					/* out */
};

struct bpf_load {
	const void *elf;
	size_t elf_len;
	const char *object_name;
	const void *rodata;	/* the programs' read-only data, set before the load */
	size_t rodata_len;
	struct bpf_load_program *programs;
	size_t n_programs;
	struct bpf_load_map *maps;	/* every map the programs use, ".rodata" too */
	size_t n_maps;
	int btf;			/* out: the object's BTF, for maps made alike */
};

/* 0 with every fd set, or a negative errno with none open and *why saying
 * what failed (dlerror()'s text or strerror()'s, valid until the next
 * call). -ENOENT when a program uses a map the caller did not name. */
int bpf_load(struct bpf_load *load, const char **why);
