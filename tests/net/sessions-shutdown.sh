#!/usr/bin/env bash
# connd stops while a session is being created: CreateSession has arrived and
# connd has asked the bus for the caller's credentials, but the answer comes
# only once connd is on its way out. The pending query goes with the
# sessions (cancelled, its request freed once): the late answer touches
# nothing freed and nothing leaks (the ASan/valgrind connd would say so).
# Then connd stops amid a stream of Manager calls: those read after the
# manager is freed are refused, not dispatched to it.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
chmod 755 "$LAB_DIR"
lab_ns dev
mkdir -p "$LAB_DIR/policy"
lab_dbus
lab_connd dev up0
check "connd is on the bus" lab_bus_has net.connman

# Stopped, connd cannot answer: the call waits in its socket.
kill -STOP "$LAB_CONND_PID"
lab_defer "kill -CONT $LAB_CONND_PID"
"$LAB_PY" -c '
import dbus
bus = dbus.SystemBus()
manager = dbus.Interface(bus.get_object("net.connman", "/", introspect=False), "net.connman.Manager")
try:
    print("created", manager.CreateSession(dbus.Dictionary({}, signature="sv"),
                                           dbus.ObjectPath("/app/session"), timeout=20))
except dbus.DBusException as e:
    print(e.get_dbus_name())
' >"$LAB_DIR/client.out" 2>&1 &
client=$!
lab_defer "kill $client"
sleep 1
# The bus stopped: connd's question about the caller stays unanswered.
kill -STOP "$LAB_DBUS_PID"
lab_defer "kill -CONT $LAB_DBUS_PID"
kill -CONT "$LAB_CONND_PID"
sleep 0.5
# The answer comes while connd tears down and flushes the bus.
(sleep 0.02; kill -CONT "$LAB_DBUS_PID") &
check "connd stops cleanly: no use after free, no leak" lab_connd_stop
wait "$client"
check "the caller was told connd went away (got: $(cat "$LAB_DIR/client.out"))" \
	grep -qE 'Error\.(NoReply|ServiceUnknown)' "$LAB_DIR/client.out"
check "and no session was made" bash -c "! grep -q created '$LAB_DIR/client.out'"

# A client that keeps calling the Manager while connd stops: the calls read
# after the manager is freed (connd's last flush of the bus) are refused,
# never dispatched to it.
lab_connd dev up0
check "connd is on the bus again" lab_bus_has net.connman
"$LAB_PY" -c '
import dbus, dbus.mainloop.glib
from gi.repository import GLib
dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
bus = dbus.SystemBus()
manager = dbus.Interface(bus.get_object("net.connman", "/", introspect=False), "net.connman.Manager")
sent = [0]
def fire():
    for _ in range(20):
        manager.GetProperties(reply_handler=lambda p: None, error_handler=lambda e: None)
        manager.CreateSession(dbus.Dictionary({}, signature="sv"),
                              dbus.ObjectPath("/app/s%d" % sent[0]),
                              reply_handler=lambda p: None, error_handler=lambda e: None)
        sent[0] += 1
    print("calls", sent[0], flush=True)
    return sent[0] < 4000
GLib.timeout_add(1, fire)
GLib.timeout_add(15000, GLib.MainLoop.quit, loop := GLib.MainLoop())
loop.run()
' >"$LAB_DIR/caller.out" 2>&1 &
caller=$!
lab_defer "kill $caller"
lab_wait 10 grep -q "^calls" "$LAB_DIR/caller.out"
check "stopped amid a stream of Manager calls: no use after free, no leak" lab_connd_stop
kill "$caller" 2>/dev/null
lab_done
