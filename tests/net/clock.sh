#!/usr/bin/env bash
# net.connman.Clock: SNTP against the timeserver DHCP gave the uplink (a lab
# server an hour ahead, which first sends a reply not matching our request,
# and holds back the first reply of each burst with a time 600 s further
# ahead: the best of the samples, the one with the smallest delay, must win),
# TimeserverSynced, the measured offset reported but the clock left alone;
# timeservers over IPv6 (a name with only an AAAA record, one whose IPv6
# address is silent, a link-local address with its link); TimeUpdates
# manual stopping a sync on its way; Timezone as a link at the lab's
# LocaltimeFile; settings kept across a restart; the real connmanctl's
# `clock` view. Never the host's clock or /etc/localtime.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
lab_exec isp ip -6 addr add fe80::36:1/64 dev eth0 nodad
lab_isp isp eth0 10.36.0.1/24 --ipv6=2001:db8:36::1/64 \
	--dhcp-conf=host-record=ntp6.lab,2001:db8:36::1 \
	--dhcp-conf=host-record=ntpboth.lab,10.36.0.1,2001:db8:36::99
ip netns exec "$(lab_nsname isp)" "$LAB_PY" "$LAB_REPO/tests/lab/sntp-server.py" \
	--bind 10.36.0.1 --bind 2001:db8:36::1 --bind 'fe80::36:1%eth0' --offset 3600 \
	--bad-first --jitter 0.02 --slow-first 0.5 --slow-extra 600 >"$LAB_DIR/sntp.log" 2>&1 &
lab_defer "kill $!"
lab_dbus
host_before=$(date +%s)
lab_connd dev up0 -d 'src/sntp*,src/clock*'
svc=$(lab_service dev up0)
log=$LAB_DIR/connd-dev.log
syncs() { grep -c 'clock: .* (stratum 2): offset' "$log"; }
set_clock() {
	dbus-send --system --print-reply --dest=net.connman / net.connman.Clock.SetProperty \
		"string:$1" "variant:string:$2" >/dev/null
}
check_wait "online" 20 service_state dev up0 online
check "the service's Timeservers come from DHCP" \
	bash -c "lab_connmanctl services $svc | grep -q 'Timeservers = \[ 10.36.0.1 \]'"
check_wait "connmanctl clock: TimeserverSynced = True" 20 \
	bash -c "lab_connmanctl clock | grep -q 'TimeserverSynced = True'"
check "the reply that did not echo our request was dropped" \
	grep -q 'sntp: dropped a reply from 10.36.0.1 that is not an answer' "$log"
check "four samples were taken, the first held back and 600 s off" bash -c "
	grep -qE 'sntp: 10.36.0.1 sample 1: offset \+4199\.[67]' '$log' &&
	grep -q 'sntp: 10.36.0.1 sample 4: offset' '$log'"
check "the offset applied is the best sample's, the server's hour" \
	grep -qE 'clock: 10.36.0.1 \(stratum 2\): offset \+(3599\.9|3600\.0)' "$log"
check "and the clock was left alone" grep -q 'not setting the clock' "$log"
check "the host clock did not jump" test $(($(date +%s) - host_before)) -lt 600
check "the Clock API behaves" \
	lab_exec dev "$LAB_PY" "$LAB_REPO/tests/net/clock_api.py" "$LAB_DIR/localtime" 10.36.0.1
# A timeserver by name: the stub resolver the online check uses too looks up
# its AAAA and A records (through connd's DNS proxy); this one has only an
# IPv6 address.
lab_connmanctl config "$svc" --timeservers ntp6.lab >/dev/null
check_wait "a timeserver with only an AAAA record is synchronised with over IPv6" 20 \
	grep -qE 'clock: ntp6.lab \(stratum 2\): offset \+(3599\.9|3600\.0)' "$log"
check "at its IPv6 address" grep -q 'sntp: asking ntp6.lab at 2001:db8:36::1' "$log"
check "the server saw it come over IPv6" grep -q 'request from 2001:db8:36:' "$LAB_DIR/sntp.log"
# A name whose IPv6 address is silent: its IPv4 address is asked next.
lab_connmanctl config "$svc" --timeservers ntpboth.lab >/dev/null
check_wait "a name whose IPv6 address is silent is synchronised with over IPv4" 20 \
	grep -qE 'clock: ntpboth.lab \(stratum 2\): offset \+(3599\.9|3600\.0)' "$log"
check "after its IPv6 address, tried first, did not answer" \
	grep -q 'sntp: 2001:db8:36::99 did not answer in time' "$log"
# A link-local timeserver, reached through the link named after the %.
lab_connmanctl config "$svc" --timeservers 'fe80::36:1%up0' >/dev/null
check_wait "a link-local timeserver with its link is synchronised with" 20 \
	grep -qE 'clock: fe80::36:1%up0 \(stratum 2\): offset \+(3599\.9|3600\.0)' "$log"
check "the server saw it come from our link-local address" \
	grep -q 'request from fe80::' "$LAB_DIR/sntp.log"
# TimeUpdates manual while a sync is on its way: nothing is applied.
before=$(syncs)
asked=$(grep -c 'request from 10\.36\.0\.' "$LAB_DIR/sntp.log")
lab_connmanctl config "$svc" --timeservers 10.36.0.1 >/dev/null
check_wait "a new sync starts" 5 bash -c \
	"[ \$(grep -c 'request from 10\.36\.0\.' '$LAB_DIR/sntp.log') -gt $asked ]"
sleep 1
set_clock TimeUpdates manual
sleep $((4 * 2 + 1))
check "TimeUpdates manual stopped it: no offset applied after" test "$(syncs)" = "$before"
check "and TimeserverSynced is False" \
	bash -c "lab_connmanctl clock | grep -q 'TimeserverSynced = False'"
set_clock TimeUpdates auto
check_wait "back to auto: synchronised again" 20 \
	bash -c "lab_connmanctl clock | grep -q 'TimeserverSynced = True'"
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
