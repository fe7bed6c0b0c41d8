"""Bad D-Bus input gets ConnMan's error names, a readable message, and
changes nothing. Usage: bad_dbus_input.py IFNAME"""
import dbus

from conndtest import Connd, Failure, check, expect_error, main

ERR = 'net.connman.Error.'


def sv(d):
    return dbus.Dictionary(d, signature='sv')


def expect_bus_error(call):
    try:
        call()
    except dbus.DBusException as e:
        check(e.get_dbus_name().startswith('org.freedesktop.DBus.Error.'),
              'rejected by the bus layer with %s' % e.get_dbus_name())
        return
    raise Failure('call was accepted')


def clock_names(c):
    clock = c.iface('/', 'Clock')
    servers = clock.GetProperties().get('Timeservers', [])
    for name in ('-x', 'x..y', '.'):
        expect_error(ERR + 'InvalidArguments', clock.SetProperty, 'Timeservers',
                     dbus.Array([name], signature='s'))
    check(clock.GetProperties().get('Timeservers', []) == servers,
          "the clock's timeservers are unchanged")


# Bounds of doc/dbus-api.md: client object paths up to 255 characters,
# StatisticsInterval and counter periods up to 86400 seconds.
LONG_PATH = dbus.ObjectPath('/' + 'p' * 59999)
BOUND = 255


def bounds(c):
    expect_error(ERR + 'InvalidArguments', c.manager.CreateSession, sv({}), LONG_PATH)
    expect_error(ERR + 'InvalidArguments', c.manager.CreateSession,
                 sv({'StatisticsInterval': dbus.UInt32(0xffffffff)}), '/bad/stats')
    expect_error(ERR + 'InvalidArguments', c.manager.CreateSession,
                 sv({'StatisticsInterval': dbus.UInt32(86401)}), '/bad/stats')
    # At the bounds: accepted.
    edge = dbus.ObjectPath('/' + 'e' * (BOUND - 1))
    session = c.manager.CreateSession(sv({'StatisticsInterval': dbus.UInt32(86400)}), edge)
    expect_error(ERR + 'InvalidArguments', c.iface(session, 'Session').Change,
                 'StatisticsInterval', dbus.UInt32(0xffffffff), signature='sv')
    c.manager.DestroySession(session)

    expect_error(ERR + 'InvalidArguments', c.manager.RegisterAgent, LONG_PATH)
    expect_error(ERR + 'InvalidArguments', c.manager.RegisterCounter, LONG_PATH,
                 dbus.UInt32(1), dbus.UInt32(10))
    expect_error(ERR + 'InvalidArguments', c.manager.RegisterCounter, '/bad/counter',
                 dbus.UInt32(1), dbus.UInt32(0xffffffff))
    expect_error(ERR + 'InvalidArguments', c.manager.RegisterCounter, '/bad/counter',
                 dbus.UInt32(0xffffffff), dbus.UInt32(86401))
    expect_error(ERR + 'NotRegistered', c.manager.UnregisterCounter, '/bad/counter')


def run(ifname):
    c = Connd()
    path = c.service_by_ifname(ifname)
    svc = c.service(path)
    before = c.props(path)

    expect_error(ERR + 'InvalidProperty', c.manager.SetProperty, 'NoSuchThing', True)
    expect_error(ERR + 'InvalidArguments', c.manager.SetProperty, 'OfflineMode', 'yes')
    expect_error(ERR + 'InvalidProperty', svc.SetProperty, 'State', 'online')
    expect_error(ERR + 'InvalidProperty', svc.SetProperty, 'Bogus', dbus.Int32(1))
    expect_error(ERR + 'InvalidArguments', svc.SetProperty, 'AutoConnect', 'true')
    expect_error(ERR + 'InvalidArguments', svc.SetProperty, 'IPv4.Configuration', 'manual')
    expect_error(ERR + 'InvalidArguments', svc.SetProperty, 'IPv4.Configuration',
                 sv({'Method': 'static'}))
    expect_error(ERR + 'InvalidArguments', svc.SetProperty, 'IPv4.Configuration',
                 sv({'Method': 'fixed'}))
    # A method ConnMan knows but not for IPv4: its EOPNOTSUPP.
    expect_error(ERR + 'NotSupported', svc.SetProperty, 'IPv4.Configuration',
                 sv({'Method': 'auto'}))
    expect_error(ERR + 'InvalidArguments', svc.SetProperty, 'IPv4.Configuration',
                 sv({'Method': dbus.Int32(2)}))
    expect_error(ERR + 'InvalidArguments', svc.SetProperty, 'IPv4.Configuration',
                 sv({'Method': 'manual', 'Address': '192.0.2.300', 'Netmask': '255.255.255.0'}))
    expect_error(ERR + 'InvalidArguments', svc.SetProperty, 'IPv4.Configuration',
                 sv({'Method': 'manual', 'Address': '192.0.2.10', 'Netmask': '255.0.255.0'}))
    expect_error(ERR + 'InvalidArguments', svc.SetProperty, 'IPv4.Configuration',
                 sv({'Method': 'manual', 'Address': '192.0.2.10', 'Netmask': '24',
                     'Gateway': '198.51.100.1'}))
    expect_error(ERR + 'InvalidArguments', svc.SetProperty, 'IPv4.Configuration',
                 sv({'Method': 'manual', 'Address': '192.0.2.0', 'Netmask': '24'}))
    expect_error(ERR + 'InvalidArguments', svc.SetProperty, 'Nameservers.Configuration',
                 dbus.Array(['192.0.2.1', 'not-an-address'], signature='s'))
    expect_error(ERR + 'InvalidArguments', svc.SetProperty, 'Nameservers.Configuration',
                 '192.0.2.1')
    expect_error(ERR + 'InvalidArguments', svc.SetProperty, 'Domains.Configuration',
                 dbus.Array(['bad domain!'], signature='s'))
    for gateway in ('192.0.2.255', '192.0.2.0'):  # the subnet's broadcast, network
        expect_error(ERR + 'InvalidArguments', svc.SetProperty, 'IPv4.Configuration',
                     sv({'Method': 'manual', 'Address': '192.0.2.10', 'Netmask': '24',
                         'Gateway': gateway}))
    for name in ('-x', 'x..y', '.', 'x-', 'a' * 64 + '.lab', 'a.' * 200 + 'lab'):
        expect_error(ERR + 'InvalidArguments', svc.SetProperty, 'Timeservers.Configuration',
                     dbus.Array([name], signature='s'))
        expect_error(ERR + 'InvalidArguments', svc.SetProperty, 'Domains.Configuration',
                     dbus.Array([name], signature='s'))
    expect_error(ERR + 'InvalidProperty', svc.ClearProperty, 'State')
    expect_error(ERR + 'NotSupported', svc.Remove)
    expect_error(ERR + 'AlreadyEnabled', c.technology().SetProperty, 'Powered', True)
    expect_error(ERR + 'InvalidArguments', c.technology().SetProperty, 'Powered', 'on')
    expect_error(ERR + 'InvalidProperty', c.technology().SetProperty, 'Name', 'x')
    # ELL names these two differently from libdbus; any bus-level error will do.
    expect_bus_error(c.manager.NoSuchMethod)
    expect_bus_error(c.service('/net/connman/service/ethernet_000000000000_cable').GetProperties)

    clock_names(c)
    bounds(c)

    after = c.props(path)
    check(after == before, 'the service is unchanged after every rejected call')
    check(c.state() in ('ready', 'online'), 'the manager is still connected')


main(run)
