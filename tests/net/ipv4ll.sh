#!/usr/bin/env bash
# No DHCP server on the cable: after DHCP gives up, connd takes an IPv4
# link-local address (169.254.x.y/16, Method=auto) and the service is ready;
# the peer reaches it. Restarted with the peer holding that very address,
# connd's probe sees the conflict and takes another one. A DHCP server that
# appears later wins: its lease replaces the link-local address.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns peer; lab_ns dev
lab_link peer eth0 dev up0
lab_exec peer ip addr add 10.46.0.1/24 dev eth0
lab_dbus
lab_connd dev up0
svc=$(lab_service dev up0)
dev=$(lab_nsname dev)
ipv4() { lab_connmanctl services "$svc" | grep '^  IPv4 = '; }
ll_address() { ipv4 | sed -n 's/.*Method=auto, Address=\(169\.254\.[0-9.]*\), Netmask=255\.255\.0\.0.*/\1/p'; }
export -f ipv4 ll_address; export svc

check_wait "no DHCP server: a link-local address (Method=auto, /16)" 40 bash -c '[ -n "$(ll_address)" ]'
first=$(ll_address)
check "in 169.254.1.0-169.254.254.255" bash -c "[[ $first =~ ^169\.254\.([1-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-4])\.[0-9]+$ ]]"
check "the kernel has it" bash -c "ip -n $dev -4 -o addr show up0 | grep -q 'inet $first/16'"
check "the service is ready" service_state dev up0 ready
check "no error for the missing DHCP server" bash -c "! lab_connmanctl services $svc | grep -q '  Error = '"
check "it was logged" grep -q "no DHCP server; looking for a link-local address" "$LAB_DIR/connd-dev.log"
lab_exec peer ip addr add 169.254.7.7/16 dev eth0
check "the peer reaches it" lab_exec peer ping -c 1 -W 3 "$first"
check "connd stops cleanly" lab_connd_stop
check "and the address goes with it" test -z "$(ip -n "$dev" -4 -o addr show up0)"

# The peer now holds the address connd derives from its MAC.
lab_exec peer ip addr add "$first/16" dev eth0
lab_connd dev up0
check_wait "restarted: another link-local address after the conflict" 60 \
	bash -c 'a=$(ll_address); [ -n "$a" ] && [ "$a" != '"$first"' ]'
second=$(ll_address)
check "the peer reaches the new one" lab_exec peer ping -c 1 -W 3 "$second"

# A DHCP server comes: its lease replaces the link-local address.
cat >"$LAB_DIR/late-dhcp.conf" <<CONF
interface=eth0
bind-interfaces
except-interface=lo
port=0
dhcp-range=10.46.0.50,10.46.0.60,255.255.255.0,2m
dhcp-authoritative
# The lab's own lease file, not dnsmasq's default shared by the whole host.
dhcp-leasefile=$LAB_DIR/late-dhcp.leases
pid-file=$LAB_DIR/late-dhcp.pid
CONF
lab_exec peer dnsmasq --conf-file="$LAB_DIR/late-dhcp.conf"
lab_defer "kill \$(cat '$LAB_DIR/late-dhcp.pid')"
check_wait "a late DHCP server: its lease replaces the link-local address" 90 \
	bash -c "ipv4 | grep -q 'Method=dhcp, Address=10\.46\.0\.'"
check "the link-local address is gone from the link" \
	bash -c "! ip -n $dev -4 -o addr show up0 | grep -q 169.254"
check "connd stops cleanly" lab_connd_stop
lab_done
