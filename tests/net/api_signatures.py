"""Every interface connd serves, checked against ConnMan's API as data of
ours: each method's in and out signatures, each signal's, each property's
D-Bus type and, for dictionaries, their keys' types. The data was taken from
ConnMan's doc/*-api.txt (names and types only); where ConnMan's own daemon
sends another type than its text says, the daemon's type is kept and the
line says so, since clients are written against what connmand sends.

Run with an ethernet service online: it creates a VPN connection, a session
(with its notifier), registers an agent and a counter, walks every object of
net.connman and net.connman.vpn by introspection and prints one line per
check; any difference fails. Members connd adds (doc/dbus-api.md) are listed
in EXTENSIONS; a member that is in neither table fails too."""
import sys
import xml.etree.ElementTree as ET

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

# interface: {'m': {method: (in, out)}, 's': {signal: sig},
#             'p': {property: type}, 'k': {dict property: {key: type}}}
API = {
    'net.connman.Manager': {
        'm': {'GetProperties': ('', 'a{sv}'), 'SetProperty': ('sv', ''),
              'GetTechnologies': ('', 'a(oa{sv})'), 'GetServices': ('', 'a(oa{sv})'),
              'GetPeers': ('', 'a(oa{sv})'), 'GetTetheringClients': ('', 'as'),
              'ConnectProvider': ('a{sv}', 'o'), 'RemoveProvider': ('o', ''),
              'RegisterAgent': ('o', ''), 'UnregisterAgent': ('o', ''),
              'RegisterCounter': ('ouu', ''), 'UnregisterCounter': ('o', ''),
              'CreateSession': ('a{sv}o', 'o'), 'DestroySession': ('o', ''),
              # The text gives it a{sv} in; connmand declares none.
              'RequestPrivateNetwork': ('', 'oa{sv}h'), 'ReleasePrivateNetwork': ('o', ''),
              'RegisterPeerService': ('a{sv}b', ''), 'UnregisterPeerService': ('a{sv}', '')},
        's': {'PropertyChanged': 'sv', 'TechnologyAdded': 'oa{sv}', 'TechnologyRemoved': 'o',
              'ServicesChanged': 'a(oa{sv})ao', 'PeersChanged': 'a(oa{sv})ao',
              'TetheringClientsChanged': 'asas'},
        'p': {'State': 's', 'OfflineMode': 'b', 'SessionMode': 'b'},
    },
    'net.connman.Clock': {
        'm': {'GetProperties': ('', 'a{sv}'), 'SetProperty': ('sv', '')},
        's': {'PropertyChanged': 'sv'},
        'p': {'Time': 't', 'TimeUpdates': 's', 'Timezone': 's', 'TimezoneUpdates': 's',
              'Timeservers': 'as', 'TimeserverSynced': 'b'},
    },
    'net.connman.Technology': {
        'm': {'GetProperties': ('', 'a{sv}'), 'SetProperty': ('sv', ''), 'Scan': ('', '')},
        's': {'PropertyChanged': 'sv'},
        'p': {'Powered': 'b', 'Connected': 'b', 'Name': 's', 'Type': 's', 'Tethering': 'b',
              'TetheringIdentifier': 's', 'TetheringPassphrase': 's', 'TetheringFreq': 'i'},
    },
    'net.connman.Service': {
        'm': {'GetProperties': ('', 'a{sv}'), 'SetProperty': ('sv', ''),
              'ClearProperty': ('s', ''), 'Connect': ('', ''), 'Disconnect': ('', ''),
              'Remove': ('', ''), 'MoveBefore': ('o', ''), 'MoveAfter': ('o', ''),
              'ResetCounters': ('', '')},
        's': {'PropertyChanged': 'sv'},
        'p': {'State': 's', 'Error': 's', 'Name': 's', 'Type': 's', 'Security': 'as',
              'Strength': 'y', 'Favorite': 'b', 'Immutable': 'b', 'AutoConnect': 'b',
              'Roaming': 'b', 'Nameservers': 'as', 'Nameservers.Configuration': 'as',
              'Timeservers': 'as', 'Timeservers.Configuration': 'as', 'Domains': 'as',
              'Domains.Configuration': 'as', 'IPv4': 'a{sv}', 'IPv4.Configuration': 'a{sv}',
              'IPv6': 'a{sv}', 'IPv6.Configuration': 'a{sv}', 'Proxy': 'a{sv}',
              'Proxy.Configuration': 'a{sv}', 'Provider': 'a{sv}', 'Ethernet': 'a{sv}',
              'LastAddressConflict': 'a{sv}',
              # Not in the text; connmand sends them (mDNS since 1.38).
              'mDNS': 'b', 'mDNS.Configuration': 'b'},
        'k': {'IPv4': {'Method': 's', 'Address': 's', 'Netmask': 's', 'Gateway': 's'},
              'IPv4.Configuration': {'Method': 's', 'Address': 's', 'Netmask': 's',
                                     'Gateway': 's'},
              'IPv6': {'Method': 's', 'Address': 's', 'PrefixLength': 'y', 'Gateway': 's',
                       'Privacy': 's'},
              'IPv6.Configuration': {'Method': 's', 'Address': 's', 'PrefixLength': 'y',
                                     'Gateway': 's', 'Privacy': 's'},
              'Proxy': {'Method': 's', 'URL': 's', 'Servers': 'as', 'Excludes': 'as'},
              'Proxy.Configuration': {'Method': 's', 'URL': 's', 'Servers': 'as',
                                      'Excludes': 'as'},
              # The text names Host, Domain, Name, Type; connmand sends
              # Host, Domain, Type and SplitRouting.
              'Provider': {'Host': 's', 'Domain': 's', 'Name': 's', 'Type': 's',
                           'SplitRouting': 'b'},
              'Ethernet': {'Method': 's', 'Interface': 's', 'Address': 's', 'MTU': 'q',
                           'Speed': 'q', 'Duplex': 's'},
              'LastAddressConflict': {'IPv4': 'a{sv}', 'Ethernet': 'a{sv}',
                                      'Resolved': 'b'}},
    },
    'net.connman.Session': {
        'm': {'Destroy': ('', ''), 'Connect': ('', ''), 'Disconnect': ('', ''),
              'Change': ('sv', '')},
        's': {},
        # Sent through Notification.Update, read there.
        'p': {'State': 's', 'Name': 's', 'Bearer': 's', 'Interface': 's', 'IPv4': 'a{sv}',
              'IPv6': 'a{sv}', 'AllowedBearers': 'as', 'ConnectionType': 's',
              'AllowedInterface': 's', 'SourceIPRule': 'b', 'ContextIdentifier': 's'},
        'k': {'IPv4': {'Method': 's', 'Address': 's', 'Netmask': 's', 'Gateway': 's'},
              'IPv6': {'Method': 's', 'Address': 's', 'PrefixLength': 'y', 'Gateway': 's',
                       'Privacy': 's'}},
    },
    'net.connman.vpn.Manager': {
        'm': {'Create': ('a{sv}', 'o'), 'Remove': ('o', ''), 'GetConnections': ('', 'a(oa{sv})'),
              'RegisterAgent': ('o', ''), 'UnregisterAgent': ('o', '')},
        's': {'ConnectionAdded': 'oa{sv}', 'ConnectionRemoved': 'o'},
    },
    'net.connman.vpn.Connection': {
        'm': {'GetProperties': ('', 'a{sv}'), 'SetProperty': ('sv', ''),
              'ClearProperty': ('s', ''), 'Connect': ('', ''), 'Connect2': ('s', ''),
              'Disconnect': ('', '')},
        's': {'PropertyChanged': 'sv'},
        'p': {'State': 's', 'Type': 's', 'Name': 's', 'Domain': 's', 'Host': 's',
              'Immutable': 'b', 'SplitRouting': 'b', 'Index': 'i', 'IPv4': 'a{sv}',
              'IPv6': 'a{sv}', 'Nameservers': 'as', 'UserRoutes': 'aa{sv}',
              'ServerRoutes': 'aa{sv}', 'AuthErrorLimit': 's'},
        # IPv6's PrefixLength: the text says string, vpnd sends a byte.
        'k': {'IPv4': {'Address': 's', 'Netmask': 's', 'Gateway': 's', 'Peer': 's'},
              'IPv6': {'Address': 's', 'PrefixLength': 'y', 'Gateway': 's', 'Peer': 's'},
              'UserRoutes': {'ProtocolFamily': 'i', 'Network': 's', 'Netmask': 's',
                             'Gateway': 's'},
              'ServerRoutes': {'ProtocolFamily': 'i', 'Network': 's', 'Netmask': 's',
                               'Gateway': 's'}},
    },
}

# What ConnMan sends whatever the state or bearer (its append_properties()).
ALWAYS = {
    'net.connman.Manager': {'State', 'OfflineMode', 'SessionMode'},
    'net.connman.Technology': {'Name', 'Type', 'Powered', 'Connected', 'Tethering'},
    'net.connman.Service': {'Type', 'Security', 'State', 'Favorite', 'Immutable', 'AutoConnect',
                            'IPv4', 'IPv4.Configuration', 'IPv6', 'IPv6.Configuration',
                            'Nameservers', 'Nameservers.Configuration', 'Timeservers',
                            'Timeservers.Configuration', 'Domains', 'Domains.Configuration',
                            'Proxy', 'Proxy.Configuration', 'mDNS', 'mDNS.Configuration',
                            'Provider'},
    'net.connman.vpn.Connection': {'State', 'Type', 'Name', 'Host', 'Immutable',
                                   'SplitRouting'},
}

# The properties ConnMan's text marks read-write (Clock's Time and Timezone:
# "readonly or readwrite", as its settings say); any other SetProperty fails.
WRITABLE = {
    'net.connman.Manager': {'OfflineMode', 'SessionMode'},
    'net.connman.Clock': {'Time', 'TimeUpdates', 'Timezone', 'TimezoneUpdates', 'Timeservers'},
    'net.connman.Technology': {'Powered', 'Tethering', 'TetheringIdentifier',
                               'TetheringPassphrase', 'TetheringFreq'},
    'net.connman.Service': {'AutoConnect', 'Nameservers.Configuration',
                            'Timeservers.Configuration', 'Domains.Configuration',
                            'IPv4.Configuration', 'IPv6.Configuration', 'Proxy.Configuration',
                            'mDNS.Configuration'},
    # Domain: vpnd's code takes it, as connd does (doc/vpn-api.md).
    'net.connman.vpn.Connection': {'SplitRouting', 'UserRoutes', 'AuthErrorLimit', 'Domain'},
}

# connd's additions, each documented in doc/dbus-api.md or doc/vpn-api.md.
EXTENSIONS = {
    'net.connman.Manager': {'m': {'GetSessionStatistics': ('', 'a(oa{sv})'),
                                  'GetSessionCounters': ('', 'a(otttt)')}},
    'net.connman.Technology': {'m': {'GetTetheringLeases': ('', 'aa{sv}')}},
    'net.connman.Session': {'m': {'GetStatistics': ('', 'a{sv}')},
                            'p': {'StatisticsInterval': 'u'}},
}

# Interfaces of the bus library and iwd's agent, not ConnMan's API.
STANDARD = {'net.connman.iwd.Agent',  # connd's, for iwd only (doc/dbus-api.md)
            'org.freedesktop.DBus.Introspectable', 'org.freedesktop.DBus.Properties',
            'org.freedesktop.DBus.ObjectManager', 'org.freedesktop.DBus.Peer'}

# The client side: what connd calls, with the signature it must send.
CLIENT = {
    'net.connman.Agent': {'Release': '', 'ReportError': 'os', 'ReportPeerError': 'os',
                          'RequestBrowser': 'os', 'RequestInput': 'oa{sv}',
                          'RequestPeerAuthorization': 'oa{sv}', 'Cancel': ''},
    'net.connman.Counter': {'Release': '', 'Usage': 'oa{sv}a{sv}'},
    'net.connman.Notification': {'Release': '', 'Update': 'a{sv}'},
}

BASIC = {dbus.Boolean: 'b', dbus.Byte: 'y', dbus.Int16: 'n', dbus.UInt16: 'q',
         dbus.Int32: 'i', dbus.UInt32: 'u', dbus.Int64: 'x', dbus.UInt64: 't',
         dbus.Double: 'd', dbus.String: 's', dbus.ObjectPath: 'o', dbus.Signature: 'g'}

failures = []


def check(cond, what):
    print(('ok - ' if cond else 'not ok - ') + what, flush=True)
    if not cond:
        failures.append(what)


def type_of(value):
    """The D-Bus signature a received value came with."""
    for cls, code in BASIC.items():
        if type(value) is cls:
            return code
    if isinstance(value, dbus.Dictionary):
        return 'a{%s}' % value.signature
    if isinstance(value, dbus.Array):
        return 'a' + value.signature
    if isinstance(value, dbus.Struct):
        return '(' + ''.join(type_of(v) for v in value) + ')'
    return '?' + type(value).__name__


def check_props(where, iface, props):
    api = API[iface]
    for name in sorted(ALWAYS.get(iface, set())):
        check(name in props, '%s %s.%s is there' % (where, iface, name))
    known = dict(api.get('p', {}), **EXTENSIONS.get(iface, {}).get('p', {}))
    for name, value in props.items():
        name = str(name)
        if iface == 'net.connman.vpn.Connection' and '.' in name:
            # The provider's own keys (OpenVPN.Port...): strings, as vpnd sends them.
            check(type_of(value) == 's', '%s provider key %s is s' % (where, name))
            continue
        check(name in known, '%s %s: property %s is documented' % (where, iface, name))
        if name not in known:
            continue
        got = type_of(value)
        check(got == known[name], '%s %s.%s is %s (connd: %s)' % (where, iface, name,
                                                                  known[name], got))
        keys = api.get('k', {}).get(name)
        if keys is None:
            continue
        for d in (value if got == 'aa{sv}' else [value]):
            for key, v in d.items():
                key = str(key)
                check(key in keys and type_of(v) == keys[key],
                      '%s %s.%s[%s] is %s (connd: %s)' % (where, iface, name, key,
                                                          keys.get(key), type_of(v)))


def check_readonly(where, obj, iface, props):
    """SetProperty of a read-only property, with its own value, is refused."""
    for name, value in props.items():
        name = str(name)
        if name in WRITABLE.get(iface, ()) or (iface == 'net.connman.vpn.Connection' and
                                                '.' in name):
            continue
        try:
            obj.SetProperty(name, value)
            refused = None
        except dbus.DBusException as e:
            refused = e.get_dbus_name()
        check(refused is not None, '%s %s.%s is read-only (%s)' % (where, iface, name, refused))


def members(node):
    out = {}
    for iface in node.findall('interface'):
        m = {x.get('name'): (''.join(a.get('type') for a in x.findall('arg')
                                     if a.get('direction', 'in') == 'in'),
                             ''.join(a.get('type') for a in x.findall('arg')
                                     if a.get('direction') == 'out'))
             for x in iface.findall('method')}
        s = {x.get('name'): ''.join(a.get('type') for a in x.findall('arg'))
             for x in iface.findall('signal')}
        out[iface.get('name')] = {'m': m, 's': s}
    return out


def walk(bus, name, path='/'):
    xml = bus.get_object(name, path, introspect=False).Introspect(
        dbus_interface='org.freedesktop.DBus.Introspectable')
    node = ET.fromstring(xml)
    yield path, members(node)
    for child in node.findall('node'):
        yield from walk(bus, name, path.rstrip('/') + '/' + child.get('name'))


def check_members(path, iface, got):
    check(iface in API, '%s: interface %s is ConnMan\'s' % (path, iface))
    if iface not in API:
        return
    for kind, what in (('m', 'method'), ('s', 'signal')):
        want = dict(API[iface].get(kind, {}), **EXTENSIONS.get(iface, {}).get(kind, {}))
        for name, sig in want.items():
            check(got[kind].get(name) == sig, '%s %s %s.%s%s (connd: %s)' % (
                path, what, iface, name, sig, got[kind].get(name)))
        for name in got[kind]:
            check(name in want, '%s %s %s.%s is documented' % (path, what, iface, name))


class Client(dbus.service.Object):
    """The agent, counter and notifier, taking only the documented signatures:
    a call with another one is refused, and the check after it fails."""
    calls = {}
    session = {}    # every setting Notification.Update told, the last value of each

    def record(self, iface, member, sig):
        self.calls.setdefault(iface, {})[member] = sig

    @dbus.service.method('net.connman.Counter', in_signature='oa{sv}a{sv}')
    def Usage(self, service, home, roaming):
        self.record('net.connman.Counter', 'Usage', 'oa{sv}a{sv}')

    @dbus.service.method('net.connman.Notification', in_signature='a{sv}')
    def Update(self, settings):
        self.record('net.connman.Notification', 'Update', 'a{sv}')
        self.session.update(settings)


def run_loop(seconds, until):
    loop = GLib.MainLoop()

    def tick():
        if until():
            loop.quit()
            return False
        return True
    GLib.timeout_add(100, tick)
    GLib.timeout_add(int(seconds * 1000), loop.quit)
    loop.run()


def run():
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.SystemBus()
    client = Client(bus, '/apisig/client')
    dbus.service.Object(bus, '/apisig/agent')
    manager = dbus.Interface(bus.get_object('net.connman', '/'), 'net.connman.Manager')
    vpn = dbus.Interface(bus.get_object('net.connman.vpn', '/'), 'net.connman.vpn.Manager')
    manager.RegisterAgent('/apisig/agent')
    manager.RegisterCounter('/apisig/client', dbus.UInt32(1024), dbus.UInt32(1))
    conn = vpn.Create({'Type': 'openvpn', 'Name': 'apisig', 'Host': '192.0.2.1',
                       'VPN.Domain': 'apisig.lab', 'OpenVPN.CACert': '/nonexistent',
                       'UserRoutes': dbus.Array([{'ProtocolFamily': dbus.Int32(4),
                                                  'Network': '198.51.100.0',
                                                  'Netmask': '255.255.255.0',
                                                  'Gateway': '192.0.2.9'}],
                                                signature='a{sv}')})
    session = manager.CreateSession({'AllowedBearers': ['ethernet'],
                                     'ConnectionType': 'any',
                                     'ContextIdentifier': 'apisig'}, '/apisig/client')
    run_loop(5, lambda: 'Usage' in client.calls.get('net.connman.Counter', {}) and
             'Address' in client.session.get('IPv6', {}))
    told = client.session
    check(all('Address' in told.get(f, {}) for f in ('IPv4', 'IPv6')),
          'the session was told both families\' settings (their keys are checked below)')

    seen = set()
    for name in ('net.connman', 'net.connman.vpn'):
        for path, ifaces in walk(bus, name):
            for iface, got in ifaces.items():
                if iface in STANDARD:
                    continue
                seen.add(iface)
                check_members('%s %s' % (name, path), iface, got)
                if 'GetProperties' in got['m']:
                    obj = dbus.Interface(bus.get_object(name, path), iface)
                    props = obj.GetProperties()
                    check_props('%s %s' % (name, path), iface, props)
                    if 'SetProperty' in got['m'] and name == 'net.connman':
                        check_readonly('%s %s' % (name, path), obj, iface, props)
    for iface, what in (('net.connman.Service', 'a service'),
                        ('net.connman.Technology', 'a technology'),
                        ('net.connman.Session', 'a session'),
                        ('net.connman.vpn.Connection', 'a VPN connection')):
        check(iface in seen, '%s was introspected (%s)' % (iface, what))
    for path, props in manager.GetServices():
        check_props('GetServices ' + path, 'net.connman.Service', props)
    for path, props in manager.GetTechnologies():
        check_props('GetTechnologies ' + path, 'net.connman.Technology', props)
    for path, props in vpn.GetConnections():
        check_props('GetConnections ' + path, 'net.connman.vpn.Connection', props)
        check('Index' not in props, '%s: no Index without a tunnel' % path)
    check_props('Notification.Update ' + session, 'net.connman.Session',
                client.session)
    for iface, member in (('net.connman.Counter', 'Usage'),
                          ('net.connman.Notification', 'Update')):
        check(member in client.calls.get(iface, {}),
              'connd called %s.%s(%s)' % (iface, member, CLIENT[iface][member]))
    manager.DestroySession(session)
    vpn.Remove(conn)
    if failures:
        print('%d difference(s) from ConnMan\'s API' % len(failures))
        sys.exit(1)


if __name__ == '__main__':
    run()
