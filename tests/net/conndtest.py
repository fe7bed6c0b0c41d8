"""python3-dbus helpers for scenarios: talk to connd the way an application
would, on the bus named by DBUS_SYSTEM_BUS_ADDRESS (the lab's private bus)."""
import sys
import time

import dbus

SERVICE = 'net.connman'


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)
    print('ok -', what)


class Connd:
    def __init__(self):
        self.bus = dbus.SystemBus()
        self.manager = self.iface('/', 'Manager')

    def iface(self, path, name):
        return dbus.Interface(self.bus.get_object(SERVICE, path), SERVICE + '.' + name)

    def services(self):
        return [(str(p), dict(props)) for p, props in self.manager.GetServices()]

    def service(self, path):
        return self.iface(path, 'Service')

    def props(self, path):
        return dict(self.service(path).GetProperties())

    def technology(self, kind='ethernet'):
        return self.iface('/net/connman/technology/' + kind, 'Technology')

    def state(self):
        return str(self.manager.GetProperties()['State'])

    def wait(self, predicate, what, timeout=15.0):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            try:
                last = predicate()
                if last:
                    print('ok -', what)
                    return last
            except dbus.DBusException as e:
                last = e
            time.sleep(0.05)
        raise Failure('timed out waiting for %s (last: %r)' % (what, last))

    def wait_service_state(self, path, states, timeout=15.0):
        if isinstance(states, str):
            states = (states,)
        return self.wait(lambda: str(self.props(path)['State']) in states,
                         '%s reaches %s' % (path.rsplit('/', 1)[-1], '/'.join(states)), timeout)

    def service_by_ifname(self, ifname, timeout=10.0):
        def find():
            for path, props in self.services():
                if str(props['Ethernet'].get('Interface', '')) == ifname:
                    return path
            return None
        return self.wait(find, 'a service for %s' % ifname, timeout)


def expect_error(name, call, *args, **kwargs):
    try:
        call(*args, **kwargs)
    except dbus.DBusException as e:
        got = e.get_dbus_name()
        check(got == name and e.get_dbus_message(),
              'rejected with %s (%s)' % (name, e.get_dbus_message()) if got == name
              else 'expected %s, got %s: %s' % (name, got, e.get_dbus_message()))
        return
    raise Failure('call was accepted, expected %s' % name)


def main(fn):
    try:
        fn(*sys.argv[1:])
    except Failure as e:
        print('FAIL -', e)
        sys.exit(1)
