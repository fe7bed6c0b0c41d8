#!/usr/bin/python3
"""measure.py OUT.json -- CMD...: starts a connection manager (CMD) and times,
from its exec, when the Manager's State first says ready and online (polling
GetProperties every millisecond, so a missed signal cannot skew it), then
reads its resident memory once it has been idle for a second."""
import json
import subprocess
import sys
import time

import dbus


def rss_kib(pid):
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return 0


def main():
    out, cmd = sys.argv[1], sys.argv[3:]
    bus = dbus.SystemBus()
    t0 = time.monotonic()
    log = open(out + ".log", "w")
    proc = subprocess.Popen(cmd, stdout=log, stderr=log)
    times = {}
    deadline = t0 + 30
    while time.monotonic() < deadline and 'online' not in times:
        try:
            state = str(dbus.Interface(bus.get_object('net.connman', '/', introspect=False),
                                       'net.connman.Manager').GetProperties(timeout=1)['State'])
        except dbus.DBusException:
            state = None
        now = (time.monotonic() - t0) * 1000
        if state in ('ready', 'online') and 'ready' not in times:
            times['ready'] = now
        if state == 'online':
            times['online'] = now
        time.sleep(0.001)
    time.sleep(1)
    if proc.poll() is not None:
        times['exited'] = proc.returncode
    else:
        times['rss_kib'] = rss_kib(proc.pid)
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    with open(out, 'w') as f:
        json.dump(times, f)


main()
