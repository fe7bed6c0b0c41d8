"""Service Proxy / Proxy.Configuration driven as a client would.
Usage:
  proxy_api.py watch FILE            every Proxy, Proxy.Configuration and Ethernet
                                     PropertyChanged as one JSON line in FILE
  proxy_api.py bad SERVICE           bad configurations refused, nothing changed
  proxy_api.py show SERVICE PROP     PROP's value as JSON
  proxy_api.py set SERVICE JSON      sets Proxy.Configuration to the JSON dict"""
import json
import sys

import dbus

from conndtest import Connd, check, expect_error, main

ERR = 'net.connman.Error.'


def plain(value):
    """D-Bus values as JSON-friendly Python values."""
    if isinstance(value, dbus.Dictionary):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, dbus.Array):
        return [plain(v) for v in value]
    if isinstance(value, dbus.String):
        return str(value)
    if isinstance(value, dbus.Boolean):
        return bool(value)
    return int(value)


def watch(path):
    import dbus.mainloop.glib
    from gi.repository import GLib

    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.SystemBus()
    out = open(path, 'a', buffering=1)

    def changed(name, value, path=None):
        if name in ('Proxy', 'Proxy.Configuration', 'Ethernet'):
            out.write(json.dumps({'service': path.rsplit('/', 1)[-1], 'name': str(name),
                                  'value': plain(value)}) + '\n')

    bus.add_signal_receiver(changed, signal_name='PropertyChanged', path_keyword='path',
                            dbus_interface='net.connman.Service')
    out.write('{"ready": true}\n')
    GLib.MainLoop().run()


def bad(service):
    c = Connd()
    path = '/net/connman/service/' + service
    svc = c.service(path)
    before = c.props(path)
    strs = lambda *s: dbus.Array(list(s), signature='s')
    cases = [
        ('an unknown method', {'Method': 'socks'}),
        ('no Method', {'URL': 'http://pac.example/p.pac'}),
        ('an empty dict', dbus.Dictionary({}, signature='sv')),
        ('manual without Servers', {'Method': 'manual'}),
        ('manual with no server', {'Method': 'manual', 'Servers': strs()}),
        ('manual with only empty servers', {'Method': 'manual', 'Servers': strs('', '')}),
        ('manual with a server with a space', {'Method': 'manual', 'Servers': strs('a b:1')}),
        ('manual with an exclude with ";"',
         {'Method': 'manual', 'Servers': strs('p:1'), 'Excludes': strs('a;b')}),
        ('Servers as a string', {'Method': 'manual', 'Servers': 'p:3128'}),
        ('Excludes as a string', {'Method': 'manual', 'Servers': strs('p:1'), 'Excludes': 'x'}),
        ('Method as a number', {'Method': dbus.UInt32(1)}),
        ('URL as a number', {'Method': 'auto', 'URL': dbus.UInt32(1)}),
        ('auto with a URL without a scheme', {'Method': 'auto', 'URL': 'pac.example/p.pac'}),
        ('auto with an ftp URL', {'Method': 'auto', 'URL': 'ftp://pac.example/p.pac'}),
        ('auto with a URL with a space', {'Method': 'auto', 'URL': 'http://a b/p.pac'}),
        ('auto with a URL without a host', {'Method': 'auto', 'URL': 'http:///p.pac'}),
    ]
    for what, value in cases:
        print('# ' + what)
        if not isinstance(value, dbus.Dictionary):
            value = dbus.Dictionary(value, signature='sv')
        expect_error(ERR + 'InvalidArguments', svc.SetProperty, 'Proxy.Configuration', value)
    expect_error(ERR + 'InvalidArguments', svc.SetProperty, 'Proxy.Configuration', 'direct')
    expect_error(ERR + 'InvalidArguments', svc.SetProperty, 'Proxy.Configuration',
                 dbus.Array(['direct'], signature='s'))
    after = c.props(path)
    check(plain(after['Proxy.Configuration']) == plain(before['Proxy.Configuration']),
          'Proxy.Configuration is unchanged: %s' % json.dumps(plain(after['Proxy.Configuration'])))
    check(plain(after['Proxy']) == plain(before['Proxy']),
          'Proxy is unchanged: %s' % json.dumps(plain(after['Proxy'])))
    expect_error(ERR + 'InvalidProperty', svc.SetProperty, 'Proxy',
                 dbus.Dictionary({'Method': 'direct'}, signature='sv'))


def show(service, prop):
    c = Connd()
    print(json.dumps(plain(c.props('/net/connman/service/' + service)[prop]), sort_keys=True))


def set_config(service, text):
    c = Connd()
    value = {k: dbus.Array(v, signature='s') if isinstance(v, list) else v
             for k, v in json.loads(text).items()}
    c.service('/net/connman/service/' + service).SetProperty(
        'Proxy.Configuration', dbus.Dictionary(value, signature='sv'))


def run(command, *args):
    {'watch': watch, 'bad': bad, 'show': show, 'set': set_config}[command](*args)


main(run)
