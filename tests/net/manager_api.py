"""net.connman.Manager as ConnMan 1.41 declares it: every method and signal
with the argument names, types and directions that Debian's connmand shows
in introspection, ConnMan's errors from the VPN's ConnectProvider and
RemoveProvider, and NotSupported from the methods whose feature connd lacks
(private networks, Wi-Fi P2P)."""
import xml.etree.ElementTree as ET

import dbus

from conndtest import Connd, check, expect_error, main

# (name, type, direction) per member, as connmand 1.41 introspects them.
METHODS = {
    'GetProperties': [('properties', 'a{sv}', 'out')],
    'SetProperty': [('name', 's', 'in'), ('value', 'v', 'in')],
    'GetTechnologies': [('technologies', 'a(oa{sv})', 'out')],
    'RemoveProvider': [('provider', 'o', 'in')],
    'GetServices': [('services', 'a(oa{sv})', 'out')],
    'GetPeers': [('peers', 'a(oa{sv})', 'out')],
    'GetTetheringClients': [('tethering_clients', 'as', 'out')],
    'ConnectProvider': [('provider', 'a{sv}', 'in'), ('path', 'o', 'out')],
    'RegisterAgent': [('path', 'o', 'in')],
    'UnregisterAgent': [('path', 'o', 'in')],
    'RegisterCounter': [('path', 'o', 'in'), ('accuracy', 'u', 'in'), ('period', 'u', 'in')],
    'UnregisterCounter': [('path', 'o', 'in')],
    'CreateSession': [('settings', 'a{sv}', 'in'), ('notifier', 'o', 'in'),
                      ('session', 'o', 'out')],
    'DestroySession': [('session', 'o', 'in')],
    'RequestPrivateNetwork': [('path', 'o', 'out'), ('settings', 'a{sv}', 'out'),
                              ('socket', 'h', 'out')],
    'ReleasePrivateNetwork': [('path', 'o', 'in')],
    'RegisterPeerService': [('specification', 'a{sv}', 'in'), ('master', 'b', 'in')],
    'UnregisterPeerService': [('specification', 'a{sv}', 'in')],
}
SIGNALS = {
    'PropertyChanged': [('name', 's'), ('value', 'v')],
    'TechnologyAdded': [('path', 'o'), ('properties', 'a{sv}')],
    'TechnologyRemoved': [('path', 'o')],
    'ServicesChanged': [('changed', 'a(oa{sv})'), ('removed', 'ao')],
    'PeersChanged': [('changed', 'a(oa{sv})'), ('removed', 'ao')],
    'TetheringClientsChanged': [('registered', 'as'), ('removed', 'as')],
}
DEPRECATED = {'ConnectProvider', 'RemoveProvider'}
# connd's additions, documented in doc/dbus-api.md: nothing of ConnMan's changes.
EXTENSIONS = {
    'GetSessionStatistics': [('statistics', 'a(oa{sv})', 'out')],
    'GetSessionCounters': [('counters', 'a(otttt)', 'out')],
}


def args_of(element, with_direction):
    out = []
    for a in element.findall('arg'):
        arg = (a.get('name'), a.get('type'))
        out.append(arg + ((a.get('direction', 'in'),) if with_direction else ()))
    return out


def deprecated(element):
    return any(a.get('name') == 'org.freedesktop.DBus.Deprecated' and a.get('value') == 'true'
               for a in element.findall('annotation'))


def run():
    c = Connd()
    xml = c.bus.get_object('net.connman', '/').Introspect(
        dbus_interface='org.freedesktop.DBus.Introspectable')
    iface = next(i for i in ET.fromstring(xml).findall('interface')
                 if i.get('name') == 'net.connman.Manager')
    methods = {m.get('name'): m for m in iface.findall('method')}
    signals = {s.get('name'): s for s in iface.findall('signal')}
    for name, args in METHODS.items():
        check(name in methods and args_of(methods[name], True) == args,
              'method %s%s as in ConnMan' % (name, args))
        check(deprecated(methods[name]) == (name in DEPRECATED),
              '%s %s deprecated' % (name, 'is' if name in DEPRECATED else 'is not'))
    for name, args in EXTENSIONS.items():
        check(name in methods and args_of(methods[name], True) == args,
              'extension %s%s as documented' % (name, args))
        check(not deprecated(methods[name]), '%s is not deprecated' % name)
    for name, args in SIGNALS.items():
        check(name in signals and args_of(signals[name], False) == args,
              'signal %s%s as in ConnMan' % (name, args))
    known = set(METHODS) | set(EXTENSIONS)
    check(set(methods) == known and set(signals) == set(SIGNALS),
          'no member that is neither ConnMan\'s nor a documented extension (extra: %s)' %
          sorted((set(methods) - known) | (set(signals) - set(SIGNALS))))

    m = c.manager
    # ConnMan's answers, before any VPN exists (vpn-provider.sh connects one).
    expect_error('net.connman.Error.InvalidArguments', m.ConnectProvider, {'Type': 'openvpn'})
    expect_error('net.connman.Error.NotFound', m.RemoveProvider,
                 dbus.ObjectPath('/net/connman/service/vpn_x'))
    err = 'net.connman.Error.NotSupported'
    expect_error(err, m.RequestPrivateNetwork)
    expect_error(err, m.ReleasePrivateNetwork, dbus.ObjectPath('/tethering/tun0'))
    expect_error(err, m.RegisterPeerService, {'BonjourResponse': dbus.ByteArray(b'x')}, True)
    expect_error(err, m.UnregisterPeerService, {'BonjourResponse': dbus.ByteArray(b'x')})
    check(list(m.GetPeers()) == [], 'GetPeers is empty (no Wi-Fi P2P)')


if __name__ == '__main__':
    main(run)
