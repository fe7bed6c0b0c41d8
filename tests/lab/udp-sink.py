#!/usr/bin/python3
"""Logs the source of every UDP datagram it receives: udp-sink.py ADDR PORT."""
import socket
import sys

s = socket.socket(socket.AF_INET6 if ':' in sys.argv[1] else socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
while True:
    data, src = s.recvfrom(65536)
    print('%s %d' % (src[0], len(data)), flush=True)
