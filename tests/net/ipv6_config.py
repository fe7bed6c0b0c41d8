"""IPv6.Configuration: bad values get ConnMan's errors and change nothing.
Usage: ipv6_config.py IFNAME"""
import dbus

from conndtest import Connd, check, expect_error, main

ERR = 'net.connman.Error.'


def sv(d):
    return dbus.Dictionary(d, signature='sv')


def run(ifname):
    c = Connd()
    path = c.service_by_ifname(ifname)
    svc = c.service(path)
    before = c.props(path)

    expect_error(ERR + 'InvalidArguments', svc.SetProperty, 'IPv6.Configuration', 'auto')
    expect_error(ERR + 'InvalidArguments', svc.SetProperty, 'IPv6.Configuration',
                 sv({'Method': 'bogus'}))
    expect_error(ERR + 'InvalidArguments', svc.SetProperty, 'IPv6.Configuration',
                 sv({'Method': dbus.Int32(1)}))
    expect_error(ERR + 'InvalidArguments', svc.SetProperty, 'IPv6.Configuration',
                 sv({'Method': 'auto', 'Privacy': 'always'}))
    expect_error(ERR + 'InvalidArguments', svc.SetProperty, 'IPv6.Configuration',
                 sv({'Privacy': 'enabled'}))
    expect_error(ERR + 'NotSupported', svc.SetProperty, 'IPv6.Configuration',
                 sv({'Method': 'manual', 'Address': '2001:db8::5', 'PrefixLength': dbus.Byte(64)}))
    check(c.props(path) == before, 'the service is unchanged after every rejected call')


main(run)
