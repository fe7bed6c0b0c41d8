/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared between libnftkit's files only; never installed. */
#ifndef NFTKIT_INTERNAL_H
#define NFTKIT_INTERNAL_H

#include <libmnl/libmnl.h>
#include <libnftnl/expr.h>

#include "nftkit.h"

struct nftkit {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;
	int sndbuf;		/* current SO_SNDBUF, grown for big batches */
	char *buf;		/* receive buffer */
	size_t buflen;
};

/* Per-message callback for nk_request(); return MNL_CB_OK/STOP/ERROR. */
typedef int (*nk_msg_cb)(const struct nlmsghdr *nlh, void *data);

/* Starts a request message of type NFT_MSG_* in nk->buf (reused as the
 * transmit buffer: requests are small). */
struct nlmsghdr *nk_msg(struct nftkit *nk, uint16_t type, uint16_t family, uint16_t flags);
/* Sends it and feeds every reply to cb until the reply is complete. */
int nk_request(struct nftkit *nk, struct nlmsghdr *nlh, nk_msg_cb cb, void *data);
int nk_grow_sndbuf(struct nftkit *nk, size_t len);

/* Transactions (tx.c): table.c, chain.c, rule.c, set.c, elem.c and object.c
 * queue their kind's changes into the batch through these. */
/* Records a change; its index (1-based) is the sequence number of its messages. */
int nk_tx_new_change(struct nftkit_tx *tx, enum nftkit_kind kind, enum nftkit_op op,
		     const char *name);
/* A queueing error is reported by commit, with the index of its change;
 * returns err. */
int nk_tx_fail(struct nftkit_tx *tx, int err);
/* Starts a message in the batch (NULL without memory) / accounts for it. */
struct nlmsghdr *nk_tx_msg_start(struct nftkit_tx *tx, uint16_t type, uint16_t flags);
void nk_tx_msg_end(struct nftkit_tx *tx, struct nlmsghdr *nlh);
/* Begins the message of a new change on the current table (its name in
 * table_attr); NULL after recording the error. */
struct nlmsghdr *nk_tx_change_start(struct nftkit_tx *tx, enum nftkit_kind kind,
				    enum nftkit_op op, const char *name, uint16_t type,
				    uint16_t flags, uint16_t table_attr);
/* A change whose message names only the table and one object (deleting or
 * flushing a chain or set). */
int nk_tx_named_change(struct nftkit_tx *tx, enum nftkit_kind kind, const char *name,
		       enum nftkit_op op, uint16_t type, uint16_t table_attr, uint16_t name_attr);
/* -EINVAL without a transaction, else its first queueing error or 0. */
int nk_tx_check(const struct nftkit_tx *tx);
int nk_tx_error(const struct nftkit_tx *tx);
enum nftkit_family nk_tx_family(const struct nftkit_tx *tx);
const char *nk_tx_table(const struct nftkit_tx *tx);
uint32_t nk_tx_new_set_id(struct nftkit_tx *tx);
#define NK_CHECK_TX(tx) do { int _e = nk_tx_check(tx); if (_e) return _e; } while (0)

/* Rules (rule.c): serialize into a message already holding table/chain. */
int nk_rule_build(const struct nftkit_rule *r, struct nlmsghdr *nlh, enum nftkit_family family);
/* Byte order and size of a type (types.c). */
int nk_type_len(enum nftkit_type t);
bool nk_type_host_order(enum nftkit_type t);
uint32_t nk_type_nft_id(enum nftkit_type t);
uint32_t nk_type_udata_order(enum nftkit_type t);
int nk_put_value(uint8_t *dst, enum nftkit_type t, uint64_t v);
int nk_parse_addr(const char *text, int *af, uint8_t addr[16], int *prefix);

static inline size_t nk_round4(size_t n) { return (n + 3) & ~(size_t)3; }

#endif
