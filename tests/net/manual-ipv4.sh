#!/usr/bin/env bash
# Manual IPv4 through the real connmanctl (`config SERVICE --ipv4 manual ADDR
# MASK GW`), then back to DHCP; the kernel follows each change.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
lab_isp isp eth0 10.32.0.1/24
lab_dbus
lab_connd dev up0
svc=$(lab_service dev up0)
dev=$(lab_nsname dev)
check_wait "$svc online by DHCP" 20 service_state dev up0 online

check "connmanctl config --ipv4 manual succeeds" \
	lab_connmanctl config "$svc" --ipv4 manual 10.32.0.9 255.255.255.0 10.32.0.1
# Without DHCP nothing names a DNS server: the online check needs one.
check "connmanctl config --nameservers succeeds" \
	lab_connmanctl config "$svc" --nameservers 10.32.0.1
check_wait "the manual address replaces the lease" 10 \
	bash -c "ip -n $dev -4 addr show up0 | grep -q 'inet 10.32.0.9/24' &&
		 [ \$(ip -n $dev -4 addr show up0 | grep -c inet) = 1 ]"
check_wait "the default route uses the manual gateway and source" 10 \
	bash -c "ip -n $dev route show default | grep -q 'via 10.32.0.1 dev up0 .*src 10.32.0.9'"
check_wait "the service is online again" 10 service_state dev up0 online
check "connmanctl shows IPv4 Method=manual" \
	bash -c "lab_connmanctl services $svc | grep -q 'IPv4 = \[ Method=manual, Address=10.32.0.9, Netmask=255.255.255.0, Gateway=10.32.0.1 \]'"
check "connmanctl shows IPv4.Configuration Method=manual" \
	bash -c "lab_connmanctl services $svc | grep -q 'IPv4.Configuration = \[ Method=manual, Address=10.32.0.9'"
check "the ISP reaches the manual address" lab_exec isp ping -c 1 -W 2 10.32.0.9

check "a prefix length works as a netmask too" \
	lab_connmanctl config "$svc" --ipv4 manual 10.32.0.10 24 10.32.0.1
check_wait "the new address is on up0" 10 \
	bash -c "ip -n $dev -4 addr show up0 | grep -q 'inet 10.32.0.10/24'"

# As ConnMan: no Netmask is a /32 (connmanctl and set-ipv4-method leave it
# out when not given; connmanctl exits 0 either way, so the link tells).
lab_connmanctl config "$svc" --ipv4 manual 10.32.0.11 >/dev/null
check_wait "without a netmask the address is a /32" 10 \
	bash -c "ip -n $dev -4 addr show up0 | grep -q 'inet 10.32.0.11/32'"
check "connmanctl shows Netmask=255.255.255.255" \
	bash -c "lab_connmanctl services $svc | grep -q 'IPv4 = \[ Method=manual, Address=10.32.0.11, Netmask=255.255.255.255'"

check "back to DHCP" lab_connmanctl config "$svc" --ipv4 dhcp
check_wait "a lease address comes back" 10 \
	bash -c "ip -n $dev -4 addr show up0 | grep -qE 'inet 10\.32\.0\.([5-9][0-9]|1[0-4][0-9]|150)/24'"
check "the manual address is gone" bash -c "! ip -n $dev -4 addr show up0 | grep -q 'inet 10.32.0.10/'"
check_wait "online by DHCP again" 10 service_state dev up0 online
check "connd stops cleanly" lab_connd_stop
lab_done
