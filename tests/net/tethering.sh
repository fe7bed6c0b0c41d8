#!/usr/bin/env bash
# Tethering with the real connmanctl: a LAN client behind the device gets a
# lease from connd (router and DNS: the bridge), resolves a name served by the
# ISP through connd's DNS proxy on the bridge, fetches the ISP's page and pings it; the ISP sees
# only the device's uplink address and cannot open a connection inward.
# Off: bridge, server, rules and forwarding gone.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_tether_lab 10.38.0.1/24
lab_dbus
lab_connd dev up0,lan0
dev=$(lab_nsname dev)
check_wait "the uplink is online" 20 service_state dev up0 online
fwd_before=$(lab_exec dev cat /proc/sys/net/ipv4/ip_forward)
# A nat chain makes the kernel track every packet: none while nobody tethers.
check "no tethering chain before tethering" \
	bash -c "! ip netns exec $dev nft list table inet connd | grep -q 'chain tether_'"

check "connmanctl tether ethernet on" bash -c "! lab_connmanctl tether ethernet on 2>&1 | grep -q Error"
check "a second time is AlreadyEnabled" bash -c "lab_connmanctl tether ethernet on 2>&1 | grep -qi 'already enabled'"
check "the technology says Tethering = True" bash -c "lab_connmanctl technologies | grep -q 'Tethering = True'"
check "the bridge has a /24 from the pool" bash -c "ip -n $dev -4 addr show tether | grep -qE 'inet (192\.168|172\.(1[6-9]|2[0-9]|3[01])|10)\.[0-9.]+\.1/24'"
# lan0 joins once its DHCP has found no server: a link still asking might be an uplink.
check_wait "lan0 joins the bridge" 30 bash -c "ip -n $dev link show lan0 | grep -q 'master tether'"
check "up0 is not in the bridge" bash -c "! ip -n $dev link show up0 | grep -q master"
check "forwarding is on" bash -c "[ \$(lab_exec dev cat /proc/sys/net/ipv4/ip_forward) = 1 ]"
bridge=$(ip -n "$dev" -4 -o addr show tether | awk '{print $4}' | cut -d/ -f1)
uplink=$(ip -n "$dev" -4 -o addr show up0 | awk '{print $4}' | cut -d/ -f1)

cat >"$LAB_DIR/udhcpc.script" <<'S'
#!/bin/sh
case $1 in bound|renew)
	ip addr add "$ip/${mask:-24}" dev "$interface"
	ip route add default via "$router"
	echo "BOUND ip=$ip router=$router dns=$dns" ;;
esac
exit 0
S
chmod +x "$LAB_DIR/udhcpc.script"
out=$(lab_exec lan timeout 15 busybox udhcpc -i eth0 -n -q -f -t 5 -s "$LAB_DIR/udhcpc.script" 2>&1)
check "the LAN client (busybox udhcpc) gets a lease" grep -q BOUND <<<"$out"
check "its router and DNS are the bridge ($bridge)" grep -q "router=$bridge dns=$bridge" <<<"$out"
check "it resolves isp.lab through the bridge" \
	bash -c "lab_exec lan busybox nslookup isp.lab $bridge 2>&1 | grep -q 'Address.*10.38.0.1'"
check "connd's DNS proxy answered it on the bridge, not a redirect" \
	bash -c "grep -q 'dnsproxy: listening on $bridge port 53 of tether' '$LAB_DIR/connd-dev.log' &&
		! ip netns exec $dev nft list table inet connd | grep -q 'dport 53'"
check "it fetches the ISP's page" lab_exec lan curl -s -o /dev/null --max-time 3 http://10.38.0.1/bytes/2020
check "it pings the ISP" lab_exec lan ping -c 1 -W 2 10.38.0.1
check "the ISP saw the device's uplink address, not the LAN's" \
	grep -qE "^$uplink .*bytes/2020" "$LAB_DIR/http-isp-eth0.log"
client=$(lab_exec lan ip -4 -o addr show eth0 | awk '{print $4}' | cut -d/ -f1)
lab_exec isp ip route add "${bridge%.*}.0/24" via "$uplink"
ip netns exec "$(lab_nsname lan)" "$LAB_PY" "$LAB_REPO/tests/lab/isp-http.py" --bind 0.0.0.0 --port 8080 \
	>"$LAB_DIR/http-lan.log" 2>&1 &
lab_defer "kill $!"
check_wait "a server runs on the LAN client" 5 lab_exec lan curl -s -o /dev/null --max-time 1 http://127.0.0.1:8080/plain
check "the ISP cannot open a connection into the LAN" \
	bash -c "! lab_exec isp curl -s -o /dev/null --max-time 2 http://$client:8080/plain"
check "nor ping it" bash -c "! lab_exec isp ping -c 1 -W 1 $client >/dev/null"
check "the ISP gets no answer from the DNS proxy at the bridge address" \
	bash -c "! lab_exec isp dig @$bridge +time=1 +tries=1 isp.lab >/dev/null"
check "Manager.GetTetheringClients lists the client" bash -c "
	dbus-send --system --print-reply --dest=net.connman / net.connman.Manager.GetTetheringClients |
	grep -qi \"\$(lab_exec lan cat /sys/class/net/eth0/address)\""

client_mac=$(lab_exec lan cat /sys/class/net/eth0/address)
check "Technology.GetTetheringLeases (extension) shows the client's address and MAC" bash -c "
	dbus-send --system --print-reply --dest=net.connman /net/connman/technology/ethernet \
		net.connman.Technology.GetTetheringLeases | tr -d '\n' |
	grep -q 'Address.*$client.*MAC.*$client_mac'"

# The uplink side takes the tethered subnet: tethering moves to another one.
old_net=${bridge%.*}
lab_exec dev ip addr add "$old_net.50/24" dev up0
check_wait "the bridge moved to another subnet" 5 \
	bash -c "ip -n $dev -4 -o addr show tether | grep -q inet && ! ip -n $dev -4 -o addr show tether | grep -q ' $old_net\.'"
lab_exec lan ip addr flush dev eth0
out=$(lab_exec lan timeout 15 busybox udhcpc -i eth0 -n -q -f -t 5 -s "$LAB_DIR/udhcpc.script" 2>&1)
new_bridge=$(ip -n "$dev" -4 -o addr show tether | awk '{print $4}' | cut -d/ -f1)
check "a new lease comes from the new subnet ($new_bridge)" grep -q "router=$new_bridge dns=$new_bridge" <<<"$out"
lab_exec dev ip addr del "$old_net.50/24" dev up0

lan_svc=$(lab_service dev lan0)
dbus-monitor --system "type='signal',interface='net.connman.Manager',member='ServicesChanged'" \
	>"$LAB_DIR/services-changed.log" 2>&1 &
lab_defer "kill $!"
sleep 0.5
check "connmanctl tether ethernet off" bash -c "! lab_connmanctl tether ethernet off 2>&1 | grep -q Error"
check "the bridge is gone" bash -c "! ip -n $dev link show tether 2>/dev/null"
check "lan0 is free again" bash -c "! ip -n $dev link show lan0 | grep -q master"
# Leaving the bridge, the kernel reports the port as deleted (AF_BRIDGE)
# while the link stays: lan0's service is the same one, now configuring.
check_wait "lan0's service configures again" 5 service_state dev lan0 'configuration|ready'
check "lan0's service is listed once" test "$(lab_connmanctl services | grep -c "$lan_svc")" = 1
sleep 0.5
check "ServicesChanged never removed lan0's service" \
	bash -c "! grep -qE '^      object path \"/net/connman/service/$lan_svc\"' '$LAB_DIR/services-changed.log'"
check "no tethering chain is left" \
	bash -c "! ip netns exec $dev nft list table inet connd | grep -q 'chain tether_'"
check "forwarding is back to $fwd_before" bash -c "[ \$(lab_exec dev cat /proc/sys/net/ipv4/ip_forward) = $fwd_before ]"
check "connd stops cleanly" lab_connd_stop
lab_done
