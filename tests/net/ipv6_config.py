"""IPv6.Configuration: bad values (auto/off and manual ones) get ConnMan's
errors and change nothing.
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
                 sv({'Method': '6to4'}))
    # IPv4's method: ConnMan's EOPNOTSUPP too.
    expect_error(ERR + 'NotSupported', svc.SetProperty, 'IPv6.Configuration',
                 sv({'Method': 'dhcp'}))

    def manual(address='2001:db8:99::5', plen=dbus.Byte(64), gateway='2001:db8:99::1', **extra):
        d = {'Method': 'manual', 'Address': address, 'PrefixLength': plen, 'Gateway': gateway}
        d.update(extra)
        return sv({k: v for k, v in d.items() if v is not None})

    bad = [
        manual(address=None),                       # no address
        manual(address='2001:db8:99::g'),           # not an address
        manual(address='10.0.0.5'),                 # not IPv6
        manual(address='::'),
        manual(address='ff02::1'),                  # multicast
        manual(address='::1'),
        manual(address='fe80::5', gateway='fe80::1'),   # link-local: the kernel's own
        manual(plen=None),                          # no prefix length
        manual(plen=dbus.Byte(0)),
        manual(plen=dbus.Byte(129)),
        manual(plen='64'),                          # ConnMan takes a byte
        manual(gateway='router'),                   # gateway not an address
        manual(gateway='2001:db8:99::5'),           # the address itself
        manual(gateway='2001:db8:98::1'),           # neither on-link nor link-local
        manual(gateway='ff02::2'),
        manual(gateway=dbus.Int32(1)),
        manual(Privacy='always'),
        manual(address='\u00e9' * 300),             # repeated as an escaped excerpt
    ]
    for config in bad:
        expect_error(ERR + 'InvalidArguments', svc.SetProperty, 'IPv6.Configuration', config)
    check(c.props(path) == before, 'the service is unchanged after every rejected call')


main(run)
