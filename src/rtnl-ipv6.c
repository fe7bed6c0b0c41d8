/* rtnetlink for IPv6: what SLAAC gave a link, manual addresses, and the
 * routes of the session tables and manual default routes. */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>
#include <ell/ell.h>

#include "ipv6-settings.h"
#include "rtnl.h"
#include "rtnl-private.h"

static void parse_route6_attr(const struct nlattr *attr, struct rtnl_route6 *r)
{
	uint16_t len = mnl_attr_get_payload_len(attr);

	switch (mnl_attr_get_type(attr)) {
	case RTA_TABLE: if (len == 4) r->table = mnl_attr_get_u32(attr); break;
	case RTA_OIF: if (len == 4) r->ifindex = mnl_attr_get_u32(attr); break;
	case RTA_PRIORITY: if (len == 4) r->metric = mnl_attr_get_u32(attr); break;
	case RTA_DST: if (len == 16) memcpy(&r->dst, mnl_attr_get_payload(attr), 16); break;
	case RTA_GATEWAY: if (len == 16) memcpy(&r->gateway, mnl_attr_get_payload(attr), 16); break;
	}
}

struct ipv6_scan {
	int ifindex;
	bool prefer_temporary;
	int best_rank;		/* -1: none yet */
	struct ipv6_status *out;
};

/* Higher is better: usable before deprecated, then the wanted kind. */
static int ipv6_rank(uint32_t flags, bool prefer_temporary)
{
	if (flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED))
		return -1;
	return (flags & IFA_F_DEPRECATED ? 0 : 2) +
	       (!!(flags & IFA_F_TEMPORARY) == prefer_temporary ? 1 : 0);
}

const struct in6_addr *rtnl_ifaddr6_parse(const struct nlmsghdr *nlh, uint32_t *flags)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct in6_addr *address = NULL;
	const struct nlattr *attr;

	*flags = ifa->ifa_flags;
	mnl_attr_for_each(attr, nlh, sizeof(*ifa)) {
		int type = mnl_attr_get_type(attr);

		if (type == IFA_ADDRESS && mnl_attr_get_payload_len(attr) == 16)
			address = mnl_attr_get_payload(attr);
		else if (type == IFA_FLAGS && mnl_attr_get_payload_len(attr) == 4)
			*flags = mnl_attr_get_u32(attr);
	}
	return address;
}

static int scan_ipv6_addr(const struct nlmsghdr *nlh, void *data)
{
	struct ipv6_scan *scan = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const void *address;
	uint32_t flags;
	int rank;

	if (nlh->nlmsg_type != RTM_NEWADDR || ifa->ifa_family != AF_INET6 ||
	    (int)ifa->ifa_index != scan->ifindex || ifa->ifa_scope != RT_SCOPE_UNIVERSE)
		return MNL_CB_OK;
	address = rtnl_ifaddr6_parse(nlh, &flags);
	rank = ipv6_rank(flags, scan->prefer_temporary);
	if (address && rank > scan->best_rank) {
		scan->best_rank = rank;
		memcpy(&scan->out->address, address, 16);
		scan->out->prefix_len = ifa->ifa_prefixlen;
	}
	return MNL_CB_OK;
}

static int scan_ipv6_route(const struct nlmsghdr *nlh, void *data)
{
	struct ipv6_scan *scan = data;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	struct rtnl_route6 r = { .table = rtm->rtm_table };

	if (nlh->nlmsg_type != RTM_NEWROUTE || rtm->rtm_family != AF_INET6 ||
	    rtm->rtm_dst_len != 0 || rtm->rtm_type != RTN_UNICAST)
		return MNL_CB_OK;
	mnl_attr_for_each(attr, nlh, sizeof(*rtm))
		parse_route6_attr(attr, &r);
	if (r.ifindex != scan->ifindex || r.table != RT_TABLE_MAIN)
		return MNL_CB_OK;
	if (!IN6_IS_ADDR_UNSPECIFIED(&r.gateway))
		scan->out->gateway = r.gateway;
	else if (rtm->rtm_protocol == RTPROT_KERNEL)
		scan->out->prefix_default_metric = r.metric;
	return MNL_CB_OK;
}

int rtnl_ipv6_status(struct rtnl *rtnl, int ifindex, bool prefer_temporary,
		     struct ipv6_status *out)
{
	char buf[REQ_SIZE];
	struct ifaddrmsg ifa = { .ifa_family = AF_INET6 };
	struct rtmsg rtm = { .rtm_family = AF_INET6 };
	struct ipv6_scan scan = { ifindex, prefer_temporary, -1, out };
	int err;

	memset(out, 0, sizeof(*out));
	err = rtnl_transact(rtnl, request(buf, RTM_GETADDR, NLM_F_DUMP, &ifa, sizeof(ifa)),
		       scan_ipv6_addr, &scan);
	if (!err)
		err = rtnl_transact(rtnl, request(buf, RTM_GETROUTE, NLM_F_DUMP, &rtm, sizeof(rtm)),
			       scan_ipv6_route, &scan);
	return err;
}

static int addr6_request(struct rtnl *rtnl, uint16_t type, uint16_t flags, int ifindex,
			 const struct in6_addr *address, uint8_t prefix_len)
{
	char buf[REQ_SIZE];
	struct ifaddrmsg ifa = {
		.ifa_family = AF_INET6,
		.ifa_prefixlen = prefix_len,
		.ifa_scope = RT_SCOPE_UNIVERSE,
		.ifa_index = ifindex,
	};
	struct nlmsghdr *nlh = request(buf, type, NLM_F_ACK | flags, &ifa, sizeof(ifa));

	mnl_attr_put(nlh, IFA_LOCAL, sizeof(*address), address);
	mnl_attr_put(nlh, IFA_ADDRESS, sizeof(*address), address);
	if (type == RTM_NEWADDR)
		mnl_attr_put_u8(nlh, IFA_PROTO, RTNL_PROTO_CONND);
	return rtnl_transact(rtnl, nlh, NULL, NULL);
}

int rtnl_addr6_add(struct rtnl *rtnl, int ifindex, const struct in6_addr *address,
		   uint8_t prefix_len)
{
	return addr6_request(rtnl, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, ifindex, address,
			     prefix_len);
}

int rtnl_addr6_del(struct rtnl *rtnl, int ifindex, const struct in6_addr *address,
		   uint8_t prefix_len)
{
	return addr6_request(rtnl, RTM_DELADDR, 0, ifindex, address, prefix_len);
}

static struct nlmsghdr *route6_request(char *buf, uint16_t type, uint16_t flags,
				       const struct rtnl_route6 *r)
{
	bool via = !IN6_IS_ADDR_UNSPECIFIED(&r->gateway);
	struct rtmsg rtm = {
		.rtm_family = AF_INET6,
		.rtm_dst_len = r->dst_len,
		.rtm_table = r->table < 256 ? r->table : RT_TABLE_UNSPEC,
		.rtm_protocol = r->protocol,
		.rtm_scope = RT_SCOPE_UNIVERSE,
		.rtm_type = r->type ? r->type : RTN_UNICAST,
	};
	struct nlmsghdr *nlh = request(buf, type, NLM_F_ACK | flags, &rtm, sizeof(rtm));

	mnl_attr_put_u32(nlh, RTA_TABLE, r->table);
	if (r->dst_len)
		mnl_attr_put(nlh, RTA_DST, sizeof(r->dst), &r->dst);
	if (via)
		mnl_attr_put(nlh, RTA_GATEWAY, sizeof(r->gateway), &r->gateway);
	if (r->ifindex)
		mnl_attr_put_u32(nlh, RTA_OIF, r->ifindex);
	mnl_attr_put_u32(nlh, RTA_PRIORITY, r->metric);
	return nlh;
}

int rtnl_route6_add(struct rtnl *rtnl, const struct rtnl_route6 *route)
{
	char buf[REQ_SIZE];

	return rtnl_transact(rtnl, route6_request(buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE,
						  route), NULL, NULL);
}

int rtnl_route6_del(struct rtnl *rtnl, const struct rtnl_route6 *route)
{
	char buf[REQ_SIZE];

	return rtnl_transact(rtnl, route6_request(buf, RTM_DELROUTE, 0, route), NULL, NULL);
}

struct route6_collect {
	uint8_t protocol;
	struct l_queue *found;
};

static int collect_route6(const struct nlmsghdr *nlh, void *data)
{
	struct route6_collect *c = data;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	struct rtnl_route6 r = {
		.table = rtm->rtm_table, .dst_len = rtm->rtm_dst_len,
		.protocol = rtm->rtm_protocol, .type = rtm->rtm_type,
	};

	if (nlh->nlmsg_type != RTM_NEWROUTE || rtm->rtm_family != AF_INET6 ||
	    rtm->rtm_protocol != c->protocol)
		return MNL_CB_OK;
	mnl_attr_for_each(attr, nlh, sizeof(*rtm))
		parse_route6_attr(attr, &r);
	l_queue_push_tail(c->found, l_memdup(&r, sizeof(r)));
	return MNL_CB_OK;
}

static int delete_route6(struct rtnl *rtnl, const void *route)
{
	return rtnl_route6_del(rtnl, route);
}

int rtnl_route6_flush_proto(struct rtnl *rtnl, uint8_t protocol)
{
	char buf[REQ_SIZE];
	struct rtmsg rtm = { .rtm_family = AF_INET6 };
	struct route6_collect c = { protocol, l_queue_new() };
	int err = rtnl_transact(rtnl, request(buf, RTM_GETROUTE, NLM_F_DUMP, &rtm, sizeof(rtm)),
				collect_route6, &c);

	return rtnl_delete_collected(rtnl, c.found, err, delete_route6);
}

/* A leased address (DHCPv6): a /128 whose on-link prefix the router
 * advertises, with the lease's lifetimes so the kernel drops it when they
 * run out even if connd is gone, and connd's protocol so a restart finds it. */
static int lease6_request(struct rtnl *rtnl, uint16_t type, uint16_t flags, int ifindex,
			  const struct in6_addr *address, uint32_t preferred, uint32_t valid)
{
	char buf[REQ_SIZE];
	struct ifaddrmsg ifa = {
		.ifa_family = AF_INET6,
		.ifa_prefixlen = 128,
		.ifa_scope = RT_SCOPE_UNIVERSE,
		.ifa_index = ifindex,
	};
	struct ifa_cacheinfo ci = { .ifa_prefered = preferred, .ifa_valid = valid };
	struct nlmsghdr *nlh = request(buf, type, NLM_F_ACK | flags, &ifa, sizeof(ifa));

	mnl_attr_put(nlh, IFA_ADDRESS, sizeof(*address), address);
	if (type == RTM_NEWADDR) {
		mnl_attr_put(nlh, IFA_CACHEINFO, sizeof(ci), &ci);
		mnl_attr_put_u8(nlh, IFA_PROTO, RTNL_PROTO_CONND);
	}
	return rtnl_transact(rtnl, nlh, NULL, NULL);
}

int rtnl_addr6_lease_add(struct rtnl *rtnl, int ifindex, const struct in6_addr *address,
			 uint32_t preferred, uint32_t valid)
{
	return lease6_request(rtnl, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, ifindex, address,
			      preferred, valid);
}

int rtnl_addr6_lease_del(struct rtnl *rtnl, int ifindex, const struct in6_addr *address)
{
	return lease6_request(rtnl, RTM_DELADDR, 0, ifindex, address, 0, 0);
}

struct addr6_found {
	int ifindex;
	uint8_t prefix_len;
	struct in6_addr address;
};

struct addr6_collect {
	uint8_t protocol;
	struct l_queue *found;
};

static int collect_addr6(const struct nlmsghdr *nlh, void *data)
{
	struct addr6_collect *c = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	struct addr6_found f = { .ifindex = ifa->ifa_index, .prefix_len = ifa->ifa_prefixlen };
	bool have = false, ours = false;

	if (nlh->nlmsg_type != RTM_NEWADDR || ifa->ifa_family != AF_INET6)
		return MNL_CB_OK;
	mnl_attr_for_each(attr, nlh, sizeof(*ifa)) {
		int type = mnl_attr_get_type(attr);

		if (type == IFA_ADDRESS && mnl_attr_get_payload_len(attr) == 16) {
			memcpy(&f.address, mnl_attr_get_payload(attr), 16);
			have = true;
		} else if (type == IFA_PROTO && mnl_attr_get_payload_len(attr) >= 1) {
			ours = mnl_attr_get_u8(attr) == c->protocol;
		}
	}
	if (have && ours)
		l_queue_push_tail(c->found, l_memdup(&f, sizeof(f)));
	return MNL_CB_OK;
}

static int delete_addr6(struct rtnl *rtnl, const void *data)
{
	const struct addr6_found *f = data;
	char buf[REQ_SIZE];
	struct ifaddrmsg ifa = {
		.ifa_family = AF_INET6, .ifa_prefixlen = f->prefix_len, .ifa_index = f->ifindex,
	};
	struct nlmsghdr *nlh = request(buf, RTM_DELADDR, NLM_F_ACK, &ifa, sizeof(ifa));

	mnl_attr_put(nlh, IFA_ADDRESS, sizeof(f->address), &f->address);
	return rtnl_transact(rtnl, nlh, NULL, NULL);
}

int rtnl_addr6_flush_proto(struct rtnl *rtnl, uint8_t protocol)
{
	char buf[REQ_SIZE];
	struct ifaddrmsg ifa = { .ifa_family = AF_INET6 };
	struct addr6_collect c = { protocol, l_queue_new() };
	int err = rtnl_transact(rtnl, request(buf, RTM_GETADDR, NLM_F_DUMP, &ifa, sizeof(ifa)),
				collect_addr6, &c);

	return rtnl_delete_collected(rtnl, c.found, err, delete_addr6);
}
