#!/usr/bin/env bash
# Manager.RegisterCounter: Usage arrives every period with growing byte
# counts while traffic flows, Time the seconds connected, the roaming
# dictionary all zeros once then empty (ethernet never roams), and nothing for
# a service that is not connected; Manager.RegisterAgent: the agent is released
# with connd's stop, and both are dropped when their client leaves the bus.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
lab_isp isp eth0 10.37.0.1/24
# A second link without carrier: its service never connects.
lab_ns peer
lab_link peer e1 dev up1
lab_exec peer ip link set e1 down
lab_dbus
lab_connd dev up0,up1
svc=$(lab_service dev up0)
idle=$(lab_service dev up1)
check_wait "online" 20 service_state dev up0 online

# Started without a shell function in between: $! is the client itself.
ip netns exec "$(lab_nsname dev)" "$LAB_PY" "$LAB_REPO/tests/lab/counter-agent.py" 60 \
	>"$LAB_DIR/client1.log" 2>&1 &
client=$!
lab_defer "kill $client"
# A Python client with D-Bus can take seconds to start on a loaded machine.
check_wait "the client registered its agent and counter" "$LAB_UP" grep -q registered "$LAB_DIR/client1.log"
check_wait "a first Usage came within the period" 3 grep -q "usage $svc" "$LAB_DIR/client1.log"
for i in 1 2 3; do lab_exec dev curl -s -o /dev/null --max-time 2 http://10.37.0.1/bytes/50000; done
rx_grew() {
	awk '/^usage/ {print $3}' "$LAB_DIR/client1.log" | awk 'NR==1 {first=$1} {last=$1} END {exit !(last - first >= 100000)}'
}
time_counts() {
	awk '/^usage/ {print $5}' "$LAB_DIR/client1.log" | awk 'NR==1 {first=$1} {last=$1} END {exit !(last - first >= 2)}'
}
# The client stays until the reports it is checked on came (on a loaded
# machine the downloads alone can outlast a fixed few seconds), then leaves.
lab_wait 20 rx_grew; lab_wait 20 time_counts
kill "$client"; wait "$client"
check "its RX bytes grew while traffic flowed" rx_grew
check "RX bytes never went down" bash -c "
	awk '/^usage/ {print \$3}' '$LAB_DIR/client1.log' | sort -c -n"
check "the first Usage has Time, the seconds connected so far" bash -c "
	awk '/^usage/ {print \$5; exit}' '$LAB_DIR/client1.log' | awk '{exit !(\$1 >= 0 && \$1 < 60)}'"
check "Time counts on, a Usage each period even without traffic" time_counts
zeros=RX.Bytes=0,RX.Dropped=0,RX.Errors=0,RX.Packets=0,TX.Bytes=0,TX.Dropped=0,TX.Errors=0,TX.Packets=0,Time=0
check "the first roaming dictionary has every key, all zero" bash -c "
	grep -m1 '^roaming $svc' '$LAB_DIR/client1.log' | grep -qx 'roaming $svc $zeros'"
check "later roaming dictionaries are empty" bash -c "
	grep '^roaming $svc' '$LAB_DIR/client1.log' | tail -n +2 | grep -vqx 'roaming $svc -' && exit 1
	[ \$(grep -c '^roaming $svc' '$LAB_DIR/client1.log') -ge 2 ]"
check "no Usage for the service that never connected" bash -c "! grep -q ' $idle ' '$LAB_DIR/client1.log'"
check_wait "the client left: connd dropped its agent and counter" 5 \
	grep -q ":[0-9.]* /client/agent left the bus" "$LAB_DIR/connd-dev.log"

lab_exec dev "$LAB_PY" "$LAB_REPO/tests/lab/counter-agent.py" 30 >"$LAB_DIR/client2.log" 2>&1 &
client=$!
lab_defer "kill $client"
check_wait "a second client registered" "$LAB_UP" grep -q registered "$LAB_DIR/client2.log"
check "connd stops cleanly" lab_connd_stop
check_wait "its agent and counter got Release()" 5 \
	bash -c "grep -q 'agent released' '$LAB_DIR/client2.log' && grep -q 'counter released' '$LAB_DIR/client2.log'"
lab_done
