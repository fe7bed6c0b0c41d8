/* The few bpf(2) commands connd issues once its BPF object is loaded
 * (bpf-load.h): a map element's update, deletion and lookup, a link that
 * attaches a program to a cgroup or to a network link's egress, and what a larger counters array takes
 * (src/sockmark-grow.c): a map made like another, a program loaded again
 * from its instructions, a link moved to it. Plain system calls, so that nothing
 * of libbpf need stay in connd's memory after the load. Each returns 0 (a
 * descriptor for bpf_sys_link_create) or a negative errno. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>

/* flags: BPF_ANY, BPF_NOEXIST or BPF_EXIST. */
int bpf_sys_map_update(int map, const void *key, const void *value, uint64_t flags);
int bpf_sys_map_delete(int map, const void *key);
/* -ENOENT when the map has no such key. */
int bpf_sys_map_lookup(int map, const void *key, void *value);

/* The program runs for `cgroup` (a directory's descriptor) and its
 * descendants while the returned descriptor is open, beside other
 * programs attached there. */
int bpf_sys_link_create(int program, int cgroup, enum bpf_attach_type type);
/* The program (a tc one) runs on the link's egress, after those attached
 * there before it, while the returned descriptor is open and the link
 * exists. -EINVAL where the kernel has no tcx (before 6.6). */
int bpf_sys_tcx_egress_create(int program, int ifindex);

/* The link runs `program` from now on in place of the one it had: no run
 * of the hook goes without one of them. */
int bpf_sys_link_update(int link, int program);

/* A map like `map` (type, key and value sizes, flags, name, BTF types,
 * `btf` being the descriptor of the BTF those name, or -1) but of
 * `max_entries`: its descriptor. */
int bpf_sys_map_create_like(int map, int btf, uint32_t max_entries);

/* A GPL program of `type` for `expected` from `n` instructions naming
 * their maps by descriptor (the verifier checks it again): its
 * descriptor. `name` is cut to the kernel's 15 characters. */
int bpf_sys_prog_load(enum bpf_prog_type type, enum bpf_attach_type expected,
		      const struct bpf_insn *insns, size_t n, const char *name);
