#!/usr/bin/python3
"""Prints every State change connd signals (services and the manager), with
milliseconds since this watcher started, until killed or --seconds pass.
With --ipv4 the services' IPv4 changes too (their Address, "-" when none),
in the order they arrive: "  +  12 ms  <service>  IPv4 = 10.0.0.2". With
--lists their Nameservers, Timeservers and Domains too, comma-separated ("-"
when empty)."""
import argparse
import time

import dbus
import dbus.mainloop.glib
from gi.repository import GLib

parser = argparse.ArgumentParser()
parser.add_argument('--seconds', type=float)
parser.add_argument('--ipv4', action='store_true')
parser.add_argument('--lists', action='store_true')
args = parser.parse_args()

start = time.monotonic()
dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
bus = dbus.SystemBus()


def show(who, name, value):
    print('  +%5d ms  %-32s %s = %s' % ((time.monotonic() - start) * 1000, who, name, value),
          flush=True)


def changed(name, value, path=None):
    who = 'manager' if path == '/' else path.rsplit('/', 1)[-1]
    if name == 'State':
        show(who, name, value)
    elif name == 'IPv4' and args.ipv4:
        show(who, name, value.get('Address', '-'))
    elif name in ('Nameservers', 'Timeservers', 'Domains') and args.lists:
        show(who, name, ','.join(value) or '-')


bus.add_signal_receiver(changed, signal_name='PropertyChanged', path_keyword='path',
                        dbus_interface='net.connman.Service')
bus.add_signal_receiver(changed, signal_name='PropertyChanged', path_keyword='path',
                        dbus_interface='net.connman.Manager')
print('ready', flush=True)
loop = GLib.MainLoop()
if args.seconds:
    GLib.timeout_add(int(args.seconds * 1000), loop.quit)
loop.run()
