"""net.connman.Clock driven as a client would: checks the properties, the
timezone link at the lab's LocaltimeFile, and the errors for what may not
be done. Usage: clock_api.py LOCALTIME_PATH ISP_ADDRESS"""
import os
import time

import dbus

from conndtest import Connd, check, expect_error, main

ERR = 'net.connman.Error.'


def run(localtime, isp):
    c = Connd()
    clock = c.iface('/', 'Clock')
    props = dict(clock.GetProperties())
    check(props['TimeUpdates'] == 'auto' and props['TimezoneUpdates'] == 'auto',
          'TimeUpdates and TimezoneUpdates start as auto')
    check(abs(int(props['Time']) - time.time()) < 5, 'Time is the system time')
    check(bool(props['TimeserverSynced']), 'TimeserverSynced after SNTP with the ISP')
    check('Timezone' not in props, 'no Timezone while the localtime link does not exist')

    expect_error(ERR + 'PermissionDenied', clock.SetProperty, 'Timezone', 'Europe/Paris')
    expect_error(ERR + 'InvalidArguments', clock.SetProperty, 'TimezoneUpdates', 'sometimes')
    clock.SetProperty('TimezoneUpdates', 'manual')
    clock.SetProperty('Timezone', 'Europe/Paris')
    check(os.readlink(localtime) == '/usr/share/zoneinfo/Europe/Paris',
          'Timezone writes the lab localtime link')
    check(dict(clock.GetProperties())['Timezone'] == 'Europe/Paris', 'and reads it back')
    for bad in ('../../etc/passwd', 'Nowhere/City', 'Europe', '/etc/passwd', 'Europe//Paris', ''):
        expect_error(ERR + 'InvalidArguments', clock.SetProperty, 'Timezone', bad)
    check(os.readlink(localtime) == '/usr/share/zoneinfo/Europe/Paris',
          'bad zone names change nothing')
    expect_error(ERR + 'InvalidArguments', clock.SetProperty, 'Timezone', dbus.UInt32(1))

    expect_error(ERR + 'PermissionDenied', clock.SetProperty, 'Time', dbus.UInt64(0))
    clock.SetProperty('TimeUpdates', 'manual')
    check(not bool(clock.GetProperties()['TimeserverSynced']),
          'TimeserverSynced is False once TimeUpdates is manual, as in ConnMan')
    expect_error(ERR + 'PermissionDenied', clock.SetProperty, 'Time', dbus.UInt64(0))
    check(abs(time.time() - int(clock.GetProperties()['Time'])) < 5,
          'the system clock was not set (SetSystemClock is off)')
    clock.SetProperty('TimeUpdates', 'auto')

    expect_error(ERR + 'InvalidArguments', clock.SetProperty, 'Timeservers',
                 dbus.Array(['ok.example', 'not a name!'], signature='s'))
    expect_error(ERR + 'InvalidArguments', clock.SetProperty, 'Timeservers', 'ntp.example')
    check(list(clock.GetProperties()['Timeservers']) == [], 'a bad list changes nothing')
    clock.SetProperty('Timeservers', dbus.Array([isp, 'ntp.isp.lab'], signature='s'))
    check(list(clock.GetProperties()['Timeservers']) == [isp, 'ntp.isp.lab'],
          'Timeservers set')
    expect_error(ERR + 'InvalidProperty', clock.SetProperty, 'Color', 'blue')


main(run)
