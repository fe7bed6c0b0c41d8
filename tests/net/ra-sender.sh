#!/usr/bin/env bash
# connd's router advertisement sender (src/ra-sender.c, through
# tests/net/ra-probe) on a bridge, against the kernel's own SLAAC in a client
# namespace and rdisc6: it waits for the bridge's link-local address, then
# the client gets an address in the prefix, a default route via the sender
# and the link MTU; rdisc6's solicitation is answered at once with RDNSS and
# DNSSL, one from :: by a multicast RA; solicitations with a hop limit other
# than 255 or a zero-length option are ignored; an update is sent at once;
# stop withdraws it all, in three final RAs.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
command -v rdisc6 >/dev/null || { lab_log "needs rdisc6 (ndisc6)"; exit 77; }
lab_init
lab_ns rtr
lab_ns host
# The client's own sysctls, set before its link exists so eth0 inherits them.
lab_exec host sysctl -qw net.ipv6.conf.default.accept_ra=2 net.ipv6.conf.default.autoconf=1
# A router, as tethering makes it (it sends no solicitations of its own);
# three DAD probes a second apart: time to see that nothing goes out before.
lab_exec rtr sysctl -qw net.ipv6.conf.all.forwarding=1 net.ipv6.conf.default.dad_transmits=3
lab_exec rtr ip link add tether type bridge
lab_exec rtr ip link set tether up

probe="${BUILD:-$LAB_REPO/build}/tests/net/ra-probe"
# Not through lab_exec: $! must be the probe itself, for the signals below.
ip netns exec "$(lab_nsname rtr)" "$probe" tether 2001:db8:77:1:: 2001:db8:77:1::1 tether.lan 2001:db8:77:2:: \
	>"$LAB_DIR/probe.log" 2>&1 &
pid=$!
lab_defer "kill $pid"
sleep 1
check "the bridge's link-local address is tentative (DAD)" bash -c \
	"ip -n $(lab_nsname rtr) -6 addr show dev tether scope link tentative | grep -q inet6"
check "nothing is sent meanwhile" bash -c "kill -0 $pid && ! grep -q SENDING '$LAB_DIR/probe.log'"

lab_link host eth0 rtr lan0
lab_exec rtr ip link set lan0 master tether
check_wait "sending once the bridge's link-local address passed DAD" 10 \
	grep -q SENDING "$LAB_DIR/probe.log"
rtr_ll=$(lab_exec rtr ip -6 addr show dev tether scope link | awk '/inet6/ { sub("/.*", "", $2); print $2 }')

has_addr() { lab_exec host ip -6 addr show dev eth0 scope global | grep -q "inet6 $1"; }
check_wait "the client has a SLAAC address in 2001:db8:77:1::/64" 10 has_addr 2001:db8:77:1:
check_wait "the client's default route is via the sender's link-local $rtr_ll" 5 \
	bash -c "ip -n $(lab_nsname host) -6 route show default | grep -q 'via $rtr_ll dev eth0'"
check "the client's link MTU is the advertised 1400" \
	test "$(lab_exec host cat /proc/sys/net/ipv6/conf/eth0/mtu)" = 1400

# Intervals are 30..40 s after the initial RAs (16 s apart): only the
# update itself can bring the second prefix within 2 s.
kill -USR1 $pid
check_wait "an update is sent at once: an address in 2001:db8:77:2::/64" 2 has_addr 2001:db8:77:2:
check "the update was accepted" grep -q "UPDATED 0" "$LAB_DIR/probe.log"

# Solicitations come from the client's link-local address: once it passed DAD.
lab_wait 5 bash -c "ip -n $(lab_nsname host) -6 addr show dev eth0 scope link -tentative | grep -q inet6"
ra="$LAB_DIR/rdisc6.out"
start=$(date +%s%N)
lab_exec host rdisc6 -1 -r 1 -w 1500 eth0 >"$ra" 2>&1
ms=$((($(date +%s%N) - start) / 1000000))
lab_log "$(cat "$ra")"
check "rdisc6's solicitation answered (${ms} ms)" grep -q "from $rtr_ll" "$ra"
check "within the 500 ms RFC 4861 allows, and a margin" test "$ms" -lt 1000
check "RDNSS 2001:db8:77:1::1 announced" grep -qE 'Recursive DNS server +: 2001:db8:77:1::1' "$ra"
check "DNSSL tether.lan announced" grep -qE 'DNS search list +: tether.lan' "$ra"
check "the first prefix announced" grep -qE 'Prefix +: 2001:db8:77:1::/64' "$ra"
check "the second prefix announced" grep -qE 'Prefix +: 2001:db8:77:2::/64' "$ra"
check "router lifetime 1800 s" grep -qE 'Router lifetime +: +1800 ' "$ra"
check "hop limit 64" grep -qE 'Hop limit +: +64 ' "$ra"
check "MTU 1400" grep -qE 'MTU +: +1400 ' "$ra"
check "the source link-layer address is the bridge's" grep -qi \
	"Source link-layer address: $(lab_exec rtr cat /sys/class/net/tether/address)" "$ra"

solicit="$(dirname "$0")/ra_solicit.py"
check "a well-formed solicitation with hop limit 255 is answered (control)" \
	grep -q ANSWERED <<<"$(lab_exec host python3 "$solicit" eth0 "$rtr_ll" 255 good)"
check "a solicitation from :: is answered by a multicast RA" \
	grep -q ANSWERED <<<"$(lab_exec host python3 "$solicit" eth0 "$rtr_ll" 255 unspecified)"
check "a solicitation with hop limit 64 is ignored" \
	grep -q SILENT <<<"$(lab_exec host python3 "$solicit" eth0 "$rtr_ll" 64 good)"
check "a solicitation with a zero-length option is ignored" \
	grep -q SILENT <<<"$(lab_exec host python3 "$solicit" eth0 "$rtr_ll" 255 zero-option)"

ip netns exec "$(lab_nsname host)" tcpdump --immediate-mode -U -ni eth0 -w "$LAB_DIR/final.pcap" \
	'icmp6 and ip6[40] == 134' 2>"$LAB_DIR/final-tcpdump.log" &
tcpd=$!
lab_defer "kill $tcpd 2>/dev/null"
# Capturing before the stop (CI saw none of the three when it did not wait).
lab_wait 10 grep -q listening "$LAB_DIR/final-tcpdump.log"
kill -TERM $pid
check_wait "stop sends the withdrawal and exits" 5 grep -q STOPPED "$LAB_DIR/probe.log"
sleep 0.5
kill $tcpd
wait $tcpd
finals=$(tcpdump -nr "$LAB_DIR/final.pcap" -v 2>/dev/null | grep -c 'router lifetime 0s')
check "three final RAs (RFC 4861 6.2.5's MAX_FINAL_RTR_ADVERTISEMENTS): $finals" test "$finals" = 3
check_wait "the client's default route goes (router lifetime 0)" 3 \
	bash -c "! ip -n $(lab_nsname host) -6 route show default | grep -q ."
check_wait "the prefix's on-link route goes (valid lifetime 0)" 3 \
	bash -c "! ip -n $(lab_nsname host) -6 route show 2001:db8:77:1::/64 | grep -q ."
addr=$(lab_exec host ip -6 addr show dev eth0 scope global | grep -A1 'inet6 2001:db8:77:1:')
lab_log "$addr"
check "the address is deprecated (preferred lifetime 0)" grep -q 'preferred_lft 0sec' <<<"$addr"
# RFC 4862, 5.5.3 e: a host keeps two hours of the 86400 s announced.
valid=$(grep -o 'valid_lft [0-9]*' <<<"$addr" | awk '{ print $2 }')
check "its valid lifetime dropped from 86400 s to at most 7200 s ($valid)" \
	test -n "$valid" -a "${valid:-99999}" -le 7200
lab_done
