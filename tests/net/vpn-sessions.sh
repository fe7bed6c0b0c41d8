#!/usr/bin/env bash
# `vpn` as a session bearer, with Debian's openvpn against a real server in
# the ISP's namespace: an application whose session allows only vpn is seen
# by the ISP's and the tunnel's web servers from the VPN's addresses (IPv4
# and IPv6), one on ethernet from the uplink's; the kill switch (the VPN's
# server killed, openvpn killed, the user's Disconnect): a capture on the
# uplink sees none of the vpn application's packets leave in clear, IPv4 or
# IPv6, and its traffic flows again when the VPN is back; per-application
# VPN by a policy file (a cgroup whose processes never asked); a root
# session on vpn does not capture the tunnel's own packets; the counters of
# a vpn session count what went through the tunnel; an IPv4-only VPN that
# carries the default route leaves IPv6 unreachable instead of leaking it
# onto the uplink. Run on both data paths (LAB_DATAPATH=nftables too).
. "$(dirname "$0")/../lab/lab.sh"
. "$(dirname "$0")/../lab/vpn.sh"
lab_require_root
lab_require_cgroup2
lab_vpn_init
chmod 755 "$LAB_DIR"
lab_link isp eth0 dev up0
lab_isp isp eth0 10.44.0.1/24 --ipv6=2001:db8:44::1/64
lab_vpn_certs || { fail "certificates"; lab_done; }
lab_openvpn_server isp 10.44.0.1 || { fail "the OpenVPN server starts"; cat "$LAB_DIR/openvpn-server.log" >&2; lab_done; }
# "The internet": 192.0.2.80 and 2001:db8:44::1 behind the ISP, reached
# through the tunnel (from the VPN's addresses) and straight over the uplink
# alike. (Not the VPN server's own 10.44.0.1: openvpn drops what its tun
# sends there, a routing loop to it.)
lab_exec isp ip addr add 192.0.2.80/32 dev lo
ip netns exec "$(lab_nsname isp)" "$LAB_PY" "$LAB_REPO/tests/lab/isp-http.py" \
	--bind 192.0.2.80 --port 80 >"$LAB_DIR/web.log" 2>&1 &
lab_defer "kill $!"
for a in 192.0.2.80 2001:db8:44::1; do
	ip netns exec "$(lab_nsname isp)" "$LAB_PY" "$LAB_REPO/tests/lab/udp-sink.py" "$a" 5001 \
		>>"$LAB_DIR/udp-isp.log" 2>&1 &
	lab_defer "kill $!"
done
mkdir -p "$LAB_DIR/policy"
lab_vpn_conf "LocaltimeFile = $LAB_DIR/localtime"
lab_dbus
lab_connd dev up0
dev=$(lab_nsname dev)
isp=$(lab_nsname isp)
api() { "$LAB_PY" "$LAB_REPO/tests/net/vpn_api.py" "$@"; }
export -f api; export LAB_PY LAB_REPO
check_wait "uplink online" 20 service_state dev up0 online
check_wait "the uplink has its IPv6 address" 20 \
	bash -c "ip -n $dev -6 addr show up0 scope global | grep -q 2001:db8:44:"
echo "data path: $(lab_datapath)"
up0=$(ip -n "$dev" -4 -o addr show up0 | awk '{print $4}' | cut -d/ -f1)
up06=$(ip -n "$dev" -6 -o addr show up0 scope global | awk '{print $4}' | cut -d/ -f1 | head -n 1)

pki="$LAB_DIR/pki"
vpn=$(api create Type=openvpn Name=lab Host=10.44.0.1 Domain=vpn.lab \
	OpenVPN.CACert="$pki/ca.crt" OpenVPN.Cert="$pki/client.crt" OpenVPN.Key="$pki/client.key")
check "Connect" api connect "$vpn"
vpn4() { ip -n "$dev" -4 -o addr show cvpn1 2>/dev/null | awk '{print $4}' | cut -d/ -f1; }
vpn6() { ip -n "$dev" -6 -o addr show cvpn1 scope global 2>/dev/null | awk '{print $4}' | cut -d/ -f1; }
check_wait "the tunnel has its IPv4 and IPv6 addresses" 10 bash -c "[ -n \"\$(ip -n $dev -6 -o addr show cvpn1 scope global)\" ]"
t4=$(vpn4); t6=$(vpn6)
echo "uplink $up0 $up06, tunnel $t4 $t6"

# V rides the VPN only, E ethernet only; both are ordinary users.
check "app V (uid 1) asks for vpn alone" lab_app V 1 - AllowedBearers=vpn
check "app E (uid 2) asks for ethernet alone" lab_app E 2 - AllowedBearers=ethernet
lab_expect "V rides on the VPN" V ok wait Bearer vpn
lab_expect "E rides on ethernet" E ok wait Bearer ethernet
lab_expect "V fetches the tunnel's page" V "ok 1111" tcp http://10.66.0.1:8080/bytes/1111
check "the tunnel's web server saw V from the VPN's address" \
	grep -q "^$t4 .*bytes/1111" "$LAB_DIR/http-vpn.log"
lab_expect "E cannot reach the tunnel's page (its traffic stays off the tunnel)" E error \
	tcp http://10.66.0.1:8080/bytes/2222 3
lab_expect "V fetches the ISP's page" V "ok 3333" tcp http://192.0.2.80/bytes/3333
check "the ISP's web server saw V from the VPN's address" \
	grep -q "^$t4 .*bytes/3333" "$LAB_DIR/web.log"
lab_expect "E fetches the ISP's page" E "ok 4444" tcp http://192.0.2.80/bytes/4444
check "the ISP's web server saw E from the uplink's address" \
	grep -q "^$up0 .*bytes/4444" "$LAB_DIR/web.log"
lab_expect "V fetches the ISP's page over IPv6" V "ok 5555" tcp "http://[2001:db8:44::1]/bytes/5555"
check "the ISP's IPv6 web server saw V from the VPN's IPv6 address" \
	grep -q "^$t6 .*bytes/5555" "$LAB_DIR/http6-isp-eth0.log"
lab_expect "E fetches the ISP's page over IPv6" E "ok 6666" tcp "http://[2001:db8:44::1]/bytes/6666"
check "the ISP's IPv6 web server saw E from the uplink's IPv6 address" \
	grep -q "^$up06 .*bytes/6666" "$LAB_DIR/http6-isp-eth0.log"

# The counters of V count what went through the tunnel, nothing else.
read -r rx0 tx0 <<<"$(lab_say V packets)"
read -r rb0 tb0 <<<"$(lab_say V stats)"
lab_expect "V sends 20 datagrams through the tunnel" V ok udp 192.0.2.80 5001 20
# The tunnel carries IP packets, no link header: each datagram is 20 + 8 +
# its 100 bytes.
read -r _ txu <<<"$(lab_say V packets)"
read -r _ tbu <<<"$(lab_say V stats)"
check "V's 20 datagrams count as 20 packets of 128 bytes ($((txu - tx0)), $((tbu - tb0)))" \
	test "$((txu - tx0)) $((tbu - tb0))" = "20 2560"
lab_expect "V downloads 100000 bytes through the tunnel" V "ok 100000" tcp http://192.0.2.80/bytes/100000
read -r rx1 tx1 <<<"$(lab_say V packets)"
read -r rb1 tb1 <<<"$(lab_say V stats)"
check_wait "the sink got V's 20 datagrams from the VPN's address" 5 \
	bash -c "[ \$(grep -c '^$t4 100\$' '$LAB_DIR/udp-isp.log') -ge 20 ]"
echo "V: +$((tx1 - tx0)) TX packets, +$((rb1 - rb0)) RX bytes"
check "V's TX packets count the datagrams and the download's segments ($((tx1 - tx0)))" \
	test $((tx1 - tx0)) -ge 21 -a $((tx1 - tx0)) -le 200
check "V's RX bytes are the download's, unencapsulated ($((rb1 - rb0)))" \
	test $((rb1 - rb0)) -ge 100000 -a $((rb1 - rb0)) -le 115000

# A capture on the uplink for the probes V sends while the VPN is down:
# UDP to port 5001, IPv4 and IPv6; the tunnel's own packets (UDP 1194) are
# not probes.
capture_start() {
	ip netns exec "$dev" tcpdump -Z root --immediate-mode -n -i up0 -w "$LAB_DIR/$1.pcap" -U \
		udp port 5001 >"$LAB_DIR/$1.tcpdump" 2>&1 &
	DUMP=$!
	lab_defer "kill $DUMP"
	lab_wait 5 grep -q listening "$LAB_DIR/$1.tcpdump"
}
capture_count() {
	sleep 1
	kill -INT "$DUMP"; wait "$DUMP" 2>/dev/null
	tcpdump -n -r "$LAB_DIR/$1.pcap" 2>/dev/null | wc -l
}
# probes WHAT: V's datagrams (v4 and v6, on new sockets) and a TCP fetch,
# none of which may leave in clear.
probes() {
	local n
	capture_start "$1"
	lab_say V udp 192.0.2.80 5001 5 >/dev/null
	lab_say V udp 2001:db8:44::1 5001 5 >/dev/null
	lab_expect "$1: V's fetch fails" V error tcp http://192.0.2.80/bytes/7777 3
	lab_expect "$1: V's IPv6 fetch fails" V error tcp "http://[2001:db8:44::1]/bytes/7778" 3
	n=$(capture_count "$1")
	check "$1: none of V's packets left by the uplink in clear ($n captured)" test "$n" = 0
	check "$1: the ISP's servers never saw V's fetches" \
		bash -c "! grep -q 'bytes/777' '$LAB_DIR/web.log' '$LAB_DIR/http6-isp-eth0.log'"
	lab_expect "$1: E still fetches over the uplink" E "ok 1234" tcp http://192.0.2.80/bytes/1234
}
v_fetch() { [[ $(lab_say V tcp "$1" 3) == ok* ]]; }
flows_again() {
	lab_expect "$1: V rides on the VPN again" V ok wait Bearer vpn 25
	check_wait "$1: V's traffic flows through the tunnel again" 60 \
		v_fetch http://10.66.0.1:8080/bytes/4321
	check_wait "$1: and over IPv6" 10 v_fetch "http://[2001:db8:44::1]/bytes/4322"
	check "$1: the ISP saw V's IPv6 from the VPN's address" \
		grep -q "^$t6 .*bytes/4322" "$LAB_DIR/http6-isp-eth0.log"
}
server_pid() {
	local p
	for p in $(ip netns pids "$isp"); do
		[ "$(cat /proc/"$p"/comm 2>/dev/null)" = openvpn ] && echo "$p"
	done
}
server_start() {
	ip netns exec "$isp" "$LAB_OPENVPN" --config "$LAB_DIR/openvpn-server.conf" \
		>>"$LAB_DIR/openvpn-server.log" 2>&1 &
	lab_defer "kill $!"
	lab_wait 10 bash -c "ip -n $isp addr show vtun0 2>/dev/null | grep -q 10.66.0.1"
}
client_pid() {
	local p
	for p in $(ps -o pid= --ppid "$LAB_CONND_PID"); do
		[ "$(cat /proc/"$p"/comm 2>/dev/null)" = openvpn ] && echo "$p"
	done
}

# 1. The server dies: openvpn keeps the tun while it tries again, and
# whatever V sends stays inside the tunnel.
read -r rx0 tx0 <<<"$(lab_say V packets)"
sp=$(server_pid)
check "the VPN's server is found ($sp)" test -n "$sp"
kill -9 $sp
check_wait "the server's tun is gone" 5 bash -c "! ip -n $isp link show vtun0"
probes "server killed"
check "server killed: start the server again" server_start
flows_again "server back"

# 2. openvpn dies: the VPN fails; V's session has no service, its traffic
# is unreachable. Its counters do not count what was blocked.
cp=$(client_pid)
check "connd's openvpn is found ($cp)" test -n "$cp"
kill -9 $cp
check_wait "the VPN fails" 10 bash -c "[ \"\$(api prop $vpn State)\" = failure ]"
lab_expect "V has no service" V ok wait State disconnected
read -r rx0 tx0 <<<"$(lab_say V packets)"
probes "openvpn killed"
read -r rx1 tx1 <<<"$(lab_say V packets)"
check "openvpn killed: V's TX counter did not count blocked packets (+$((tx1 - tx0)))" \
	test "$tx1" = "$tx0"
check "openvpn killed: Connect" api connect "$vpn"
flows_again "openvpn back"

# 3. The user disconnects.
check "Disconnect" api disconnect "$vpn"
lab_expect "V has no service" V ok wait State disconnected
probes "disconnected"
check "connected again" api connect "$vpn"
flows_again "reconnected"

# A root application on vpn, recognised by uid 0: connd's openvpn is root
# too, but its packets carry connd's own mark and keep their way.
check "app R (root) asks for vpn alone" lab_app R 0 - AllowedBearers=vpn
check "Disconnect with R's session up" api disconnect "$vpn"
check "Connect with R's session up (openvpn reaches its server)" api connect "$vpn"
lab_expect "R rides on the VPN" R ok wait Bearer vpn
lab_expect "R fetches the tunnel's page" R "ok 2468" tcp http://10.66.0.1:8080/bytes/2468 10
lab_say R quit >/dev/null
wait "${LAB_APP_PID[R]}" 2>/dev/null

# Per-application VPN by policy: root starts a helper in a cgroup whose
# policy allows only vpn; any process of that cgroup, which never asked
# for a session, goes through the tunnel, even with SplitRouting on (the
# session's table carries everything); outside, the uplink.
group="${LAB_CGROUP#"$mnt"/}"
group="${group:+$group/}vpnapps-$LAB"
mkdir "$mnt/$group"
lab_defer "rmdir '$mnt/$group'"
printf '[policy_vpnapps]\ncgroup = /%s\nAllowedBearers = vpn\n' "$group" >"$LAB_DIR/policy/vpn.policy"
check_wait "connd read the policy" 5 grep -q "session policies reloaded: 1" "$LAB_DIR/connd-dev.log"
check "SplitRouting true" api set "$vpn" SplitRouting true
check_wait "the uplink is the default service" 10 bash -c "lab_connmanctl services | head -1 | grep -q ethernet_"
check "a root helper in the cgroup holds a session" lab_app P 0 "$mnt/$group"
lab_expect "the policy puts it on the VPN" P ok wait Bearer vpn
in_group() {
	sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$mnt/$group" \
		nsenter --net="/run/netns/$dev" "$@"
}
check "curl in that cgroup (no session of its own) fetches the ISP's page" \
	in_group curl -s -o /dev/null -m 5 http://192.0.2.80/bytes/8888
check "the ISP saw it from the VPN's address" grep -q "^$t4 .*bytes/8888" "$LAB_DIR/web.log"
check "curl outside the cgroup goes by the uplink" \
	bash -c "nsenter --net=/run/netns/$dev curl -s -o /dev/null -m 5 http://192.0.2.80/bytes/9999 &&
		 grep -q '^$up0 .*bytes/9999' '$LAB_DIR/web.log'"
lab_say P quit >/dev/null
check "SplitRouting false" api set "$vpn" SplitRouting false

# An IPv4-only VPN carrying the default route: IPv6 would leave by the
# uplink beside it. It is unreachable instead, and comes back when the VPN
# no longer carries the default.
check "Disconnect" api disconnect "$vpn"
kill -9 $(server_pid)
check_wait "the server stopped" 5 bash -c "! ip -n $isp link show vtun0"
sed -i '/^server-ipv6/d' "$LAB_DIR/openvpn-server.conf"
check "an IPv4-only server starts" server_start
check "Connect to it" api connect "$vpn"
check "the tunnel has no IPv6 address" bash -c "[ -z \"\$(ip -n $dev -6 -o addr show cvpn1 scope global)\" ]"
check_wait "the VPN is the default service" 10 bash -c "lab_connmanctl services | head -1 | grep -q vpn_"
six() { nsenter --net="/run/netns/$dev" curl -s -o /dev/null -m 3 "http://[2001:db8:44::1]/bytes/$1"; }
not() { ! "$@"; }
capture_start leak6
check "IPv6 is unreachable while the IPv4-only VPN is the default" not six 1357
check "a datagram to an IPv6 address is refused" \
	bash -c "! nsenter --net=/run/netns/$dev $LAB_PY -c \"import socket; s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s.sendto(b'x', ('2001:db8:44::1', 5001))\" 2>/dev/null"
n=$(capture_count leak6)
check "nothing left by the uplink over IPv6 ($n captured)" test "$n" = 0
check "the ISP never saw it" bash -c "! grep -q bytes/1357 '$LAB_DIR/http6-isp-eth0.log'"
check "IPv4 goes through the tunnel" \
	nsenter --net="/run/netns/$dev" curl -s -o /dev/null -m 5 http://10.66.0.1:8080/bytes/2
# On the nftables path a socket's first route lookup has no mark yet, so
# there E's IPv6 meets the unreachable default too (doc/vpn-api.md).
[ "$(lab_datapath)" = bpf ] &&
	lab_expect "E's IPv6 still uses the uplink (its session asked for ethernet)" E "ok 2469" \
		tcp "http://[2001:db8:44::1]/bytes/2469"
check "SplitRouting true" api set "$vpn" SplitRouting true
check_wait "a split VPN leaves IPv6 to the uplink" 10 six 1358
check "SplitRouting false" api set "$vpn" SplitRouting false
check_wait "IPv6 unreachable again" 10 not six 1359
check "Disconnect" api disconnect "$vpn"
check_wait "without the VPN IPv6 flows by the uplink" 10 six 1360
lab_say V quit >/dev/null; lab_say E quit >/dev/null
check "connd stops cleanly" lab_connd_stop
lab_done
