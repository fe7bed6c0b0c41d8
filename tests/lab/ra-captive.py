#!/usr/bin/python3
"""Sends router advertisements carrying only a Captive Portal option (RFC
8910, type 37) on one link, every second until killed: router lifetime 0,
so no host takes the sender as a default router. Standard library only.

ra-captive.py IFNAME URI
"""
import errno
import socket
import struct
import sys
import time

ifname, uri = sys.argv[1], sys.argv[2].encode()
# The URI padded with NULs to a multiple of 8 octets, type and length included.
length = (len(uri) + 2 + 7) // 8
option = struct.pack('!BB', 37, length) + uri.ljust(length * 8 - 2, b'\0')
# Type 134, code 0, checksum (the kernel fills it), hop limit 64, no flags,
# router lifetime 0, reachable time 0, retrans timer 0.
ra = struct.pack('!BBHBBHII', 134, 0, 0, 64, 0, 0, 0, 0) + option

s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())
index = socket.if_nametoindex(ifname)
while True:
    try:
        s.sendto(ra, ('ff02::1', 0, 0, index))
    except OSError as e:
        # The link's own link-local address may still be tentative (DAD):
        # nothing to send from yet.
        if e.errno != errno.EADDRNOTAVAIL:
            raise
        time.sleep(0.1)
        continue
    time.sleep(1)
