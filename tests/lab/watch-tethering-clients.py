#!/usr/bin/python3
"""Prints every Manager.TetheringClientsChanged signal as
"changed REGISTERED REMOVED", each a comma-joined list ("-" when empty), in
the order they arrive, after "watching" once subscribed; until killed."""
import dbus
import dbus.mainloop.glib
from gi.repository import GLib

dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
bus = dbus.SystemBus()


def changed(registered, removed):
    print('changed %s %s' % (','.join(map(str, registered)) or '-',
                             ','.join(map(str, removed)) or '-'), flush=True)


bus.add_signal_receiver(changed, 'TetheringClientsChanged', 'net.connman.Manager',
                        'net.connman', '/')
bus.get_object('org.freedesktop.DBus', '/org/freedesktop/DBus').GetId(
    dbus_interface='org.freedesktop.DBus')  # the match rule is in place once this returns
print('watching', flush=True)
GLib.MainLoop().run()
