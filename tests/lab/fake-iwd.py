#!/usr/bin/python3
"""A stand-in for iwd on the lab's bus, for connd's Wi-Fi bearer where no
radio exists (the VM lab runs the real iwd). It speaks iwd's D-Bus API as
iwd 2.3 documents it (doc/*.txt): ObjectManager at /, AgentManager, Daemon,
Adapter, Device + Station, Network, KnownNetwork, PropertiesChanged.

fake-iwd.py IFNAME MAC NETWORK... [--network-config] [--agent-timeout S]
            [--no-ap | --ap-fail] [--ap-started SSID] [--chatter MS]
  NETWORK: SSIDHEX:TYPE:PASSPHRASE:SIGNAL[:hidden] (TYPE open|psk|8021x,
  SIGNAL in 100 * dBm); an 8021x network takes IDENTITY/PASSWORD as its
  passphrase. A hidden one is listed by GetHiddenAccessPoints only, and
  becomes a Network once ConnectHiddenNetwork names it.
  AP mode (Device.Mode "ap", AccessPoint): --no-ap leaves "ap" out of the
  adapter's SupportedModes, --ap-fail makes AccessPoint.Start fail as iwd's
  does (net.connman.iwd.Failed), --ap-started starts in AP mode with an AP
  of that SSID (as iwd is found after connd was killed). --chatter: every
  MS milliseconds the device gains or loses SimpleConfiguration (WSC, which
  connd does not use), as InterfacesAdded and InterfacesRemoved, so that
  signals from iwd are in flight whenever connd stops.
Prints one line per event: "ready", "agent PATH", "scan", "connect NAME",
"connect-hidden NAME", "not-found NAME",
"connected NAME", "failed NAME", "disconnect", "forget NAME",
"autoconnect NAME BOOL", "powered PATH BOOL", "cancel REASON",
"mode MODE", "ap-start SSID PASSPHRASE", "ap-stop".
"""
import argparse
import sys

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

IWD = 'net.connman.iwd'
PROPS = 'org.freedesktop.DBus.Properties'
OM = 'org.freedesktop.DBus.ObjectManager'
ROOT = '/net/connman/iwd'
ADAPTER = ROOT + '/0'
DEVICE = ADAPTER + '/3'


def log(*words):
    print(*words, flush=True)


class Error(dbus.DBusException):
    def __init__(self, name, text=''):
        super().__init__(text)
        self._dbus_error_name = IWD + '.' + name


def name_of(ssid):
    return ssid.decode('utf-8', 'replace')


class Obj(dbus.service.Object):
    """One object path with some of iwd's interfaces and their properties."""

    def __init__(self, iwd, path, ifaces):
        self.iwd = iwd
        self.props = ifaces
        super().__init__(iwd.bus, path)

    @dbus.service.method(PROPS, in_signature='ss', out_signature='v')
    def Get(self, iface, name):
        return self.props[iface][name]

    @dbus.service.method(PROPS, in_signature='s', out_signature='a{sv}')
    def GetAll(self, iface):
        return self.props.get(iface, {})

    @dbus.service.method(PROPS, in_signature='ssv')
    def Set(self, iface, name, value):
        if name not in self.props.get(iface, {}):
            raise Error('InvalidArguments')
        self.iwd.set_property(self, iface, name, value)

    @dbus.service.signal(PROPS, signature='sa{sv}as')
    def PropertiesChanged(self, iface, changed, invalidated):
        pass

    def change(self, iface, **kw):
        gone = [k for k, v in kw.items() if v is None]
        for k in gone:
            self.props[iface].pop(k, None)
        changed = {k: v for k, v in kw.items() if v is not None}
        self.props[iface].update(changed)
        self.PropertiesChanged(iface, changed, gone)


class Root(Obj):
    @dbus.service.method(OM, out_signature='a{oa{sa{sv}}}')
    def GetManagedObjects(self):
        return {o.__dbus_object_path__: o.props for o in self.iwd.objects() if o.props}

    @dbus.service.signal(OM, signature='oa{sa{sv}}')
    def InterfacesAdded(self, path, ifaces):
        pass

    @dbus.service.signal(OM, signature='oas')
    def InterfacesRemoved(self, path, ifaces):
        pass


class Manager(Obj):
    @dbus.service.method(IWD + '.AgentManager', in_signature='o', sender_keyword='sender')
    def RegisterAgent(self, path, sender=None):
        self.iwd.agent = (sender, path)
        log('agent', path)

    @dbus.service.method(IWD + '.Daemon', out_signature='a{sv}')
    def GetInfo(self):
        return {'NetworkConfigurationEnabled': dbus.Boolean(self.iwd.network_config),
                'Version': '2.3'}


class Station(Obj):
    @dbus.service.method(IWD + '.Station')
    def Scan(self):
        if self.props.get(IWD + '.Station', {}).get('Scanning'):
            raise Error('InProgress')
        log('scan')
        self.change(IWD + '.Station', Scanning=dbus.Boolean(True))
        GLib.timeout_add(300, lambda: self.change(IWD + '.Station', Scanning=dbus.Boolean(False)))

    @dbus.service.method(IWD + '.Station', out_signature='a(on)')
    def GetOrderedNetworks(self):
        return sorted(((n.__dbus_object_path__, dbus.Int16(n.signal)) for n in self.iwd.networks
                       if n.props), key=lambda x: -x[1])

    @dbus.service.method(IWD + '.Station', out_signature='a(sns)')
    def GetHiddenAccessPoints(self):
        return [('02:00:00:00:00:%02x' % i, dbus.Int16(n.signal), n.kind)
                for i, n in enumerate(self.iwd.networks) if n.hidden]

    @dbus.service.method(IWD + '.Station', in_signature='s', async_callbacks=('ok', 'err'))
    def ConnectHiddenNetwork(self, name, ok, err):
        log('connect-hidden', name)
        ssid = name.encode()
        if any(n.ssid == ssid and not n.hidden for n in self.iwd.networks):
            return err(Error('NotHidden'))
        net = next((n for n in self.iwd.networks if n.ssid == ssid and n.hidden), None)
        if not net:
            # iwd scans for the name first.
            GLib.timeout_add(300, lambda: log('not-found', name) or err(Error('NotFound')))
            return
        if not net.props:
            self.iwd.add(net, net.interface())
        self.iwd.connect(net, ok, err)

    @dbus.service.method(IWD + '.Station')
    def Disconnect(self):
        log('disconnect')
        self.iwd.drop_connection()

    @dbus.service.method(IWD + '.AccessPoint', in_signature='ss', async_callbacks=('ok', 'err'))
    def Start(self, ssid, psk, ok, err):
        log('ap-start', ssid, psk)
        if IWD + '.AccessPoint' not in self.props:
            return err(Error('NotAvailable'))
        if self.iwd.ap_fail:
            return GLib.timeout_add(100, lambda: err(Error('Failed', 'Operation failed')))
        GLib.timeout_add(100, self.iwd.ap_up, ssid, ok)

    @dbus.service.method(IWD + '.AccessPoint')
    def Stop(self):
        log('ap-stop')
        if IWD + '.AccessPoint' in self.props:
            self.change(IWD + '.AccessPoint', Started=dbus.Boolean(False), Name=None)


class Network(Obj):
    def __init__(self, iwd, ssid, kind, secret, signal, hidden=False):
        self.ssid, self.kind, self.secret, self.signal = ssid, kind, secret, int(signal)
        self.hidden = hidden
        path = '%s/%s_%s' % (DEVICE, ssid.hex(), kind)
        super().__init__(iwd, path, {})
        self.known = None

    def interface(self):
        props = {'Name': name_of(self.ssid), 'Connected': dbus.Boolean(False),
                 'Device': dbus.ObjectPath(DEVICE), 'Type': self.kind}
        if self.known:
            props['KnownNetwork'] = dbus.ObjectPath(self.known.__dbus_object_path__)
        return {IWD + '.Network': props}

    @dbus.service.method(IWD + '.Network', async_callbacks=('ok', 'err'))
    def Connect(self, ok, err):
        log('connect', name_of(self.ssid))
        self.iwd.connect(self, ok, err)


class Known(Obj):
    @dbus.service.method(IWD + '.KnownNetwork')
    def Forget(self):
        self.iwd.forget(self)


class FakeIwd:
    def __init__(self, args):
        self.bus = dbus.SystemBus()
        self.network_config = args.network_config
        self.agent_timeout = args.agent_timeout
        self.agent = None
        self.ap_fail = args.ap_fail
        self.root = Root(self, '/', {})
        self.manager = Manager(self, ROOT, {IWD + '.AgentManager': {}, IWD + '.Daemon': {}})
        modes = ['station'] if args.no_ap else ['station', 'ap']
        self.adapter = Obj(self, ADAPTER, {IWD + '.Adapter': {
            'Powered': dbus.Boolean(True), 'Name': 'phy0',
            'SupportedModes': dbus.Array(modes, signature='s')}})
        self.device = Station(self, DEVICE, {IWD + '.Device': {
            'Name': args.ifname, 'Address': args.mac, 'Powered': dbus.Boolean(True),
            'Adapter': dbus.ObjectPath(ADAPTER), 'Mode': 'station'}})
        self.networks = []
        for spec in args.networks:
            ssid, kind, secret, signal, *hidden = spec.split(':')
            self.networks.append(Network(self, bytes.fromhex(ssid), kind, secret, signal,
                                         hidden == ['hidden']))
        self.connected = None
        self.pending = None
        if args.ap_started:
            self.device.props[IWD + '.Device']['Mode'] = 'ap'
            self.device.props[IWD + '.AccessPoint'] = {'Started': dbus.Boolean(True),
                                                       'Name': args.ap_started,
                                                       'Scanning': dbus.Boolean(False)}
        else:
            self.station_on()
        self.bus_name = dbus.service.BusName(IWD, self.bus)
        if args.chatter:
            GLib.timeout_add(args.chatter, self.chatter)
        log('ready')

    def chatter(self):
        wsc = IWD + '.SimpleConfiguration'
        if wsc in self.device.props:
            self.remove(self.device, [wsc])
        else:
            self.add(self.device, {wsc: {}})
        return True

    def objects(self):
        return [self.manager, self.adapter, self.device] + self.networks + \
            [n.known for n in self.networks if n.known]

    def add(self, obj, ifaces):
        obj.props.update(ifaces)
        self.root.InterfacesAdded(obj.__dbus_object_path__, ifaces)

    def remove(self, obj, names):
        for n in names:
            obj.props.pop(n, None)
        self.root.InterfacesRemoved(obj.__dbus_object_path__, names)

    def station_on(self):
        self.add(self.device, {IWD + '.Station': {'State': 'disconnected',
                                                  'Scanning': dbus.Boolean(False)}})
        for n in self.networks:
            if not n.hidden:
                self.add(n, n.interface())

    def station_off(self):
        self.drop_connection()
        for n in self.networks:
            if n.props:
                self.remove(n, [IWD + '.Network'])
        self.remove(self.device, [IWD + '.Station'])

    def set_mode(self, mode):
        """iwd replies first and shows the new interfaces a moment later."""
        log('mode', mode)
        old = self.device.props[IWD + '.Device']['Mode']
        if mode == old:
            return
        if old == 'ap':
            self.remove(self.device, [IWD + '.AccessPoint'])
        else:
            self.station_off()
        self.device.change(IWD + '.Device', Mode=mode)
        if mode == 'ap':
            GLib.timeout_add(50, lambda: self.add(self.device, {IWD + '.AccessPoint': {
                'Started': dbus.Boolean(False), 'Scanning': dbus.Boolean(False)}}) and False)
        else:
            GLib.timeout_add(50, lambda: self.station_on() and False)

    def ap_up(self, ssid, ok):
        """As iwd: the reply first, Started a moment later."""
        ok()
        GLib.timeout_add(500, lambda: self.device.change(
            IWD + '.AccessPoint', Started=dbus.Boolean(True), Name=ssid) and False)
        return False

    def set_property(self, obj, iface, name, value):
        if name == 'Mode':
            if str(value) not in ('station', 'ap'):
                raise Error('InvalidArguments')
            return self.set_mode(str(value))
        if name == 'Powered':
            log('powered', obj.__dbus_object_path__, bool(value))
            if obj is self.device and bool(value) != bool(obj.props[iface]['Powered']):
                obj.change(iface, Powered=dbus.Boolean(value))
                (self.station_on if value else self.station_off)()
                return
        if name == 'AutoConnect':
            log('autoconnect', obj.props[iface]['Name'], bool(value))
        obj.change(iface, **{name: value})

    def connect(self, net, ok, err):
        if self.pending:
            return err(Error('Busy'))
        self.drop_connection()
        self.device.change(IWD + '.Station', State='connecting',
                           ConnectedNetwork=dbus.ObjectPath(net.__dbus_object_path__))
        if net.kind == 'open' or net.known:
            return GLib.timeout_add(200, self.finish, net, ok, err, net.secret)
        if not self.agent:
            return self.fail(net, err, 'NoAgent')
        method = 'RequestPassphrase' if net.kind == 'psk' else 'RequestUserNameAndPassword'
        agent = self.bus.get_object(self.agent[0], self.agent[1])
        self.pending = (net, ok, err, GLib.timeout_add_seconds(self.agent_timeout, self.agent_late))
        sig = 's' if net.kind == 'psk' else 'ss'
        agent.get_dbus_method(method, IWD + '.Agent')(
            dbus.ObjectPath(net.__dbus_object_path__), timeout=600,
            reply_handler=lambda *a: self.agent_answered(net, sig, a),
            error_handler=lambda e: self.agent_refused(net, e))

    def agent_late(self):
        net, ok, err, _ = self.pending
        self.pending = None
        log('cancel timed-out')
        agent = self.bus.get_object(self.agent[0], self.agent[1])
        agent.get_dbus_method('Cancel', IWD + '.Agent')('timed-out', ignore_reply=True)
        self.fail(net, err, 'Aborted')
        return False

    def agent_answered(self, net, sig, answer):
        if not self.pending or self.pending[0] is not net:
            return
        _, ok, err, timer = self.pending
        self.pending = None
        GLib.source_remove(timer)
        GLib.timeout_add(200, self.finish, net, ok, err, '/'.join(answer))

    def agent_refused(self, net, error):
        if not self.pending or self.pending[0] is not net:
            return
        _, ok, err, timer = self.pending
        self.pending = None
        GLib.source_remove(timer)
        self.fail(net, err, 'Aborted')

    def fail(self, net, err, name):
        log('failed', name_of(net.ssid), name)
        self.device.change(IWD + '.Station', State='disconnected', ConnectedNetwork=None)
        err(Error(name))
        return False

    def finish(self, net, ok, err, secret):
        if secret != net.secret:
            return self.fail(net, err, 'Failed')
        if not net.known:
            net.known = Known(self, '%s/%s_%s' % (ROOT, net.ssid.hex(), net.kind), {})
            self.add(net.known, {IWD + '.KnownNetwork': {
                'Name': name_of(net.ssid), 'Type': net.kind, 'Hidden': dbus.Boolean(False),
                'AutoConnect': dbus.Boolean(True)}})
            net.change(IWD + '.Network',
                       KnownNetwork=dbus.ObjectPath(net.known.__dbus_object_path__))
        self.connected = net
        net.change(IWD + '.Network', Connected=dbus.Boolean(True))
        self.device.change(IWD + '.Station', State='connected')
        log('connected', name_of(net.ssid))
        ok()
        return False

    def drop_connection(self):
        net, self.connected = self.connected, None
        if net:
            net.change(IWD + '.Network', Connected=dbus.Boolean(False))
            self.device.change(IWD + '.Station', State='disconnected', ConnectedNetwork=None)

    def forget(self, known):
        net = next(n for n in self.networks if n.known is known)
        log('forget', name_of(net.ssid))
        if self.connected is net:
            self.drop_connection()
        net.known = None
        if net.props:
            net.change(IWD + '.Network', KnownNetwork=None)
        self.remove(known, [IWD + '.KnownNetwork'])
        known.remove_from_connection()


def main():
    p = argparse.ArgumentParser()
    p.add_argument('ifname')
    p.add_argument('mac')
    p.add_argument('networks', nargs='+')
    p.add_argument('--network-config', action='store_true')
    p.add_argument('--agent-timeout', type=int, default=120)
    p.add_argument('--no-ap', action='store_true')
    p.add_argument('--ap-fail', action='store_true')
    p.add_argument('--ap-started')
    p.add_argument('--chatter', type=int)
    args = p.parse_args()
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    FakeIwd(args)
    GLib.MainLoop().run()


if __name__ == '__main__':
    sys.exit(main())
