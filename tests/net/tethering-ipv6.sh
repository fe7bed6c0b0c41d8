#!/usr/bin/env bash
# IPv6 for tethered clients, without a delegated prefix (the fallback): the
# bridge takes a unique local /64 and connd announces it (RA: prefix, RDNSS
# = the bridge, DNSSL, MTU); a LAN client gets an address by the kernel's
# SLAAC, resolves through connd's DNS proxy over IPv6, asks the stateless
# DHCPv6 server (ISC dhclient -6 -S) for its nameserver, fetches a page from
# the ISP over IPv6 through NAT66 (the ISP sees the uplink's address) and
# cannot be reached from the ISP. The uplink goes: router lifetime 0. kill -9
# and restart: the same /64, nothing doubled. Off: the prefix withdrawn,
# forwarding as before, no address or rule left.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
command -v rdisc6 >/dev/null || { lab_log "needs rdisc6 (ndisc6)"; exit 77; }
lab_init
lab_ns isp; lab_ns dev; lab_ns lan
# The client's own sysctls, set before its link exists so eth0 inherits them;
# ra_honor_pio_life (kernel 6.9+) lets it honour a short valid lifetime.
lab_exec lan sysctl -qw net.ipv6.conf.default.accept_ra=1 net.ipv6.conf.default.autoconf=1
lab_exec lan sysctl -qw net.ipv6.conf.default.ra_honor_pio_life=1 2>/dev/null
lab_link isp eth0 dev up0
lab_link dev lan0 lan eth0
lab_isp isp eth0 10.61.0.1/24 --ipv6=2001:db8:61::1/64
lab_dbus
lab_connd dev "up0,lan*"
dev=$(lab_nsname dev)
lan=$(lab_nsname lan)
check_wait "the uplink is online" 20 service_state dev up0 online
check_wait "the uplink has IPv6 with a router" 20 bash -c \
	"lab_connmanctl services $(lab_service dev up0) | grep -qE 'IPv6 = \[.*Address=2001:db8:61:.*Gateway=fe80'"
fwd6_before=$(lab_exec dev cat /proc/sys/net/ipv6/conf/all/forwarding)
up_accept_ra=$(lab_exec dev cat /proc/sys/net/ipv6/conf/up0/accept_ra)

start=$(date +%s%N)
check "connmanctl tether ethernet on" bash -c "! lab_connmanctl tether ethernet on 2>&1 | grep -q Error"
check_wait "lan0 joins the bridge" 30 bash -c "ip -n $dev link show lan0 | grep -q 'master tether'"
ula_re='fd[0-9a-f]{2}:[0-9a-f]{1,4}:[0-9a-f]{1,4}::1/64'
check "the bridge has a ULA /64's ::1" bash -c "ip -n $dev -6 addr show dev tether | grep -qE 'inet6 $ula_re'"
bridge6=$(ip -n "$dev" -6 -o addr show dev tether | grep -oE "$ula_re" | head -n 1 | cut -d/ -f1)
prefix=${bridge6%1}		# fdXX:XXXX:XXXX::
in_prefix="${prefix%::}:0:"	# how ip shows an address in it
check "IPv6 forwarding is on" test "$(lab_exec dev cat /proc/sys/net/ipv6/conf/all/forwarding)" = 1
check "the uplink still accepts RAs with forwarding on (accept_ra $up_accept_ra = 2)" \
	test "$up_accept_ra" = 2
check "the uplink keeps its IPv6 default route" \
	bash -c "ip -n $dev -6 route show default | grep -q 'dev up0'"

joined=$(date +%s%N)
has_addr() { lab_exec lan ip -6 addr show dev eth0 scope global | grep -q "inet6 $in_prefix"; }
check_wait "the LAN client has a SLAAC address in ${prefix}/64" 20 has_addr
client6=$(lab_exec lan ip -6 -o addr show dev eth0 scope global | grep -oE "inet6 $in_prefix[0-9a-f:]+" | head -n 1 | cut -d' ' -f2)
check_wait "its default route is via the bridge" 5 \
	bash -c "ip -n $lan -6 route show default | grep -q 'dev eth0'"
check_wait "it fetches the ISP's page over IPv6" 10 \
	lab_exec lan curl -s -g -o /dev/null --max-time 2 "http://[2001:db8:61::1]/bytes/2066"
now=$(date +%s%N)
lab_log "MEASURE tether on -> LAN client has ${client6} and reaches the ISP over IPv6:" \
	"$(((now - start) / 1000000)) ms after 'tether on'," \
	"$(((now - joined) / 1000000)) ms after lan0 joined the bridge (its DHCP gave up first)"
uplinks6=$(ip -n "$dev" -6 -o addr show dev up0 scope global | awk '{ sub("/.*", "", $4); print $4 }')
seen=$(grep 'bytes/2066' "$LAB_DIR/http6-isp-eth0.log" | awk '{ print $1 }' | head -n 1)
check "the ISP saw the uplink's address ($seen), not the LAN's (NAT66)" \
	bash -c "grep -qxF '$seen' <<<'$uplinks6'"

ra="$LAB_DIR/rdisc6.out"
lab_wait 5 bash -c "ip -n $lan -6 addr show dev eth0 scope link -tentative | grep -q inet6"
lab_exec lan rdisc6 -1 -r 2 -w 1500 eth0 >"$ra" 2>&1
lab_log "$(cat "$ra")"
check "the RA announces ${prefix}/64" grep -qE "Prefix +: ${prefix}/64" "$ra"
check "its RDNSS is the bridge ($bridge6)" grep -qE "Recursive DNS server +: $bridge6\$" "$ra"
check "its DNSSL has the uplink's domain isp.lab" grep -qE 'DNS search list +:.* isp\.lab' "$ra"
check "router lifetime 1800 s" grep -qE 'Router lifetime +: +1800 ' "$ra"
check "MTU 1500" grep -qE 'MTU +: +1500 ' "$ra"
check "O flag: other settings by DHCPv6" grep -qE 'Stateful other conf\. +: +Yes' "$ra"

check "it resolves isp.lab (AAAA) through the bridge over IPv6" bash -c \
	"lab_exec lan dig -6 @$bridge6 +time=2 +tries=1 +short AAAA isp.lab | grep -qx 2001:db8:61::1"
check "connd's DNS proxy listens on the bridge's IPv6 address" \
	grep -q "dnsproxy: listening on $bridge6 port 53 of tether" "$LAB_DIR/connd-dev.log"

cat >"$LAB_DIR/dhclient6.script" <<'S'
#!/bin/sh
echo "REASON=$reason DNS=$new_dhcp6_name_servers DOMAINS=$new_dhcp6_domain_search"
exit 0
S
chmod +x "$LAB_DIR/dhclient6.script"
lab_defer "[ -s '$LAB_DIR/dhclient6.pid' ] && kill \$(cat '$LAB_DIR/dhclient6.pid') 2>/dev/null"
out=$(lab_exec lan timeout 15 dhclient -6 -S -1 -v -sf "$LAB_DIR/dhclient6.script" \
	-pf "$LAB_DIR/dhclient6.pid" -lf "$LAB_DIR/dhclient6.leases" eth0 2>&1)
lab_log "$out"
check "a stateless DHCPv6 Information-request (dhclient -6 -S) gets the bridge as DNS" \
	grep -qE "DNS=$bridge6( |\$)" <<<"$out"
check "and the uplink's domains" grep -qE 'DOMAINS=.*isp\.lab' <<<"$out"

# Unsolicited traffic from the ISP: even with a route to the ULA, nothing gets in.
lab_exec isp ip -6 route add "${prefix}/64" via "$(echo "$uplinks6" | head -n 1)"
ip netns exec "$lan" "$LAB_PY" "$LAB_REPO/tests/lab/isp-http.py" --bind :: --port 8080 \
	>"$LAB_DIR/http-lan.log" 2>&1 &
lab_defer "kill $!"
check_wait "a server runs on the LAN client, reachable from the device itself (control)" 5 \
	lab_exec dev curl -s -g -o /dev/null --max-time 1 "http://[$client6]:8080/plain"
check "the ISP cannot open a connection into the LAN over IPv6" \
	bash -c "! lab_exec isp curl -s -g -o /dev/null --max-time 2 'http://[$client6]:8080/plain'"
check "nor ping it" bash -c "! lab_exec isp ping -6 -c 1 -W 1 $client6 >/dev/null"

# A second LAN link, long after the first RAs: its host solicited while
# the link was still outside the bridge (it joins once its DHCP gives up),
# so only an RA sent when the link joins tells it at once.
lab_ns lan2
lab_exec lan2 sysctl -qw net.ipv6.conf.default.accept_ra=1 net.ipv6.conf.default.autoconf=1
lab_link dev lan1 lan2 eth0
check_wait "lan1 joins the bridge" 40 bash -c "ip -n $dev link show lan1 | grep -q 'master tether'"
check_wait "its client has an address in ${prefix}/64 within 5 s (an RA when a link joins)" 5 \
	bash -c "ip -n $(lab_nsname lan2) -6 addr show dev eth0 scope global | grep -q 'inet6 $in_prefix'"

# The uplink goes: connd stays the LAN's resolver but is no router for it.
lab_exec isp ip link set eth0 down
check_wait "the uplink's service is no longer connected" 10 service_state dev up0 'idle|failure|disconnect'
check_wait "the client's default route goes (router lifetime 0)" 10 \
	bash -c "! ip -n $lan -6 route show default | grep -q ."
lab_exec lan rdisc6 -1 -r 2 -w 1500 eth0 >"$ra" 2>&1
check "an RA now says router lifetime 0" grep -qE 'Router lifetime +: +0 ' "$ra"
check "and still announces ${prefix}/64" grep -qE "Prefix +: ${prefix}/64" "$ra"
lab_exec isp ip link set eth0 up
check_wait "the uplink is back online" 30 service_state dev up0 online
check_wait "the client's default route comes back" 30 \
	bash -c "ip -n $lan -6 route show default | grep -q 'dev eth0'"

# kill -9 while tethering IPv6, then a restart: the same /64, nothing doubled.
kill -9 "$LAB_CONND_PID"
wait "$LAB_CONND_PID" 2>/dev/null
lab_connd dev "up0,lan*"
check_wait "tethering comes back after kill -9" 30 bash -c "ip -n $dev link show lan0 | grep -q 'master tether'"
check_wait "the bridge has the same ULA /64 again" 10 \
	bash -c "ip -n $dev -6 addr show dev tether | grep -q 'inet6 $bridge6/64'"
check "one ULA address on the bridge" \
	test "$(ip -n "$dev" -6 addr show dev tether | grep -cE "inet6 fd")" = 1
check "one NAT66 rule" test "$(ip netns exec "$dev" nft list ruleset | grep -c 'ip6 saddr')" = 1
check "its link-local address is fe80::1 again: the client's router stays the same" \
	bash -c "ip -n $dev -6 addr show dev tether scope link | grep -q 'inet6 fe80::1/64' &&
		[ \$(ip -n $dev -6 addr show dev tether scope link | grep -c inet6) = 1 ]"
check "one tethering bridge" test "$(ip -n "$dev" -o link show type bridge | grep -c tether)" = 1
check_wait "the client still reaches the ISP over IPv6" 20 \
	lab_exec lan curl -s -g -o /dev/null --max-time 2 "http://[2001:db8:61::1]/bytes/2067"

ip netns exec "$lan" tcpdump -ni eth0 -w "$LAB_DIR/lan.pcap" icmp6 2>/dev/null &
tcpd=$!
lab_defer "kill $tcpd 2>/dev/null"
sleep 1
check "connmanctl tether ethernet off" bash -c "! lab_connmanctl tether ethernet off 2>&1 | grep -q Error"
check_wait "the client's default route goes (final RA)" 5 \
	bash -c "! ip -n $lan -6 route show default | grep -q ."
check_wait "the prefix's on-link route goes (withdrawn)" 5 \
	bash -c "! ip -n $lan -6 route show ${prefix}/64 | grep -q ."
sleep 1
kill $tcpd
wait $tcpd
finals=$(tcpdump -nr "$LAB_DIR/lan.pcap" -v 'icmp6 and ip6[40] == 134' 2>/dev/null | grep -c 'router lifetime 0s')
check "three final RAs with router lifetime 0 ($finals)" test "$finals" = 3
addr=$(lab_exec lan ip -6 addr show dev eth0 scope global | grep -A1 "inet6 $in_prefix")
lab_log "$addr"
# With ra_honor_pio_life the valid lifetime 0 removes it; without, it is deprecated.
check "the client's address is gone or deprecated" \
	bash -c "[ -z \"\$1\" ] || grep -q 'preferred_lft 0sec' <<<\"\$1\"" _ "$addr"
check "IPv6 forwarding is back to $fwd6_before (from before the kill -9)" \
	test "$(lab_exec dev cat /proc/sys/net/ipv6/conf/all/forwarding)" = "$fwd6_before"
check "no ULA address is left on the device" bash -c "! ip -n $dev -6 addr | grep -q 'inet6 fd'"
check "no NAT66 or tethering rule is left" \
	bash -c "! ip netns exec $dev nft list ruleset | grep -qE 'ip6 saddr|\"tether\"'"
check "connd stops cleanly" lab_connd_stop
lab_done
