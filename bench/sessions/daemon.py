#!/usr/bin/python3
"""The daemon side of sessions at scale, as one application sees it.
daemon.py N OUT.json [CONND_PID]: creates N sessions (ms each), adds and destroys one
more 20 times at N (median ms), reads every session's counters one
GetStatistics call each, then in one Manager.GetSessionStatistics call
(connd's extension, its reply timed undecoded; n/a where absent), prints "ready" and waits for a line
on stdin; then destroys every session (ms each), prints "destroyed" and
waits for stdin to close. With connd's pid, each figure also has connd's
own CPU time (user + system, from /proc): less noisy than the wall clock on
a busy machine, and free of the client's and the bus's costs. Proxies never introspect: the bench times connd,
not introspection."""
import json
import os
import statistics
import sys
import time

import dbus
import dbus.lowlevel
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
bus = dbus.SystemBus()
main_context = GLib.MainContext.default()


def dispatch():
    """Handles what connd sent (each session's Update) as an application's
    main loop would. Left queued, each blocking call after it scans the
    whole queue for its reply in libdbus: O(N) per call, the client's cost
    that made reading N sessions' counters look quadratic."""
    while main_context.iteration(False):
        pass
n, out = int(sys.argv[1]), sys.argv[2]
connd_pid = sys.argv[3] if len(sys.argv) > 3 else None


class Notifier(dbus.service.Object):
    @dbus.service.method('net.connman.Notification', in_signature='a{sv}')
    def Update(self, settings):
        pass

    @dbus.service.method('net.connman.Notification')
    def Release(self):
        pass


def elapsed_ms(t):
    return (time.monotonic() - t) * 1000


def cpu_ms():
    """connd's CPU time so far (ms), or None."""
    if not connd_pid:
        return None
    with open('/proc/%s/stat' % connd_pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf('SC_CLK_TCK')


def record(key, t, c, count=1):
    """Wall and CPU ms of a phase that began at (t, c), per `count`."""
    result[key] = elapsed_ms(t) / count
    if c is not None:
        result[key + '_cpu'] = (cpu_ms() - c) / count


manager = dbus.Interface(bus.get_object('net.connman', '/', introspect=False),
                         'net.connman.Manager')
settings = dbus.Dictionary({'AllowedBearers': dbus.Array(['ethernet'], signature='s')},
                           signature='sv')
result = {'n': n}
paths = []
t, c = time.monotonic(), cpu_ms()
try:
    for i in range(n):
        Notifier(bus, '/bench/s%d' % i)
        paths.append(manager.CreateSession(settings, dbus.ObjectPath('/bench/s%d' % i)))
        dispatch()
except dbus.DBusException as e:
    result['error'] = '%s after %d: %s' % (e.get_dbus_name(), len(paths), e.get_dbus_message())
record('create_ms_each', t, c, max(len(paths), 1))

if 'error' not in result:
    samples = []
    for i in range(20):
        Notifier(bus, '/bench/x%d' % i)
        t = time.monotonic()
        p = manager.CreateSession(settings, dbus.ObjectPath('/bench/x%d' % i))
        samples.append(elapsed_ms(t))
        manager.DestroySession(p)
        dispatch()
    result['add_one_ms'] = statistics.median(samples)

    dispatch()
    proxies = [dbus.Interface(bus.get_object('net.connman', p, introspect=False),
                              'net.connman.Session') for p in paths]
    t, c = time.monotonic(), cpu_ms()
    try:
        for s in proxies:
            s.GetStatistics()
        record('read_each_ms', t, c)
    except dbus.DBusException:
        pass
    # The reply undecoded: dbus-python takes ~0.1 ms per session to turn
    # it into Python objects, the client's cost, timed on its own.
    call = dbus.lowlevel.MethodCallMessage('net.connman', '/', 'net.connman.Manager',
                                           'GetSessionStatistics')
    try:
        t, c = time.monotonic(), cpu_ms()
        reply = bus.send_message_with_reply_and_block(call, 120)
        record('read_batch_ms', t, c)
        t = time.monotonic()
        result['read_batch_count'] = len(reply.get_args_list()[0])
        result['read_batch_decode_ms'] = elapsed_ms(t)
    except dbus.DBusException:
        pass

with open(out, 'w') as f:
    json.dump(result, f)
print('ready', flush=True)
sys.stdin.readline()
dispatch()
t, c = time.monotonic(), cpu_ms()
for p in paths:
    manager.DestroySession(p)
record('destroy_ms_each', t, c, max(len(paths), 1))
with open(out, 'w') as f:
    json.dump(result, f)
print('destroyed', flush=True)
sys.stdin.read()
