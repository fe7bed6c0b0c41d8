#!/usr/bin/env bash
# The laptop tethers a LAN client, then its uplink's network turns out to
# use the bridge's subnet (the user moved to another network; here the ISP
# renumbers and the cable is plugged again). The uplink wins: it keeps its
# lease (never declined) and comes online; the bridge moves to a free
# subnet, its DHCP server NAKs the old one's renewals and the client (busybox
# udhcpc, told to renew) gets an address in the new subnet and reaches the
# ISP through NAT again. Twice: the same /24 with the bridge's very address
# as the ISP's router, then a /16 holding the bridge's new /24 (connd used
# to decline such a lease: a partial overlap).
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_tether_lab 10.39.0.1/24
lab_dbus
lab_connd dev up0,lan0
dev=$(lab_nsname dev)
check_wait "the uplink is online" 20 service_state dev up0 online
check "tethering on" bash -c "! lab_connmanctl tether ethernet on 2>&1 | grep -q Error"
check_wait "lan0 joins the bridge" 30 bash -c "ip -n $dev link show lan0 | grep -q 'master tether'"

bridge_addr() { ip -n "$dev" -4 -o addr show tether | awk '{print $4}'; }
client_addr() { lab_exec lan ip -4 -o addr show eth0 | awk '{print $4}' | cut -d/ -f1; }
uplink_addr() { ip -n "$dev" -4 -o addr show up0 | awk '{print $4}'; }
# in_net ADDR NET/LEN: ADDR is inside NET/LEN.
in_net() { python3 -c 'import ipaddress,sys; sys.exit(ipaddress.ip_address(sys.argv[1]) not in ipaddress.ip_network(sys.argv[2], strict=False))' "$1" "$2"; }
nets_overlap() { python3 -c 'import ipaddress,sys; sys.exit(not ipaddress.ip_network(sys.argv[1], strict=False).overlaps(ipaddress.ip_network(sys.argv[2], strict=False)))' "$1" "$2"; }
export -f bridge_addr client_addr uplink_addr in_net nets_overlap
export dev

cat >"$LAB_DIR/udhcpc.script" <<'S'
#!/bin/sh
case $1 in
deconfig) ip addr flush dev "$interface"; echo "DECONFIG" ;;
bound|renew)
	ip addr flush dev "$interface"
	ip addr add "$ip/${mask:-24}" dev "$interface"
	ip route replace default via "$router"
	echo "BOUND ip=$ip router=$router" ;;
nak) echo "NAK" ;;
esac
exit 0
S
chmod +x "$LAB_DIR/udhcpc.script"
ip netns exec "$(lab_nsname lan)" busybox udhcpc -i eth0 -f -s "$LAB_DIR/udhcpc.script" \
	>"$LAB_DIR/udhcpc.log" 2>&1 &
udhcpc=$!
lab_defer "kill $udhcpc"
check_wait "the client gets a lease from the bridge" 15 grep -q BOUND "$LAB_DIR/udhcpc.log"
check "it reaches the ISP" lab_exec lan ping -c 1 -W 2 10.39.0.1

# isp_renumber CIDR: the ISP's DHCP hands out CIDR's network from now on
# (router and DNS: CIDR's address; 10.39.0.1 stays, with its web server),
# and the cable is plugged again.
isp_cidr=
isp_renumber() {
	local cidr=$1 addr=${1%/*} conf="$LAB_DIR/dnsmasq-isp-eth0.conf" mask
	mask=$(python3 -c "import ipaddress; print(ipaddress.ip_network('$cidr', strict=False).netmask)")
	[ -n "$isp_cidr" ] && lab_exec isp ip addr del "$isp_cidr" dev eth0
	isp_cidr=$cidr
	lab_exec isp ip addr add "$cidr" dev eth0
	sed -i -e "s|^dhcp-range=.*|dhcp-range=${addr%.*}.50,${addr%.*}.150,$mask,2m|" \
		-e "s|^dhcp-option=option:router,.*|dhcp-option=option:router,$addr|" \
		-e "s|^dhcp-option=option:dns-server,.*|dhcp-option=option:dns-server,$addr|" "$conf"
	lab_exec isp ip link set eth0 down
	kill "$(cat "$LAB_DIR/dnsmasq-isp-eth0.pid")"
	lab_wait 5 bash -c "! kill -0 $(cat "$LAB_DIR/dnsmasq-isp-eth0.pid") 2>/dev/null"
	lab_exec isp dnsmasq --conf-file="$conf"
	sleep 1
	lab_exec isp ip link set eth0 up
}

# move NAME CIDR: the ISP moves into CIDR; the uplink leases there, the
# bridge and the client move out.
move() {
	local name=$1 cidr=$2 old_bridge new_bridge seen
	old_bridge=$(bridge_addr)
	seen=$(wc -l <"$LAB_DIR/udhcpc.log")
	isp_renumber "$cidr"
	check_wait "$name: the uplink leases in $cidr" 30 bash -c \
		"u=\$(uplink_addr); [ -n \"\$u\" ] && in_net \${u%/*} $cidr"
	check_wait "$name: and is online" 20 service_state dev up0 online
	new_bridge=$(bridge_addr)
	check "$name: the bridge left $old_bridge for $new_bridge, clear of $cidr" bash -c \
		"[ -n '$new_bridge' ] && [ '$new_bridge' != '$old_bridge' ] && ! nets_overlap '$new_bridge' '$cidr'"
	check "$name: connd says why it moved" grep -q "tethering: moved from ${old_bridge%.*}.0/24 to ${new_bridge%.*}.0/24: up0's address" \
		"$LAB_DIR/connd-dev.log"
	check "$name: the DNS proxy listens on the new address" bash -c \
		"lab_exec dev ss -ulnH | grep -qE ' ${new_bridge%/*}(%[a-z]+)?:53 '"
	check "$name: NAT follows" bash -c \
		"ip netns exec $dev nft list table inet connd | grep -q '${new_bridge%.*}.0/24'"
	check "$name: no DHCPDECLINE reached the ISP" bash -c "! grep -q DHCPDECLINE '$LAB_DIR/dnsmasq-isp-eth0.log'"
	# A client renews at half its lease (30 min); this one is told to now.
	kill -USR1 "$udhcpc"
	check_wait "$name: the client gets an address in ${new_bridge%.*}.0/24" 40 bash -c \
		"c=\$(client_addr); [ -n \"\$c\" ] && in_net \$c $new_bridge"
	check "$name: the bridge's new server refused the old address (DHCPNAK)" bash -c \
		"tail -n +$((seen + 1)) '$LAB_DIR/udhcpc.log' | grep -q '^NAK'"
	check "$name: it reaches the ISP's server through NAT" \
		lab_exec lan curl -s -o /dev/null --max-time 3 "http://10.39.0.1/bytes/$name"
	check "$name: which saw the uplink's address" \
		grep -qE "^$(uplink_addr | cut -d/ -f1) .*bytes/$name" "$LAB_DIR/http-isp-eth0.log"
	check "$name: and the ISP's new address is the ISP's, not the bridge's" bash -c \
		"lab_exec lan ping -c 1 -W 2 ${cidr%/*} >/dev/null && ! ip -n $dev -4 addr show tether | grep -q ' ${cidr%/*}/'"
}

b=$(bridge_addr)
move same "${b%/*}/24"
b=$(bridge_addr)
move wider "${b%/*}/16"
check "connd stops cleanly" lab_connd_stop
lab_done
