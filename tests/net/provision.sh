#!/usr/bin/env bash
# Provisioning files (ConnMan's .config format) for ethernet services: one
# by MAC present at start, one by DeviceName added while connd runs; a
# provisioned service is Immutable and refuses configuration over D-Bus;
# manual IPv6 from the file replaces SLAAC's address and route; removing its
# file gives it back to DHCP, SLAAC and the user; a malformed file is
# reported with file and line and changes nothing.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp1; lab_ns isp2; lab_ns dev
lab_link isp1 eth0 dev up0
lab_link isp2 eth0 dev up1
lab_isp isp1 eth0 10.42.1.1/24 --ipv6=2001:db8:42::1/64
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
IPv6 = 2001:db8:42::77/64/2001:db8:42::1
IPv6.Privacy = disabled
CONF
lab_dbus
lab_connd dev up0,up1 --config-dir "$prov"
svc0=$(lab_service dev up0) svc1=$(lab_service dev up1)
has_addr() { ip -n "$dev" -4 addr show "$1" | grep -q "inet $2/"; }
globals6() { ip -n "$dev" -6 -o addr show "$1" scope global | awk '{print $4}' | sort | tr '\n' ' '; }
defaults6() { ip -n "$dev" -6 route show default | grep " dev $1 " | sed 's/ metric.*//; s/ pref medium//'; }
export dev; export -f has_addr globals6 defaults6

check_wait "by MAC at start: up0 has the provisioned address" 20 has_addr up0 10.42.1.77
check_wait "and goes online with it" 20 service_state dev up0 online
check "connmanctl shows it Immutable with a manual configuration" bash -c "
	out=\$(lab_connmanctl services $svc0)
	grep -q 'Immutable = True' <<<\"\$out\" &&
	grep -q 'IPv4.Configuration = \[ Method=manual, Address=10.42.1.77' <<<\"\$out\" &&
	grep -q 'Domains.Configuration = \[ desk.lab \]' <<<\"\$out\""
check_wait "the provisioned IPv6 address is up0's only global one" 10 \
	bash -c "[ \"\$(globals6 up0)\" = '2001:db8:42::77/64 ' ]"
check_wait "with a default route via the provisioned gateway" 10 \
	bash -c "[ \"\$(defaults6 up0)\" = 'default via 2001:db8:42::1 dev up0 proto 196' ]"
check_wait "and in the service's IPv6 and IPv6.Configuration" 10 bash -c "
	out=\$(lab_connmanctl services $svc0)
	grep -qxF '  IPv6 = [ Method=manual, Address=2001:db8:42::77, PrefixLength=64, Gateway=2001:db8:42::1, Privacy=disabled ]' <<<\"\$out\" &&
	grep -qxF '  IPv6.Configuration = [ Method=manual, Address=2001:db8:42::77, PrefixLength=64, Gateway=2001:db8:42::1, Privacy=disabled ]' <<<\"\$out\""
check "the ISP reaches the provisioned IPv6 address" lab_exec isp1 ping -6 -c 1 -W 3 2001:db8:42::77
check "connmanctl config --ipv6 on it is refused" \
	bash -c "lab_connmanctl config $svc0 --ipv6 auto 2>&1 | grep -q 'Error.*provisioning file'"
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
printf '[service_broken6]\nType = ethernet\nDeviceName = up1\nIPv4 = dhcp\nIPv6 = 2001:db8:43::5/64/2001:db8:44::1\n' \
	>"$prov/broken6.config"
check_wait "a bad IPv6 value is reported with file, line and the D-Bus path's reason" 5 \
	grep -q "broken6.config:5: Gateway is neither link-local nor inside the prefix" "$LAB_DIR/connd-dev.log"
check "and its group is not applied half-way (up1 keeps its address)" has_addr up1 10.42.2.88

rm "$prov/desk.config"
check_wait "file removed: up0 is back on DHCP" 20 \
	bash -c "ip -n $dev -4 addr show up0 | grep -qE 'inet 10\.42\.1\.([5-9][0-9]|1[0-4][0-9]|150)/'"
check_wait "and on SLAAC again, the provisioned IPv6 address and route gone" 20 bash -c "
	[ -z \"\$(ip -n $dev -6 route show proto 196 dev up0)\" ] &&
	globals6 up0 | grep -q '^2001:db8:42:0:' && ! globals6 up0 | grep -q '2001:db8:42::77/'"
check "no longer Immutable" bash -c "lab_connmanctl services $svc0 | grep -q 'Immutable = False'"
check "the user may configure it again" \
	bash -c "! lab_connmanctl config $svc0 --nameservers 10.42.1.1 2>&1 | grep -qi error"
check "the provisioned address was never saved as the user's" \
	bash -c "! grep -qE '10.42.1.77|2001:db8:42::77' '$LAB_DIR/state-dev/$svc0/settings'"
check "connd stops cleanly" lab_connd_stop
lab_teardown
lab_done
