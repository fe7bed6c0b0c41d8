#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>
#include <ell/ell.h>

#include "rtnl.h"
#include "rtnl-private.h"


struct rtnl {
	struct mnl_socket *req;
	struct mnl_socket *mon;
	struct l_io *mon_io;
	uint32_t seq;
	uint32_t portid;
	const struct rtnl_handlers *handlers;
	void *user_data;
	char *buf;	/* answers to requests */
	char *mon_buf;	/* events: handlers may issue requests while these are parsed */
};

static int parse_linkinfo_kind(const struct nlattr *linkinfo, char *kind, size_t len)
{
	const struct nlattr *attr;

	mnl_attr_for_each_nested(attr, linkinfo) {
		if (mnl_attr_get_type(attr) == IFLA_INFO_KIND &&
		    mnl_attr_validate(attr, MNL_TYPE_STRING) >= 0) {
			l_strlcpy(kind, mnl_attr_get_str(attr), len);
			return 0;
		}
	}
	return 0;
}

static int parse_link(const struct nlmsghdr *nlh, struct rtnl_link_info *link)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;

	memset(link, 0, sizeof(*link));
	link->ifindex = ifi->ifi_index;
	link->flags = ifi->ifi_flags;
	link->type = ifi->ifi_type;
	mnl_attr_for_each(attr, nlh, sizeof(*ifi)) {
		switch (mnl_attr_get_type(attr)) {
		case IFLA_IFNAME:
			if (mnl_attr_validate(attr, MNL_TYPE_STRING) >= 0)
				l_strlcpy(link->ifname, mnl_attr_get_str(attr), sizeof(link->ifname));
			break;
		case IFLA_ADDRESS:
			if (mnl_attr_get_payload_len(attr) == 6) {
				memcpy(link->mac, mnl_attr_get_payload(attr), 6);
				link->has_mac = true;
			}
			break;
		case IFLA_MTU:
			if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
				link->mtu = mnl_attr_get_u32(attr);
			break;
		case IFLA_LINKINFO:
			parse_linkinfo_kind(attr, link->kind, sizeof(link->kind));
			break;
		}
	}
	return link->ifname[0] ? 0 : -EBADMSG;
}

static int parse_addr(const struct nlmsghdr *nlh, struct rtnl_addr_info *addr)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	bool have_local = false;

	if (ifa->ifa_family != AF_INET)
		return -EAFNOSUPPORT;
	memset(addr, 0, sizeof(*addr));
	addr->ifindex = ifa->ifa_index;
	addr->prefix_len = ifa->ifa_prefixlen;
	mnl_attr_for_each(attr, nlh, sizeof(*ifa)) {
		int type = mnl_attr_get_type(attr);

		if ((type == IFA_LOCAL || (type == IFA_ADDRESS && !have_local)) &&
		    mnl_attr_get_payload_len(attr) == 4) {
			addr->address = mnl_attr_get_u32(attr);
			have_local |= type == IFA_LOCAL;
		} else if (type == IFA_PROTO && mnl_attr_get_payload_len(attr) >= 1) {
			addr->proto = mnl_attr_get_u8(attr);
		}
	}
	return addr->address ? 0 : -EBADMSG;
}

/* The link an IPv6 address or default route event is about; 0 otherwise. */
static int ipv6_event_link(const struct nlmsghdr *nlh)
{
	if (nlh->nlmsg_type == RTM_NEWADDR || nlh->nlmsg_type == RTM_DELADDR) {
		const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);

		return ifa->ifa_family == AF_INET6 ? (int)ifa->ifa_index : 0;
	}
	if (nlh->nlmsg_type == RTM_NEWROUTE || nlh->nlmsg_type == RTM_DELROUTE) {
		const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
		const struct nlattr *attr;
		uint32_t table = rtm->rtm_table;
		int oif = 0;

		if (rtm->rtm_family != AF_INET6 || rtm->rtm_dst_len != 0)
			return 0;
		mnl_attr_for_each(attr, nlh, sizeof(*rtm)) {
			if (mnl_attr_get_payload_len(attr) != 4)
				continue;
			if (mnl_attr_get_type(attr) == RTA_OIF)
				oif = mnl_attr_get_u32(attr);
			else if (mnl_attr_get_type(attr) == RTA_TABLE)
				table = mnl_attr_get_u32(attr);
		}
		/* The router is read from main; the session tables are ours. */
		return table == RT_TABLE_MAIN ? oif : 0;
	}
	return 0;
}

/* An IPv6 address event whose flags say duplicate address detection failed. */
static void dispatch_dad_failed(struct rtnl *rtnl, const struct nlmsghdr *nlh)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct in6_addr *address;
	uint32_t flags;

	if (!rtnl->handlers->ipv6_dad_failed || ifa->ifa_family != AF_INET6)
		return;
	address = rtnl_ifaddr6_parse(nlh, &flags);
	if (address && (flags & IFA_F_DADFAILED))
		rtnl->handlers->ipv6_dad_failed(ifa->ifa_index, address, rtnl->user_data);
}

/* RTM_NEWNDUSEROPT: the header, then the ND options of a router advertisement. */
static void dispatch_nd_options(struct rtnl *rtnl, const struct nlmsghdr *nlh)
{
	const struct nduseroptmsg *msg = mnl_nlmsg_get_payload(nlh);
	size_t payload = mnl_nlmsg_get_payload_len(nlh);

	if (!rtnl->handlers->nd_options || payload < sizeof(*msg) ||
	    msg->nduseropt_family != AF_INET6 || msg->nduseropt_icmp_type != 134 ||
	    msg->nduseropt_opts_len > payload - sizeof(*msg))
		return;
	rtnl->handlers->nd_options(msg->nduseropt_ifindex, (const uint8_t *)(msg + 1),
				   msg->nduseropt_opts_len, rtnl->user_data);
}

/* A bridge also reports its ports in link messages of family AF_BRIDGE: a
 * port leaving it (or the bridge going) comes as an RTM_DELLINK of the port,
 * whose link is still there. Only AF_UNSPEC messages are about the link. */
static void dispatch_link(struct rtnl *rtnl, const struct nlmsghdr *nlh)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct rtnl_handlers *h = rtnl->handlers;
	struct rtnl_link_info link;

	if (ifi->ifi_family != AF_UNSPEC || parse_link(nlh, &link) < 0)
		return;
	if (nlh->nlmsg_type == RTM_NEWLINK && h->link_changed)
		h->link_changed(&link, rtnl->user_data);
	else if (nlh->nlmsg_type == RTM_DELLINK && h->link_removed)
		h->link_removed(&link, rtnl->user_data);
}

static int dispatch_event(const struct nlmsghdr *nlh, void *data)
{
	struct rtnl *rtnl = data;
	const struct rtnl_handlers *h = rtnl->handlers;
	struct rtnl_addr_info addr;

	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		dispatch_link(rtnl, nlh);
		break;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		if (parse_addr(nlh, &addr) == 0 && h->addr_changed)
			h->addr_changed(nlh->nlmsg_type == RTM_NEWADDR, &addr, rtnl->user_data);
		dispatch_dad_failed(rtnl, nlh);
		break;
	case RTM_NEWNDUSEROPT:
		dispatch_nd_options(rtnl, nlh);
		break;
	}
	if (h->ipv6_changed) {
		int ifindex = ipv6_event_link(nlh);

		if (ifindex > 0)
			h->ipv6_changed(ifindex, rtnl->user_data);
	}
	return MNL_CB_OK;
}

static bool monitor_readable(struct l_io *io, void *user_data)
{
	struct rtnl *rtnl = user_data;
	ssize_t len = recv(mnl_socket_get_fd(rtnl->mon), rtnl->mon_buf,
			   MNL_SOCKET_BUFFER_SIZE, MSG_DONTWAIT);

	if (len > 0)
		mnl_cb_run(rtnl->mon_buf, len, 0, 0, dispatch_event, rtnl);
	else if (len < 0 && errno == ENOBUFS)
		/* Events were lost: replay the whole state rather than guess. */
		rtnl_dump_links(rtnl), rtnl_dump_addrs(rtnl);
	return true;
}

static struct mnl_socket *open_socket(unsigned int groups)
{
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);

	if (!nl)
		return NULL;
	if (mnl_socket_bind(nl, groups, MNL_SOCKET_AUTOPID) < 0) {
		mnl_socket_close(nl);
		return NULL;
	}
	return nl;
}

struct rtnl *rtnl_new(const struct rtnl_handlers *handlers, void *user_data)
{
	struct rtnl *rtnl = l_new(struct rtnl, 1);

	rtnl->handlers = handlers;
	rtnl->user_data = user_data;
	rtnl->buf = l_malloc(MNL_SOCKET_BUFFER_SIZE);
	rtnl->mon_buf = l_malloc(MNL_SOCKET_BUFFER_SIZE);
	rtnl->seq = time(NULL);
	rtnl->req = open_socket(0);
	/* ND user options have no RTMGRP_ macro; the mask's bit is group - 1. */
	rtnl->mon = open_socket(RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR |
				RTMGRP_IPV6_ROUTE | 1u << (RTNLGRP_ND_USEROPT - 1));
	if (!rtnl->req || !rtnl->mon) {
		rtnl_free(rtnl);
		return NULL;
	}
	rtnl->portid = mnl_socket_get_portid(rtnl->req);
	rtnl->mon_io = l_io_new(mnl_socket_get_fd(rtnl->mon));
	l_io_set_read_handler(rtnl->mon_io, monitor_readable, rtnl, NULL);
	return rtnl;
}

void rtnl_free(struct rtnl *rtnl)
{
	if (!rtnl)
		return;
	l_io_destroy(rtnl->mon_io);
	if (rtnl->mon)
		mnl_socket_close(rtnl->mon);
	if (rtnl->req)
		mnl_socket_close(rtnl->req);
	l_free(rtnl->buf);
	l_free(rtnl->mon_buf);
	l_free(rtnl);
}

int rtnl_transact(struct rtnl *rtnl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	uint32_t seq = ++rtnl->seq;
	int ret;

	nlh->nlmsg_seq = seq;
	if (mnl_socket_sendto(rtnl->req, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		ssize_t len = mnl_socket_recvfrom(rtnl->req, rtnl->buf, MNL_SOCKET_BUFFER_SIZE);

		if (len < 0)
			return -errno;
		ret = mnl_cb_run(rtnl->buf, len, seq, rtnl->portid, cb, data);
	} while (ret == MNL_CB_OK);
	return ret < 0 ? -errno : 0;
}

/* Requests are built in their own buffer, zeroed so that attribute padding
 * never carries stack garbage to the kernel; answers reuse rtnl->buf. */
struct nlmsghdr *rtnl_request_in(char *buf, size_t size, uint16_t type, uint16_t flags,
				 const void *hdr, size_t hdrlen)
{
	struct nlmsghdr *nlh;

	memset(buf, 0, size);
	nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	memcpy(mnl_nlmsg_put_extra_header(nlh, hdrlen), hdr, hdrlen);
	return nlh;
}

static int copy_message(const struct nlmsghdr *nlh, void *data)
{
	l_queue_push_tail(data, l_memdup(nlh, nlh->nlmsg_len));
	return MNL_CB_OK;
}

/* The handlers may send requests, which reuse the answer buffer: copy the
 * whole dump first, then dispatch it. */
static int dump_and_dispatch(struct rtnl *rtnl, struct nlmsghdr *nlh)
{
	struct l_queue *msgs = l_queue_new();
	struct nlmsghdr *msg;
	int err = rtnl_transact(rtnl, nlh, copy_message, msgs);

	while ((msg = l_queue_pop_head(msgs))) {
		if (err == 0)
			dispatch_event(msg, rtnl);
		l_free(msg);
	}
	l_queue_destroy(msgs, NULL);
	return err;
}

int rtnl_dump_links(struct rtnl *rtnl)
{
	char buf[REQ_SIZE];
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };

	return dump_and_dispatch(rtnl, request(buf, RTM_GETLINK, NLM_F_DUMP, &ifi, sizeof(ifi)));
}

int rtnl_dump_addrs(struct rtnl *rtnl)
{
	char buf[REQ_SIZE];
	struct ifaddrmsg ifa = { .ifa_family = AF_INET };

	return dump_and_dispatch(rtnl, request(buf, RTM_GETADDR, NLM_F_DUMP, &ifa, sizeof(ifa)));
}

struct addr_list {
	struct rtnl_addr_info *out;
	unsigned int max, n;
};

static int collect_addr(const struct nlmsghdr *nlh, void *data)
{
	struct addr_list *list = data;

	if (nlh->nlmsg_type == RTM_NEWADDR && list->n < list->max &&
	    parse_addr(nlh, &list->out[list->n]) == 0)
		list->n++;
	return MNL_CB_OK;
}

int rtnl_addr4_list(struct rtnl *rtnl, struct rtnl_addr_info *out, unsigned int max)
{
	char buf[REQ_SIZE];
	struct ifaddrmsg ifa = { .ifa_family = AF_INET };
	struct addr_list list = { out, max, 0 };
	int err = rtnl_transact(rtnl, request(buf, RTM_GETADDR, NLM_F_DUMP, &ifa, sizeof(ifa)),
				collect_addr, &list);

	return err < 0 ? err : (int)list.n;
}

int rtnl_link_set_up(struct rtnl *rtnl, int ifindex, bool up)
{
	char buf[REQ_SIZE];
	struct ifinfomsg ifi = {
		.ifi_family = AF_UNSPEC,
		.ifi_index = ifindex,
		.ifi_flags = up ? IFF_UP : 0,
		.ifi_change = IFF_UP,
	};

	return rtnl_transact(rtnl, request(buf, RTM_NEWLINK, NLM_F_ACK, &ifi, sizeof(ifi)), NULL, NULL);
}

int rtnl_link_add(struct rtnl *rtnl, const char *name, const char *kind)
{
	char buf[REQ_SIZE];
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nlmsghdr *nlh = request(buf, RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
				       &ifi, sizeof(ifi));
	struct nlattr *info;
	int err;

	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, kind);
	mnl_attr_nest_end(nlh, info);
	err = rtnl_transact(rtnl, nlh, NULL, NULL);
	if (err < 0)
		return err;
	err = if_nametoindex(name);
	return err ? err : -ENODEV;
}

int rtnl_bridge_add(struct rtnl *rtnl, const char *name)
{
	return rtnl_link_add(rtnl, name, "bridge");
}

int rtnl_link_del(struct rtnl *rtnl, int ifindex)
{
	char buf[REQ_SIZE];
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };

	return rtnl_transact(rtnl, request(buf, RTM_DELLINK, NLM_F_ACK, &ifi, sizeof(ifi)), NULL, NULL);
}

int rtnl_link_set_master(struct rtnl *rtnl, int ifindex, int master)
{
	char buf[REQ_SIZE];
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };
	struct nlmsghdr *nlh = request(buf, RTM_NEWLINK, NLM_F_ACK, &ifi, sizeof(ifi));

	mnl_attr_put_u32(nlh, IFLA_MASTER, master);
	return rtnl_transact(rtnl, nlh, NULL, NULL);
}

static int parse_stats(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *attr;
	struct link_counters *out = data;
	struct rtnl_link_stats64 st;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	mnl_attr_for_each(attr, nlh, sizeof(struct ifinfomsg)) {
		if (mnl_attr_get_type(attr) != IFLA_STATS64 ||
		    mnl_attr_get_payload_len(attr) < sizeof(st))
			continue;
		memcpy(&st, mnl_attr_get_payload(attr), sizeof(st));
		*out = (struct link_counters) {
			st.rx_packets, st.tx_packets, st.rx_bytes, st.tx_bytes,
			st.rx_errors, st.tx_errors, st.rx_dropped, st.tx_dropped,
		};
	}
	return MNL_CB_OK;
}

int rtnl_link_stats(struct rtnl *rtnl, int ifindex, struct link_counters *stats)
{
	char buf[REQ_SIZE];
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };

	memset(stats, 0, sizeof(*stats));
	/* With an ACK after the answer, so rtnl_transact() knows it is complete. */
	return rtnl_transact(rtnl, request(buf, RTM_GETLINK, NLM_F_ACK, &ifi, sizeof(ifi)),
			     parse_stats, stats);
}

static int addr4_request(struct rtnl *rtnl, uint16_t type, uint16_t flags, int ifindex,
			 uint32_t address, uint8_t prefix_len)
{
	char buf[REQ_SIZE];
	struct ifaddrmsg ifa = {
		.ifa_family = AF_INET,
		.ifa_prefixlen = prefix_len,
		.ifa_scope = RT_SCOPE_UNIVERSE,
		.ifa_index = ifindex,
	};
	struct nlmsghdr *nlh = request(buf, type, NLM_F_ACK | flags, &ifa, sizeof(ifa));
	uint32_t mask = prefix_len ? htonl(~0u << (32 - prefix_len)) : 0;

	mnl_attr_put_u32(nlh, IFA_LOCAL, address);
	mnl_attr_put_u32(nlh, IFA_ADDRESS, address);
	if (type == RTM_NEWADDR) {
		if (prefix_len < 31)
			mnl_attr_put_u32(nlh, IFA_BROADCAST, address | ~mask);
		mnl_attr_put_u8(nlh, IFA_PROTO, RTNL_PROTO_CONND);
	}
	return rtnl_transact(rtnl, nlh, NULL, NULL);
}

int rtnl_addr4_add(struct rtnl *rtnl, int ifindex, uint32_t address, uint8_t prefix_len)
{
	return addr4_request(rtnl, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, ifindex,
			     address, prefix_len);
}

int rtnl_addr4_del(struct rtnl *rtnl, int ifindex, uint32_t address, uint8_t prefix_len)
{
	return addr4_request(rtnl, RTM_DELADDR, 0, ifindex, address, prefix_len);
}

static struct nlmsghdr *route4_request(char *buf, uint16_t type, uint16_t flags,
				       const struct rtnl_route4 *r)
{
	struct rtmsg rtm = {
		.rtm_family = AF_INET,
		.rtm_dst_len = r->dst_len,
		.rtm_table = r->table < 256 ? r->table : RT_TABLE_UNSPEC,
		.rtm_protocol = r->protocol,
		.rtm_scope = r->gateway ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK,
		.rtm_type = r->type ? r->type : RTN_UNICAST,
	};
	struct nlmsghdr *nlh;

	if (rtm.rtm_type != RTN_UNICAST)
		rtm.rtm_scope = RT_SCOPE_UNIVERSE;
	nlh = request(buf, type, NLM_F_ACK | flags, &rtm, sizeof(rtm));
	mnl_attr_put_u32(nlh, RTA_TABLE, r->table);
	if (r->dst_len)
		mnl_attr_put_u32(nlh, RTA_DST, r->dst);
	if (r->gateway)
		mnl_attr_put_u32(nlh, RTA_GATEWAY, r->gateway);
	if (r->prefsrc)
		mnl_attr_put_u32(nlh, RTA_PREFSRC, r->prefsrc);
	if (r->ifindex)
		mnl_attr_put_u32(nlh, RTA_OIF, r->ifindex);
	mnl_attr_put_u32(nlh, RTA_PRIORITY, r->metric);
	return nlh;
}

int rtnl_route4_add(struct rtnl *rtnl, const struct rtnl_route4 *route)
{
	char buf[REQ_SIZE];

	return rtnl_transact(rtnl, route4_request(buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE,
						  route), NULL, NULL);
}

int rtnl_route4_del(struct rtnl *rtnl, const struct rtnl_route4 *route)
{
	char buf[REQ_SIZE];

	return rtnl_transact(rtnl, route4_request(buf, RTM_DELROUTE, 0, route), NULL, NULL);
}

static int parse_route(const struct nlmsghdr *nlh, struct rtnl_route4 *r)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;

	if (rtm->rtm_family != AF_INET)
		return -EAFNOSUPPORT;
	memset(r, 0, sizeof(*r));
	r->table = rtm->rtm_table;
	r->dst_len = rtm->rtm_dst_len;
	r->protocol = rtm->rtm_protocol;
	r->type = rtm->rtm_type;
	mnl_attr_for_each(attr, nlh, sizeof(*rtm)) {
		if (mnl_attr_get_payload_len(attr) != 4)
			continue;
		switch (mnl_attr_get_type(attr)) {
		case RTA_TABLE: r->table = mnl_attr_get_u32(attr); break;
		case RTA_DST: r->dst = mnl_attr_get_u32(attr); break;
		case RTA_GATEWAY: r->gateway = mnl_attr_get_u32(attr); break;
		case RTA_PREFSRC: r->prefsrc = mnl_attr_get_u32(attr); break;
		case RTA_OIF: r->ifindex = mnl_attr_get_u32(attr); break;
		case RTA_PRIORITY: r->metric = mnl_attr_get_u32(attr); break;
		}
	}
	return 0;
}

struct route_collect {
	uint32_t table;
	uint8_t protocol;
	struct l_queue *found;
};

static int collect_route(const struct nlmsghdr *nlh, void *data)
{
	struct route_collect *c = data;
	struct rtnl_route4 r;

	if (nlh->nlmsg_type == RTM_NEWROUTE && parse_route(nlh, &r) == 0 &&
	    (!c->table || r.table == c->table) && r.protocol == c->protocol)
		l_queue_push_tail(c->found, l_memdup(&r, sizeof(r)));
	return MNL_CB_OK;
}

int rtnl_delete_collected(struct rtnl *rtnl, struct l_queue *found, int dump_err,
			  int (*del)(struct rtnl *, const void *))
{
	void *object;
	int count = 0;

	while ((object = l_queue_pop_head(found))) {
		if (dump_err == 0 && del(rtnl, object) == 0)
			count++;
		l_free(object);
	}
	l_queue_destroy(found, NULL);
	return dump_err < 0 ? dump_err : count;
}

static int delete_route(struct rtnl *rtnl, const void *route)
{
	return rtnl_route4_del(rtnl, route);
}

int rtnl_route4_flush_proto(struct rtnl *rtnl, uint32_t table, uint8_t protocol)
{
	char buf[REQ_SIZE];
	struct rtmsg rtm = { .rtm_family = AF_INET };
	struct route_collect c = { table, protocol, l_queue_new() };
	int err = rtnl_transact(rtnl, request(buf, RTM_GETROUTE, NLM_F_DUMP, &rtm, sizeof(rtm)),
				collect_route, &c);

	return rtnl_delete_collected(rtnl, c.found, err, delete_route);
}

static struct nlmsghdr *rule_request(char *buf, uint16_t type, uint16_t flags,
				     const struct rtnl_rule *r)
{
	struct fib_rule_hdr frh = {
		.family = r->family ? r->family : AF_INET,
		.src_len = r->src_len,
		.action = r->action,
		.table = r->table < 256 ? r->table : RT_TABLE_UNSPEC,
	};
	struct nlmsghdr *nlh = request(buf, type, NLM_F_ACK | flags, &frh, sizeof(frh));

	mnl_attr_put_u32(nlh, FRA_PRIORITY, r->priority);
	if (r->fwmask) {
		mnl_attr_put_u32(nlh, FRA_FWMARK, r->fwmark);
		mnl_attr_put_u32(nlh, FRA_FWMASK, r->fwmask);
	}
	if (r->src_len && frh.family == AF_INET)
		mnl_attr_put_u32(nlh, FRA_SRC, r->src);
	else if (r->src_len)
		mnl_attr_put(nlh, FRA_SRC, sizeof(r->src6), &r->src6);
	if (r->action == FR_ACT_TO_TBL)
		mnl_attr_put_u32(nlh, FRA_TABLE, r->table);
	mnl_attr_put_u8(nlh, FRA_PROTOCOL, RTNL_PROTO_CONND);
	return nlh;
}

int rtnl_rule_add(struct rtnl *rtnl, const struct rtnl_rule *rule)
{
	char buf[REQ_SIZE];

	return rtnl_transact(rtnl, rule_request(buf, RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL, rule),
			     NULL, NULL);
}

int rtnl_rule_del(struct rtnl *rtnl, const struct rtnl_rule *rule)
{
	char buf[REQ_SIZE];

	return rtnl_transact(rtnl, rule_request(buf, RTM_DELRULE, 0, rule), NULL, NULL);
}

struct rule_collect {
	uint8_t protocol;
	struct l_queue *found;
};

static int collect_rule(const struct nlmsghdr *nlh, void *data)
{
	struct rule_collect *c = data;
	const struct fib_rule_hdr *frh = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	struct rtnl_rule r = { .family = frh->family, .action = frh->action, .table = frh->table,
			       .src_len = frh->src_len };
	uint8_t protocol = 0;

	if (nlh->nlmsg_type != RTM_NEWRULE ||
	    (frh->family != AF_INET && frh->family != AF_INET6))
		return MNL_CB_OK;
	mnl_attr_for_each(attr, nlh, sizeof(*frh)) {
		switch (mnl_attr_get_type(attr)) {
		case FRA_PRIORITY: r.priority = mnl_attr_get_u32(attr); break;
		case FRA_FWMARK: r.fwmark = mnl_attr_get_u32(attr); break;
		case FRA_FWMASK: r.fwmask = mnl_attr_get_u32(attr); break;
		case FRA_SRC:
			if (frh->family == AF_INET && mnl_attr_get_payload_len(attr) == 4)
				r.src = mnl_attr_get_u32(attr);
			else if (mnl_attr_get_payload_len(attr) == sizeof(r.src6))
				memcpy(&r.src6, mnl_attr_get_payload(attr), sizeof(r.src6));
			break;
		case FRA_TABLE: r.table = mnl_attr_get_u32(attr); break;
		case FRA_PROTOCOL: protocol = mnl_attr_get_u8(attr); break;
		}
	}
	if (protocol == c->protocol)
		l_queue_push_tail(c->found, l_memdup(&r, sizeof(r)));
	return MNL_CB_OK;
}

static int delete_rule(struct rtnl *rtnl, const void *rule)
{
	return rtnl_rule_del(rtnl, rule);
}

int rtnl_rule_flush_proto(struct rtnl *rtnl, uint8_t protocol)
{
	char buf[REQ_SIZE];
	struct fib_rule_hdr frh = { .family = AF_UNSPEC };
	struct rule_collect c = { protocol, l_queue_new() };
	int err = rtnl_transact(rtnl, request(buf, RTM_GETRULE, NLM_F_DUMP, &frh, sizeof(frh)),
				collect_rule, &c);

	return rtnl_delete_collected(rtnl, c.found, err, delete_rule);
}
