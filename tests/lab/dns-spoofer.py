#!/usr/bin/python3
"""A hostile upstream DNS server for the lab.

  dns-spoofer.py --bind ADDR --other ADDR --answer IP [--forged IP] [--servfail]
                 [--delay SECONDS] [--log FILE]

For every A query it receives on ADDR:53 it first sends forged replies that a
careful proxy must drop — one from ADDR with the wrong ID, one with the right
ID but from --other ADDR, and, when a query for another name from the same
source port is still unanswered, one from ADDR carrying that query's ID but
this query's question (a proxy sharing a socket between queries must check
the question, not just the ID) — all claiming --forged, then the genuine
answer --answer (TTL 60), after --delay seconds. With --servfail it only answers
SERVFAIL. --log appends "PORT ID NAME" per query received.
"""
import argparse
import heapq
import select
import socket
import struct
import time


def question_end(msg):
    pos = 12
    while msg[pos]:
        pos += msg[pos] + 1
    return pos + 5


def qname(msg):
    labels, pos = [], 12
    while msg[pos]:
        labels.append(msg[pos + 1:pos + 1 + msg[pos]].decode(errors="replace"))
        pos += msg[pos] + 1
    return ".".join(labels)


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
    ap.add_argument("--delay", type=float, default=0)
    ap.add_argument("--log")
    args = ap.parse_args()

    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind((args.bind, 53))
    other = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    other.bind((args.other, 53))
    due = []        # (time, seq, query, qid, client): genuine answers to send
    seq = 0
    while True:
        timeout = max(0, due[0][0] - time.monotonic()) if due else None
        if select.select([server], [], [], timeout)[0]:
            query, client = server.recvfrom(4096)
            if len(query) < 17:
                continue
            qid = struct.unpack("!H", query[:2])[0]
            if args.log:
                with open(args.log, "a") as f:
                    f.write("%d %d %s\n" % (client[1], qid, qname(query)))
            if args.servfail:
                server.sendto(answer(query, qid, args.answer, rcode=2), client)
                continue
            server.sendto(answer(query, (qid + 1) & 0xFFFF, args.forged), client)
            other.sendto(answer(query, qid, args.forged), client)
            for _, _, oquery, oid, ocl in due:
                if ocl == client and qname(oquery) != qname(query):
                    server.sendto(answer(query, oid, args.forged), client)
                    break
            seq += 1
            heapq.heappush(due, (time.monotonic() + args.delay, seq, query, qid, client))
        while due and due[0][0] <= time.monotonic():
            _, _, query, qid, client = heapq.heappop(due)
            server.sendto(answer(query, qid, args.answer), client)


if __name__ == "__main__":
    main()
