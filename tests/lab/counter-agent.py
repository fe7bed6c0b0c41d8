#!/usr/bin/python3
"""A client with an Agent and a Counter, as a UI would register them.
counter-agent.py SECONDS: registers both (period 1 s), prints every Usage
call's RX.Bytes, TX.Bytes and Time as "usage SERVICE RX TX TIME" (TIME -1
before any Time came) and its roaming dictionary as "roaming SERVICE K=V,..."
("-" when empty), every agent call, and exits (leaving the bus) after
SECONDS."""
import sys

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
bus = dbus.SystemBus()
last = {}


class Counter(dbus.service.Object):
    @dbus.service.method('net.connman.Counter', in_signature='oa{sv}a{sv}')
    def Usage(self, service, home, roaming):
        name = str(service).rsplit('/', 1)[-1]
        last.setdefault(name, {}).update({str(k): int(v) for k, v in home.items()})
        print('usage %s %d %d %d' % (name, last[name].get('RX.Bytes', 0), last[name].get('TX.Bytes', 0),
                                     last[name].get('Time', -1)), flush=True)
        print('roaming %s %s' % (name, ','.join('%s=%d' % (k, v) for k, v in sorted(roaming.items()))
                                 or '-'), flush=True)

    @dbus.service.method('net.connman.Counter')
    def Release(self):
        print('counter released', flush=True)


class Agent(dbus.service.Object):
    @dbus.service.method('net.connman.Agent')
    def Release(self):
        print('agent released', flush=True)

    @dbus.service.method('net.connman.Agent', in_signature='os')
    def ReportError(self, service, error):
        print('error %s' % error, flush=True)

    @dbus.service.method('net.connman.Agent', in_signature='os')
    def RequestBrowser(self, service, url):
        print('browser %s' % url, flush=True)


Counter(bus, '/client/counter')
Agent(bus, '/client/agent')
manager = dbus.Interface(bus.get_object('net.connman', '/'), 'net.connman.Manager')
manager.RegisterAgent('/client/agent')
manager.RegisterCounter('/client/counter', dbus.UInt32(1024), dbus.UInt32(1))
print('registered', flush=True)
loop = GLib.MainLoop()
GLib.timeout_add(int(float(sys.argv[1]) * 1000), loop.quit)
loop.run()
