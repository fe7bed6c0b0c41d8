#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "bpf-sys.h"

/* The whole union, zeroed: the kernel takes any size up to its own and
 * refuses non-zero bytes it does not know. */
static int sys_bpf(enum bpf_cmd cmd, union bpf_attr *attr)
{
	long ret = syscall(__NR_bpf, cmd, attr, sizeof(*attr));

	return ret < 0 ? -errno : (int)ret;
}

static uint64_t ptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static int elem(enum bpf_cmd cmd, int map, const void *key, const void *value, uint64_t flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)map;
	attr.key = ptr(key);
	attr.value = ptr(value);
	attr.flags = flags;
	return sys_bpf(cmd, &attr);
}

int bpf_sys_map_update(int map, const void *key, const void *value, uint64_t flags)
{
	return elem(BPF_MAP_UPDATE_ELEM, map, key, value, flags);
}

int bpf_sys_map_delete(int map, const void *key)
{
	return elem(BPF_MAP_DELETE_ELEM, map, key, NULL, 0);
}

int bpf_sys_map_lookup(int map, const void *key, void *value)
{
	return elem(BPF_MAP_LOOKUP_ELEM, map, key, value, 0);
}

/* `target`: a cgroup's descriptor or a network link's index (the
 * attribute's target_fd and target_ifindex share their place). */
static int link_create(int program, int target, enum bpf_attach_type type)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.link_create.prog_fd = (uint32_t)program;
	attr.link_create.target_fd = (uint32_t)target;
	attr.link_create.attach_type = type;
	return sys_bpf(BPF_LINK_CREATE, &attr);
}

int bpf_sys_link_create(int program, int cgroup, enum bpf_attach_type type)
{
	return link_create(program, cgroup, type);
}

/* Kernel headers older than 6.6 lack it; the kernel's value is fixed. */
#define TCX_EGRESS ((enum bpf_attach_type)47)	/* BPF_TCX_EGRESS */

int bpf_sys_tcx_egress_create(int program, int ifindex)
{
	return link_create(program, ifindex, TCX_EGRESS);
}

int bpf_sys_link_update(int link, int program)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.link_update.link_fd = (uint32_t)link;
	attr.link_update.new_prog_fd = (uint32_t)program;
	return sys_bpf(BPF_LINK_UPDATE, &attr);
}

static int map_info(int map, struct bpf_map_info *info)
{
	union bpf_attr attr;

	memset(info, 0, sizeof(*info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = (uint32_t)map;
	attr.info.info_len = sizeof(*info);
	attr.info.info = ptr(info);
	return sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr);
}

int bpf_sys_map_create_like(int map, int btf, uint32_t max_entries)
{
	struct bpf_map_info info;
	union bpf_attr attr;
	int err = map_info(map, &info);

	if (err < 0)
		return err;
	memset(&attr, 0, sizeof(attr));
	attr.map_type = info.type;
	attr.key_size = info.key_size;
	attr.value_size = info.value_size;
	attr.max_entries = max_entries;
	attr.map_flags = info.map_flags;
	memcpy(attr.map_name, info.name, sizeof(attr.map_name));
	if (btf >= 0 && info.btf_value_type_id) {
		attr.btf_fd = (uint32_t)btf;
		attr.btf_key_type_id = info.btf_key_type_id;
		attr.btf_value_type_id = info.btf_value_type_id;
	}
	return sys_bpf(BPF_MAP_CREATE, &attr);
}

int bpf_sys_prog_load(enum bpf_prog_type type, enum bpf_attach_type expected,
		      const struct bpf_insn *insns, size_t n, const char *name)
{
	static const char license[] = "GPL";
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = type;
	attr.expected_attach_type = expected;
	attr.insns = ptr(insns);
	attr.insn_cnt = (uint32_t)n;
	attr.license = ptr(license);
	memcpy(attr.prog_name, name, strnlen(name, sizeof(attr.prog_name) - 1));
	return sys_bpf(BPF_PROG_LOAD, &attr);
}
