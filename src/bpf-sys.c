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

int bpf_sys_link_create(int program, int cgroup, enum bpf_attach_type type)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.link_create.prog_fd = (uint32_t)program;
	attr.link_create.target_fd = (uint32_t)cgroup;
	attr.link_create.attach_type = type;
	return sys_bpf(BPF_LINK_CREATE, &attr);
}
