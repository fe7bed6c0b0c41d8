#!/usr/bin/env bash
# A session's IPv6 follows its bearer as its IPv4 does: two ISPs advertising
# IPv6; an application whose session allows only up1 sends UDP over IPv6 and
# it leaves through up1 from up1's SLAAC address, which its Update tells;
# another one rides on up0.
# Its bearer down → its IPv6 is unreachable (nothing leaks to ISP 1); the
# per-slot IPv6 routes go with the service and nothing is left after a stop.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_two_isps --ipv6
has_v6() { lab_connmanctl services "$(lab_service dev "$1")" | grep -q "IPv6 = \[ Method=auto, Address=2001:db8:$2:"; }
export -f has_v6
check_wait "both uplinks online" 20 bash -c "service_state dev up0 online && service_state dev up1 online"
check_wait "both have IPv6 by SLAAC" 20 bash -c "has_v6 up0 411 && has_v6 up1 412"
count() { grep -c "^$2" "$LAB_DIR/udp6-$1.log" 2>/dev/null || true; }

check "app A (uid 1) creates a session limited to up1" lab_app A 1 - AllowedInterface=up1
check "app B (uid 2) creates a session with any bearer" lab_app B 2 -
lab_expect "A rides on up1" A ok wait Interface up1
lab_expect "B rides on up0" B ok wait Interface up0
# ConnMan's Update carries the service's IPv6 as its IPv4: up1's SLAAC address.
v6=$(lab_say A get IPv6)
check "A's Update tells up1's IPv6 (got: $v6)" grep -Eq \
	'^Address=2001:db8:412:[0-9a-f:]+,Gateway=fe80::[0-9a-f:]+,Method=auto,PrefixLength=64,Privacy=disabled$' \
	<<<"$v6"
check_wait "up1's session table has its IPv6 default route" 10 \
	bash -c "ip -n $dev -6 route show table all proto 196 | grep -q '^default via fe80::.* dev up1'"

lab_expect "A's IPv6 datagrams leave" A ok udp 2001:db8:ffff::80 5000 3
check_wait "they arrive at ISP 2 from up1's SLAAC address" 5 \
	bash -c "[ \$(grep -c '^2001:db8:412:' '$LAB_DIR/udp6-isp2.log') -ge 3 ]"
check "and none at ISP 1" test "$(count isp1 2001:db8:)" = 0
lab_expect "B's IPv6 datagrams leave" B ok udp 2001:db8:ffff::80 5000 2
check_wait "they arrive at ISP 1 from up0's address" 5 \
	bash -c "[ \$(grep -c '^2001:db8:411:' '$LAB_DIR/udp6-isp1.log') -ge 2 ]"

lab_exec isp2 ip link set eth0 down
sleep 2; lab_expect "A is told its bearer is gone" A ok wait State disconnected
before1=$(count isp1 2001:db8:)
lab_expect "A's IPv6 is unreachable now" A error udp 2001:db8:ffff::80 5000 3
sleep 1
check "nothing of A's leaked to ISP 1 over IPv6" test "$(count isp1 2001:db8:)" = "$before1"
lab_exec isp2 ip link set eth0 up
lab_expect "A is back on up1" A ok wait State online
check_wait "and up1 has IPv6 again" 20 has_v6 up1 412
lab_expect "A's IPv6 datagrams leave through up1 again" A ok udp 2001:db8:ffff::80 5000 1
check_wait "and arrive at ISP 2" 5 bash -c "[ \$(grep -c '^2001:db8:412:' '$LAB_DIR/udp6-isp2.log') -ge 4 ]"

# SourceIPRule: a socket bound to up1's IPv6 address (root's: no session
# marks it) takes up1's IPv6 table, not the main table's defaults.
up1_v6=$(lab_connmanctl services "$(lab_service dev up1)" | sed -n 's/^  IPv6 = .*Address=\([^,]*\),.*/\1/p')
send_from() { ip netns exec "$dev" "$LAB_PY" -c "import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s.bind((sys.argv[1], 0))
for _ in range(3): s.sendto(b'x' * 20, ('2001:db8:ffff::80', 5000))" "$1"; }
export -f send_from; export up1_v6
lab_expect "A turns SourceIPRule on" A ok change SourceIPRule true
check_wait "a 'from up1's IPv6 address' rule sends bound sockets to up1's IPv6 table" 5 \
	bash -c "ip -n $dev -6 rule show | grep -qE '^8900:\s+from $up1_v6 lookup [0-9]+ proto 196'"
check "the route from that address is up1's table's" \
	bash -c "ip -n $dev -6 route get 2001:db8:ffff::80 from $up1_v6 | grep -qE 'dev up1 table [0-9]+'"
before2=$(grep -c "^$up1_v6 " "$LAB_DIR/udp6-isp2.log" || true)
check "a socket bound to it sends" send_from "$up1_v6"
check_wait "and its datagrams arrive at ISP 2" 5 \
	bash -c "[ \$(grep -c '^$up1_v6 ' '$LAB_DIR/udp6-isp2.log') -ge $((before2 + 3)) ]"
lab_expect "A turns SourceIPRule off" A ok change SourceIPRule false
check_wait "the IPv6 rule is gone" 5 bash -c "! ip -n $dev -6 rule show | grep -q 'from $up1_v6'"

rules6() { ip -n "$dev" -6 rule show | grep -c 'proto 196'; }
routes6() { ip -n "$dev" -6 route show table all proto 196 | sort; }
export -f rules6 routes6; export dev
rules_before=$(rules6); routes_before=$(routes6)
kill -9 "$LAB_CONND_PID"; wait "$LAB_CONND_PID" 2>/dev/null
lab_connd dev up0,up1
check_wait "restarted after kill -9: both online with IPv6" 30 \
	bash -c "service_state dev up0 online && service_state dev up1 online && has_v6 up0 411 && has_v6 up1 412"
check_wait "the same IPv6 rules and routes, none doubled" 10 \
	bash -c "[ \"\$(rules6)\" = '$rules_before' ] && [ \"\$(routes6)\" = \"\$1\" ]" _ "$routes_before"
check "connd stops cleanly" lab_connd_stop
check "no IPv6 route or rule of connd's is left" \
	bash -c "[ -z \"\$(ip -n $dev -6 route show table all proto 196; ip -n $dev -6 rule show | grep 'proto 196')\" ]"
lab_done
