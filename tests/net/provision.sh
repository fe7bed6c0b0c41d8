#!/usr/bin/env bash
# Provisioning files (ConnMan's .config format) for ethernet services: one
# by MAC present at start, one by DeviceName added while connd runs; a
# provisioned service is Immutable and refuses configuration over D-Bus;
# removing its file gives it back to DHCP and to the user; a malformed file
# is reported with file and line and changes nothing.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp1; lab_ns isp2; lab_ns dev
lab_link isp1 eth0 dev up0
lab_link isp2 eth0 dev up1
lab_isp isp1 eth0 10.42.1.1/24
lab_isp isp2 eth0 10.42.2.1/24
dev=$(lab_nsname dev)
prov="$LAB_DIR/prov"
mkdir -p "$prov"
cat >"$prov/desk.config" <<CONF
[global]
Name = desk
Description = the desk's wired port, fixed address

[service_desk]
Type = ethernet
MAC = $(lab_exec dev cat /sys/class/net/up0/address)
IPv4 = 10.42.1.77/255.255.255.0/10.42.1.1
Nameservers = 10.42.1.1
SearchDomains = desk.lab
CONF
lab_dbus
lab_connd dev up0,up1 --config-dir "$prov"
svc0=$(lab_service dev up0) svc1=$(lab_service dev up1)
has_addr() { ip -n "$dev" -4 addr show "$1" | grep -q "inet $2/"; }
export dev; export -f has_addr

check_wait "by MAC at start: up0 has the provisioned address" 20 has_addr up0 10.42.1.77
check_wait "and goes online with it" 20 service_state dev up0 online
check "connmanctl shows it Immutable with a manual configuration" bash -c "
	out=\$(lab_connmanctl services $svc0)
	grep -q 'Immutable = True' <<<\"\$out\" &&
	grep -q 'IPv4.Configuration = \[ Method=manual, Address=10.42.1.77' <<<\"\$out\" &&
	grep -q 'Domains.Configuration = \[ desk.lab \]' <<<\"\$out\""
check "connmanctl config on it is refused" \
	bash -c "lab_connmanctl config $svc0 --ipv4 dhcp 2>&1 | grep -q 'Error.*provisioning file'"
check "with net.connman.Error.PermissionDenied" bash -c "
	dbus-send --system --print-reply --dest=net.connman /net/connman/service/$svc0 \
		net.connman.Service.SetProperty string:AutoConnect variant:boolean:false 2>&1 |
	grep -q 'net.connman.Error.PermissionDenied'"
check "nothing changed" has_addr up0 10.42.1.77
check_wait "up1 is on DHCP meanwhile" 20 service_state dev up1 online

cat >"$prov/lab.config" <<CONF
[service_lab]
Type = ethernet
DeviceName = up1
IPv4 = 10.42.2.88/24/10.42.2.1
CONF
check_wait "by DeviceName, added at run time: up1 moves to its address" 10 has_addr up1 10.42.2.88
check "up1 is Immutable now" bash -c "lab_connmanctl services $svc1 | grep -q 'Immutable = True'"

printf '[service_broken]\nType = ethernet\nDeviceName = up1\nIPv4 = 10.42.2.0/24\n' >"$prov/broken.config"
check_wait "a malformed file is reported with file and line" 5 \
	grep -q "broken.config:4: Address is the network or broadcast address" "$LAB_DIR/connd-dev.log"
check "and changes nothing" has_addr up1 10.42.2.88

rm "$prov/desk.config"
check_wait "file removed: up0 is back on DHCP" 20 \
	bash -c "ip -n $dev -4 addr show up0 | grep -qE 'inet 10\.42\.1\.([5-9][0-9]|1[0-4][0-9]|150)/'"
check "no longer Immutable" bash -c "lab_connmanctl services $svc0 | grep -q 'Immutable = False'"
check "the user may configure it again" \
	bash -c "! lab_connmanctl config $svc0 --nameservers 10.42.1.1 2>&1 | grep -qi error"
check "the provisioned address was never saved as the user's" \
	bash -c "! grep -q 10.42.1.77 '$LAB_DIR/state-dev/$svc0/settings'"
check "connd stops cleanly" lab_connd_stop
lab_teardown
lab_done
