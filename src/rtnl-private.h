/* What rtnl.c shares with its IPv6 half (rtnl-ipv6.c): building a request,
 * sending it and reading the answers, and deleting what a dump found. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

struct in6_addr;
struct l_queue;
struct rtnl;

/* Every request is built in a local buffer of this size. */
#define REQ_SIZE 512
#define request(buf, ...) rtnl_request_in(buf, REQ_SIZE, __VA_ARGS__)

/* Requests are built in their own buffer, zeroed so that attribute padding
 * never carries stack garbage to the kernel. */
struct nlmsghdr *rtnl_request_in(char *buf, size_t size, uint16_t type, uint16_t flags,
				 const void *hdr, size_t hdrlen);
/* Sends one request and runs `cb` on every answer until the ACK or DONE. */
int rtnl_transact(struct rtnl *rtnl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);
/* Deletes what a dump collected (only if the dump itself succeeded);
 * returns how many, or the dump's error. Frees the queue. */
int rtnl_delete_collected(struct rtnl *rtnl, struct l_queue *found, int dump_err,
			  int (*del)(struct rtnl *, const void *));
/* An IPv6 address message's address (NULL if it has none) and its flags,
 * the 32-bit IFA_FLAGS when present (the header keeps only 8 of them). */
const struct in6_addr *rtnl_ifaddr6_parse(const struct nlmsghdr *nlh, uint32_t *flags);
