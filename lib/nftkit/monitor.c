// SPDX-License-Identifier: LGPL-2.1-or-later
/* Ruleset change events (NFNLGRP_NFTABLES) on a socket of their own. */
#include <errno.h>
#include <endian.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>

#include "internal.h"

struct nftkit_monitor {
	struct mnl_socket *nl;
	nftkit_event_cb cb;
	void *data;
	char buf[64 * 1024];
};

struct nftkit_monitor *nftkit_monitor_new(nftkit_event_cb cb, void *data)
{
	struct nftkit_monitor *m;
	int group = NFNLGRP_NFTABLES;

	if (!cb) {
		errno = EINVAL;
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->cb = cb;
	m->data = data;
	m->nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (!m->nl || mnl_socket_bind(m->nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_setsockopt(m->nl, NETLINK_ADD_MEMBERSHIP, &group, sizeof(group)) < 0) {
		int e = errno;

		nftkit_monitor_free(m);
		errno = e;
		return NULL;
	}
	return m;
}

void nftkit_monitor_free(struct nftkit_monitor *m)
{
	if (!m)
		return;
	if (m->nl)
		mnl_socket_close(m->nl);
	free(m);
}

int nftkit_monitor_fd(const struct nftkit_monitor *m)
{
	return m ? mnl_socket_get_fd(m->nl) : -EINVAL;
}

struct event_desc {
	enum nftkit_kind kind;
	enum nftkit_op op;
	uint16_t table_attr, name_attr, handle_attr;
};

static bool describe(uint16_t type, struct event_desc *d)
{
	switch (type) {
	case NFT_MSG_NEWTABLE:
	case NFT_MSG_DELTABLE:
		*d = (struct event_desc){ NFTKIT_KIND_TABLE, 0, NFTA_TABLE_NAME, NFTA_TABLE_NAME,
					  NFTA_TABLE_HANDLE };
		break;
	case NFT_MSG_NEWCHAIN:
	case NFT_MSG_DELCHAIN:
		*d = (struct event_desc){ NFTKIT_KIND_CHAIN, 0, NFTA_CHAIN_TABLE, NFTA_CHAIN_NAME,
					  NFTA_CHAIN_HANDLE };
		break;
	case NFT_MSG_NEWRULE:
	case NFT_MSG_DELRULE:
		*d = (struct event_desc){ NFTKIT_KIND_RULE, 0, NFTA_RULE_TABLE, NFTA_RULE_CHAIN,
					  NFTA_RULE_HANDLE };
		break;
	case NFT_MSG_NEWSET:
	case NFT_MSG_DELSET:
		*d = (struct event_desc){ NFTKIT_KIND_SET, 0, NFTA_SET_TABLE, NFTA_SET_NAME,
					  NFTA_SET_HANDLE };
		break;
	case NFT_MSG_NEWSETELEM:
	case NFT_MSG_DELSETELEM:
		*d = (struct event_desc){ NFTKIT_KIND_ELEMENT, 0, NFTA_SET_ELEM_LIST_TABLE,
					  NFTA_SET_ELEM_LIST_SET, 0 };
		break;
	case NFT_MSG_NEWOBJ:
	case NFT_MSG_DELOBJ:
		*d = (struct event_desc){ NFTKIT_KIND_COUNTER, 0, NFTA_OBJ_TABLE, NFTA_OBJ_NAME,
					  NFTA_OBJ_HANDLE };
		break;
	default:
		return false;
	}
	d->op = (type == NFT_MSG_NEWTABLE || type == NFT_MSG_NEWCHAIN || type == NFT_MSG_NEWRULE ||
		 type == NFT_MSG_NEWSET || type == NFT_MSG_NEWSETELEM || type == NFT_MSG_NEWOBJ) ?
		NFTKIT_OP_ADD : NFTKIT_OP_DELETE;
	return true;
}

static int attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	uint16_t t = mnl_attr_get_type(a);

	if (t < 32)
		tb[t] = a;
	return MNL_CB_OK;
}

static void deliver(struct nftkit_monitor *m, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[32] = { 0 };
	const struct nfgenmsg *g = mnl_nlmsg_get_payload(nlh);
	uint16_t type = NFNL_MSG_TYPE(nlh->nlmsg_type);
	struct nftkit_event ev = { .family = g->nfgen_family };
	struct event_desc d;

	if (NFNL_SUBSYS_ID(nlh->nlmsg_type) != NFNL_SUBSYS_NFTABLES)
		return;
	if (mnl_attr_parse(nlh, sizeof(*g), attr_cb, tb) < 0)
		return;
	if (type == NFT_MSG_NEWGEN) {
		if (tb[NFTA_GEN_ID])
			ev.generation = be32toh(mnl_attr_get_u32(tb[NFTA_GEN_ID]));
		m->cb(&ev, m->data);
		return;
	}
	if (!describe(type, &d))
		return;
	ev.kind = d.kind;
	ev.op = d.op;
	if (d.kind == NFTKIT_KIND_COUNTER && tb[NFTA_OBJ_TYPE] &&
	    be32toh(mnl_attr_get_u32(tb[NFTA_OBJ_TYPE])) == NFT_OBJECT_QUOTA)
		ev.kind = NFTKIT_KIND_QUOTA;
	if (tb[d.table_attr])
		ev.table = mnl_attr_get_str(tb[d.table_attr]);
	if (tb[d.name_attr])
		ev.name = mnl_attr_get_str(tb[d.name_attr]);
	if (d.handle_attr && tb[d.handle_attr])
		ev.handle = be64toh(mnl_attr_get_u64(tb[d.handle_attr]));
	m->cb(&ev, m->data);
}

int nftkit_monitor_dispatch(struct nftkit_monitor *m)
{
	int count = 0;
	ssize_t n;

	if (!m)
		return -EINVAL;
	for (;;) {
		n = recv(mnl_socket_get_fd(m->nl), m->buf, sizeof(m->buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return count;
			return -errno;
		}
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)m->buf;
		int len = (int)n;

		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			deliver(m, nlh);
			count++;
		}
	}
}
