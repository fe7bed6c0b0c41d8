/* The WireGuard provider: no program, the kernel does it all. connd creates
 * the link (rtnetlink, kind "wireguard", named cwgN), configures it over
 * the generic netlink family "wireguard" (wireguard-genl.h: private key,
 * listen port, fwmark MARK_OWN, one peer with its public key, preshared
 * key, endpoint = Host, keepalive, allowed IPs) and reports the tunnel up
 * at once: WireGuard has no connection to wait for (a handshake happens
 * with the first packet), as in ConnMan's plugin. The addresses
 * (WireGuard.Address), routes (AllowedIPs; a /0 among them is the default
 * route) and DNS (WireGuard.DNS) are the connection's to apply. Stopping
 * deletes the link. A link is a kernel object, not a child: after a kill -9
 * it stays, and the next connd deletes the cwgN links of kind wireguard no
 * connection has. */
#pragma once

extern const struct vpn_provider vpn_wireguard_provider;
