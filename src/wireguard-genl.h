/* The kernel's WireGuard family over generic netlink: whether it is there,
 * and configuring a device. Synchronous on a socket of its own, as rtnl's
 * requests are (the kernel answers in microseconds). */
#pragma once

struct wg_config;

/* 0 when the kernel offers the family "wireguard" (asking for it lets the
 * kernel load the module), -ENOENT when it has none, -errno. */
int wireguard_probe(void);
/* WG_CMD_SET_DEVICE (wireguard-msg.h) on the link `ifname`: 0 or -errno
 * (the kernel's answer). */
int wireguard_set_device(const char *ifname, const struct wg_config *cfg);
