#!/usr/bin/python3
"""Creates N sessions over D-Bus as one application would, and times it.
sessions.py N OUT.json [create-only]: the creation rate, adding one more at
N (median of 20 create+destroy pairs), reading every session's counters
(GetStatistics for each; connd's extension, skipped where absent); with
create-only, the creation rate alone. Sessions stay until stdin closes."""
import json
import statistics
import sys
import time

import dbus
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
create_only = sys.argv[3:] == ['create-only']


class Notifier(dbus.service.Object):
    @dbus.service.method('net.connman.Notification', in_signature='a{sv}')
    def Update(self, settings):
        pass

    @dbus.service.method('net.connman.Notification')
    def Release(self):
        pass


manager = dbus.Interface(bus.get_object('net.connman', '/'), 'net.connman.Manager')
settings = dbus.Dictionary({'AllowedBearers': dbus.Array(['ethernet'], signature='s')},
                           signature='sv')
result = {'n': n}
paths = []
t0 = time.monotonic()
try:
    for i in range(n):
        Notifier(bus, '/bench/s%d' % i)
        paths.append(manager.CreateSession(settings, '/bench/s%d' % i))
        dispatch()
except dbus.DBusException as e:
    result['error'] = '%s after %d: %s' % (e.get_dbus_name(), len(paths), e.get_dbus_message())
result['create_ms_each'] = (time.monotonic() - t0) * 1000 / max(len(paths), 1)
if 'error' not in result and not create_only:
    samples = []
    for i in range(20):
        Notifier(bus, '/bench/x%d' % i)
        t = time.monotonic()
        p = manager.CreateSession(settings, '/bench/x%d' % i)
        samples.append((time.monotonic() - t) * 1000)
        manager.DestroySession(p)
        dispatch()
    result['add_one_ms'] = statistics.median(samples)
    dispatch()
    t = time.monotonic()
    try:
        for p in paths:
            dbus.Interface(bus.get_object('net.connman', p, introspect=False),
                           'net.connman.Session').GetStatistics()
        result['read_all_counters_ms'] = (time.monotonic() - t) * 1000
    except dbus.DBusException as e:
        result['read_all_counters_ms'] = None
with open(out, 'w') as f:
    json.dump(result, f)
print('ready', flush=True)
sys.stdin.read()
