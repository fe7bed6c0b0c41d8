#!/usr/bin/python3
"""Prints every State change connd signals (services and the manager), with
milliseconds since this watcher started, until killed or --seconds pass."""
import sys
import time

import dbus
import dbus.mainloop.glib
from gi.repository import GLib

start = time.monotonic()
dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
bus = dbus.SystemBus()


def changed(name, value, path=None):
    if name == 'State':
        who = 'manager' if path == '/' else path.rsplit('/', 1)[-1]
        print('  +%5d ms  %-32s State = %s' % ((time.monotonic() - start) * 1000, who, value),
              flush=True)


bus.add_signal_receiver(changed, signal_name='PropertyChanged', path_keyword='path',
                        dbus_interface='net.connman.Service')
bus.add_signal_receiver(changed, signal_name='PropertyChanged', path_keyword='path',
                        dbus_interface='net.connman.Manager')
print('ready', flush=True)
loop = GLib.MainLoop()
if len(sys.argv) > 2 and sys.argv[1] == '--seconds':
    GLib.timeout_add(int(float(sys.argv[2]) * 1000), loop.quit)
loop.run()
