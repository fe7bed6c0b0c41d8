#!/usr/bin/env bash
# An impatient stop: SIGTERM, then more of them while connd is still
# cleaning up after the first (a user's second Ctrl-C is the same with
# SIGINT, which a shell's background job ignores: hence SIGTERM here), with
# tethering on so that the stop has work. connd used to die of the second one (exit 143) once its main
# loop was over, leaving rules, bridge and ip rules behind. Each must be
# logged and ignored: exit 0, and nothing of connd's left in the kernel.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_tether_lab 10.37.0.1/24
lab_dbus
dev=$(lab_nsname dev)
rules_before=$(ip -n "$dev" rule list)
fwd_before=$(lab_exec dev cat /proc/sys/net/ipv4/ip_forward)

# stop_hard: SIGTERM, then again every 10 ms until connd is gone.
stop_hard() {
	kill -TERM "$LAB_CONND_PID"
	while kill -TERM "$LAB_CONND_PID" 2>/dev/null; do sleep 0.01; done
	wait "$LAB_CONND_PID"
}

for round in 1 2 3; do
	lab_connd dev up0,lan0
	check_wait "round $round: the uplink is online" 20 service_state dev up0 online
	if [ $round = 1 ]; then
		check "tethering on" bash -c "! lab_connmanctl tether ethernet on 2>&1 | grep -q Error"
	fi
	check_wait "round $round: lan0 is in the bridge" 30 bash -c "ip -n $dev link show lan0 | grep -q 'master tether'"
	check "round $round: a client leases from it" \
		lab_exec lan timeout 15 busybox udhcpc -i eth0 -n -q -t 5 -s /bin/true
	stop_hard
	check "round $round: SIGTERM again and again during the stop: connd exits 0" test $? = 0
	check "round $round: no connd table is left" bash -c "! ip netns exec $dev nft list tables | grep -q connd"
	check "round $round: no bridge is left" bash -c "! ip -n $dev link show tether 2>/dev/null"
	check "round $round: the ip rules are as before" test "$(ip -n "$dev" rule list)" = "$rules_before"
	check "round $round: forwarding is back to $fwd_before" \
		test "$(lab_exec dev cat /proc/sys/net/ipv4/ip_forward)" = "$fwd_before"
done
check "the later signals were logged and ignored" grep -q 'more stop signal(s) during the cleanup: ignored' \
	"$LAB_DIR/connd-dev.log"
check "no sanitizer report" eval "! grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' '$LAB_DIR/connd-dev.log'"
lab_done
