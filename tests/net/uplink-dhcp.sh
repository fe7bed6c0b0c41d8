#!/usr/bin/env bash
# An ethernet uplink gets a DHCP lease and goes idle → ready → online, with the
# ISP's checksum offload on (veth delivers partial checksums) and off. Checked
# in the kernel (ip addr, ip route) and with the real connmanctl.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root

run() { # $1: extra lab_isp option
	lab_init
	lab_ns isp; lab_ns dev
	lab_link isp eth0 dev up0
	lab_isp isp eth0 10.31.0.1/24 $1
	lab_dbus
	lab_connd dev up0
	local svc; svc=$(lab_service dev up0)
	check_wait "[$2] $svc goes online" 20 service_state dev up0 online
	check "[$2] the lease address is on up0" \
		bash -c "ip -n $(lab_nsname dev) -4 addr show up0 | grep -qE 'inet 10\.31\.0\.[0-9]+/24'"
	check "[$2] the default route goes through the ISP" \
		bash -c "ip -n $(lab_nsname dev) route show default | grep -q 'via 10.31.0.1 dev up0'"
	check "[$2] connmanctl lists the service as *AO Wired" \
		bash -c "lab_connmanctl services | grep -qE '^\*AO Wired +$svc\$'"
	check "[$2] the nameserver from DHCP is on the service" \
		bash -c "lab_connmanctl services $svc | grep -q 'Nameservers = \[ 10.31.0.1 \]'"
	check "[$2] the domain from DHCP is on the service" \
		bash -c "lab_connmanctl services $svc | grep -q 'Domains = \[ isp.lab \]'"
	check "[$2] the manager is online" bash -c "lab_connmanctl state | grep -q 'State = online'"
	check "[$2] the technology is connected" \
		bash -c "lab_connmanctl technologies | grep -q 'Connected = True'"
	check "[$2] dnsmasq leased to connd" grep -q DHCPACK "$LAB_DIR"/dnsmasq-isp-eth0.log
	check "[$2] connd stops cleanly" lab_connd_stop
	check "[$2] the address is gone after stop" \
		bash -c "! ip -n $(lab_nsname dev) -4 addr show up0 | grep -q inet"
	check "[$2] no route of connd's is left" \
		bash -c "! ip -n $(lab_nsname dev) route show table all proto 196 | grep -q ."
	lab_teardown
}

run "" "offload on"
run --offload-off "offload off"
lab_done
