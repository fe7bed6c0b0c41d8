#!/usr/bin/python3
"""net.connman.vpn from a python3-dbus client, for tests/net/vpn-*.sh.

  vpn_api.py create KEY=VALUE...     prints the connection's path
  vpn_api.py create-fails ERROR KEY=VALUE...
                                     Create must fail with net.connman.vpn.Error.ERROR
  vpn_api.py connect PATH            returns once connected (exit 1 on error)
  vpn_api.py connect-fails PATH      Connect must fail
  vpn_api.py connect2 PATH SENDER    Connect2(SENDER), returns once connected
  vpn_api.py disconnect PATH | remove PATH
  vpn_api.py set PATH NAME VALUE     SetProperty (SplitRouting as a boolean)
  vpn_api.py prop PATH NAME          prints a property (arrays one per line)
  vpn_api.py count                   prints how many connections exist
  vpn_api.py service-provider SVC    prints net.connman service SVC's Provider as sorted
                                     KEY=VALUE (- when empty)
  vpn_api.py watch-added KEY=VALUE...  Create, and ConnectionAdded must name it
  vpn_api.py fails ERROR set PATH NAME VALUE | set-string PATH NAME VALUE |
                     clear PATH NAME | remove PATH
                                     the call must fail with net.connman.vpn.Error.ERROR
  vpn_api.py paths                   prints every connection's path, one a line
  vpn_api.py connect-ms PATH         Connect, and print how long the call took (ms)
  vpn_api.py connect-provider KEY=VALUE...
                                     net.connman.Manager.ConnectProvider: prints the
                                     path it answers once connected
  vpn_api.py remove-provider PATH    net.connman.Manager.RemoveProvider
  vpn_api.py provider-fails ERROR connect KEY=VALUE... | remove PATH
                                     the call must fail with net.connman.Error.ERROR

SplitRouting=true|false is sent as a boolean, UserRoutes=NET/MASK[/GATEWAY][,...] as
ConnMan's aa{sv}; everything else as a string.
"""
import sys
import time

import dbus
import dbus.mainloop.glib
from gi.repository import GLib

VPN = 'net.connman.vpn'


def bus():
    return dbus.SystemBus()


def manager(b):
    return dbus.Interface(b.get_object(VPN, '/'), VPN + '.Manager')


def connection(b, path):
    return dbus.Interface(b.get_object(VPN, path), VPN + '.Connection')


def settings(args):
    props = {}
    for arg in args:
        key, _, value = arg.partition('=')
        if key == 'SplitRouting':
            props[key] = dbus.Boolean(value == 'true')
        elif key == 'UserRoutes':
            routes = []
            for r in value.split(','):
                net, _, rest = r.partition('/')
                mask, _, gateway = rest.partition('/')
                route = {'ProtocolFamily': dbus.Int32(6 if ':' in net else 4),
                         'Network': net, 'Netmask': mask}
                if gateway:
                    route['Gateway'] = gateway
                routes.append(dbus.Dictionary(route, signature='sv'))
            props[key] = dbus.Array(routes, signature='a{sv}')
        else:
            props[key] = dbus.String(value)
    return dbus.Dictionary(props, signature='sv')


def show(value):
    if isinstance(value, dbus.Array):
        for v in value:
            print(dict(v) if isinstance(v, dbus.Dictionary) else str(v))
    elif isinstance(value, dbus.Dictionary):
        for k, v in value.items():
            print('%s=%s' % (k, v))
    else:
        print(str(value))


def connman_manager(b):
    return dbus.Interface(b.get_object('net.connman', '/'), 'net.connman.Manager')


def provider_call(b, args):
    if args[0] == 'connect':
        return connman_manager(b).ConnectProvider(settings(args[1:]), timeout=90)
    return connman_manager(b).RemoveProvider(dbus.ObjectPath(args[1]))


def expect_provider_failure(b, error, args):
    try:
        provider_call(b, args)
    except dbus.DBusException as e:
        print(e.get_dbus_name(), e.get_dbus_message())
        return 0 if e.get_dbus_name() == 'net.connman.Error.' + error else 1
    print('%s succeeded' % args[0])
    return 1


def expect_failure(b, error, args):
    """One call that must be refused with the given error."""
    try:
        if args[0] == 'set':
            value = settings(['%s=%s' % (args[2], args[3])])[args[2]]
            connection(b, args[1]).SetProperty(args[2], value)
        elif args[0] == 'set-string':   # as ConnMan's test/vpn-property sends any value
            connection(b, args[1]).SetProperty(args[2], dbus.String(args[3]))
        elif args[0] == 'clear':
            connection(b, args[1]).ClearProperty(args[2])
        elif args[0] == 'remove':
            manager(b).Remove(dbus.ObjectPath(args[1]))
        else:
            return 2
    except dbus.DBusException as e:
        print(e.get_dbus_name(), e.get_dbus_message())
        return 0 if e.get_dbus_name() == VPN + '.Error.' + error else 1
    print('%s succeeded' % args[0])
    return 1


def main(argv):
    b = bus()
    cmd = argv[1]
    if cmd == 'create':
        print(manager(b).Create(settings(argv[2:])))
    elif cmd == 'create-fails':
        before = len(manager(b).GetConnections())
        try:
            manager(b).Create(settings(argv[3:]))
        except dbus.DBusException as e:
            print(e.get_dbus_name(), e.get_dbus_message())
            if e.get_dbus_name() != VPN + '.Error.' + argv[2]:
                return 1
            return 0 if len(manager(b).GetConnections()) == before else 1
        print('Create succeeded')
        return 1
    elif cmd == 'connect':
        connection(b, argv[2]).Connect(timeout=90)
    elif cmd == 'connect2':
        connection(b, argv[2]).Connect2(dbus.String(argv[3]), timeout=90)
    elif cmd == 'connect-fails':
        try:
            connection(b, argv[2]).Connect(timeout=90)
        except dbus.DBusException as e:
            print(e.get_dbus_name(), e.get_dbus_message())
            return 0
        return 1
    elif cmd == 'set':
        value = settings(['%s=%s' % (argv[3], argv[4])])[argv[3]]
        connection(b, argv[2]).SetProperty(argv[3], value)
    elif cmd == 'disconnect':
        connection(b, argv[2]).Disconnect()
    elif cmd == 'remove':
        manager(b).Remove(dbus.ObjectPath(argv[2]))
    elif cmd == 'prop':
        show(connection(b, argv[2]).GetProperties()[argv[3]])
    elif cmd == 'service-provider':   # a net.connman service's Provider, as K=V sorted
        props = dbus.Interface(b.get_object('net.connman', argv[2]),
                               'net.connman.Service').GetProperties()
        print(' '.join('%s=%s' % (k, int(v) if isinstance(v, dbus.Boolean) else v)
                       for k, v in sorted(props['Provider'].items())) or '-')
    elif cmd == 'count':
        print(len(manager(b).GetConnections()))
    elif cmd == 'fails':
        return expect_failure(b, argv[2], argv[3:])
    elif cmd == 'connect-ms':
        conn = connection(b, argv[2])
        start = time.monotonic()
        conn.Connect(timeout=90)
        print('%.0f' % ((time.monotonic() - start) * 1000))
    elif cmd == 'connect-provider':
        print(provider_call(b, ['connect'] + argv[2:]))
    elif cmd == 'remove-provider':
        provider_call(b, ['remove', argv[2]])
    elif cmd == 'provider-fails':
        return expect_provider_failure(b, argv[2], argv[3:])
    elif cmd == 'paths':
        for path, _ in manager(b).GetConnections():
            print(path)
    elif cmd == 'watch-added':
        dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
        b = dbus.SystemBus()
        loop = GLib.MainLoop()
        seen = []
        b.add_signal_receiver(lambda path, props: (seen.append(str(path)), loop.quit()),
                              'ConnectionAdded', VPN + '.Manager', VPN, '/')
        path = str(manager(b).Create(settings(argv[2:])))
        GLib.timeout_add(5000, loop.quit)
        loop.run()
        print(path)
        return 0 if path in seen else 1
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == '__main__':
    try:
        sys.exit(main(sys.argv))
    except dbus.DBusException as e:
        print(e.get_dbus_name(), e.get_dbus_message(), file=sys.stderr)
        sys.exit(1)
