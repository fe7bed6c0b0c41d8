/* The few bpf(2) commands connd issues once its BPF object is loaded
 * (bpf-load.h): a map element's update, deletion and lookup, and a link
 * that attaches a program to a cgroup. Plain system calls, so that nothing
 * of libbpf need stay in connd's memory after the load. Each returns 0 (a
 * descriptor for bpf_sys_link_create) or a negative errno. */
#pragma once

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
