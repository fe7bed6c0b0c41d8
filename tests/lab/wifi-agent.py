#!/usr/bin/python3
"""A UI's agent for Wi-Fi credentials, as tests/net/wifi-iwd.sh needs it.
wifi-agent.py ANSWERS: registers with connd, prints "registered", then one
line per call: "input NAME:TYPE:REQUIREMENT[:ALTERNATES] ..." (the fields
asked for), "error SERVICE ERROR" (ReportError), "cancel". Each RequestInput
answers from the file ANSWERS, read at that moment: NAME=VALUE lines (a
VALUE "hex:..." is sent as bytes, as the SSID field is), or "hold" (never
answer) or "refuse" (net.connman.Agent.Error.Canceled). ReportError answers
at once, unless ANSWERS has a line "ReportError=retry": then it waits for the
file ANSWERS.go to appear, removes it, prints "retry" and answers
net.connman.Agent.Error.Retry (the test can change the answers meanwhile).
With --connect SERVICE_PATH it then connects that service itself, from its
own connection as a UI does, and prints "connected" or "connect-error NAME"."""
import os
import sys

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib


def say(text):
    print(text, flush=True)


class Canceled(dbus.DBusException):
    _dbus_error_name = 'net.connman.Agent.Error.Canceled'


class Retry(dbus.DBusException):
    _dbus_error_name = 'net.connman.Agent.Error.Retry'


def read_lines(path):
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]


class Agent(dbus.service.Object):
    def __init__(self, bus, path, answers):
        super().__init__(bus, path)
        self.answers = answers

    @dbus.service.method('net.connman.Agent')
    def Release(self):
        say('released')

    @dbus.service.method('net.connman.Agent')
    def Cancel(self):
        say('cancel')

    @dbus.service.method('net.connman.Agent', in_signature='os',
                         async_callbacks=('reply', 'error'))
    def ReportError(self, service, text, reply, error):
        say('error %s %s' % (str(service).rsplit('/', 1)[-1], text))
        if 'ReportError=retry' not in read_lines(self.answers):
            reply()
            return
        go = self.answers + '.go'

        def poll():
            if not os.path.exists(go):
                return True
            os.unlink(go)
            say('retry')
            error(Retry('again'))
            return False
        GLib.timeout_add(100, poll)

    @dbus.service.method('net.connman.Agent', in_signature='oa{sv}', out_signature='a{sv}',
                         async_callbacks=('reply', 'error'))
    def RequestInput(self, service, fields, reply, error):
        say('input ' + ' '.join(':'.join([name, spec.get('Type', ''), spec.get('Requirement', '')] +
                                         ([','.join(spec['Alternates'])]
                                          if 'Alternates' in spec else []))
                                for name, spec in sorted(fields.items())))
        lines = [line for line in read_lines(self.answers) if not line.startswith('ReportError=')]
        if lines == ['hold']:
            return
        if lines == ['refuse']:
            error(Canceled('no'))
            return
        reply({k: dbus.ByteArray(bytes.fromhex(v[4:])) if v.startswith('hex:') else v
               for k, v in (line.split('=', 1) for line in lines)})


def connect(bus, path):
    service = dbus.Interface(bus.get_object('net.connman', path, introspect=False),
                             'net.connman.Service')
    service.Connect(timeout=60, reply_handler=lambda: say('connected'),
                    error_handler=lambda e: say('connect-error ' + e.get_dbus_name()))


def main():
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.SystemBus()
    Agent(bus, '/lab/wifi_agent', sys.argv[1])
    manager = dbus.Interface(bus.get_object('net.connman', '/'), 'net.connman.Manager')
    manager.RegisterAgent('/lab/wifi_agent')
    say('registered')
    if len(sys.argv) > 3 and sys.argv[2] == '--connect':
        connect(bus, sys.argv[3])
    GLib.MainLoop().run()


if __name__ == '__main__':
    main()
