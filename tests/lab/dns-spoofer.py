#!/usr/bin/python3
"""A hostile upstream DNS server for the lab.

  dns-spoofer.py --bind ADDR --other ADDR --answer IP [--forged IP] [--servfail]

For every A query it receives on ADDR:53 it first sends two forged replies
that a careful proxy must drop — one from ADDR with the wrong ID, one with
the right ID but from --other ADDR — both claiming --forged, then the genuine
answer --answer (TTL 60). With --servfail it only answers SERVFAIL.
"""
import argparse
import socket
import struct


def question_end(msg):
    pos = 12
    while msg[pos]:
        pos += msg[pos] + 1
    return pos + 5


def answer(query, qid, ip, rcode=0):
    end = question_end(query)
    flags = 0x8180 | rcode
    header = struct.pack("!HHHHHH", qid, flags, 1, 0 if rcode else 1, 0, 0)
    msg = header + query[12:end]
    if not rcode:
        msg += struct.pack("!HHHIH", 0xC00C, 1, 1, 60, 4) + socket.inet_aton(ip)
    return msg


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bind", required=True)
    ap.add_argument("--other", required=True)
    ap.add_argument("--answer", required=True)
    ap.add_argument("--forged", default="6.6.6.6")
    ap.add_argument("--servfail", action="store_true")
    args = ap.parse_args()

    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind((args.bind, 53))
    other = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    other.bind((args.other, 53))
    while True:
        query, client = server.recvfrom(4096)
        if len(query) < 17:
            continue
        qid = struct.unpack("!H", query[:2])[0]
        if args.servfail:
            server.sendto(answer(query, qid, args.answer, rcode=2), client)
            continue
        server.sendto(answer(query, (qid + 1) & 0xFFFF, args.forged), client)
        other.sendto(answer(query, qid, args.forged), client)
        server.sendto(answer(query, qid, args.answer), client)


if __name__ == "__main__":
    main()
