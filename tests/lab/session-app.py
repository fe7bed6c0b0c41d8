#!/usr/bin/python3
"""An application with a ConnMan session, driven line by line on stdin, as a
scenario's stand-in for a real program. It creates its session the way an
application would (python3-dbus, a Notification object, the GLib loop) and
answers each command with one line on stdout.

  session.py [KEY=VALUE ...]     settings: AllowedBearers=a,b ConnectionType=...
                                 AllowedInterface=... SourceIPRule=true
commands:
  wait KEY VALUE [SECONDS]   until an Update said KEY=VALUE   → ok | timeout
  get KEY                    the last value of KEY            → value
  change KEY VALUE           Session.Change                   → ok | error NAME
  connect, disconnect        Session.Connect, .Disconnect     → ok | error NAME
  tcp URL [SECONDS]          HTTP GET                         → ok BYTES | error WHY
  udp HOST PORT COUNT        COUNT datagrams of 100 bytes     → ok | error WHY
  stats                      Session.GetStatistics (extension) → RX TX bytes
  packets                    the same                         → RX TX packets
  source HOST PORT           a new UDP socket connected there → its source address
  keep HOST PORT             a UDP socket for there, unconnected, kept → ok
  resend COUNT               COUNT datagrams on the kept socket → ok | error WHY
  destroy                    Session.Destroy                  → ok
  path                       the session's object path        → path
  twin                       CreateSession on the same notifier → ok PATH | error NAME MSG
  more COUNT                 COUNT more sessions, same settings → ok TOTAL | error NAME MSG
  less COUNT                 destroys the COUNT oldest of those → ok TOTAL
  quit                       leave (the session dies with the process)
"""
import os
import socket
import sys
import threading
import urllib.request

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
bus = dbus.SystemBus()
loop = GLib.MainLoop()
state = {}
cond = threading.Condition()


def plain(v):
    if isinstance(v, dbus.Array):
        return ','.join(str(x) for x in v)
    if isinstance(v, dbus.Dictionary):
        return ','.join('%s=%s' % (k, plain(x)) for k, x in sorted(v.items()))
    if isinstance(v, dbus.Boolean):
        return 'true' if v else 'false'
    if isinstance(v, dbus.Byte):    # str() would give the character
        return str(int(v))
    return str(v)


class Notifier(dbus.service.Object):
    @dbus.service.method('net.connman.Notification', in_signature='a{sv}')
    def Update(self, settings):
        with cond:
            for k, v in settings.items():
                state[str(k)] = plain(v)
            cond.notify_all()

    @dbus.service.method('net.connman.Notification')
    def Release(self):
        with cond:
            state['Released'] = 'true'
            cond.notify_all()


def settings_from(args):
    out = dbus.Dictionary({}, signature='sv')
    for arg in args:
        key, value = arg.split('=', 1)
        if key == 'AllowedBearers':
            out[key] = dbus.Array([b for b in value.split(',') if b], signature='s')
        elif key == 'SourceIPRule':
            out[key] = dbus.Boolean(value == 'true')
        elif key == 'StatisticsInterval':
            out[key] = dbus.UInt32(int(value))
        else:
            out[key] = dbus.String(value)
    return out


def call(fn):
    """Runs fn on the GLib thread and returns its result or exception."""
    box = {}
    done = threading.Event()

    def run():
        try:
            box['value'] = fn()
        except Exception as e:  # reported to the driver, not raised
            box['error'] = e
        done.set()
        return False
    GLib.idle_add(run)
    done.wait(30)
    if 'error' in box:
        raise box['error']
    return box.get('value')


def do_wait(key, value, seconds=15):
    with cond:
        ok = cond.wait_for(lambda: state.get(key) == value, timeout=float(seconds))
    return 'ok' if ok else 'timeout (%s=%s)' % (key, state.get(key))


def do_tcp(url, seconds=5):
    try:
        with urllib.request.urlopen(url, timeout=float(seconds)) as r:
            return 'ok %d' % len(r.read())
    except Exception as e:
        return 'error %s' % str(e).replace('\n', ' ')


def do_udp(host, port, count):
    try:
        family = socket.AF_INET6 if ':' in host else socket.AF_INET
        s = socket.socket(family, socket.SOCK_DGRAM)
        for _ in range(int(count)):
            s.sendto(b'u' * 100, (host, int(port)))
        s.close()
        return 'ok'
    except OSError as e:
        return 'error %s' % e


kept = []    # the socket `keep` opened


def do_keep(host, port):
    """A socket opened now and used later, unconnected (sendto picks the
    route and source address of each datagram), as resolvers, VoIP and
    games keep theirs."""
    try:
        family = socket.AF_INET6 if ':' in host else socket.AF_INET
        kept[:] = [socket.socket(family, socket.SOCK_DGRAM), (host, int(port))]
        return 'ok'
    except OSError as e:
        return 'error %s' % e


def do_resend(count):
    try:
        for _ in range(int(count)):
            kept[0].sendto(b'k' * 100, kept[1])
        return 'ok'
    except OSError as e:
        return 'error %s' % e


extra = []   # (notifier object, session path) of the sessions `more` made
made = [0]


def do_source(host, port):
    """The address the kernel chose for a new socket's first route lookup."""
    try:
        family = socket.AF_INET6 if ':' in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_DGRAM) as s:
            s.connect((host, int(port)))
            return s.getsockname()[0]
    except OSError as e:
        return 'error %s' % e


def do_more(manager, count):
    def create_one(path):
        notifier = Notifier(bus, path)
        try:
            return notifier, manager.CreateSession(settings_from(sys.argv[1:]), path)
        except dbus.DBusException:
            notifier.remove_from_connection()
            raise
    for _ in range(int(count)):
        made[0] += 1
        extra.append(call(lambda: create_one('/app/extra%d' % made[0])))
    return 'ok %d' % len(extra)


def do_less(manager, count):
    def destroy_one(notifier, path):
        manager.DestroySession(path)
        notifier.remove_from_connection()
    for _ in range(int(count)):
        notifier, path = extra.pop(0)
        call(lambda: destroy_one(notifier, path))
    return 'ok %d' % len(extra)


STAT_KEYS = ('RX.Packets', 'RX.Bytes', 'TX.Packets', 'TX.Bytes')


def stat_line(pairs):
    """'path=rxp,rxb,txp,txb ...' sorted by path: two readings compare as text."""
    return ' '.join('%s=%s' % (p, ','.join(str(int(st[k])) for k in STAT_KEYS))
                    for p, st in sorted(pairs))


def do_each(own):
    """Every own session's GetStatistics, one call each."""
    return stat_line((p, call(lambda p=p: dbus.Interface(
        bus.get_object('net.connman', p, introspect=False),
        'net.connman.Session').GetStatistics())) for p in own)


def do_batch(manager):
    """Manager.GetSessionStatistics: the keys of each entry must be exactly
    GetStatistics' (t each), else a line saying what differs."""
    got = call(lambda: manager.GetSessionStatistics())
    for p, st in got:
        if sorted(st) != sorted(STAT_KEYS) or any(
                not isinstance(v, dbus.UInt64) for v in st.values()):
            return 'bad entry %s %s' % (p, dict(st))
    return stat_line((str(p), st) for p, st in got)


def do_counters(manager):
    """Manager.GetSessionCounters: (o, t, t, t, t) entries, in
    GetStatistics' key order, else a line saying what differs."""
    got = call(lambda: manager.GetSessionCounters())
    for entry in got:
        if len(entry) != 5 or any(not isinstance(v, dbus.UInt64) for v in entry[1:]):
            return 'bad entry %s' % (tuple(entry),)
    return stat_line((str(e[0]), dict(zip(STAT_KEYS, e[1:]))) for e in got)


def main():
    notifier_path = '/app/session'
    Notifier(bus, notifier_path)
    manager = dbus.Interface(bus.get_object('net.connman', '/'), 'net.connman.Manager')
    try:
        path = manager.CreateSession(settings_from(sys.argv[1:]), notifier_path)
    except dbus.DBusException as e:
        print('error %s %s' % (e.get_dbus_name(), e.get_dbus_message()), flush=True)
        return 1
    session = dbus.Interface(bus.get_object('net.connman', path), 'net.connman.Session')
    threading.Thread(target=loop.run, daemon=True).start()
    print('session %s' % path, flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        cmd, args = words[0], words[1:]
        try:
            if cmd == 'wait':
                out = do_wait(*args)
            elif cmd == 'get':
                with cond:
                    out = state.get(args[0], '')
            elif cmd == 'change':
                key, value = args[0], args[1] if len(args) > 1 else ''
                v = settings_from(['%s=%s' % (key, value)])[key]
                call(lambda: session.Change(key, v))
                out = 'ok'
            elif cmd in ('connect', 'disconnect'):
                call(session.Connect if cmd == 'connect' else session.Disconnect)
                out = 'ok'
            elif cmd == 'tcp':
                out = do_tcp(*args)
            elif cmd == 'udp':
                out = do_udp(*args)
            elif cmd == 'stats':
                st = call(lambda: session.GetStatistics())
                out = '%d %d' % (int(st['RX.Bytes']), int(st['TX.Bytes']))
            elif cmd == 'each':
                out = do_each([path] + [p for _, p in extra])
            elif cmd == 'batch':
                out = do_batch(manager)
            elif cmd == 'counters':
                out = do_counters(manager)
            elif cmd == 'batch-with-argument':
                call(lambda: manager.GetSessionStatistics(dbus.String('all'),
                                                          signature='s'))
                out = 'ok'
            elif cmd == 'packets':
                st = call(lambda: session.GetStatistics())
                out = '%d %d' % (int(st['RX.Packets']), int(st['TX.Packets']))
            elif cmd == 'source':
                out = do_source(*args[:2])
            elif cmd == 'keep':
                out = do_keep(*args[:2])
            elif cmd == 'resend':
                out = do_resend(*args[:1])
            elif cmd == 'destroy':
                call(lambda: session.Destroy())
                out = 'ok'
            elif cmd == 'path':
                out = str(path)
            elif cmd == 'twin':
                out = 'ok %s' % call(lambda: manager.CreateSession(
                    settings_from(sys.argv[1:]), notifier_path))
            elif cmd == 'more':
                out = do_more(manager, *args)
            elif cmd == 'less':
                out = do_less(manager, *args)
            elif cmd == 'quit':
                return 0
            else:
                out = 'error unknown command'
        except dbus.DBusException as e:
            out = 'error %s %s' % (e.get_dbus_name(), e.get_dbus_message())
        except Exception as e:
            out = 'error %s' % e
        print(out, flush=True)
    return 0


# os._exit: the GLib loop still runs in its thread, and tearing the
# interpreter down under it crashed python-dbus now and then.
status = main()
sys.stdout.flush()
os._exit(status)
