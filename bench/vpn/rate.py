#!/usr/bin/python3
"""Traffic through a tunnel, for bench/vpn/run.sh.

  rate.py sink ADDR PORT            counts UDP datagrams and TCP bytes on ADDR:PORT
  rate.py tcp ADDR PORT SECONDS     sends over TCP for SECONDS; prints Mbit/s
                                    (bytes the sink acknowledged / time to its answer)
  rate.py udp ADDR PORT SECONDS     sends 64-byte datagrams for SECONDS; prints the
                                    datagrams per second the sink received
"""
import socket
import sys
import threading
import time

count = {'udp': 0}


def udp_counter(addr, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind((addr, port))
    while True:
        s.recv(2048)
        count['udp'] += 1


def serve(conn):
    with conn:
        kind = conn.recv(1)
        if kind == b'D':
            total = 0
            while True:
                data = conn.recv(1 << 20)
                if not data:
                    break
                total += len(data)
            conn.sendall(b'%d\n' % total)
        elif kind == b'C':
            time.sleep(0.5)  # the datagrams still in the tunnel
            conn.sendall(b'%d\n' % count['udp'])
            count['udp'] = 0


def sink(addr, port):
    threading.Thread(target=udp_counter, args=(addr, port), daemon=True).start()
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(4)
    print('ready', flush=True)
    while True:
        conn, _ = ls.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


def answer(s):
    s.shutdown(socket.SHUT_WR)
    return int(s.makefile().readline())


def tcp(addr, port, seconds):
    chunk = b'\0' * (1 << 17)
    s = socket.create_connection((addr, port), timeout=30)
    start = time.monotonic()
    s.sendall(b'D')
    while time.monotonic() - start < seconds:
        s.sendall(chunk)
    total = answer(s)
    print('%.1f' % (total * 8 / (time.monotonic() - start) / 1e6))


def udp(addr, port, seconds):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.connect((addr, port))
    payload = b'\0' * 64
    c = socket.create_connection((addr, port), timeout=30)
    c.sendall(b'C')
    answer(c)  # resets the count
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        for _ in range(100):
            try:
                u.send(payload)
            except OSError:
                pass  # a full queue: the tunnel is the bottleneck
    elapsed = time.monotonic() - start
    c = socket.create_connection((addr, port), timeout=30)
    c.sendall(b'C')
    print('%.0f' % (answer(c) / elapsed))


def main(argv):
    if argv[1] == 'sink':
        sink(argv[2], int(argv[3]))
    else:
        {'tcp': tcp, 'udp': udp}[argv[1]](argv[2], int(argv[3]), float(argv[4]))


if __name__ == '__main__':
    main(sys.argv)
