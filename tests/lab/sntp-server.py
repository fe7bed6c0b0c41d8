#!/usr/bin/python3
"""An SNTP server for the lab, whose clock runs --offset seconds ahead.

  sntp-server.py --bind ADDR [--offset SECONDS] [--bad-first] [--kod]

Answers every client request on ADDR:123 as a stratum-2 server. With
--bad-first it first sends a reply that does not echo the client's transmit
timestamp (a careful client drops it); with --kod it answers only with a
kiss-of-death (stratum 0, "RATE"). Never touches any clock.
"""
import argparse
import socket
import struct
import time

NTP_DELTA = 2208988800


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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bind", required=True)
    ap.add_argument("--offset", type=float, default=0.0)
    ap.add_argument("--bad-first", action="store_true")
    ap.add_argument("--kod", action="store_true")
    args = ap.parse_args()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((args.bind, 123))
    while True:
        request, client = sock.recvfrom(512)
        if len(request) < 48 or request[0] & 7 != 3:
            continue
        print("request from %s:%d" % client, flush=True)
        if args.kod:
            sock.sendto(reply(request, args.offset, stratum=0), client)
            continue
        if args.bad_first:
            sock.sendto(reply(request, args.offset, origin=0x1234), client)
        sock.sendto(reply(request, args.offset), client)


if __name__ == "__main__":
    main()
