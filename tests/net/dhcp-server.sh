#!/usr/bin/env bash
# connd's DHCP server against real clients: busybox udhcpc and ISC dhclient,
# each with its own checksum offload on (partial checksums) and off, behind a
# bridge as tethering will use it. Each gets a lease with router and DNS.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns dev
lab_exec dev ip link add tether type bridge
lab_exec dev ip link set tether up
lab_exec dev ip addr add 192.168.77.1/24 dev tether
n=0
for client in udhcpc dhclient; do
	for offload in on off; do
		n=$((n + 1))
		lab_ns "c$n"
		lab_link "c$n" eth0 dev "lan$n"
		lab_exec dev ip link set "lan$n" master tether
		[ $offload = off ] && lab_exec "c$n" ethtool -K eth0 tx off >/dev/null
	done
done
probe="${BUILD:-$LAB_REPO/build}/tests/net/dhcpd-probe"
lab_exec dev "$probe" tether 192.168.77.1 40 >"$LAB_DIR/server.log" 2>&1 &
lab_defer "kill $!"
check_wait "the server listens" 5 grep -q READY "$LAB_DIR/server.log"

cat >"$LAB_DIR/udhcpc.script" <<'S'
#!/bin/sh
[ "$1" = bound ] && echo "BOUND ip=$ip router=$router dns=$dns domain=$domain lease=$lease"
exit 0
S
cat >"$LAB_DIR/dhclient.script" <<'S'
#!/bin/sh
case $reason in BOUND|REBOOT) echo "BOUND ip=$new_ip_address router=$new_routers dns=$new_domain_name_servers domain=$new_domain_name lease=$new_dhcp_lease_time" ;; esac
exit 0
S
chmod +x "$LAB_DIR/udhcpc.script" "$LAB_DIR/dhclient.script"

for i in 3 4; do
	lab_defer "[ -s '$LAB_DIR/dhclient$i.pid' ] && kill \$(cat '$LAB_DIR/dhclient$i.pid')"
done
n=0
for client in udhcpc dhclient; do
	for offload in on off; do
		n=$((n + 1))
		start=$(date +%s%N)
		if [ $client = udhcpc ]; then
			out=$(lab_exec "c$n" timeout 15 busybox udhcpc -i eth0 -n -q -f -t 5 \
				-s "$LAB_DIR/udhcpc.script" 2>&1)
		else
			out=$(lab_exec "c$n" timeout 15 dhclient -1 -v -sf "$LAB_DIR/dhclient.script" \
				-pf "$LAB_DIR/dhclient$n.pid" -lf "$LAB_DIR/dhclient$n.leases" eth0 2>&1)
			# It writes its pid file from the background: wait for it.
			lab_wait 3 test -s "$LAB_DIR/dhclient$n.pid" &&
				kill "$(cat "$LAB_DIR/dhclient$n.pid")" 2>/dev/null
		fi
		ms=$((($(date +%s%N) - start) / 1000000))
		line=$(grep BOUND <<<"$out" | tail -n 1)
		check "$client, offload $offload: a lease in 192.168.77.100-199 (${ms} ms)" \
			grep -qE 'ip=192\.168\.77\.1[0-9][0-9] ' <<<"$line"
		check "$client, offload $offload: router and DNS point at the bridge" \
			grep -q 'router=192.168.77.1 dns=192.168.77.1 domain=tether.lan' <<<"$line"
	done
done
check "the server recorded four leases" bash -c "[ \$(grep -c ^LEASE '$LAB_DIR/server.log') -ge 4 ]"
check "four different addresses" bash -c "[ \$(grep ^LEASE '$LAB_DIR/server.log' | awk '{print \$3}' | sort -u | wc -l) = 4 ]"
lab_done
