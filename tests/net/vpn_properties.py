"""net.connman.vpn.Connection.SetProperty("Properties", a{sv}), as ConnMan's
vpn-connection-api.txt has it: several properties in one call, empty
values clearing, every entry tried and the failed ones named at the end of
InvalidProperty (or PermissionDenied when only immutable ones failed)."""
import dbus

from conndtest import check, expect_error, main


def run():
    bus = dbus.SystemBus()
    vpn = dbus.Interface(bus.get_object('net.connman.vpn', '/'), 'net.connman.vpn.Manager')
    path = vpn.Create({'Type': 'openvpn', 'Name': 'props', 'Host': '192.0.2.7',
                       'VPN.Domain': 'props.lab', 'OpenVPN.Port': '1194'})
    conn = dbus.Interface(bus.get_object('net.connman.vpn', path), 'net.connman.vpn.Connection')
    route = dbus.Array([{'ProtocolFamily': dbus.Int32(4), 'Network': '198.51.100.0',
                         'Netmask': '255.255.255.0'}], signature='a{sv}')
    conn.SetProperty('Properties', dbus.Dictionary(
        {'SplitRouting': True, 'OpenVPN.MTU': '1400', 'UserRoutes': route}, signature='sv'))
    props = conn.GetProperties()
    check(props['SplitRouting'] and props.get('OpenVPN.MTU') == '1400' and
          [str(r['Network']) for r in props['UserRoutes']] == ['198.51.100.0'],
          'one Properties call sets SplitRouting, OpenVPN.MTU and UserRoutes')
    conn.SetProperty('Properties', dbus.Dictionary(
        {'OpenVPN.MTU': '', 'UserRoutes': dbus.Array([], signature='a{sv}')}, signature='sv'))
    props = conn.GetProperties()
    check('OpenVPN.MTU' not in props and not props.get('UserRoutes'),
          'an empty string and an empty array clear')
    try:
        conn.SetProperty('Properties', dbus.Dictionary(
            {'OpenVPN.Port': 'x', 'SplitRouting': 'yes', 'Bogus': 's', 'OpenVPN.MTU': '1300'},
            signature='sv'))
        err = None
    except dbus.DBusException as e:
        err = e
    check(err is not None and err.get_dbus_name() == 'net.connman.vpn.Error.InvalidProperty',
          'a dict with invalid properties: InvalidProperty (%s)' % err)
    names = sorted(err.get_dbus_message().rsplit(' ', 1)[-1].split(','))
    check(names == ['Bogus', 'OpenVPN.Port', 'SplitRouting'],
          'the invalid ones are named at the end: %s' % names)
    props = conn.GetProperties()
    check(props.get('OpenVPN.MTU') == '1300' and props.get('OpenVPN.Port') == '1194',
          'the valid one is set anyway, the invalid ones untouched')
    expect_error('net.connman.vpn.Error.InvalidProperty', conn.SetProperty, 'Properties',
                 'not a dict')
    vpn.Remove(path)


if __name__ == '__main__':
    main(run)
