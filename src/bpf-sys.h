/* The few bpf(2) commands connd issues once its BPF object is loaded: a
 * map element's update, deletion and lookup. Plain system calls, with no
 * library's state or allocation behind them. Each returns 0 or a negative
 * errno. */
#pragma once

#include <stdint.h>
#include <linux/bpf.h>

/* flags: BPF_ANY, BPF_NOEXIST or BPF_EXIST. */
int bpf_sys_map_update(int map, const void *key, const void *value, uint64_t flags);
int bpf_sys_map_delete(int map, const void *key);
/* -ENOENT when the map has no such key. */
int bpf_sys_map_lookup(int map, const void *key, void *value);
