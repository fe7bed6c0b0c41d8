#!/usr/bin/python3
"""Sends router advertisements on one link every second until killed: the M
and O flags (addresses and options by DHCPv6, from the lab's Kea), router
lifetime 1800 s, and the link's /64 on-link only (no SLAAC); with FLAGS
"O", the O flag alone and the /64 for SLAAC. The lab's ISP uses it where
dnsmasq cannot send these flags without answering DHCPv6 itself. Standard
library only.

ra-send.py IFNAME PREFIX [MO|O]        e.g. ra-send.py eth0 2001:db8:50::
"""
import socket
import struct
import sys
import time

ifname, prefix = sys.argv[1], socket.inet_pton(socket.AF_INET6, sys.argv[2])
managed = (sys.argv[3] if len(sys.argv) > 3 else 'MO') == 'MO'
# Type 134, code 0, checksum (the kernel's), hop limit 64, M and O (or O),
# router lifetime 1800, reachable time 0, retrans timer 0; a prefix option:
# /64, L without A (or L and A), valid and preferred 7200 s.
ra = struct.pack('!BBHBBHII', 134, 0, 0, 64, 0xc0 if managed else 0x40, 1800, 0, 0)
ra += struct.pack('!BBBBIII', 3, 4, 64, 0x80 if managed else 0xc0, 7200, 7200, 0) + prefix

s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())
index = socket.if_nametoindex(ifname)
print('ready', flush=True)
while True:
    s.sendto(ra, ('ff02::1', 0, 0, index))
    time.sleep(1)
