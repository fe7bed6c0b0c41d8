#include <errno.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/wireguard.h>

#include "wireguard-config.h"
#include "wireguard-msg.h"

static struct nlmsghdr *put_header(void *buf, uint16_t type, uint16_t flags, uint32_t seq,
				   uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

int wg_msg_get_family(void *buf, size_t size, uint32_t seq)
{
	struct nlmsghdr *nlh;

	if (size < 64)
		return -EMSGSIZE;
	memset(buf, 0, 64);
	nlh = put_header(buf, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK, seq, CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, WG_GENL_NAME);
	return nlh->nlmsg_len;
}

/*   0: { FAMILY u16, IPADDR (4 or 16 bytes), CIDR_MASK u8 } */
static void put_allowed_ip(struct nlmsghdr *nlh, const struct wg_allowed_ip *a)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, 0);

	mnl_attr_put_u16(nlh, WGALLOWEDIP_A_FAMILY, a->family);
	mnl_attr_put(nlh, WGALLOWEDIP_A_IPADDR, a->family == AF_INET ? 4 : 16, a->addr);
	mnl_attr_put_u8(nlh, WGALLOWEDIP_A_CIDR_MASK, a->cidr);
	mnl_attr_nest_end(nlh, nest);
}

/*   PEERS: { 0: { PUBLIC_KEY, FLAGS REPLACE_ALLOWEDIPS, [PRESHARED_KEY],
 *                 ENDPOINT sockaddr, PERSISTENT_KEEPALIVE_INTERVAL u16,
 *                 ALLOWEDIPS: { ... } } } */
static void put_peer(struct nlmsghdr *nlh, const struct wg_config *cfg)
{
	struct nlattr *peers = mnl_attr_nest_start(nlh, WGDEVICE_A_PEERS);
	struct nlattr *peer = mnl_attr_nest_start(nlh, 0), *ips;

	mnl_attr_put(nlh, WGPEER_A_PUBLIC_KEY, WG_KEY_LEN, cfg->public_key);
	mnl_attr_put_u32(nlh, WGPEER_A_FLAGS, WGPEER_F_REPLACE_ALLOWEDIPS);
	if (cfg->has_preshared_key)
		mnl_attr_put(nlh, WGPEER_A_PRESHARED_KEY, WG_KEY_LEN, cfg->preshared_key);
	if (cfg->endpoint.v4.sin_family == AF_INET)
		mnl_attr_put(nlh, WGPEER_A_ENDPOINT, sizeof(cfg->endpoint.v4), &cfg->endpoint.v4);
	else
		mnl_attr_put(nlh, WGPEER_A_ENDPOINT, sizeof(cfg->endpoint.v6), &cfg->endpoint.v6);
	mnl_attr_put_u16(nlh, WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL, cfg->keepalive);
	ips = mnl_attr_nest_start(nlh, WGPEER_A_ALLOWEDIPS);
	for (unsigned int i = 0; i < cfg->n_allowed; i++)
		put_allowed_ip(nlh, &cfg->allowed[i]);
	mnl_attr_nest_end(nlh, ips);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, peers);
}

/* The largest message a config makes: headers, device attributes, one peer
 * with every allowed IP of IPv6 size. */
static size_t max_len(const struct wg_config *cfg)
{
	return 256 + 2 * WG_KEY_LEN + cfg->n_allowed * 40;
}

int wg_msg_set_device(void *buf, size_t size, uint16_t family, uint32_t seq, const char *ifname,
		      const struct wg_config *cfg)
{
	struct nlmsghdr *nlh;

	if (size < max_len(cfg) || size < MNL_NLMSG_HDRLEN + 64)
		return -EMSGSIZE;
	memset(buf, 0, MNL_NLMSG_HDRLEN + 64);
	nlh = put_header(buf, family, NLM_F_REQUEST | NLM_F_ACK, seq, WG_CMD_SET_DEVICE,
			 WG_GENL_VERSION);
	mnl_attr_put_strz(nlh, WGDEVICE_A_IFNAME, ifname);
	mnl_attr_put_u32(nlh, WGDEVICE_A_FLAGS, WGDEVICE_F_REPLACE_PEERS);
	mnl_attr_put(nlh, WGDEVICE_A_PRIVATE_KEY, WG_KEY_LEN, cfg->private_key);
	mnl_attr_put_u16(nlh, WGDEVICE_A_LISTEN_PORT, cfg->listen_port);
	mnl_attr_put_u32(nlh, WGDEVICE_A_FWMARK, cfg->fwmark);
	put_peer(nlh, cfg);
	return nlh->nlmsg_len;
}
