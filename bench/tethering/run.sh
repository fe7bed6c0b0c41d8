#!/usr/bin/env bash
# bench/tethering: from the D-Bus call that turns tethering on to a LAN client
# (ISC dhclient; busybox udhcpc adds ~100 ms of its own) holding a lease and
# fetching a page from the ISP; median of
# RUNS (default 5), connd beside Debian's ConnMan in the same lab and run.
#   bench/tethering/run.sh [BUILD]
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "$REPO/${1:-build}" && pwd)
RUNS=${RUNS:-5}
export REPO BUILD CONND=$BUILD/src/connd
. "$REPO/tests/lab/lab.sh"
lab_require_root

cat_script() {
	cat >"$1" <<'S'
#!/bin/sh
case $reason in BOUND)
	ip addr add "$new_ip_address/24" dev "$interface"
	ip route add default via "$new_routers" ;;
esac
exit 0
S
	chmod +x "$1"
}

# one_run: ms from the call to the client's first fetched page, or "fail".
one_run() {
	local start end
	lab_exec lan ip addr flush dev eth0
	start=$(date +%s%N)
	dbus-send --system --print-reply --dest=net.connman /net/connman/technology/ethernet \
		net.connman.Technology.SetProperty string:Tethering variant:boolean:true >/dev/null || { echo fail; return; }
	if lab_exec lan timeout 20 dhclient -1 -sf "$LAB_DIR/client.sh" -pf "$LAB_DIR/dhclient.pid" \
		-lf /dev/null eth0 >/dev/null 2>&1 &&
	   lab_exec lan curl -s -o /dev/null --max-time 5 http://10.70.0.1/bytes/10; then
		end=$(date +%s%N)
		echo $(((end - start) / 1000000))
	else
		echo fail
	fi
	# dhclient writes its pid file from the background: wait for it.
	lab_wait 3 test -s "$LAB_DIR/dhclient.pid" && kill "$(cat "$LAB_DIR/dhclient.pid")" 2>/dev/null
	rm -f "$LAB_DIR/dhclient.pid"
	dbus-send --system --print-reply --dest=net.connman /net/connman/technology/ethernet \
		net.connman.Technology.SetProperty string:Tethering variant:boolean:false >/dev/null 2>&1
	sleep 0.3
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print "n/a"}'; }

# Each run is a fresh lab and a fresh daemon measuring its first tethering
# (ConnMan leaves state behind that makes a second one fail).
fresh_lab() {
	lab_init
	lab_ns isp; lab_ns dev; lab_ns lan
	lab_link isp eth0 dev up0
	lab_link dev lan0 lan eth0
	lab_isp isp eth0 10.70.0.1/24 --offload-off
	lab_dbus
	cat_script "$LAB_DIR/client.sh"
}

connd_run() (
	fresh_lab
	lab_connd dev up0,lan0 >/dev/null
	# connd bridges lan0 once its DHCP found no server: measure tethering, not that wait.
	lab_wait 20 service_state dev up0 online && lab_wait 30 service_state dev lan0 ready &&
		one_run || echo fail
	lab_connd_stop
	lab_teardown
)

# ConnMan tethers ethernet only when main.conf lists it in TetheringTechnologies.
connman_run() (
	fresh_lab
	printf '[General]\nOnlineCheckIPv4URL = http://isp.lab/online/status.html\nTetheringTechnologies = ethernet\n' \
		>"$LAB_DIR/cm.conf"
	ip netns exec "$(lab_nsname dev)" unshare --uts --mount sh -c "mount -t tmpfs tmpfs /var/lib &&
		mount -t tmpfs tmpfs /run && mkdir -p /var/lib/connman /run/connman &&
		exec '$CONNMAND' -n -r -i up0,lan0 -c '$LAB_DIR/cm.conf'" >"$LAB_DIR/connman.log" 2>&1 &
	cm=$!
	lab_defer "kill $cm"
	if lab_wait 30 service_state dev up0 online; then one_run; else echo fail; fi
	lab_teardown
)

CONNMAND=$("$REPO/tests/lab/connman.sh" connmand) || exit 1
connd_runs=$(for i in $(seq "$RUNS"); do connd_run; done)
connman_runs=$(for i in $(seq "$RUNS"); do connman_run; done)

printf '\ntethering: D-Bus call → LAN client (ISC dhclient) leased and fetching from the ISP\n'
printf '  %-12s %-14s %s\n' "" "median" "runs (ms)"
printf '  %-12s %-14s %s\n' "connd" "$(grep -v fail <<<"$connd_runs" | median) ms" "$(echo $connd_runs)"
printf '  %-12s %-14s %s\n' "ConnMan 1.41" "$(grep -v fail <<<"$connman_runs" | median) ms" "$(echo $connman_runs)"
