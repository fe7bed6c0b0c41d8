#!/usr/bin/env bash
# net.connman.Clock: SNTP against the timeserver DHCP gave the uplink (a lab
# server an hour ahead, which first sends a reply not matching our request),
# TimeserverSynced, the measured offset reported but the clock left alone;
# Timezone as a link at the lab's LocaltimeFile; settings kept across a
# restart; the real connmanctl's `clock` view. Never the host's clock or
# /etc/localtime.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
lab_isp isp eth0 10.36.0.1/24
ip netns exec "$(lab_nsname isp)" "$LAB_PY" "$LAB_REPO/tests/lab/sntp-server.py" \
	--bind 10.36.0.1 --offset 3600 --bad-first >"$LAB_DIR/sntp.log" 2>&1 &
lab_defer "kill $!"
lab_dbus
host_before=$(date +%s)
lab_connd dev up0 -d 'src/sntp*,src/clock*'
svc=$(lab_service dev up0)
check_wait "online" 20 service_state dev up0 online
check "the service's Timeservers come from DHCP" \
	bash -c "lab_connmanctl services $svc | grep -q 'Timeservers = \[ 10.36.0.1 \]'"
check_wait "connmanctl clock: TimeserverSynced = True" 10 \
	bash -c "lab_connmanctl clock | grep -q 'TimeserverSynced = True'"
check "the reply that did not echo our request was dropped" \
	grep -q 'sntp: dropped a reply from 10.36.0.1 that is not an answer' "$LAB_DIR/connd-dev.log"
check "the offset measured is the server's hour" \
	grep -qE 'clock: 10.36.0.1 \(stratum 2\): offset \+(3599\.9|3600\.0)' "$LAB_DIR/connd-dev.log"
check "and the clock was left alone" grep -q 'not setting the clock' "$LAB_DIR/connd-dev.log"
check "the host clock did not jump" test $(($(date +%s) - host_before)) -lt 600
check "the Clock API behaves" \
	lab_exec dev "$LAB_PY" "$LAB_REPO/tests/net/clock_api.py" "$LAB_DIR/localtime" 10.36.0.1
# A timeserver by name: the stub resolver the online check uses too looks it
# up (through connd's DNS proxy), then SNTP asks the address it found.
lab_connmanctl config "$svc" --timeservers ntp.isp.lab >/dev/null
check_wait "a timeserver by name is looked up and synchronised with" 15 \
	grep -qE 'clock: ntp.isp.lab \(stratum 2\): offset' "$LAB_DIR/connd-dev.log"
check "connd stops cleanly" lab_connd_stop

lab_connd dev up0
check_wait "after a restart: online" 20 service_state dev up0 online
check "TimezoneUpdates, Timeservers and Timezone are as they were" bash -c "
	out=\$(lab_connmanctl clock)
	grep -q 'TimezoneUpdates = manual' <<<\"\$out\" &&
	grep -q 'Timeservers = \[ 10.36.0.1, ntp.isp.lab \]' <<<\"\$out\" &&
	grep -q 'Timezone = Europe/Paris' <<<\"\$out\" || { echo \"\$out\"; cat '$LAB_DIR/state-dev/settings'; false; }"
check "the saved settings are ConnMan's keys" \
	grep -q '^TimezoneUpdates=manual' "$LAB_DIR/state-dev/settings"
check "connd stops cleanly" lab_connd_stop
lab_teardown
lab_done
