#!/usr/bin/env bash
# IPv6 tethering over a delegated prefix (both halves of issue 13 together):
# the uplink's Kea delegates a /56, the bridge takes its /64 with subnet id 1
# and no NAT66 rule exists; a LAN client gets a global address from it by
# SLAAC (RA: the /64, RDNSS = the bridge), resolves through the bridge and
# fetches from the ISP, which sees the client's own address; the ISP cannot
# reach the client unsolicited, the device can. Failover to a second ISP
# with its own Kea and pool (another /40): the old /64 deprecated, the new
# one announced, the client reaches the second ISP from it. kill -9 and a
# restart: the same prefix rebound, nothing doubled, the client keeps working.
# Two Keas run at once, each in its ISP's namespace with its own pid, lock,
# lease and log files (lab_kea6).
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
command -v rdisc6 >/dev/null || { lab_log "needs rdisc6 (ndisc6)"; exit 77; }
lab_init
lab_ns isp; lab_ns dev; lab_ns lan
# The client's sysctls before its link exists, so eth0 inherits them.
lab_exec lan sysctl -qw net.ipv6.conf.default.accept_ra=1 net.ipv6.conf.default.autoconf=1
lab_link isp eth0 dev up0
lab_link dev lan0 lan eth0
lab_isp isp eth0 10.53.0.1/24 --ipv6=2001:db8:53::1/64 --ipv6-mode=pd
lab_dbus
lab_connd dev "up0,up1,lan*"
dev=$(lab_nsname dev)
lan=$(lab_nsname lan)
log="$LAB_DIR/connd-dev.log"
# The /64 with subnet id 1 of a delegated /56 ("2001:db8:ff00::/56").
subnet1() { "$LAB_PY" -c 'import ipaddress, sys
n = ipaddress.ip_network(sys.argv[1])
print(ipaddress.ip_network((int(n.network_address) + (1 << 64), 64)))' "$1"; }
# The prefix an uplink's connd log line names last.
delegated() { sed -n "s/.*$1: delegated prefix \([0-9a-f:]*::\/56\),.*/\1/p" "$log" | tail -n 1; }
client_addr() { lab_exec lan ip -6 -o addr show dev eth0 scope global -deprecated |
	grep -oE "inet6 $1[0-9a-f:]+" | head -n 1 | cut -d' ' -f2; }
rdisc() { lab_exec lan rdisc6 -1 -r 2 -w 1500 eth0 >"$LAB_DIR/rdisc6.out" 2>&1; cat "$LAB_DIR/rdisc6.out"; }
has_addr() { [ -n "$(client_addr "$1")" ]; }
# ra_prefix PREFIX REGEX: rdisc6's lines about PREFIX (up to the next
# prefix) match REGEX.
ra_prefix() { awk -v p="$1 " '/Prefix +:/ { on = index($0 " ", p) > 0 } on' "$LAB_DIR/rdisc6.out" |
	grep -qE "$2"; }

check_wait "the uplink is online" 20 service_state dev up0 online
check_wait "the uplink has its address from Kea" 15 bash -c \
	"lab_connmanctl services $(lab_service dev up0) | grep -qE 'IPv6 = \[ Method=auto, Address=2001:db8:53::1'"
check "the ISP routes its pd pool back to the device" lab_pd_route isp eth0 dev up0

# (1) Tethering on: a /64 of the delegation on the bridge, no NAT66.
start=$(date +%s%N)
check "connmanctl tether ethernet on" bash -c "! lab_connmanctl tether ethernet on 2>&1 | grep -q Error"
check_wait "connd logs the delegated prefix" 20 grep -qE 'up0: delegated prefix 2001:db8:ff[0-9a-f]*::/56' "$log"
pd1=$(delegated up0)
net1=$(subnet1 "$pd1")
bridge1=${net1%/64}1
in1=${net1%::/64}:
check "Kea's lease file has $pd1" grep -q "^${pd1%/56},.*,2,[0-9]*,56," "$LAB_DIR/kea-leases-isp-eth0.csv"
check_wait "lan0 joins the bridge" 30 bash -c "ip -n $dev link show lan0 | grep -q 'master tether'"
check_wait "the bridge has $bridge1/64 (subnet id 1 of $pd1)" 10 \
	bash -c "ip -n $dev -6 addr show dev tether | grep -q 'inet6 $bridge1/64'"
check "and no ULA" bash -c "! ip -n $dev -6 addr show dev tether | grep -q 'inet6 fd'"
check "no NAT66 rule: nothing masquerades IPv6" \
	bash -c "! ip netns exec $dev nft list ruleset | grep -qE 'ip6 saddr|meta nfproto ipv6.*masquerade'"

# (2) SLAAC from the delegated /64, the RA carries it and RDNSS = the bridge.
check_wait "the LAN client has a SLAAC address in $net1" 20 has_addr "$in1"
client1=$(client_addr "$in1")
check_wait "it fetches the ISP's page over IPv6" 10 \
	lab_exec lan curl -s -g -o /dev/null --max-time 2 "http://[2001:db8:53::1]/bytes/3001"
now=$(date +%s%N)
lab_log "MEASURE tether on -> LAN client has $client1 (from $pd1) and reaches the ISP over IPv6:" \
	"$(((now - start) / 1000000)) ms (from 'connmanctl tether ethernet on' to the client's" \
	"curl -g http://[2001:db8:53::1]/bytes/3001 succeeding; lan0 joins once its DHCP gives up)"
lab_wait 5 bash -c "ip -n $lan -6 addr show dev eth0 scope link -tentative | grep -q inet6"
lab_log "$(rdisc)"
check "the RA announces $net1" grep -qE "Prefix +: $net1\$" "$LAB_DIR/rdisc6.out"
check "its RDNSS is the bridge ($bridge1)" grep -qE "Recursive DNS server +: $bridge1\$" "$LAB_DIR/rdisc6.out"

# (3) No NAT: the ISP sees the client's own address; DNS through the bridge.
seen=$(grep 'bytes/3001' "$LAB_DIR/http6-isp-eth0.log" | awk '{ print $1 }' | head -n 1)
check "the ISP saw the client's own address ($seen = $client1)" test "$seen" = "$client1"
check "the client resolves isp.lab (AAAA) through the bridge" bash -c \
	"lab_exec lan dig -6 @$bridge1 +time=2 +tries=1 +short AAAA isp.lab | grep -qx 2001:db8:53::1"

# (4) Nothing unsolicited from the ISP, though it routes the prefix.
ip netns exec "$lan" "$LAB_PY" "$LAB_REPO/tests/lab/isp-http.py" --bind :: --port 8080 \
	>"$LAB_DIR/http-lan.log" 2>&1 &
lab_defer "kill $!"
check_wait "a server on the LAN client answers the device itself (control)" 5 \
	lab_exec dev curl -s -g -o /dev/null --max-time 1 "http://[$client1]:8080/plain"
check "the device pings it" lab_exec dev ping -6 -c 1 -W 2 "$client1"
check "the ISP cannot open a connection to it" \
	bash -c "! lab_exec isp curl -s -g -o /dev/null --max-time 2 'http://[$client1]:8080/plain'"
check "nor ping it" bash -c "! lab_exec isp ping -6 -c 1 -W 1 $client1 >/dev/null"

# (5) Failover to a second ISP with its own Kea and pool. It comes online
# after the first, so the first stays the uplink until its link goes.
lab_ns isp2
lab_link isp2 eth0 dev up1
LAB_PD_POOL=2001:db8:ee00::/40 lab_isp isp2 eth0 10.54.0.1/24 --ipv6=2001:db8:54::1/64 --ipv6-mode=pd
check_wait "the second uplink is online" 30 service_state dev up1 online
LAB_PD_POOL=2001:db8:ee00::/40 check "the second ISP routes its own pool back" lab_pd_route isp2 eth0 dev up1
check "no prefix asked for on it while the first is the uplink" \
	bash -c "! grep -q 'up1: delegated prefix' $log"
lab_exec isp ip link set eth0 down
check_wait "the first uplink's service is no longer connected" 15 service_state dev up0 'idle|failure|disconnect'
check_wait "the second uplink gets a prefix from its pool" 30 \
	grep -qE 'up1: delegated prefix 2001:db8:ee[0-9a-f]*::/56' "$log"
pd2=$(delegated up1)
net2=$(subnet1 "$pd2")
bridge2=${net2%/64}1
in2=${net2%::/64}:
check_wait "the bridge moves to $bridge2/64" 10 \
	bash -c "ip -n $dev -6 addr show dev tether | grep -q 'inet6 $bridge2/64'"
check "one global address on the bridge" \
	test "$(ip -n "$dev" -6 addr show dev tether scope global | grep -c inet6)" = 1
check "no route to $net1 left on the device" bash -c "! ip -n $dev -6 route show $net1 | grep -q ."
lab_log "$(rdisc)"
check "the RA announces $net2, preferred" ra_prefix "$net2" 'Pref\. time +: +[1-9]'
check "and $net1 deprecated (preferred lifetime 0)" ra_prefix "$net1" 'Pref\. time +: +0 '
check "its RDNSS is the bridge's new address" \
	grep -qE "Recursive DNS server +: $bridge2\$" "$LAB_DIR/rdisc6.out"
check_wait "the client gets an address in $net2" 20 has_addr "$in2"
client2=$(client_addr "$in2")
check_wait "its address in $net1 is deprecated" 5 \
	bash -c "ip -n $lan -6 addr show dev eth0 | grep -A1 'inet6 $client1/' | grep -q 'preferred_lft 0sec'"
check_wait "it reaches the second ISP from it" 15 \
	lab_exec lan curl -s -g -o /dev/null --max-time 2 "http://[2001:db8:54::1]/bytes/3002"
seen=$(grep 'bytes/3002' "$LAB_DIR/http6-isp2-eth0.log" | awk '{ print $1 }' | head -n 1)
check "the second ISP saw the client's new address ($seen = $client2)" test "$seen" = "$client2"

# (6) kill -9 while tethering over the second delegation, then a restart.
nft_before=$(ip netns exec "$dev" nft -s list ruleset)
kill -9 "$LAB_CONND_PID"
wait "$LAB_CONND_PID" 2>/dev/null
lab_connd dev "up0,up1,lan*"
check_wait "restarted: the second uplink online" 30 service_state dev up1 online
check_wait "the same prefix delegated again" 30 \
	bash -c "[ \$(grep -c 'up1: delegated prefix $pd2' $log) -ge 2 ]"
check "by rebinding the kept lease" grep -q 'up1: DHCPv6 .*; rebinding the kept lease' "$log"
check_wait "tethering comes back" 30 bash -c "ip -n $dev link show lan0 | grep -q 'master tether'"
check_wait "the bridge has $bridge2/64 again" 10 \
	bash -c "ip -n $dev -6 addr show dev tether | grep -q 'inet6 $bridge2/64'"
check "one global address on the bridge" \
	test "$(ip -n "$dev" -6 addr show dev tether scope global | grep -c inet6)" = 1
check "one prefix at the second ISP's Kea" test "$(awk -F, '$7 == 2 { print $1 }' \
	"$LAB_DIR/kea-leases-isp2-eth0.csv" | sort -u)" = "${pd2%/56}"
check "one route to $net2" test "$(ip -n "$dev" -6 route show "$net2" | grep -c .)" = 1
check "one tethering bridge" test "$(ip -n "$dev" -o link show type bridge | grep -c tether)" = 1
check "the ruleset is as before the kill -9" \
	test "$(ip netns exec "$dev" nft -s list ruleset)" = "$nft_before"
check "still no NAT66 rule" bash -c "! ip netns exec $dev nft list ruleset | grep -q 'ip6 saddr'"
check_wait "the client keeps working from $client2" 20 \
	lab_exec lan curl -s -g -o /dev/null --max-time 2 "http://[2001:db8:54::1]/bytes/3003"
check "connd stops cleanly" lab_connd_stop
lab_done
