#!/usr/bin/env bash
# Two links on one LAN (a laptop's cable and Wi-Fi to the same router): both
# lease from the same server and come online, each reaches the router, and
# when the one with the default route goes the other carries on. Nothing is
# declined (connd once declined the second lease, and the next, and the
# next: the router's pool went address by address). A lease that only partly
# overlaps another link's subnet is still refused (tests/unit/test-ipv4-link).
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
lab_link isp eth1 dev up1
lab_exec isp ip link add lan type bridge
lab_exec isp ip link set eth0 master lan
lab_exec isp ip link set eth1 master lan
lab_exec isp ip link set lan up
lab_isp isp lan 10.48.0.1/24
lab_dbus
LAB_CONF="[General]
OnlineCheckIPv4URL = http://isp.lab/online/status.html
OnlineCheckTimeout = 3000"
lab_connd dev up0,up1
check_wait "up0 online" 20 service_state dev up0 online
check_wait "up1 online too, on the same LAN" 20 service_state dev up1 online
addr() { lab_exec dev ip -4 -o addr show "$1" | awk '{print $4}' | cut -d/ -f1; }
check "up0 has a lease in 10.48.0.0/24" bash -c "[[ \$(lab_exec dev ip -4 -o addr show up0) == *' 10.48.0.'* ]]"
check "up1 has its own" bash -c "[[ \$(lab_exec dev ip -4 -o addr show up1) == *' 10.48.0.'* ]]"
check "no DHCPDECLINE reached the router" bash -c "! grep -q DHCPDECLINE '$LAB_DIR/dnsmasq-isp-lan.log'"
check "the router answers up0's address" lab_exec dev ping -c 1 -W 2 -I "$(addr up0)" 10.48.0.1
check "and up1's" lab_exec dev ping -c 1 -W 2 -I "$(addr up1)" 10.48.0.1
lab_exec isp ip link set eth0 down
check_wait "up0's cable out: up1 carries the default route" 10 bash -c \
	"lab_exec dev ip route show default | grep -q 'dev up1'"
check "the router is reached through up1" lab_exec dev ping -c 1 -W 2 10.48.0.1
check "connd stops cleanly" lab_connd_stop
lab_done
