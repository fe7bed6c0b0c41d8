#!/usr/bin/env bash
# Tethering beyond the basics: ISC dhclient as the client; an uplink in
# 192.168.0.0/16 pushes the pool to another range; failover to a second ISP
# carries the client's new connections (NAT follows the uplink, no restart);
# kill -9 while tethering and a restart leave no duplicated or stale state.
# (The pool's choice among subnets in use is covered by tests/unit/test-ippool.)
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp1; lab_ns isp2; lab_ns dev; lab_ns lan
lab_link isp1 eth0 dev up0
lab_link isp2 eth0 dev up1
lab_link dev lan0 lan eth0
lab_isp isp1 eth0 192.168.1.1/16
lab_isp isp2 eth0 10.39.2.1/24
LAB_CONF="[General]
OnlineCheckIPv4URL = http://isp.lab/online/status.html
LocaltimeFile = $LAB_DIR/localtime
TetheringTechnologies = ethernet
PersistentTetheringMode = true"
lab_dbus
lab_connd dev up0,up1,lan0
dev=$(lab_nsname dev)
check_wait "both uplinks online" 20 bash -c "service_state dev up0 online && service_state dev up1 online"
check "tethering on" bash -c "! lab_connmanctl tether ethernet on 2>&1 | grep -q Error"
check_wait "lan0 joins the bridge once its DHCP finds no server" 30 \
	bash -c "ip -n $dev link show lan0 | grep -q 'master tether'"
tether_net=$(ip -n "$dev" -4 -o addr show tether | awk '{print $4}' | cut -d. -f1-3)
up_net=$(ip -n "$dev" -4 -o addr show up0 | awk '{print $4}' | cut -d. -f1-3)
check "the tethered subnet ($tether_net.0/24) is not the uplink's ($up_net.0/24)" \
	test -n "$tether_net" -a "$tether_net" != "$up_net"
bridge=$(ip -n "$dev" -4 -o addr show tether | awk '{print $4}' | cut -d/ -f1)

cat >"$LAB_DIR/dhclient.script" <<'S'
#!/bin/sh
case $reason in BOUND|REBOOT)
	ip addr add "$new_ip_address/24" dev "$interface"
	ip route add default via "$new_routers"
	echo "BOUND ip=$new_ip_address router=$new_routers dns=$new_domain_name_servers" ;;
esac
exit 0
S
chmod +x "$LAB_DIR/dhclient.script"
out=$(lab_exec lan timeout 15 dhclient -1 -v -sf "$LAB_DIR/dhclient.script" \
	-pf "$LAB_DIR/dhclient.pid" -lf "$LAB_DIR/dhclient.leases" eth0 2>&1)
# dhclient goes to the background after its lease and writes its pid file
# from there: read the file when tearing down, not now.
lab_defer "[ -f '$LAB_DIR/dhclient.pid' ] && kill \$(cat '$LAB_DIR/dhclient.pid')"
check "ISC dhclient gets a lease with router and DNS on the bridge" \
	grep -q "router=$bridge dns=$bridge" <<<"$out"
check "the client reaches ISP 1" lab_exec lan curl -s -o /dev/null --max-time 3 http://192.168.1.1/bytes/111
check "the client resolves isp.lab through the bridge" \
	bash -c "lab_exec lan busybox nslookup isp.lab $bridge 2>&1 | grep -q 'Address.*192.168.1.1'"
check "the client pings ISP 1" lab_exec lan ping -c 1 -W 2 192.168.1.1
uplink1=$(ip -n "$dev" -4 -o addr show up0 | awk '{print $4}' | cut -d/ -f1)
check "ISP 1 saw the device's uplink address only" grep -qE "^$uplink1 .*bytes/111" "$LAB_DIR/http-isp1-eth0.log"

lab_exec isp1 ip link set eth0 down
check_wait "ISP 1 gone: up0 idle" 10 service_state dev up0 idle
check "the client's new connections leave through ISP 2" \
	bash -c "lab_exec lan curl -s -o /dev/null --max-time 3 http://10.39.2.1/bytes/222 &&
		 grep -qE '^10\.39\.2\.[0-9]+ .*bytes/222' '$LAB_DIR/http-isp2-eth0.log'"
check "the client resolves names through the new uplink's DNS" \
	bash -c "lab_exec lan busybox nslookup isp.lab $bridge 2>&1 | grep -q 'Address.*10.39.2.1'"

rules_before=$(ip netns exec "$dev" nft list table inet connd | grep -cE 'masquerade|dnat|drop')
kill -9 "$LAB_CONND_PID"; wait "$LAB_CONND_PID" 2>/dev/null
lab_connd dev up0,up1,lan0
check_wait "after kill -9 connd is back online" 20 service_state dev up1 online
check "the bridge the crash left was removed" grep -q "removed the tether bridge" "$LAB_DIR/connd-dev.log"
check_wait "tethering came back on by itself (saved state)" 10 \
	bash -c "lab_connmanctl technologies | grep -q 'Tethering = True'"
check "one bridge, one table, the same rules: nothing doubled" bash -c "
	[ \$(ip -n $dev -o link show type bridge | wc -l) = 1 ] &&
	[ \$(ip netns exec $dev nft list tables | grep -c 'inet connd') = 1 ] &&
	[ \$(ip netns exec $dev nft list table inet connd | grep -cE 'masquerade|dnat|drop') = $rules_before ]"
check "connd stops cleanly" lab_connd_stop
check "after a clean stop no bridge and no table are left" bash -c "
	! ip -n $dev link show tether 2>/dev/null && ! ip netns exec $dev nft list table inet connd 2>/dev/null"
lab_done
