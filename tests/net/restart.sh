#!/usr/bin/env bash
# Settings survive a clean restart and a kill -9; a restart after a crash
# leaves no stale or doubled routes, rules or addresses; a torn settings file
# is reported with its path and ignored.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
lab_isp isp eth0 10.36.0.1/24
lab_dbus
lab_connd dev up0
svc=$(lab_service dev up0)
dev=$(lab_nsname dev)
state="$LAB_DIR/state-dev"
kernel_state() {
	{ ip -n "$dev" -4 addr show up0 | grep inet; ip -n "$dev" route show table all proto 196
	  ip -n "$dev" rule show | grep 'proto 196'; } | sort
}
configured() {
	lab_connmanctl services "$svc" | grep -q 'IPv4.Configuration = \[ Method=manual, Address=10.36.0.7,' &&
	lab_connmanctl services "$svc" | grep -q 'Nameservers.Configuration = \[ 10.36.0.1 \]' &&
	service_state dev up0 online
}
check_wait "online" 20 service_state dev up0 online
lab_connmanctl config "$svc" --ipv4 manual 10.36.0.7 255.255.255.0 10.36.0.1
lab_connmanctl config "$svc" --nameservers 10.36.0.1
check_wait "manual configuration applied" 10 configured
check "settings written under the state dir" grep -q 'IPv4.local_address=10.36.0.7' "$state/$svc/settings"
before=$(kernel_state)

check "clean stop" lab_connd_stop
check "nothing of connd's left in the kernel after a clean stop" \
	bash -c "[ -z \"\$(ip -n $dev route show table all proto 196; ip -n $dev rule show | grep 'proto 196'; ip -n $dev -4 addr show up0 | grep inet)\" ]"
lab_connd dev up0
check_wait "clean restart: configuration restored and online" 20 configured
[ "$(kernel_state)" = "$before" ] && ok "clean restart: same addresses, routes and rules" ||
	fail "clean restart: kernel state differs: $(diff <(echo "$before") <(kernel_state))"

second=$(ip netns exec "$dev" "$LAB_CONND" -n -i up0 --state-dir "$state" -c "$LAB_DIR/main.conf" \
	--resolv-conf "$LAB_DIR/resolv-second.conf" 2>&1)
check "a second connd on the same state dir is refused" test $? -ne 0
check "and says why" grep -q "state directory $state is in use by another connd" <<<"$second"
check "the first connd is unharmed" service_state dev up0 online

kill -9 "$LAB_CONND_PID"; wait "$LAB_CONND_PID" 2>/dev/null
# What a kill -9 in the middle of a write leaves behind.
: >"$state/settings.tmp.99999"; : >"$state/$svc/settings.tmp.99998"
check "after kill -9 connd's state is still in the kernel" bash -c "ip -n $dev route show table all proto 196 | grep -q ."
lab_connd dev up0
check_wait "restart after kill -9: configuration restored and online" 20 configured
[ "$(kernel_state)" = "$before" ] && ok "after kill -9: no stale or doubled kernel state" ||
	fail "after kill -9: kernel state differs: $(diff <(echo "$before") <(kernel_state))"
check "the restart reported what it cleaned" grep -q "stale" "$LAB_DIR/connd-dev.log"
check "temporary files of the killed connd are swept" \
	test ! -e "$state/settings.tmp.99999" -a ! -e "$state/$svc/settings.tmp.99998"
check "the sweep is logged" grep -q "settings.tmp.99999: removed a temporary file" "$LAB_DIR/connd-dev.log"
check "clean stop" lab_connd_stop

printf '[%s]\nIPv4.method=manual\nIPv4.local_addr' "$svc" >"$state/$svc/settings"
printf 'garbage without a group\n' >"$state/settings"
lab_connd dev up0
check_wait "a torn service file is ignored: back to DHCP" 20 service_state dev up0 online
check "the torn file is reported with its path" \
	grep -q "$state/settings: corrupt settings file ignored" "$LAB_DIR/connd-dev.log"
check "connd stops cleanly" lab_connd_stop
lab_done
