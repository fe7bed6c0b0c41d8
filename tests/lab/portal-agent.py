#!/usr/bin/python3
"""A UI's agent behind a captive portal, as tests/net/portal.sh needs it.
portal-agent.py [--browser cancel|login|hold] [--user U --password P] [--launch-browser]

Prints "registered", then one line per call: "browser URL", "input NAME:TYPE:REQUIREMENT ..."
(the fields asked for), "error ERROR", "cancel".
  RequestBrowser: with --browser login it posts the portal's login form at
                  the URL's host (as a user's browser would), then answers;
                  with --browser cancel it answers net.connman.Agent.Error.Canceled;
                  with --browser hold it never answers (a user still on the page).
  RequestInput:   answers Username and Password from --user/--password, or
                  with --launch-browser net.connman.Agent.Error.LaunchBrowser.
"""
import argparse
import urllib.parse
import urllib.request

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib


class Canceled(dbus.DBusException):
    _dbus_error_name = 'net.connman.Agent.Error.Canceled'


class LaunchBrowser(dbus.DBusException):
    _dbus_error_name = 'net.connman.Agent.Error.LaunchBrowser'


def say(text):
    print(text, flush=True)


class Agent(dbus.service.Object):
    def __init__(self, bus, path, args):
        super().__init__(bus, path)
        self.args = args

    @dbus.service.method('net.connman.Agent')
    def Release(self):
        say('released')

    @dbus.service.method('net.connman.Agent')
    def Cancel(self):
        say('cancel')

    @dbus.service.method('net.connman.Agent', in_signature='os')
    def ReportError(self, service, error):
        say('error %s' % error)

    @dbus.service.method('net.connman.Agent', in_signature='os',
                         async_callbacks=('reply', 'error'))
    def RequestBrowser(self, service, url, reply, error):
        say('browser %s' % url)
        if self.args.browser == 'hold':
            return
        if self.args.browser == 'cancel':
            error(Canceled('closed'))
            return
        parts = urllib.parse.urlsplit(url)
        form = urllib.parse.urlencode({'user': 'guest', 'password': 'x'}).encode()
        with urllib.request.urlopen('%s://%s/login' % (parts.scheme, parts.netloc), form,
                                    timeout=5) as answer:
            say('posted the login form: %d' % answer.status)
        reply()

    @dbus.service.method('net.connman.Agent', in_signature='oa{sv}', out_signature='a{sv}')
    def RequestInput(self, service, fields):
        say('input ' + ' '.join('%s:%s:%s' % (name, spec.get('Type', ''),
                                              spec.get('Requirement', ''))
                                for name, spec in sorted(fields.items())))
        if self.args.launch_browser:
            raise LaunchBrowser('browser please')
        return {'Username': self.args.user, 'Password': self.args.password}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--browser', choices=('cancel', 'login', 'hold'), default='cancel')
    parser.add_argument('--user', default='alice')
    parser.add_argument('--password', default='s3cret pass&word')
    parser.add_argument('--launch-browser', action='store_true')
    args = parser.parse_args()
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.SystemBus()
    Agent(bus, '/lab/portal_agent', args)
    manager = dbus.Interface(bus.get_object('net.connman', '/'), 'net.connman.Manager')
    manager.RegisterAgent('/lab/portal_agent')
    say('registered')
    GLib.MainLoop().run()


if __name__ == '__main__':
    main()
