// SPDX-License-Identifier: LGPL-2.1-or-later
/* Data types: sizes, byte order, nft's type ids; element helpers; cgroup ids. */
#include <arpa/inet.h>
#include <errno.h>
#include <endian.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <net/if.h>

#include "internal.h"

struct type_info {
	int len;
	bool host;
	uint32_t nft_id;	/* nft's datatype number, so `nft list` prints values */
};

static const struct type_info types[] = {
	[NFTKIT_TYPE_VERDICT] = { 16, true, 1 },
	[NFTKIT_TYPE_IPV4] = { 4, false, 7 },
	[NFTKIT_TYPE_IPV6] = { 16, false, 8 },
	[NFTKIT_TYPE_PORT] = { 2, false, 13 },
	[NFTKIT_TYPE_PROTO] = { 1, true, 12 },
	[NFTKIT_TYPE_MARK] = { 4, true, 19 },
	[NFTKIT_TYPE_UID] = { 4, true, 24 },
	[NFTKIT_TYPE_GID] = { 4, true, 25 },
	[NFTKIT_TYPE_IFNAME] = { IFNAMSIZ, false, 41 },
	[NFTKIT_TYPE_IFINDEX] = { 4, true, 20 },
	[NFTKIT_TYPE_CGROUPV2] = { 8, true, 46 },
	[NFTKIT_TYPE_INTEGER] = { 4, true, 4 },
	[NFTKIT_TYPE_ETHER] = { 6, false, 9 },
};

static const struct type_info *info(enum nftkit_type t)
{
	if ((unsigned int)t >= sizeof(types) / sizeof(types[0]) || !types[t].len)
		return NULL;
	return &types[t];
}

int nk_type_len(enum nftkit_type t)
{
	return info(t) ? info(t)->len : -EINVAL;
}

bool nk_type_host_order(enum nftkit_type t)
{
	return info(t) ? info(t)->host : true;
}

/* nft's byte order enum: 1 host, 2 big endian; strings count as host. */
uint32_t nk_type_udata_order(enum nftkit_type t)
{
	return t == NFTKIT_TYPE_IFNAME || nk_type_host_order(t) ? 1 : 2;
}

uint32_t nk_type_nft_id(enum nftkit_type t)
{
	return info(t) ? info(t)->nft_id : 0;
}

/* Writes an integer value of type t in its byte order; returns its length. */
int nk_put_value(uint8_t *dst, enum nftkit_type t, uint64_t v)
{
	int len = nk_type_len(t), i;

	if (len <= 0 || len > 8)
		return -EINVAL;
	if (len < 8 && v >> (8 * len))
		return -ERANGE;
	for (i = 0; i < len; i++) {
		int shift = nk_type_host_order(t) ? (__BYTE_ORDER == __LITTLE_ENDIAN ? i : len - 1 - i)
						  : len - 1 - i;
		dst[i] = (uint8_t)(v >> (8 * shift));
	}
	return len;
}

int nk_parse_addr(const char *text, int *af, uint8_t addr[16], int *prefix)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	long p;

	if (!text || strlen(text) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, text);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = 0;
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, buf, addr) == 1)
		*af = AF_INET;
	else if (inet_pton(AF_INET6, buf, addr) == 1)
		*af = AF_INET6;
	else
		return -EINVAL;
	*prefix = *af == AF_INET ? 32 : 128;
	if (slash) {
		p = strtol(slash, &end, 10);
		if (*end || p < 0 || p > *prefix)
			return -EINVAL;
		*prefix = (int)p;
	}
	return 0;
}

void nftkit_elem_init(struct nftkit_elem *e)
{
	memset(e, 0, sizeof(*e));
}

static int key_room(struct nftkit_elem *e, int len)
{
	/* each field of a concatenation starts on a register boundary */
	size_t off = nk_round4(e->key_len);

	if (off + (size_t)len > sizeof(e->key))
		return -ENOSPC;
	memset(e->key + e->key_len, 0, off - e->key_len);
	return (int)off;
}

int nftkit_elem_key(struct nftkit_elem *e, enum nftkit_type type, uint64_t value)
{
	int off = key_room(e, nk_type_len(type)), len;

	if (off < 0 || nk_type_len(type) <= 0)
		return -EINVAL;
	len = nk_put_value(e->key + off, type, value);
	if (len < 0)
		return len;
	e->key_len = (uint8_t)(off + len);
	return 0;
}

int nftkit_elem_key_str(struct nftkit_elem *e, enum nftkit_type type, const char *text)
{
	uint8_t a[16];
	int af, prefix, off;

	if (type == NFTKIT_TYPE_IFNAME) {
		if (!text || strlen(text) >= IFNAMSIZ)
			return -EINVAL;
		off = key_room(e, IFNAMSIZ);
		if (off < 0)
			return off;
		memset(e->key + off, 0, IFNAMSIZ);
		memcpy(e->key + off, text, strlen(text));
		e->key_len = (uint8_t)(off + IFNAMSIZ);
		return 0;
	}
	if (nk_parse_addr(text, &af, a, &prefix) || (type == NFTKIT_TYPE_IPV4) != (af == AF_INET) ||
	    (type != NFTKIT_TYPE_IPV4 && type != NFTKIT_TYPE_IPV6))
		return -EINVAL;
	off = key_room(e, nk_type_len(type));
	if (off < 0)
		return off;
	memcpy(e->key + off, a, (size_t)nk_type_len(type));
	e->key_len = (uint8_t)(off + nk_type_len(type));
	return 0;
}

int nftkit_elem_key_prefix(struct nftkit_elem *e, enum nftkit_type type, const char *cidr)
{
	uint8_t a[16];
	int af, prefix, len = nk_type_len(type), i;

	if ((type != NFTKIT_TYPE_IPV4 && type != NFTKIT_TYPE_IPV6) ||
	    nk_parse_addr(cidr, &af, a, &prefix) || (type == NFTKIT_TYPE_IPV4) != (af == AF_INET))
		return -EINVAL;
	for (i = 0; i < len; i++) {
		int bits = prefix - 8 * i;
		uint8_t mask = bits >= 8 ? 0xff : bits <= 0 ? 0 : (uint8_t)(0xff << (8 - bits));

		e->key[i] = a[i] & mask;
		e->key_end[i] = (uint8_t)(a[i] | ~mask);
	}
	e->key_len = e->key_end_len = (uint8_t)len;
	return 0;
}

int nftkit_elem_data(struct nftkit_elem *e, enum nftkit_type type, uint64_t value)
{
	int len = nk_put_value(e->data, type, value);

	if (len < 0)
		return len;
	e->data_len = (uint8_t)len;
	return 0;
}

/* ---- cgroup v2 ---- */

int nftkit_cgroupv2_mount(char *out, size_t size)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL, *dash, mnt[PATH_MAX], fstype[64];
	size_t cap = 0;
	int r = -ENOENT;

	if (!f)
		return -errno;
	while (getline(&line, &cap, f) > 0) {
		/* id parent maj:min root mountpoint opts [optional...] - fstype source opts */
		dash = strstr(line, " - ");
		if (!dash || sscanf(dash + 3, "%63s", fstype) != 1 || strcmp(fstype, "cgroup2"))
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1)
			continue;
		r = strlen(mnt) < size ? 0 : -ENAMETOOLONG;
		if (r == 0)
			strcpy(out, mnt);
		break;
	}
	free(line);
	fclose(f);
	return r;
}

int nftkit_cgroupv2_id(const char *path, uint64_t *id, unsigned int *level)
{
	char mnt[PATH_MAX], full[PATH_MAX * 2];
	const char *rel, *p;
	size_t ml;
	unsigned int depth = 0;
	struct stat st;
	int r;

	if (!path)
		return -EINVAL;
	r = nftkit_cgroupv2_mount(mnt, sizeof(mnt));
	if (r)
		return r;
	ml = strlen(mnt);
	if (!strncmp(path, mnt, ml) && (path[ml] == '/' || !path[ml]))
		rel = path + ml;
	else
		rel = path;
	while (*rel == '/')
		rel++;
	snprintf(full, sizeof(full), "%s/%s", mnt, rel);
	if (stat(full, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	for (p = rel; *p; p++) {
		if (*p != '/' && (p == rel || p[-1] == '/'))
			depth++;
	}
	if (id)
		*id = st.st_ino;
	if (level)
		*level = depth;
	return 0;
}
