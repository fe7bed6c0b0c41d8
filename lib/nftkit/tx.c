// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Transactions: changes are serialized as they are queued into a list of
 * chunks and sent with one sendmsg() (one iovec per chunk) between
 * BATCH_BEGIN and BATCH_END, so the kernel sees one batch however large.
 * Each change's messages carry its index as sequence number, which is how a
 * kernel error is traced back to the change. The changes of each kind of
 * object are built in its own file (table.c, chain.c, rule.c, set.c, elem.c,
 * object.c) through the nk_tx_* functions of internal.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/common.h>

#include "internal.h"

#define CHUNK_SIZE	(1024 * 1024)
#define MSG_MAX		(64 * 1024)	/* room reserved for one message */

struct chunk {
	struct chunk *next;
	size_t len;
	char data[CHUNK_SIZE];
};

struct change {
	uint8_t kind, op;
	uint32_t name;		/* offset in names */
};

struct nftkit_tx {
	struct nftkit *nk;
	struct chunk *head, *tail;
	size_t nchunks;
	struct change *changes;
	size_t n, cap;
	char *names;
	size_t names_len, names_cap;
	enum nftkit_family family;
	char table[256];
	int qerr;		/* first queueing error */
	unsigned int qerr_index;
	uint32_t set_id;
};

struct nftkit_tx *nftkit_tx_new(struct nftkit *nk)
{
	struct nftkit_tx *tx;

	if (!nk) {
		errno = EINVAL;
		return NULL;
	}
	tx = calloc(1, sizeof(*tx));
	if (tx)
		tx->nk = nk;
	return tx;
}

void nftkit_tx_abort(struct nftkit_tx *tx)
{
	struct chunk *c, *next;

	if (!tx)
		return;
	/* The first chunk is kept for the next transaction: a fresh 1 MiB
	 * chunk per commit would cost an mmap/munmap pair each time. */
	for (c = tx->head ? tx->head->next : NULL; c; c = next) {
		next = c->next;
		free(c);
	}
	if (tx->head) {
		memset(tx->head->data, 0, tx->head->len);
		tx->head->len = 0;
		tx->head->next = NULL;
	}
	tx->tail = tx->head;
	tx->nchunks = tx->head ? 1 : 0;
	tx->n = 0;
	tx->names_len = 0;
	tx->qerr = 0;
	tx->qerr_index = 0;
}

void nftkit_tx_free(struct nftkit_tx *tx)
{
	if (!tx)
		return;
	nftkit_tx_abort(tx);
	free(tx->head);
	free(tx->changes);
	free(tx->names);
	free(tx);
}

unsigned int nftkit_tx_count(const struct nftkit_tx *tx)
{
	return (unsigned int)tx->n;
}

static int add_name(struct nftkit_tx *tx, const char *name, uint32_t *off)
{
	size_t len = strlen(name) + 1;

	if (tx->names_len + len > tx->names_cap) {
		size_t cap = tx->names_cap ? tx->names_cap * 2 : 4096;
		char *p;

		while (cap < tx->names_len + len)
			cap *= 2;
		p = realloc(tx->names, cap);
		if (!p)
			return -ENOMEM;
		tx->names = p;
		tx->names_cap = cap;
	}
	memcpy(tx->names + tx->names_len, name, len);
	*off = (uint32_t)tx->names_len;
	tx->names_len += len;
	return 0;
}

int nk_tx_new_change(struct nftkit_tx *tx, enum nftkit_kind kind, enum nftkit_op op,
		      const char *name)
{
	struct change *c;

	if (tx->n == tx->cap) {
		size_t cap = tx->cap ? tx->cap * 2 : 64;

		c = realloc(tx->changes, cap * sizeof(*c));
		if (!c)
			return -ENOMEM;
		tx->changes = c;
		tx->cap = cap;
	}
	c = &tx->changes[tx->n];
	c->kind = kind;
	c->op = op;
	if (add_name(tx, name ? name : "", &c->name))
		return -ENOMEM;
	tx->n++;
	return 0;
}

int nk_tx_fail(struct nftkit_tx *tx, int err)
{
	if (!tx->qerr) {
		tx->qerr = err;
		tx->qerr_index = (unsigned int)tx->n;
	}
	return err;
}

struct nlmsghdr *nk_tx_msg_start(struct nftkit_tx *tx, uint16_t type, uint16_t flags)
{
	struct chunk *c = tx->tail;

	if (!c || CHUNK_SIZE - c->len < MSG_MAX) {
		/* zeroed: attribute padding is sent as is (and is free: mmap'd) */
		c = calloc(1, sizeof(*c));
		if (!c)
			return NULL;
		if (tx->tail)
			tx->tail->next = c;
		else
			tx->head = c;
		tx->tail = c;
		tx->nchunks++;
	}
	return nftnl_nlmsg_build_hdr(c->data + c->len, type, (uint16_t)tx->family,
				     flags | NLM_F_REQUEST, (uint32_t)tx->n);
}

void nk_tx_msg_end(struct nftkit_tx *tx, struct nlmsghdr *nlh)
{
	tx->tail->len += NLMSG_ALIGN(nlh->nlmsg_len);
}

struct nlmsghdr *nk_tx_change_start(struct nftkit_tx *tx, enum nftkit_kind kind,
				    enum nftkit_op op, const char *name, uint16_t type,
				    uint16_t flags, uint16_t table_attr)
{
	struct nlmsghdr *nlh;

	if (!tx->table[0]) {
		nk_tx_fail(tx, -EINVAL);
		return NULL;
	}
	if (name && strlen(name) >= NFT_NAME_MAXLEN) {
		nk_tx_fail(tx, -ENAMETOOLONG);
		return NULL;
	}
	if (nk_tx_new_change(tx, kind, op, name)) {
		nk_tx_fail(tx, -ENOMEM);
		return NULL;
	}
	nlh = nk_tx_msg_start(tx, type, flags);
	if (!nlh) {
		nk_tx_fail(tx, -ENOMEM);
		return NULL;
	}
	mnl_attr_put_strz(nlh, table_attr, tx->table);
	return nlh;
}

int nk_tx_named_change(struct nftkit_tx *tx, enum nftkit_kind kind, const char *name,
		       enum nftkit_op op, uint16_t type, uint16_t table_attr, uint16_t name_attr)
{
	struct nlmsghdr *nlh;

	NK_CHECK_TX(tx);
	if (!name)
		return nk_tx_fail(tx, -EINVAL);
	nlh = nk_tx_change_start(tx, kind, op, name, type, 0, table_attr);
	if (!nlh)
		return nk_tx_error(tx);
	mnl_attr_put_strz(nlh, name_attr, name);
	nk_tx_msg_end(tx, nlh);
	return 0;
}

int nk_tx_check(const struct nftkit_tx *tx)
{
	return !tx ? -EINVAL : tx->qerr;
}

int nk_tx_error(const struct nftkit_tx *tx)
{
	return tx->qerr;
}

enum nftkit_family nk_tx_family(const struct nftkit_tx *tx)
{
	return tx->family;
}

const char *nk_tx_table(const struct nftkit_tx *tx)
{
	return tx->table;
}

uint32_t nk_tx_new_set_id(struct nftkit_tx *tx)
{
	return ++tx->set_id;
}

int nftkit_tx_use_table(struct nftkit_tx *tx, enum nftkit_family family, const char *table)
{
	NK_CHECK_TX(tx);
	if (!table || strlen(table) >= sizeof(tx->table) || strlen(table) >= NFT_NAME_MAXLEN)
		return nk_tx_fail(tx, -EINVAL);
	tx->family = family;
	strcpy(tx->table, table);
	return 0;
}

static void fill_error(const struct nftkit_tx *tx, unsigned int index, int error,
		       struct nftkit_error *err)
{
	if (!err)
		return;
	memset(err, 0, sizeof(*err));
	err->index = index;
	err->error = error;
	if (index >= 1 && index <= tx->n) {
		const struct change *c = &tx->changes[index - 1];

		err->kind = c->kind;
		err->op = c->op;
		strncpy(err->name, tx->names + c->name, sizeof(err->name) - 1);
	}
}

/* The kernel handles the batch inside sendmsg(), so every error is queued
 * on our socket by the time it returns: read them without blocking. Only
 * failures are reported (no NLM_F_ACK), keeping the receive queue small. */
static int read_errors(struct nftkit_tx *tx, unsigned int *index)
{
	struct nftkit *nk = tx->nk;
	int first = 0;
	ssize_t n;

	for (;;) {
		n = recv(mnl_socket_get_fd(nk->nl), nk->buf, nk->buflen, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			return first ? first : -errno;
		}
		struct nlmsghdr *nlh = (struct nlmsghdr *)nk->buf;
		int len = (int)n;

		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

			if (nlh->nlmsg_type != NLMSG_ERROR || !e->error || first)
				continue;
			first = e->error;
			*index = nlh->nlmsg_seq;
		}
	}
	return first;
}

int nftkit_tx_commit(struct nftkit_tx *tx, struct nftkit_error *err)
{
	char begin[NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct nfgenmsg))];
	char end[sizeof(begin)];
	struct iovec *iov, small[8];
	struct msghdr mh = { 0 };
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	unsigned int index = 0;
	size_t i = 0, total;
	struct chunk *c;
	int r;

	if (!tx)
		return -EINVAL;
	if (tx->qerr) {
		r = tx->qerr;
		fill_error(tx, tx->qerr_index ? tx->qerr_index : (unsigned int)tx->n, r, err);
		nftkit_tx_abort(tx);
		return r;
	}
	if (!tx->n) {
		fill_error(tx, 0, 0, err);
		return 0;
	}
	iov = tx->nchunks <= 6 ? small : calloc(tx->nchunks + 2, sizeof(*iov));
	if (!iov)
		return -ENOMEM;
	nftnl_batch_begin(begin, 0);
	nftnl_batch_end(end, (uint32_t)tx->n + 1);
	iov[i++] = (struct iovec){ begin, sizeof(begin) };
	total = sizeof(begin) * 2;
	for (c = tx->head; c; c = c->next) {
		iov[i++] = (struct iovec){ c->data, c->len };
		total += c->len;
	}
	iov[i++] = (struct iovec){ end, sizeof(end) };
	mh.msg_name = &sa;
	mh.msg_namelen = sizeof(sa);
	mh.msg_iov = iov;
	mh.msg_iovlen = i;
	r = nk_grow_sndbuf(tx->nk, total);
	if (!r && sendmsg(mnl_socket_get_fd(tx->nk->nl), &mh, 0) < 0)
		r = -errno;
	if (iov != small)
		free(iov);
	if (!r)
		r = read_errors(tx, &index);
	fill_error(tx, r ? index : 0, r, err);
	nftkit_tx_abort(tx);
	return r;
}
