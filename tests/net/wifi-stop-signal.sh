#!/usr/bin/env bash
# iwd signals while connd stops: the iwd stand-in (tests/lab/fake-iwd.py
# --chatter) adds and removes an interface every 2 ms, so InterfacesAdded and
# InterfacesRemoved reach connd after its Wi-Fi bearer let go of iwd, while it
# flushes the bus on its way out; and iwd leaves the bus as connd stops.
# Nothing of connd's iwd client may be left on the bus by then. ELL 0.56's
# l_dbus_client was: it watched both signals anew each time iwd appeared and
# removed only the last pair, and removed its service watch with the wrong
# function, so after one restart of iwd such a signal crashed connd inside
# ELL's dispatch. connd must exit 0 each time, the sanitizers say nothing.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns ap; lab_ns dev
lab_link ap ap0 dev wlan0
lab_dbus

mac=$(lab_exec dev cat /sys/class/net/wlan0/address)
start_iwd() {
	"$LAB_PY" "$LAB_REPO/tests/lab/fake-iwd.py" wlan0 "$mac" 6c61622d6f70656e:open::-6000 \
		--chatter 2 >>"$LAB_DIR/iwd.log" 2>&1 &
	IWD_PID=$!
	lab_defer "kill $IWD_PID 2>/dev/null"
	lab_wait 10 lab_bus_has net.connman.iwd
}
stop_iwd() {
	kill "$IWD_PID" 2>/dev/null
	lab_wait 5 bash -c "! kill -0 $IWD_PID 2>/dev/null"
}
has_wifi() { lab_connmanctl technologies 2>/dev/null | grep -qx '/net/connman/technology/wifi'; }
no_wifi() { ! has_wifi; }
start_connd() {
	: >"$LAB_DIR/connd-dev.log"	# one verdict per run
	LAB_WRAP="$LAB_REPO/tests/lab/fake-radio.sh wlan0" lab_connd dev wlan0
	lab_wait 10 has_wifi
}

start_iwd
for round in 1 2 3; do
	check "round $round: connd follows iwd" start_connd
	stop_iwd
	check_wait "round $round: iwd gone, and so is the technology" 5 no_wifi
	start_iwd
	check_wait "round $round: iwd back" 10 has_wifi
	check "round $round: connd stops cleanly while iwd signals" lab_connd_stop
done

for gap in 0 0.005 0.01 0.02 0.05; do
	check "connd follows iwd" start_connd
	kill -TERM "$LAB_CONND_PID"
	sleep "$gap"
	stop_iwd
	wait "$LAB_CONND_PID"
	check "connd exits 0 when iwd leaves ${gap}s after the stop" test $? = 0
	check "and no sanitizer report" \
		eval "! grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' '$LAB_DIR/connd-dev.log'"
	start_iwd
done
lab_done
