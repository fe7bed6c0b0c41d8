#!/usr/bin/python3
"""A hostile IPv6 router and DHCPv6 server for the lab. Standard library only.

Sends router advertisements (M and O flags, the prefix on-link only, no
SLAAC) every second, and answers DHCPv6 badly before it answers well:

  Solicit 1   an Advertise whose option runs past the message
  Solicit 2   an Advertise whose IA_NA has T1 > T2
  Solicit 3   an Advertise for another client's DUID
  Solicit 4+  an Advertise (preference 255) with 1000 addresses
  Request 1   a Reply from another server ID than the Advertise's
  Request 2+  a Reply with 1000 addresses (lifetimes 0, infinite, preferred
              > valid among them), 1000 nameservers (loopback and multicast
              among them), a domain list with a bad name, unknown options
  Renew, Rebind, Confirm: the same Reply

Every message it handles is logged on stdout, one line each.
"""
import argparse
import socket
import struct
import sys
import threading
import time

IAID_ANY = None
PORT = 547


def opt(code, data):
    return struct.pack('>HH', code, len(data)) + data


def addr(text):
    return socket.inet_pton(socket.AF_INET6, text)


def find(msg, code):
    off = 4
    while off + 4 <= len(msg):
        c, n = struct.unpack('>HH', msg[off:off + 4])
        if c == code:
            return msg[off + 4:off + 4 + n]
        off += 4 + n
    return None


def ia_na(iaid, t1, t2, prefix, count, start=0x100):
    body = struct.pack('>III', iaid, t1, t2)
    for i in range(count):
        a = addr('%s%x' % (prefix, start + i))
        if i == 0:
            life = (0, 0)              # withdrawn: nothing to add
        elif i == 1:
            life = (0xffffffff, 0xffffffff)
        elif i == 2:
            life = (600, 300)          # preferred > valid: dropped
        else:
            life = (1800, 3600)
        body += opt(5, a + struct.pack('>II', *life))
    return opt(3, body)


class Server:
    def __init__(self, ifname, prefix):
        self.ifname = ifname
        self.prefix = prefix
        self.ifindex = socket.if_nametoindex(ifname)
        self.solicits = 0
        self.requests = 0
        self.sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())
        self.sock.bind(('::', PORT))
        mreq = addr('ff02::1:2') + struct.pack('@I', self.ifindex)
        self.sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, mreq)

    def server_id(self, which):
        return opt(2, bytes([0, 3, 0, 1, 2, 0, 0, 0, 0xee, which]))

    def reply_body(self, cid, iaid):
        servers = b''.join(addr('2001:db8::%x' % i) for i in range(1000))
        servers = addr('::1') + addr('ff02::1') + servers
        names = b'\x03a;b\x00' + b'\x03lab\x00' + b'\x09x'
        return (opt(1, cid) + self.server_id(1) + opt(999, b'junk') +
                ia_na(iaid, 1800, 2880, self.prefix, 1000) +
                opt(23, servers) + opt(24, names) + opt(7, b'\xff'))

    def answer(self, msg):
        kind = msg[0]
        xid = msg[1:4]
        cid = find(msg, 1) or b''
        ia = find(msg, 3)
        iaid = struct.unpack('>I', ia[:4])[0] if ia and len(ia) >= 4 else 0
        if kind == 1:
            self.solicits += 1
            n = self.solicits
            if n == 1:
                what = 'advertise, an option past the end'
                body = opt(1, cid) + self.server_id(1) + struct.pack('>HH', 23, 64) + b'x' * 8
            elif n == 2:
                what = 'advertise, T1 > T2'
                body = opt(1, cid) + self.server_id(1) + ia_na(iaid, 500, 100, self.prefix, 4)
            elif n == 3:
                what = 'advertise, another DUID'
                body = (opt(1, bytes([0, 3, 0, 1, 9, 9, 9, 9, 9, 9])) + self.server_id(1) +
                        ia_na(iaid, 1800, 2880, self.prefix, 4))
            else:
                what = 'advertise, 1000 addresses'
                body = self.reply_body(cid, iaid)
            return what, bytes([2]) + xid + body
        if kind == 3:
            self.requests += 1
            if self.requests == 1:
                return 'reply from another server ID', (
                    bytes([7]) + xid + opt(1, cid) + self.server_id(2) +
                    ia_na(iaid, 1800, 2880, self.prefix, 4))
        if kind in (3, 4, 5, 6):
            return 'reply, 1000 addresses', bytes([7]) + xid + self.reply_body(cid, iaid)
        return None, None

    def serve(self):
        while True:
            msg, src = self.sock.recvfrom(65536)
            if len(msg) < 4:
                continue
            what, out = self.answer(msg)
            print('message %d from %s: %s' % (msg[0], src[0], what or 'ignored'), flush=True)
            if out:
                self.sock.sendto(out, src)


def advertise(ifname, prefix):
    sock = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())
    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
    ifindex = socket.if_nametoindex(ifname)
    # Type 134, code 0, checksum (the kernel's), hop limit 64, M and O,
    # router lifetime 1800; a prefix option on-link only (L, no A).
    ra = struct.pack('>BBHBBHII', 134, 0, 0, 64, 0xc0, 1800, 0, 0)
    ra += struct.pack('>BBBBIII', 3, 4, 64, 0x80, 7200, 7200, 0) + addr(prefix)
    while True:
        sock.sendto(ra, ('ff02::1', 0, 0, ifindex))
        time.sleep(1)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--ifname', required=True)
    p.add_argument('--prefix', required=True, help='e.g. 2001:db8:49::')
    args = p.parse_args()
    server = Server(args.ifname, args.prefix)
    threading.Thread(target=advertise, args=(args.ifname, args.prefix), daemon=True).start()
    print('ready', flush=True)
    server.serve()


if __name__ == '__main__':
    sys.exit(main())
