#!/usr/bin/env bash
# connd's DHCP client against dnsmasq over veth, with the ISP side's transmit
# checksum offload on (partial checksums reach the client) and off.
#
#   tests/net/dhcp-client.sh [BUILD_DIR]       (root; exit 0 pass, 1 fail, 77 skip)
#   RUNS=N     leases to take per offload setting (default 5), for the timing figures
#   PCAP=FILE  capture the DHCP traffic on the client side (fuzz corpus source)
#   WRAP=CMD   run the probe under CMD, e.g. "valgrind -q --leak-check=full --error-exitcode=1"
set -u
build=${1:-build}
probe=$build/tests/net/dhcp-probe
runs=${RUNS:-5}

[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
command -v dnsmasq >/dev/null || { echo "SKIP: no dnsmasq"; exit 77; }
command -v ethtool >/dev/null || { echo "SKIP: no ethtool"; exit 77; }
[ -x "$probe" ] || { echo "SKIP: $probe not built"; exit 77; }

suffix=$$-$RANDOM
isp=dhcp-isp-$suffix
cli=dhcp-cli-$suffix
dir=$(mktemp -d /tmp/connd-dhcp.XXXXXX)
dnsmasq_pid=
probe_pid=
tcpdump_pid=

cleanup() {
	[ -n "$probe_pid" ] && kill "$probe_pid" 2>/dev/null
	[ -n "$tcpdump_pid" ] && kill "$tcpdump_pid" 2>/dev/null && wait "$tcpdump_pid" 2>/dev/null
	[ -n "$dnsmasq_pid" ] && kill "$dnsmasq_pid" 2>/dev/null && wait "$dnsmasq_pid" 2>/dev/null
	ip netns del "$isp" 2>/dev/null
	ip netns del "$cli" 2>/dev/null
	rm -rf "/etc/netns/$isp" "/etc/netns/$cli" "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
	echo "FAIL: $*"
	[ -f "$dir/dnsmasq.log" ] && tail -n 20 "$dir/dnsmasq.log" | sed 's/^/  dnsmasq: /'
	exit 1
}

for ns in "$isp" "$cli"; do
	mkdir -p "/etc/netns/$ns"
	echo "nameserver 127.0.0.1" >"/etc/netns/$ns/resolv.conf"
	ip netns add "$ns" || fail "netns $ns"
	ip -n "$ns" link set lo up
done
ip -n "$isp" link add veth-isp type veth peer name veth-cli netns "$cli" || fail "veth"
ip -n "$isp" addr add 192.168.77.1/24 dev veth-isp
ip -n "$isp" link set veth-isp up
ip -n "$cli" link set veth-cli up

# T1/T2 are short so one renewal happens within seconds; 2 min is dnsmasq's
# shortest lease.
ip netns exec "$isp" dnsmasq --conf-file=/dev/null -k --port=0 \
	--interface=veth-isp --bind-interfaces --no-ping --dhcp-authoritative \
	--dhcp-range=192.168.77.50,192.168.77.150,255.255.255.0,2m \
	--dhcp-option=option:router,192.168.77.1 \
	--dhcp-option=option:dns-server,192.168.77.1,192.168.77.2 \
	--dhcp-option=option:domain-name,lab.example \
	--dhcp-option=option:T1,3 --dhcp-option=option:T2,6 \
	--dhcp-leasefile="$dir/leases" --pid-file="$dir/dnsmasq.pid" \
	--log-dhcp --log-facility="$dir/dnsmasq.log" &
dnsmasq_pid=$!

wait_for() { # tries, command...
	local n=$1; shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}
dnsmasq_ready() { grep -q "DHCP, IP range" "$dir/dnsmasq.log" 2>/dev/null; }
wait_for 50 dnsmasq_ready || fail "dnsmasq did not start"
# The client link needs carrier before the first DISCOVER can leave.
wait_for 50 ip -n "$cli" -o link show veth-cli up | grep -q LOWER_UP

if [ -n "${PCAP:-}" ]; then
	ip netns exec "$cli" tcpdump -i veth-cli -U --immediate-mode -w "$PCAP" udp port 67 or udp port 68 2>"$dir/tcpdump.err" &
	tcpdump_pid=$!
	sleep 1
fi

take_leases() { # label, expected checksum state: partial|full
	local label=$1 i line ms all=
	for i in $(seq "$runs"); do
		line=$(ip netns exec "$cli" ${WRAP:-} "$probe" veth-cli --timeout 10 --debug 2>"$dir/debug") ||
			fail "$label: no lease: $(cat "$dir/debug")"
		if [ "$2" = partial ]; then
			grep -q "checksum left to offload" "$dir/debug" ||
				fail "$label: no partially checksummed packet seen"
		else
			! grep -q "checksum left to offload" "$dir/debug" ||
				fail "$label: partial checksums with offload off"
		fi
		case "$line" in
		"BOUND address=192.168.77."*"/24 router=192.168.77.1 server=192.168.77.1 dns=192.168.77.1,192.168.77.2 domain=lab.example lease=120 t1=3 t2=6 "*) ;;
		*) fail "$label: unexpected lease: $line" ;;
		esac
		ms=${line##*ms=}
		all="$all $ms"
	done
	echo "$label: $runs leases, DISCOVER->BOUND ms:$all"
	echo "  last: $line"
}

offload=$(ip netns exec "$isp" ethtool -k veth-isp | awk '/^tx-checksumming:/ {print $2}')
[ "$offload" = on ] || fail "veth tx checksum offload is $offload, expected on"
take_leases "offload on (partial checksums)" partial

# Renewal (unicast REQUEST from the leased address, which the script
# configures as ipv4-link would) and release, offload still on.
ip netns exec "$cli" ${WRAP:-} "$probe" veth-cli --renew --release --timeout 15 >"$dir/probe.out" 2>&1 &
probe_pid=$!
wait_for 50 grep -q "^BOUND" "$dir/probe.out" || fail "renew: no lease: $(cat "$dir/probe.out")"
addr=$(sed -n 's/^BOUND address=\([^ ]*\) .*/\1/p' "$dir/probe.out")
ip -n "$cli" addr add "$addr" dev veth-cli || fail "renew: cannot add $addr"
wait "$probe_pid"
rc=$?
probe_pid=
grep "^RENEWED" "$dir/probe.out" || fail "renew: rc $rc: $(cat "$dir/probe.out")"
grep -q "^RELEASED" "$dir/probe.out" || fail "release: not sent"
ip=${addr%/*}
grep -q "DHCPREQUEST(veth-isp) $ip" "$dir/dnsmasq.log" || fail "renew: dnsmasq saw no REQUEST"
wait_for 30 grep -q "DHCPRELEASE(veth-isp) $ip" "$dir/dnsmasq.log" || fail "release: dnsmasq saw none"
wait_for 30 sh -c "! grep -q ' $ip ' '$dir/leases'" || fail "release: lease $ip still in $dir/leases"
echo "renewal and release of $ip: ok"
ip -n "$cli" addr flush dev veth-cli

ip netns exec "$isp" ethtool -K veth-isp tx off >/dev/null || fail "ethtool tx off"
take_leases "offload off (full checksums)" full

# INIT-REBOOT: ask for the address again, expect an ACK without DISCOVER.
line=$(ip netns exec "$cli" ${WRAP:-} "$probe" veth-cli --request "$ip" --timeout 10) || fail "init-reboot: no lease"
case "$line" in "BOUND address=$ip/24 "*) ;; *) fail "init-reboot: $line" ;; esac
echo "init-reboot for $ip: ok (${line##*ms=} ms)"

# INIT-REBOOT on the wrong network: NAK, then discovery.
line=$(ip netns exec "$cli" ${WRAP:-} "$probe" veth-cli --request 10.99.0.1 --timeout 10) || fail "NAK: no lease"
case "$line" in "BOUND address=192.168.77."*) ;; *) fail "NAK: $line" ;; esac
grep -q "DHCPNAK(veth-isp) 10.99.0.1" "$dir/dnsmasq.log" || fail "NAK: dnsmasq sent none"
echo "init-reboot refused (NAK), then discovery: ok (${line##*ms=} ms)"
[ -n "$tcpdump_pid" ] && { ps -p "$tcpdump_pid" >/dev/null || cat "$dir/tcpdump.err"; }
echo "PASS"
exit 0
