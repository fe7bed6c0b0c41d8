// SPDX-License-Identifier: LGPL-2.1-or-later
/* The handle: one netlink socket, requests and their replies. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/common.h>

#include "internal.h"

#define NK_BUFLEN (256 * 1024)

struct nftkit *nftkit_new(void)
{
	struct nftkit *nk = calloc(1, sizeof(*nk));
	int one = 1;

	if (!nk)
		return NULL;
	nk->buflen = NK_BUFLEN;
	nk->buf = malloc(nk->buflen);
	nk->nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
	if (!nk->buf || !nk->nl || mnl_socket_bind(nk->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno ? errno : ENOMEM;

		nftkit_free(nk);
		errno = e;
		return NULL;
	}
	nk->portid = mnl_socket_get_portid(nk->nl);
	/* Errors carry only the header of the failed message, not the payload:
	 * a failed bulk element message would otherwise be echoed whole. */
	mnl_socket_setsockopt(nk->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nk->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	nk->seq = (uint32_t)time(NULL) << 8;
	return nk;
}

void nftkit_free(struct nftkit *nk)
{
	if (!nk)
		return;
	if (nk->nl)
		mnl_socket_close(nk->nl);
	free(nk->buf);
	free(nk);
}

int nk_grow_sndbuf(struct nftkit *nk, size_t len)
{
	int want;

	if (len + 4096 <= (size_t)nk->sndbuf)
		return 0;
	if (len > (size_t)INT32_MAX / 2 - 4096)
		return -EMSGSIZE;
	want = (int)(len + 4096);
	/* FORCE needs CAP_NET_ADMIN, which nftables needs anyway; plain
	 * SO_SNDBUF is capped by net.core.wmem_max. */
	if (setsockopt(mnl_socket_get_fd(nk->nl), SOL_SOCKET, SO_SNDBUFFORCE, &want, sizeof(want)) &&
	    setsockopt(mnl_socket_get_fd(nk->nl), SOL_SOCKET, SO_SNDBUF, &want, sizeof(want)))
		return -errno;
	nk->sndbuf = want;
	return 0;
}

struct nlmsghdr *nk_msg(struct nftkit *nk, uint16_t type, uint16_t family, uint16_t flags)
{
	memset(nk->buf, 0, 4096);	/* attribute padding is sent as is */
	return nftnl_nlmsg_build_hdr(nk->buf, type, family, flags, ++nk->seq);
}

struct req_ctx {
	nk_msg_cb cb;
	void *data;
	int ret;	/* first non-zero callback result; later messages are skipped */
};

static int req_data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct req_ctx *ctx = data;
	int r;

	if (ctx->ret)
		return MNL_CB_OK;	/* keep draining the dump */
	r = ctx->cb(nlh, ctx->data);
	if (r)
		ctx->ret = r;
	return MNL_CB_OK;
}

int nk_request(struct nftkit *nk, struct nlmsghdr *nlh, nk_msg_cb cb, void *data)
{
	struct req_ctx ctx = { cb, data, 0 };
	bool dump = nlh->nlmsg_flags & NLM_F_DUMP;
	uint32_t seq = nlh->nlmsg_seq;
	ssize_t n;
	int r;

	if (mnl_socket_sendto(nk->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		n = mnl_socket_recvfrom(nk->nl, nk->buf, nk->buflen);
		if (n < 0)
			return -errno;
		r = mnl_cb_run(nk->buf, (size_t)n, seq, nk->portid, req_data_cb, &ctx);
		if (r < 0)
			return -errno;
		if (r == MNL_CB_STOP || !dump)
			break;
	}
	return ctx.ret;
}

const char *nftkit_kind_name(enum nftkit_kind kind)
{
	switch (kind) {
	case NFTKIT_KIND_TABLE: return "table";
	case NFTKIT_KIND_CHAIN: return "chain";
	case NFTKIT_KIND_RULE: return "rule";
	case NFTKIT_KIND_SET: return "set";
	case NFTKIT_KIND_ELEMENT: return "element";
	case NFTKIT_KIND_COUNTER: return "counter";
	case NFTKIT_KIND_QUOTA: return "quota";
	}
	return "?";
}

const char *nftkit_op_name(enum nftkit_op op)
{
	switch (op) {
	case NFTKIT_OP_ADD: return "add";
	case NFTKIT_OP_DELETE: return "delete";
	case NFTKIT_OP_FLUSH: return "flush";
	case NFTKIT_OP_REPLACE: return "replace";
	case NFTKIT_OP_INSERT: return "insert";
	case NFTKIT_OP_CREATE: return "create";
	}
	return "?";
}

struct prio_name {
	const char *name;
	int prio;
	bool bridge;
};

static const struct prio_name prio_names[] = {
	{ "raw", -300, false }, { "mangle", -150, false }, { "dstnat", -100, false },
	{ "filter", 0, false }, { "security", 50, false }, { "srcnat", 100, false },
	{ "dstnat", -300, true }, { "filter", -200, true }, { "out", 100, true },
	{ "srcnat", 300, true },
};

int nftkit_priority(enum nftkit_family family, const char *name, int *prio)
{
	bool bridge = family == NFTKIT_BRIDGE;
	size_t i, len = strcspn(name, " +-");
	int off = 0;
	char sign;

	for (i = 0; i < sizeof(prio_names) / sizeof(prio_names[0]); i++) {
		if (prio_names[i].bridge != bridge || strlen(prio_names[i].name) != len ||
		    strncmp(prio_names[i].name, name, len))
			continue;
		name += len;
		while (*name == ' ')
			name++;
		if (*name) {
			sign = *name++;
			if ((sign != '+' && sign != '-') || sscanf(name, "%d", &off) != 1 || off < 0)
				return -EINVAL;
			off = sign == '-' ? -off : off;
		}
		*prio = prio_names[i].prio + off;
		return 0;
	}
	return -EINVAL;
}
