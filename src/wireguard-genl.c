#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <ell/ell.h>

#include "wireguard-genl.h"
#include "wireguard-msg.h"

static int family_attr(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(attr, MNL_TYPE_U16) == 0)
		*(uint16_t *)data = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static int family_reply(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr, data);
}

/* Sends one request and reads until its ack (or error): 0 or -errno. */
static int transact(struct mnl_socket *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	char *buf = l_malloc(MNL_SOCKET_BUFFER_SIZE);
	uint32_t portid = mnl_socket_get_portid(nl), seq = nlh->nlmsg_seq;
	ssize_t len;
	int ret;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		l_free(buf);
		return -errno;
	}
	do {
		len = mnl_socket_recvfrom(nl, buf, MNL_SOCKET_BUFFER_SIZE);
		ret = len < 0 ? MNL_CB_ERROR : mnl_cb_run(buf, len, seq, portid, cb, data);
	} while (ret > MNL_CB_STOP);
	ret = ret < 0 ? -errno : 0;
	l_free(buf);
	return ret;
}

static struct mnl_socket *open_genl(void)
{
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);

	if (nl && mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		mnl_socket_close(nl);
		return NULL;
	}
	return nl;
}

/* The family's id, or -errno (-ENOENT: no WireGuard in this kernel). */
static int family_id(struct mnl_socket *nl)
{
	char buf[128];
	uint16_t id = 0;
	int err = wg_msg_get_family(buf, sizeof(buf), time(NULL));

	if (err < 0)
		return err;
	err = transact(nl, (struct nlmsghdr *)buf, family_reply, &id);
	if (err < 0)
		return err;
	return id ? id : -ENOENT;
}

int wireguard_probe(void)
{
	struct mnl_socket *nl = open_genl();
	int err;

	if (!nl)
		return -errno;
	err = family_id(nl);
	mnl_socket_close(nl);
	return err < 0 ? err : 0;
}

int wireguard_set_device(const char *ifname, const struct wg_config *cfg)
{
	struct mnl_socket *nl = open_genl();
	char *buf;
	int family, err;

	if (!nl)
		return -errno;
	family = family_id(nl);
	if (family < 0) {
		mnl_socket_close(nl);
		return family;
	}
	buf = l_malloc(WG_MSG_SIZE);
	err = wg_msg_set_device(buf, WG_MSG_SIZE, family, time(NULL) + 1, ifname, cfg);
	if (err > 0)
		err = transact(nl, (struct nlmsghdr *)buf, NULL, NULL);
	explicit_bzero(buf, WG_MSG_SIZE);	/* the private key */
	l_free(buf);
	mnl_socket_close(nl);
	return err;
}
