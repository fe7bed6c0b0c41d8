#!/usr/bin/env python3
"""Sends one router solicitation and says whether an RA answers it.
   ra_solicit.py IFNAME ROUTER_LL HOP_LIMIT good|zero-option|unspecified
good and zero-option go from our link-local address to ROUTER_LL, and only
a unicast RA within 1.5 s counts; unspecified goes from :: to ff02::2 (as a
host without an address solicits), and a multicast RA within 4 s counts
(the sender keeps 3 s between multicast RAs).
Prints ANSWERED or SILENT."""
import select
import socket
import struct
import sys
import time

IPV6_RECVPKTINFO = 49
IPV6_PKTINFO = 50
IPV6_HDRINCL = 36


def checksum(data):
    if len(data) % 2:
        data += b'\0'
    total = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def send_unspecified(ifname):
    """An RS from :: with our own IPv6 header (the kernel would pick a source)."""
    dst = socket.inet_pton(socket.AF_INET6, 'ff02::2')
    src = bytes(16)
    rs = struct.pack('!BBHI', 133, 0, 0, 0)
    pseudo = src + dst + struct.pack('!IxxxB', len(rs), 58)
    rs = rs[:2] + struct.pack('!H', checksum(pseudo + rs)) + rs[4:]
    header = struct.pack('!IHBB', 6 << 28, len(rs), 58, 255) + src + dst
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.setsockopt(socket.IPPROTO_IPV6, IPV6_HDRINCL, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())
    s.sendto(header + rs, ('ff02::2', 0, 0, socket.if_nametoindex(ifname)))


def main():
    ifname, router, hops, kind = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, hops)
    s.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVPKTINFO, 1)
    rs = struct.pack('!BBHI', 133, 0, 0, 0)
    want_multicast = kind == 'unspecified'
    if kind == 'zero-option':
        rs += bytes([1, 0, 0, 0, 0, 0, 0, 0])
    elif kind not in ('good', 'unspecified'):
        sys.exit('unknown kind ' + kind)
    if want_multicast:
        send_unspecified(ifname)
    else:
        s.sendto(rs, (router, 0, 0, socket.if_nametoindex(ifname)))
    deadline = time.monotonic() + (4 if want_multicast else 1.5)
    while (left := deadline - time.monotonic()) > 0:
        if not select.select([s], [], [], left)[0]:
            break
        data, anc, _, src = s.recvmsg(2048, 256)
        dst = next((d[:16] for lvl, typ, d in anc
                    if lvl == socket.IPPROTO_IPV6 and typ == IPV6_PKTINFO), b'')
        if data[:1] == b'\x86' and src[0].split('%')[0] == router and \
                (dst[:1] == b'\xff') == want_multicast:
            print('ANSWERED')
            return
    print('SILENT')


main()
