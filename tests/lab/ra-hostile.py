#!/usr/bin/python3
"""Router advertisements, good and hostile, from a chosen source on one link.
Standard library only; the source must be an address of IFNAME.

ra-hostile.py IFNAME SOURCE PHASE

  good        every second until killed: router lifetime 1800, the prefix
              2001:db8:51::/64 for SLAAC, RDNSS 2001:db8:51::53, DNSSL lab;
              prints "ready" after the first
  prefix0     a PIO ::/0 (on-link, autonomous)
  prefix128   a PIO 2001:db8:51:128::/128 (on-link, autonomous)
  preferred   a PIO 2001:db8:51:2::/64 with preferred 1200 > valid 600
  lifetime0   router lifetime 0 and a usable PIO 2001:db8:51:4::/64
  prefixes    1000 PIOs 2001:db8:100:N::/64 (valid 30 s), 40 per RA
  options     RDNSS of 16 octets, RDNSS of 32 octets (8 past the address),
              DNSSL whose label runs past the option, DNSSL "bad name!":
              one RA each
  rdnss-many  one RA whose RDNSS names 89 servers 2001:db8:5e::N
  rdnss1000   125 RAs of 8 servers each, 2001:db8:53::N, lifetime 30 s
  offlink     router lifetime 1800 and PIO 2001:db8:51:9::/64 from SOURCE
              (give a global one)
  hop64       the same with PIO 2001:db8:51:a::/64, IPv6 hop limit 64

Every hostile phase but prefixes and rdnss1000 sends its RAs twice, then
exits; only good has a router lifetime > 0 from a valid sender.
"""
import socket
import struct
import sys
import time

IPV6_PKTINFO = 50
ONLINK, AUTO = 0x80, 0x40


def addr(text):
    return socket.inet_pton(socket.AF_INET6, text)


def ra(lifetime, *options):
    # Type 134, code 0, checksum (the kernel's), hop limit 64, no M/O flags,
    # router lifetime, reachable time 0, retrans timer 0.
    return struct.pack('!BBHBBHII', 134, 0, 0, 64, 0, lifetime, 0, 0) + b''.join(options)


def pio(prefix, length, valid=7200, preferred=3600, flags=ONLINK | AUTO):
    return struct.pack('!BBBBIII', 3, 4, length, flags, valid, preferred, 0) + addr(prefix)


def rdnss(servers, lifetime=600):
    body = b''.join(addr(s) for s in servers)
    return struct.pack('!BBHI', 25, 1 + len(servers) * 2, 0, lifetime) + body


def dnssl_raw(names_wire, lifetime=600):
    body = names_wire.ljust((len(names_wire) + 7) // 8 * 8, b'\0')
    return struct.pack('!BBHI', 31, 1 + len(body) // 8, 0, lifetime) + body


def wire(name):
    return b''.join(bytes([len(l)]) + l.encode() for l in name.split('.')) + b'\0'


def good():
    return ra(1800, pio('2001:db8:51::', 64), rdnss(['2001:db8:51::53']), dnssl_raw(wire('lab')))


def bad_options():
    yield ra(0, struct.pack('!BBHI', 25, 2, 0, 600) + addr('2001:db8:51::a1')[:8])
    yield ra(0, struct.pack('!BBHI', 25, 4, 0, 600) + addr('2001:db8:51::a2') + b'\xff' * 8)
    yield ra(0, dnssl_raw(bytes([40]) + b'toolong'))
    yield ra(0, dnssl_raw(wire('bad name!')))


def phase_ras(phase):
    if phase == 'prefix0':
        return [ra(0, pio('::', 0))] * 2
    if phase == 'prefix128':
        return [ra(0, pio('2001:db8:51:128::', 128))] * 2
    if phase == 'preferred':
        return [ra(0, pio('2001:db8:51:2::', 64, valid=600, preferred=1200))] * 2
    if phase == 'lifetime0':
        return [ra(0, pio('2001:db8:51:4::', 64))] * 2
    if phase == 'prefixes':
        return [ra(0, *(pio('2001:db8:100:%x::' % (n + i), 64, valid=30, preferred=20)
                        for i in range(40))) for n in range(0, 1000, 40)]
    if phase == 'options':
        return list(bad_options()) * 2
    if phase == 'rdnss-many':
        return [ra(0, rdnss(['2001:db8:5e::%x' % (i + 1) for i in range(89)]))] * 2
    if phase == 'rdnss1000':
        return [ra(0, rdnss(['2001:db8:53::%x' % (n + i + 1) for i in range(8)], lifetime=30))
                for n in range(0, 1000, 8)]
    if phase == 'offlink':
        return [ra(1800, pio('2001:db8:51:9::', 64))] * 2
    if phase == 'hop64':
        return [ra(1800, pio('2001:db8:51:a::', 64))] * 2
    sys.exit('unknown phase ' + phase)


def main():
    ifname, source, phase = sys.argv[1:4]
    index = socket.if_nametoindex(ifname)
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 64 if phase == 'hop64' else 255)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())
    # The source through IPV6_PKTINFO: the link holds several router addresses.
    info = [(socket.IPPROTO_IPV6, IPV6_PKTINFO, addr(source) + struct.pack('@I', index))]
    dest = ('ff02::1', 0, 0, index)
    if phase == 'good':
        first = True
        while True:
            s.sendmsg([good()], info, 0, dest)
            if first:
                print('ready', flush=True)
                first = False
            time.sleep(1)
    ras = phase_ras(phase)
    for msg in ras:
        s.sendmsg([msg], info, 0, dest)
        time.sleep(0.01)
    print('sent %d %s' % (len(ras), phase), flush=True)


if __name__ == '__main__':
    main()
