#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "wireguard-probe.h"

int wireguard_probe(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl = mnl_socket_open(NETLINK_GENERIC);
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	struct nlmsgerr *e;
	ssize_t len;
	int err = 0;

	if (!nl)
		return -errno;
	memset(buf, 0, sizeof(struct nlmsghdr) + sizeof(*genl) + 64);	/* genl's reserved field too */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = time(NULL);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "wireguard");
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		err = -errno;
		goto out;
	}
	len = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (len < (ssize_t)sizeof(struct nlmsghdr)) {
		err = len < 0 ? -errno : -EIO;
		goto out;
	}
	nlh = (struct nlmsghdr *)buf;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		e = mnl_nlmsg_get_payload(nlh);
		err = e->error;	/* -ENOENT: no such family */
	}
out:
	mnl_socket_close(nl);
	return err;
}
