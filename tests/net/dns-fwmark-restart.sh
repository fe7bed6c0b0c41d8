#!/usr/bin/env bash
# The DNS proxy turns net.ipv4.tcp_fwmark_accept on in connd's namespace and
# puts it back at exit: also when a connd was killed (-9) and the next one
# found it on. The value from before the first connd is kept in the global
# settings until a clean stop has put it back, and a clean stop takes it out.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
lab_isp isp eth0 10.37.0.1/24
lab_dbus
dev=$(lab_nsname dev)
settings="$LAB_DIR/state-dev/settings"
fwmark() { ip netns exec "$dev" cat /proc/sys/net/ipv4/tcp_fwmark_accept; }
export -f fwmark; export dev
check "tcp_fwmark_accept is off before connd" test "$(fwmark)" = 0

lab_connd dev up0
check_wait "on while the proxy runs" 5 bash -c '[ "$(fwmark)" = 1 ]'
check "what connd found is in the global settings" grep -sqx 'TCPFwmarkAcceptBefore=false' "$settings"
kill -9 "$LAB_CONND_PID"; wait "$LAB_CONND_PID" 2>/dev/null
check "kill -9 leaves it on" test "$(fwmark)" = 1

lab_connd dev up0
check_wait "the next connd is up" 10 lab_bus_has net.connman
check "it still knows the value from before the first connd" \
	grep -sqx 'TCPFwmarkAcceptBefore=false' "$settings"
check "connd stops cleanly" lab_connd_stop
check "after kill -9, restart and a clean stop: off as before the first connd" \
	test "$(fwmark)" = 0
check "a clean stop takes the key out of the settings" \
	bash -c "! grep -sq TCPFwmarkAcceptBefore '$settings'"

# Turned on by the admin: connd leaves it on, and records nothing.
ip netns exec "$dev" sysctl -qw net.ipv4.tcp_fwmark_accept=1
lab_connd dev up0
check "already on: no value recorded" bash -c "! grep -sq TCPFwmarkAcceptBefore '$settings'"
check "connd stops cleanly" lab_connd_stop
check "and it stays on" test "$(fwmark)" = 1
lab_teardown
lab_done
