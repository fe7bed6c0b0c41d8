"""connd's own check of its callers (doc/dbus-api.md, "Who may call what"),
on a bus that lets everyone through. As `nobody` every configuring call is
refused with PermissionDenied and changes nothing, while reads and sessions
work; as `root` the same calls pass the check.
Usage: dbus_permissions.py nobody|root IFNAME"""
import dbus

from conndtest import Connd, Failure, check, expect_error, main

DENIED = 'net.connman.Error.PermissionDenied'
VPN_DENIED = 'net.connman.vpn.Error.PermissionDenied'
VPN_CREATE = {'Type': 'openvpn', 'Name': 'p', 'Host': '10.35.0.1', 'Domain': 'perm.lab'}


def vpn_manager(c):
    return dbus.Interface(c.bus.get_object('net.connman.vpn', '/'), 'net.connman.vpn.Manager')


def sv(d):
    return dbus.Dictionary(d, signature='sv')


def snapshot(c, path):
    clock = dict(c.iface('/', 'Clock').GetProperties())
    clock.pop('Time', None)  # the clock ticks on whoever calls
    return (dict(c.manager.GetProperties()), dict(c.technology().GetProperties()),
            c.props(path), clock)


def as_nobody(c, path):
    svc, tech, clock = c.service(path), c.technology(), c.iface('/', 'Clock')
    before = snapshot(c, path)
    check(len(c.services()) >= 1 and len(c.manager.GetTechnologies()) >= 1,
          'nobody may read services and technologies')
    manual = sv({'Method': 'manual', 'Address': '10.35.0.99', 'Netmask': '255.255.255.0'})
    calls = [
        (c.manager.SetProperty, 'OfflineMode', True),
        (tech.SetProperty, 'Tethering', True),
        (tech.SetProperty, 'Powered', False),
        (tech.Scan,),
        (tech.GetTetheringLeases,),
        (c.manager.GetTetheringClients,),
        (svc.SetProperty, 'IPv4.Configuration', manual),
        (svc.SetProperty, 'AutoConnect', False),
        (svc.ClearProperty, 'Error'),
        (svc.Disconnect,),
        (svc.Remove,),
        (svc.MoveBefore, dbus.ObjectPath(path)),
        (svc.MoveAfter, dbus.ObjectPath(path)),
        (svc.ResetCounters,),
        (clock.SetProperty, 'TimeUpdates', 'manual'),
        (clock.SetProperty, 'Timeservers', dbus.Array(['10.35.0.1'], signature='s')),
        (c.manager.RegisterAgent, dbus.ObjectPath('/nobody/agent')),
        (c.manager.UnregisterAgent, dbus.ObjectPath('/nobody/agent')),
        (c.manager.RegisterCounter, dbus.ObjectPath('/nobody/counter'), dbus.UInt32(0),
         dbus.UInt32(1)),
        (c.manager.UnregisterCounter, dbus.ObjectPath('/nobody/counter')),
    ]
    for call in calls:
        expect_error(DENIED, *call)
    vpn = vpn_manager(c)
    for call in [(vpn.Create, sv(VPN_CREATE)),
                 (vpn.RegisterAgent, dbus.ObjectPath('/nobody/vpnagent'))]:
        expect_error(VPN_DENIED, *call)
    check(len(vpn.GetConnections()) == 0, 'nobody may list VPNs, and created none')
    try:
        c.manager.SetProperty('OfflineMode', True)
    except dbus.DBusException as e:
        text = e.get_dbus_message()
        check('root' in text and 'netdev' in text and '65534' in text,
              'the refusal says who may: %s' % text)
    check(snapshot(c, path) == before, 'nothing changed')
    check(str(c.props(path)['State']) == 'online', 'the service is still online')
    session = c.manager.CreateSession(sv({}), dbus.ObjectPath('/nobody/notifier'))
    check(str(session).startswith('/sessions/'), 'nobody may create a session')
    own = c.manager.GetSessionStatistics()
    check([str(p) for p, _ in own] == [str(session)],
          'nobody may read its sessions\' statistics in one call')
    own = c.manager.GetSessionCounters()
    check([str(p) for p, *_ in own] == [str(session)],
          'nobody may read its sessions\' counters in one call')
    c.manager.DestroySession(session)
    check(True, 'nobody may destroy its session')


def as_root(c, path):
    # The first call of a new client waits for its credentials, then runs.
    c.manager.SetProperty('OfflineMode', True)
    check(bool(c.manager.GetProperties()['OfflineMode']), 'root may turn offline mode on')
    c.manager.SetProperty('OfflineMode', False)
    check(not c.manager.GetProperties()['OfflineMode'], 'root may turn it off again')
    clock = c.iface('/', 'Clock')
    clock.SetProperty('TimeUpdates', 'manual')
    check(str(clock.GetProperties()['TimeUpdates']) == 'manual', 'root may set the clock')
    clock.SetProperty('TimeUpdates', 'auto')
    c.service(path).SetProperty('AutoConnect', True)
    check(bool(c.props(path)['AutoConnect']), 'root may configure a service')
    vpn = vpn_manager(c)
    created = vpn.Create(sv(VPN_CREATE))
    check(len(vpn.GetConnections()) == 1, 'root may create a VPN')
    vpn.Remove(created)
    check(len(vpn.GetConnections()) == 0, 'root may remove it')
    c.wait_service_state(path, 'online', 20)


def run(who, ifname):
    c = Connd()
    path = c.service_by_ifname(ifname)
    if who == 'nobody':
        as_nobody(c, path)
    elif who == 'root':
        as_root(c, path)
    else:
        raise Failure('who? %s' % who)


main(run)
