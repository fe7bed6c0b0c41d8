# connd drives the real iwd (sourced by guest.sh; POSIX sh): the technology,
# scan, services with ConnMan's ids and Security, Connect of the PSK network
# with the user's agent answering (a wrong passphrase first: invalid-key),
# a DHCP lease and the default route on wlan1, Disconnect, Remove forgetting
# the network in iwd, Powered reaching iwd's device, iwd killed -9 and back.
VM_CTL=$("$VM_REPO/tests/lab/connman.sh" connmanctl)
ctl() { timeout 10 "$VM_CTL" "$@" 2>/dev/null; }
hex() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }
mac=$(tr -d ':' </sys/class/net/wlan1/address)
psk=wifi_${mac}_$(hex "$VM_SSID_PSK")_managed_psk
open=wifi_${mac}_$(hex "$VM_SSID_OPEN")_managed_none
sae=wifi_${mac}_$(hex "$VM_SSID_SAE")_managed_psk
eap=wifi_${mac}_$(hex "$VM_SSID_8021X")_managed_ieee8021x
has_wifi() { ctl technologies | grep -qx '/net/connman/technology/wifi'; }
no_wifi() { ! has_wifi; }
listed() { ctl services | grep -q "$1"; }
prop() { ctl services "$1" | grep -qxF "  $2"; }
agent_said() { grep -qx -- "$1" "$VM_RUN/agent.log"; }
iwd_has() {
	dbus-send --system --print-reply --dest=net.connman.iwd / \
		org.freedesktop.DBus.ObjectManager.GetManagedObjects 2>/dev/null | grep -q "$1"
}
device_powered() {
	dbus-send --system --print-reply --dest=net.connman.iwd "$VM_DEVICE" \
		org.freedesktop.DBus.Properties.Get string:net.connman.iwd.Device string:Powered \
		2>/dev/null | grep -q "boolean $1"
}
addr_on_wlan1() { ip -4 addr show wlan1 | grep -q "inet 10.77.0."; }
no_addr() { ! addr_on_wlan1; }
route_on_wlan1() { ip route show default | grep -q 'dev wlan1'; }

mkdir -p "$VM_RUN/connd"
printf '[General]\nOnlineCheckIPv4URL = http://10.77.0.1/\n' >"$VM_RUN/connd.conf"
"$CONND" -n -d "src/wifi*,src/iwd*" -i wlan1 --state-dir "$VM_RUN/connd" --resolv-conf "$VM_RUN/resolv.conf" \
	-c "$VM_RUN/connd.conf" >"$VM_OUT/connd.log" 2>&1 &
connd=$!
check_wait "technology wifi" 10 has_wifi
VM_DEVICE=$(dbus-send --system --print-reply --dest=net.connman.iwd / \
	org.freedesktop.DBus.ObjectManager.GetManagedObjects |
	sed -n 's|.*object path "\(/net/connman/iwd/[0-9]*/[0-9]*\)".*|\1|p' | head -n 1)
start=$(vm_now)
check "Scan returns when iwd's scan is done" sh -c "'$VM_CTL' scan wifi | grep -q 'Scan completed'"
echo "scan took $(awk "BEGIN { print $(vm_now) - $start }")s"
check_wait "the PSK network, ConnMan's id" 5 listed "$psk"
check "the open one" listed "$open"
check "the SAE one, psk to ConnMan" listed "$sae"
check "the 802.1X one" listed "$eap"
check "Security psk" prop "$psk" "Security = [ psk ]"
check "Security none" prop "$open" "Security = [ none ]"
check "Security ieee8021x" prop "$eap" "Security = [ ieee8021x ]"
check "a Strength" sh -c "'$VM_CTL' services '$psk' | grep -q '  Strength = [1-9]'"

echo 'Passphrase=wrong-passphrase' >"$VM_RUN/answers"
/usr/bin/python3 "$VM_REPO/tests/lab/wifi-agent.py" "$VM_RUN/answers" >"$VM_RUN/agent.log" 2>&1 &
agent=$!
check_wait "the agent registered" 15 agent_said registered
ctl connect "$psk" >/dev/null
check "the agent was asked for the passphrase" agent_said "input Passphrase:psk:mandatory"
check_wait "a wrong passphrase: invalid-key" 10 prop "$psk" "Error = invalid-key"
check "ReportError invalid-key" agent_said "error $psk invalid-key"
echo "Passphrase=$VM_PASSPHRASE" >"$VM_RUN/answers"
# The PSK BSS is not on the AP's bridge (no DHCP there): associated is enough.
ctl connect "$psk" >/dev/null &
check_wait "the right one: associated, connd configures IP" 10 \
	prop "$psk" "State = configuration"
check_wait "a favorite now (iwd knows it)" 5 prop "$psk" "Favorite = True"
ctl disconnect "$psk" >/dev/null
check_wait "Disconnect: idle" 5 prop "$psk" "State = idle"
check_wait "iwd's station let go" 5 sh -c "dbus-send --system --print-reply --dest=net.connman.iwd \
	'$VM_DEVICE' org.freedesktop.DBus.Properties.Get string:net.connman.iwd.Station string:State |
	grep -q disconnected"
ctl config "$psk" --remove >/dev/null
check_wait "Remove: iwd forgets it" 5 sh -c "! dbus-send --system --print-reply --dest=net.connman.iwd / \
	org.freedesktop.DBus.ObjectManager.GetManagedObjects | grep -q KnownNetwork"
check_wait "not a favorite" 5 prop "$psk" "Favorite = False"

start=$(vm_now)
check "Connect the open network" sh -c "'$VM_CTL' connect '$open' | grep -q Connected"
echo "connect took $(awk "BEGIN { print $(vm_now) - $start }")s"
check "ready" prop "$open" "State = ready"
check "a DHCP address on wlan1" addr_on_wlan1
check "the default route on wlan1" route_on_wlan1
ctl disconnect "$open" >/dev/null
check_wait "the address went" 5 no_addr

ctl disable wifi >/dev/null
check_wait "Powered off reaches iwd's device" 5 device_powered false
ctl enable wifi >/dev/null
check_wait "and on" 5 device_powered true
check_wait "the networks come back" 15 listed "$open"

kill -9 "$VM_IWD_PID"
VM_IWD_PID=
check_wait "iwd killed: the technology goes" 5 no_wifi
vm_iwd_start
check_wait "iwd back: the technology" 10 has_wifi
kill "$agent"
kill "$connd"
check_wait "connd stops" 5 vm_gone "$connd"
