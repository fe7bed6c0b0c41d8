# connd on the real iwd when the access point misbehaves: hostapd stopped
# (by its PID) while connd waits for DHCP, then while iwd associates — the
# service fails with connect-failed, nothing stuck, and connects again once
# the AP is back; SSIDs beaconed by hostapd as bytes (ssid2=hex), one not
# UTF-8 (which iwd ignores) and one of 32 bytes (ConnMan's id and name). The
# lab's own hostapd is back at the end.
. "$VM_DIR/connd-wifi-lib.sh"
vm_iwd_station	# its path changes when an earlier scenario restarted iwd
odd_hex=ff6c61622d6f6464	# "\xfflab-odd"
long=lab-$(printf '%028d' 0)	# 32 bytes
odd=wifi_${mac}_${odd_hex}_managed_none
big=wifi_${mac}_$(hex "$long")_managed_none
state_is() { prop "$1" "State = $2"; }
not_connecting() { ! ctl services "$1" | grep -qE '^  State = (association|configuration)$'; }
station_not_connecting() { vm_iwd_state disconnected; }
hostapd_stop() {
	local pid
	read -r pid <"$VM_RUN/hostapd.pid" && kill "$pid" && vm_wait 5 vm_gone "$pid"
}
# hostapd_start CONF LAST: hostapd on CONF, up once LAST's BSS is.
hostapd_start() {
	ip netns exec ap hostapd -B -P "$VM_RUN/hostapd.pid" -f "$VM_OUT/hostapd.log" "$1" &&
		vm_wait 20 vm_exists "$VM_RUN/hostapd/$2"
}
read -r dnsmasq <"$VM_RUN/dnsmasq.pid"

connd_start
echo "t=$(vm_now) connd up"
check_wait "the open network is listed" 10 listed "$open"

# Gone during DHCP: dnsmasq paused, so connd waits in configuration.
kill -STOP "$dnsmasq"
timeout 30 "$VM_CTL" connect "$open" >"$VM_RUN/connect-1.out" 2>&1 &
check_wait "associated, waiting for DHCP" 10 state_is "$open" configuration
check "hostapd stopped by its PID" hostapd_stop
echo "t=$(vm_now) hostapd stopped"
# The service fails (and goes soon after, with iwd's network): Connect's
# answer carries its Error.
check_wait "Connect answered: Failed, connect-failed" 10 \
	grep -q "Error.*Connection failed: connect-failed" "$VM_RUN/connect-1.out"
check "the service is not left connecting" not_connecting "$open"
check "no address left on wlan1" no_addr
check_wait "iwd's station let go" 10 station_not_connecting
kill -CONT "$dnsmasq"

# Back, with two more BSSes whose SSIDs are bytes.
{
	vm_hostapd_conf
	printf '\nbss=wlan0_5\nbssid=02:00:00:00:00:05\nctrl_interface=%s\nbridge=br0\nssid2=%s\n' \
		"$VM_RUN/hostapd" "$odd_hex"
	printf '\nbss=wlan0_6\nbssid=02:00:00:00:00:06\nctrl_interface=%s\nbridge=br0\nssid2=%s\n' \
		"$VM_RUN/hostapd" "$(hex "$long")"
} >"$VM_RUN/hostapd-more.conf"
check "the AP back, with the byte SSIDs" hostapd_start "$VM_RUN/hostapd-more.conf" wlan0_6
echo "t=$(vm_now) hostapd back"
check "Scan" sh -c "'$VM_CTL' scan wifi | grep -q 'Scan completed'"
vm_wait 10 listed "$big" || ctl scan wifi >/dev/null
check_wait "the 32-byte SSID: ConnMan's id" 10 listed "$big"
check "and its Name" prop "$big" "Name = $long"
# iwd ignores a BSS whose SSID is not UTF-8 (station.c: "Ignoring BSS with
# non-UTF8 SSID"), so neither it nor connd lists one; the stand-in test
# (tests/net/wifi-iwd.sh) shows connd's id for one that iwd would list.
check "the SSID that is not UTF-8: iwd lists no such network, connd no service" \
	sh -c "! '$VM_CTL' services | grep -q '$odd'"
# iwd may rejoin it by itself (it knows the network now): connected either way.
ctl connect "$open" >/dev/null
check_wait "connected again" 10 state_is "$open" ready
check "a lease" addr_on_wlan1
ctl disconnect "$open" >/dev/null
check_wait "disconnected" 5 no_addr
echo "t=$(vm_now) reconnected and disconnected"

# Gone while iwd associates.
timeout 30 "$VM_CTL" connect "$open" >"$VM_RUN/connect-2.out" 2>&1 &
hostapd_stop
check_wait "gone while associating: Connect answered Failed, connect-failed" 10 \
	grep -q "Error.*Connection failed: connect-failed" "$VM_RUN/connect-2.out"
check "the service is not left connecting" not_connecting "$open"
check_wait "iwd's station let go" 10 station_not_connecting

echo "t=$(vm_now) gone while associating"
check "the lab's own AP back" hostapd_start "$VM_RUN/hostapd.conf" wlan0_4
echo "t=$(vm_now) lab AP back"
connd_stop
vm_iwd_reset "$VM_SSID_OPEN" open
check "iwd sees the lab's networks again" vm_iwd_networks
echo "t=$(vm_now) done"
