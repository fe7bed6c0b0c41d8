/* Whether the kernel offers WireGuard: its generic netlink family
 * "wireguard" (asking for it lets the kernel load the module). */
#pragma once

/* 0 when present, -ENOENT when the kernel has no such family, -errno. */
int wireguard_probe(void);
