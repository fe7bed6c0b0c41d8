#!/usr/bin/python3
"""Prints, in the order they arrive, the State and IPv4 PropertyChanged
signals of connd's services: "<service> State ready", "<service> IPv4
10.0.0.2" (the address, or "-" when the dict has none)."""
import sys

import dbus
import dbus.mainloop.glib
from gi.repository import GLib

dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
bus = dbus.SystemBus()


def changed(name, value, path=None):
    who = path.rsplit('/', 1)[-1]
    if name == 'State':
        print('%s State %s' % (who, value), flush=True)
    elif name == 'IPv4':
        print('%s IPv4 %s' % (who, value.get('Address', '-')), flush=True)


bus.add_signal_receiver(changed, signal_name='PropertyChanged', path_keyword='path',
                        dbus_interface='net.connman.Service')
print('ready', flush=True)
loop = GLib.MainLoop()
if len(sys.argv) > 2 and sys.argv[1] == '--seconds':
    GLib.timeout_add(int(float(sys.argv[2]) * 1000), loop.quit)
loop.run()
