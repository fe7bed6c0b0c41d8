#!/usr/bin/env bash
# main.conf's FallbackNameservers: an ISP whose DHCP leases name no
# nameserver; the proxy forwards to the fallback server and resolv.conf
# points at the proxy; a service's own nameserver wins over the fallback
# as soon as it has one; the online check resolves its host through the
# fallback server too; after a clean stop resolv.conf names the fallback
# server, and without the proxy (-r) lists it.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root

NET=10.36.0
UP=10.37.0.2	# a second DNS server on the ISP's lo, answering isp.lab otherwise

lab_init
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
lab_isp isp eth0 $NET.1/24 --no-dns-option
lab_exec isp ip addr add $UP/32 dev lo
cat >"$LAB_DIR/up.conf" <<-CONF
	listen-address=$UP
	bind-interfaces
	port=53
	no-resolv
	no-hosts
	no-dhcp-interface=eth0
	address=/isp.lab/10.0.0.2
	pid-file=$LAB_DIR/up.pid
CONF
lab_exec isp dnsmasq --conf-file="$LAB_DIR/up.conf"
lab_defer "kill \$(cat '$LAB_DIR/up.pid')"
LAB_CONF="[General]
FallbackNameservers = $NET.1
OnlineCheckIPv4URL = http://isp.lab/online/status.html
OnlineCheckTimeout = 3000
LocaltimeFile = $LAB_DIR/localtime"
lab_dbus
lab_connd dev up0 -d 'src/*dns*'
svc=$(lab_service dev up0)
resolv="$LAB_DIR/resolv-dev.conf"
answers() { [ "$(lab_exec dev dig @127.0.0.1 +short +time=3 +tries=1 "$2")" = "$1" ]; }
logged() { grep -q "$1" "$LAB_DIR/connd-dev.log"; }

check_wait "the service goes online: the check resolves its host through the fallback" 20 \
	service_state dev up0 online
check "its lease named no nameserver" \
	bash -c "lab_connmanctl services $svc | grep -qx '  Nameservers = \[  \]'"
check "the fallback server is used, and that is logged" logged 'using FallbackNameservers'
check "the proxy resolves through the fallback server" answers $NET.1 isp.lab
check "resolv.conf points at the proxy" grep -qx 'nameserver 127.0.0.1' "$resolv"

lab_connmanctl config "$svc" --nameservers $UP >/dev/null
check_wait "a service's own nameserver wins over the fallback" 5 answers 10.0.0.2 isp.lab
check "and that is logged" logged 'FallbackNameservers no longer used'
lab_connmanctl config "$svc" --nameservers >/dev/null
check_wait "without it, the fallback again" 5 answers $NET.1 isp.lab

check "connd stops cleanly" lab_connd_stop
check "after stop resolv.conf names the fallback server" grep -qx "nameserver $NET.1" "$resolv"

lab_connd dev up0 -r
check_wait "-r: resolv.conf lists the fallback server" 20 grep -qx "nameserver $NET.1" "$resolv"
check "-r: connd stops cleanly" lab_connd_stop
lab_teardown
lab_done
