/* The functions connd takes from a library it opens with dlopen (GnuTLS in
 * tls-lib.c, libbpf in bpf-load.c), looked up by name into a struct of
 * function pointers, each at its field's offset. */
#pragma once

#include <stddef.h>

struct dl_sym {
	const char *name;
	size_t offset;		/* of its pointer in the caller's struct */
};

#define DL_SYM(type, field, name) { name, offsetof(type, field) }

/* 0 with every pointer of `table` set, -ENOENT when the library lacks one
 * (the table then partly set). */
int dl_syms(void *handle, const struct dl_sym *syms, size_t n, void *table);
