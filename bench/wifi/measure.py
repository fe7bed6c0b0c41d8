#!/usr/bin/python3
"""bench/wifi's driver inside the VM: one long-lived process per daemon under
test (python starts in seconds under TCG, so nothing is timed across an
exec). Prints one "sample NAME SECONDS" line per measurement.

  measure.py iwd RUNS       raw iwd through its D-Bus API (the floor):
                            Station.Scan until Scanning is false and the
                            ordered list is read; Network.Connect of the PSK
                            network (passphrase from our iwd agent) until the
                            station is connected, and until wlan1 has an IPv4
                            address when iwd configures IP itself
  measure.py connman RUNS   connd or ConnMan through net.connman: Scan until
                            it returns and the services are listed; Connect
                            of the PSK network (our agent gives the
                            Passphrase) until configuration, ready, online;
                            the AP disabled (hostapd's control socket) until
                            the default route is on the ethernet link

Every run starts with the network unknown to iwd, so each connect asks the
agent, as a first connect does."""
import argparse
import fcntl
import os
import socket
import struct
import sys
import time

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

SSID = 'lab-psk'
PASSPHRASE = 'correct-horse'
LAB_SSIDS = ('lab-open', 'lab-psk', 'lab-sae', 'lab-8021x')
IWD = 'net.connman.iwd'
CONNMAN = 'net.connman'
PROPS = 'org.freedesktop.DBus.Properties'
CTX = GLib.MainContext.default()


def now():
    return time.monotonic()


def say(text):
    print(text, flush=True)


def sample(name, seconds):
    say('sample %s %.3f' % (name, seconds))


def pump(cond, timeout):
    """Runs the main loop until cond() holds (checked at least every 5 ms)."""
    end = now() + timeout
    while not cond():
        if now() > end:
            return False
        GLib.timeout_add(5, lambda: False)
        CTX.iteration(True)
    return True


class Call:
    """An asynchronous method call whose reply the main loop collects."""

    def __init__(self, method, *args, timeout=60):
        self.done = None
        self.error = None
        method(*args, reply_handler=self.ok, error_handler=self.fail, timeout=timeout)

    def ok(self, *result):
        self.done = now()

    def fail(self, error):
        self.done = now()
        self.error = error.get_dbus_name()


def has_ipv4(ifname):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        fcntl.ioctl(s.fileno(), 0x8915, struct.pack('256s', ifname.encode()))  # SIOCGIFADDR
        return True
    except OSError:
        return False
    finally:
        s.close()


def default_iface():
    """The main table's IPv4 default route with the lowest metric."""
    best = None
    with open('/proc/net/route') as f:
        for line in f.readlines()[1:]:
            field = line.split()
            if field[1] == '00000000' and field[7] == '00000000':
                if best is None or int(field[6]) < best[0]:
                    best = (int(field[6]), field[0])
    return best[1] if best else None


def hostapd(command, ctrl):
    """A command to hostapd's control socket (no exec: it is timed)."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    local = '/tmp/bench-hostapd-%d' % os.getpid()
    try:
        os.unlink(local)
    except FileNotFoundError:
        pass
    s.bind(local)
    try:
        s.settimeout(10)
        s.sendto(command.encode(), ctrl)
        return s.recv(4096).decode().strip()
    finally:
        s.close()
        os.unlink(local)


class IwdAgent(dbus.service.Object):
    @dbus.service.method('net.connman.iwd.Agent', in_signature='o', out_signature='s')
    def RequestPassphrase(self, network):
        return PASSPHRASE

    @dbus.service.method('net.connman.iwd.Agent', in_signature='s')
    def Cancel(self, reason):
        say('iwd cancelled: %s' % reason)

    @dbus.service.method('net.connman.iwd.Agent')
    def Release(self):
        pass


class Agent(dbus.service.Object):
    @dbus.service.method('net.connman.Agent', in_signature='oa{sv}', out_signature='a{sv}')
    def RequestInput(self, service, fields):
        return {'Passphrase': PASSPHRASE}

    @dbus.service.method('net.connman.Agent', in_signature='os')
    def ReportError(self, service, error):
        say('agent told %s: %s' % (service, error))

    @dbus.service.method('net.connman.Agent')
    def Cancel(self):
        pass

    @dbus.service.method('net.connman.Agent')
    def Release(self):
        pass


def hexname(ssid):
    return ssid.encode().hex()


class IwdBench:
    def __init__(self, bus, netconfig):
        self.bus = bus
        self.netconfig = netconfig
        IwdAgent(bus, '/bench/iwd_agent')
        root = bus.get_object(IWD, '/net/connman/iwd')
        dbus.Interface(root, 'net.connman.iwd.AgentManager').RegisterAgent('/bench/iwd_agent')
        self.station = None
        for path, ifaces in self.objects().items():
            if 'net.connman.iwd.Station' in ifaces:
                self.station = path
        self.state = self.prop(self.station, 'net.connman.iwd.Station', 'State')
        bus.add_signal_receiver(self.changed, 'PropertiesChanged', PROPS, IWD, self.station)

    def objects(self):
        return dbus.Interface(self.bus.get_object(IWD, '/'),
                              'org.freedesktop.DBus.ObjectManager').GetManagedObjects()

    def prop(self, path, iface, name):
        return dbus.Interface(self.bus.get_object(IWD, path), PROPS).Get(iface, name)

    def changed(self, iface, changed, invalidated):
        if 'State' in changed:
            self.state = str(changed['State'])

    def iface(self, path, name):
        return dbus.Interface(self.bus.get_object(IWD, path), 'net.connman.iwd.' + name)

    def forget(self):
        path = '/net/connman/iwd/%s_psk' % hexname(SSID)
        if path in self.objects():
            self.iface(path, 'KnownNetwork').Forget()

    def network(self):
        for path, ifaces in self.objects().items():
            net = ifaces.get('net.connman.iwd.Network')
            if net and str(net['Name']) == SSID:
                return path
        return None

    def scan(self):
        t0 = now()
        call = Call(self.iface(self.station, 'Station').Scan)
        pump(lambda: call.done, 10)
        pump(lambda: not self.prop(self.station, 'net.connman.iwd.Station', 'Scanning'), 15)
        names = {str(n) for p, _ in self.iface(self.station, 'Station').GetOrderedNetworks()
                 for n in [self.prop(p, 'net.connman.iwd.Network', 'Name')]}
        if set(LAB_SSIDS) <= names:
            sample('scan', now() - t0)

    def connect(self):
        tag = 'connect_ip' if self.netconfig else 'connect'
        path = self.network()
        t0 = now()
        call = Call(self.iface(path, 'Network').Connect)
        if not pump(lambda: call.error or (call.done and self.state == 'connected'), 30) or \
                call.error:
            say('iwd connect failed: %s' % call.error)
            return
        sample(tag + '_reply', call.done - t0)
        if self.netconfig and not pump(lambda: has_ipv4('wlan1'), 30):
            say('iwd gave wlan1 no address')
            return
        sample(tag, now() - t0)

    def run(self, runs):
        for _ in range(runs):
            self.forget()
            self.scan()  # iwd restarted for netconfig has not scanned yet
            self.connect()
            self.iface(self.station, 'Station').Disconnect()
            pump(lambda: self.state == 'disconnected', 10)
            pump(lambda: not has_ipv4('wlan1'), 5)
        self.forget()


class ConnmanBench:
    """connd or ConnMan: the same API, the same steps."""

    def __init__(self, bus, ctrl):
        self.bus = bus
        self.ctrl = ctrl
        self.times = {}
        self.state = {}
        pump(lambda: self.has_wifi(), 20)
        Agent(bus, '/bench/agent')
        self.manager().RegisterAgent('/bench/agent')
        bus.add_signal_receiver(self.changed, 'PropertyChanged', 'net.connman.Service', CONNMAN,
                                path_keyword='path')
        tech = dbus.Interface(bus.get_object(CONNMAN, '/net/connman/technology/wifi'),
                              'net.connman.Technology')
        if not tech.GetProperties()['Powered']:
            tech.SetProperty('Powered', True)
        self.tech = tech

    def manager(self):
        return dbus.Interface(self.bus.get_object(CONNMAN, '/'), 'net.connman.Manager')

    def has_wifi(self):
        try:
            return any(str(p).endswith('/wifi') for p, _ in self.manager().GetTechnologies())
        except dbus.DBusException:
            return False

    def changed(self, name, value, path=None):
        if name == 'State':
            self.state[str(path)] = str(value)
            self.times.setdefault((str(path), str(value)), now())

    def services(self):
        return {str(p): props for p, props in self.manager().GetServices()}

    def find(self, ssid):
        for path, props in self.services().items():
            if str(props.get('Name', '')) == ssid and str(props.get('Type')) == 'wifi':
                return path
        return None

    def listed(self):
        names = {str(props.get('Name', '')) for props in self.services().values()}
        return set(LAB_SSIDS) <= names

    def scan(self):
        t0 = now()
        call = Call(self.tech.Scan, timeout=20)
        pump(lambda: call.done, 20)
        if call.error:
            say('Scan: %s after %.1fs' % (call.error, call.done - t0))
        if pump(self.listed, 10):
            sample('scan', now() - t0)

    def svc(self, path):
        return dbus.Interface(self.bus.get_object(CONNMAN, path), 'net.connman.Service')

    def connect(self, path):
        self.times.clear()
        t0 = now()
        call = Call(self.svc(path).Connect, timeout=60)
        pump(lambda: (path, 'online') in self.times or (call.error and call.done), 30)
        # Ready is enough to go on (a daemon whose online check never passes).
        ok = (path, 'ready') in self.times or (path, 'online') in self.times
        if call.error:
            say('Connect: %s' % call.error)
        for state in ('configuration', 'ready', 'online'):
            if (path, state) in self.times:
                sample('connect_' + state, self.times[(path, state)] - t0)
        if (path, 'ready') not in self.times and (path, 'online') in self.times:
            sample('connect_ready', self.times[(path, 'online')] - t0)
        return ok

    def failover(self):
        if not pump(lambda: default_iface() == 'wlan1', 15):
            say('failover: the default route is not on wlan1 (%s)' % default_iface())
            return
        if not pump(lambda: 'eth-lab' in open('/proc/net/route').read(), 15):
            say('failover: no route on eth-lab')
            return
        t0 = now()
        say('hostapd DISABLE: %s' % hostapd('DISABLE', self.ctrl))
        if pump(lambda: default_iface() == 'eth-lab', 30):
            sample('failover', now() - t0)
        else:
            say('failover: the default route stayed on %s' % default_iface())
        say('hostapd ENABLE: %s' % hostapd('ENABLE', self.ctrl))

    def forget(self, path):
        try:
            self.svc(path).Remove()
        except dbus.DBusException as e:
            say('Remove: %s' % e.get_dbus_name())
        known = '/net/connman/iwd/%s_psk' % hexname(SSID)
        try:
            dbus.Interface(self.bus.get_object(IWD, known), 'net.connman.iwd.KnownNetwork').Forget()
        except dbus.DBusException:
            pass

    def run(self, runs):
        for i in range(runs):
            self.scan()
            if not pump(lambda: self.find(SSID), 20):
                # After the AP came back: scan until it is seen again.
                Call(self.tech.Scan, timeout=20)
                pump(lambda: self.find(SSID), 20)
            path = self.find(SSID)
            if not path:
                say('run %d: %s not listed' % (i, SSID))
                continue
            if self.connect(path):
                self.failover()
            self.forget(path)
            pump(lambda: not has_ipv4('wlan1'), 10)
            # The AP back in the list for the next run.
            for _ in range(5):
                Call(self.tech.Scan, timeout=20)
                if pump(lambda: self.find(SSID), 8):
                    break


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('mode', choices=('iwd', 'iwd-netconfig', 'connman'))
    parser.add_argument('runs', type=int)
    parser.add_argument('--hostapd', default='/run/vmlab/hostapd/wlan0')
    args = parser.parse_args()
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.SystemBus()
    if args.mode == 'connman':
        ConnmanBench(bus, args.hostapd).run(args.runs)
    else:
        IwdBench(bus, args.mode == 'iwd-netconfig').run(args.runs)
    return 0


if __name__ == '__main__':
    sys.exit(main())
