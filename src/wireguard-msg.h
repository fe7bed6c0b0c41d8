/* The generic netlink messages connd sends the kernel's WireGuard family
 * (linux/wireguard.h), built into a caller's buffer. Pure, so the encoding
 * is checked attribute by attribute in unit tests. */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct wg_config;

#define WG_MSG_SIZE 8192	/* enough for a full wg_config */

/* WG_CMD_SET_DEVICE for `ifname`: the private key, listen port, fwmark and
 * the one peer (public key, preshared key, endpoint, keepalive, allowed
 * IPs), replacing any peers and allowed IPs the device had. Returns the
 * message's length, or -EMSGSIZE when buf is too small. */
int wg_msg_set_device(void *buf, size_t size, uint16_t family, uint32_t seq, const char *ifname,
		      const struct wg_config *cfg);
/* CTRL_CMD_GETFAMILY of "wireguard" (its id is in the answer's
 * CTRL_ATTR_FAMILY_ID). */
int wg_msg_get_family(void *buf, size_t size, uint32_t seq);
