#!/usr/bin/python3
"""A hostile client: COUNT sessions, each asking for statistics every
second, held until stdin closes. Prints "created N" (with the error of the
first refusal, if any), then "stats" once every session got its Statistics."""
import sys
import threading

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
bus = dbus.SystemBus()
count = int(sys.argv[1])
seen = set()


class Notifier(dbus.service.Object):
    def __init__(self, index):
        super().__init__(bus, '/hostile/n%d' % index)
        self.index = index

    @dbus.service.method('net.connman.Notification', in_signature='a{sv}')
    def Update(self, settings):
        if 'Statistics' in settings and self.index not in seen:
            seen.add(self.index)
            if len(seen) == count:
                print('stats', flush=True)

    @dbus.service.method('net.connman.Notification')
    def Release(self):
        pass


# Introspection is denied to other users: no proxy introspects.
manager = dbus.Interface(bus.get_object('net.connman', '/', introspect=False), 'net.connman.Manager')
settings = dbus.Dictionary({'StatisticsInterval': dbus.UInt32(1)}, signature='sv')
made = 0
try:
    for i in range(count):
        Notifier(i)
        manager.CreateSession(settings, dbus.ObjectPath('/hostile/n%d' % i))
        made += 1
    print('created', made, flush=True)
except dbus.DBusException as e:
    print('created', made, e.get_dbus_name(), e.get_dbus_message(), flush=True)

loop = GLib.MainLoop()
threading.Thread(target=lambda: (sys.stdin.read(), GLib.idle_add(loop.quit)), daemon=True).start()
loop.run()
