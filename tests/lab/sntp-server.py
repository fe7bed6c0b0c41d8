#!/usr/bin/python3
"""An SNTP server for the lab, whose clock runs --offset seconds ahead.

  sntp-server.py --bind ADDR [--bind ADDR6 ...] [--offset SECONDS]
                 [--bad-first] [--kod] [--jitter SECONDS]
                 [--slow-first SECONDS --slow-extra SECONDS]

Answers every client request on each ADDR:123 (IPv4, IPv6, "::", or
"fe80::1%eth0") as a stratum-2 server. With --bad-first it first sends a
reply that does not echo the client's transmit timestamp (a careful client
drops it); with --kod it answers only with a kiss-of-death (stratum 0,
"RATE"). --jitter holds each reply back a random time up to SECONDS, as a
queue would. --slow-first holds back the reply to the first request of each
burst (no request from that client for 5 s before) SECONDS, with its clock
--slow-extra seconds further ahead still: a sample that a client taking the
smallest-delay sample must not believe. Never touches any clock.
"""
import argparse
import random
import selectors
import socket
import struct
import threading
import time

NTP_DELTA = 2208988800
BURST_PAUSE = 5.0


def ntp_now(offset):
    t = time.time() + offset + NTP_DELTA
    return (int(t) << 32) | int((t % 1) * (1 << 32))


def reply(request, offset, stratum=2, origin=None):
    transmit = struct.unpack("!Q", request[40:48])[0]
    received = ntp_now(offset)
    ref_id = b"RATE" if stratum == 0 else b"LAB\0"
    head = struct.pack("!BBbbII4s", (0 << 6) | (4 << 3) | 4, stratum, 6, -20, 0, 0, ref_id)
    return head + struct.pack("!QQQQ", received, transmit if origin is None else origin,
                              received, ntp_now(offset))


def open_socket(address):
    family, kind, proto, _, sockaddr = socket.getaddrinfo(
        address, 123, type=socket.SOCK_DGRAM)[0]
    sock = socket.socket(family, kind, proto)
    if family == socket.AF_INET6:
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    sock.bind(sockaddr)
    return sock


class Server:
    def __init__(self, args):
        self.args = args
        self.last_seen = {}

    def send(self, sock, data, client, hold):
        if hold <= 0:
            sock.sendto(data, client)
        else:
            threading.Timer(hold, sock.sendto, (data, client)).start()

    def first_of_burst(self, client):
        now = time.monotonic()
        last = self.last_seen.get(client[0])
        self.last_seen[client[0]] = now
        return last is None or now - last > BURST_PAUSE

    def answer(self, sock):
        args = self.args
        request, client = sock.recvfrom(512)
        if len(request) < 48 or request[0] & 7 != 3:
            return
        slow = args.slow_first > 0 and self.first_of_burst(client)
        hold = random.uniform(0, args.jitter) if args.jitter > 0 else 0
        print("request from %s port %d%s" % (client[0], client[1],
                                              " (slow)" if slow else ""), flush=True)
        if args.kod:
            self.send(sock, reply(request, args.offset, stratum=0), client, hold)
            return
        if args.bad_first:
            sock.sendto(reply(request, args.offset, origin=0x1234), client)
        if slow:
            self.send(sock, reply(request, args.offset + args.slow_extra), client,
                      args.slow_first)
        else:
            self.send(sock, reply(request, args.offset), client, hold)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bind", required=True, action="append")
    ap.add_argument("--offset", type=float, default=0.0)
    ap.add_argument("--bad-first", action="store_true")
    ap.add_argument("--kod", action="store_true")
    ap.add_argument("--jitter", type=float, default=0.0)
    ap.add_argument("--slow-first", type=float, default=0.0)
    ap.add_argument("--slow-extra", type=float, default=0.0)
    args = ap.parse_args()
    server = Server(args)
    sel = selectors.DefaultSelector()
    for address in args.bind:
        sel.register(open_socket(address), selectors.EVENT_READ)
    print("serving on %s" % ", ".join(args.bind), flush=True)
    while True:
        for key, _ in sel.select():
            server.answer(key.fileobj)


if __name__ == "__main__":
    main()
