#!/usr/bin/env bash
# Wi-Fi tethering against the iwd stand-in (tests/lab/fake-iwd.py), its
# "radio" a veth to a station namespace: `connmanctl tether wifi on SSID
# PASSPHRASE` as ConnMan's users type it sets TetheringIdentifier and
# TetheringPassphrase, then Tethering; connd puts the device in AP mode
# (Device.Mode "ap"), starts the AP with them, and bridges the AP's link
# with its DHCP server, DNS proxy and NAT: the station gets a lease, resolves
# through the proxy and reaches the ISP as the uplink's address. Refused
# before anything changes: a passphrase too short or too long, Tethering
# with no identifier or passphrase. iwd's errors (no AP mode, Start failing)
# come back to the caller with Tethering false and the device in station
# mode; iwd killed while tethering ends it (no bridge left); connd killed
# and restarted takes the running AP over with one bridge and one rule set;
# connd stopped cleanly ends the AP with its bridge (AccessPoint.Stop, the
# device back in station mode), and so it does an AP still starting.
# Settings as ConnMan keeps them, the passphrase never in the log. The VM
# lab runs the same with the real iwd and a real station.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp; lab_ns dev; lab_ns sta
lab_link isp eth0 dev up0
lab_link dev wlan0 sta wlan0
lab_isp isp eth0 10.42.0.1/24
lab_dbus
LAB_CONF="[General]
OnlineCheckIPv4URL = http://isp.lab/online/status.html
TetheringTechnologies = wifi
LocaltimeFile = $LAB_DIR/localtime"

dev=$(lab_nsname dev)
mac=$(lab_exec dev cat /sys/class/net/wlan0/address)
nets=("$(hex lab-psk):psk:secret-pass:-4500" "$(hex lab-open):open::-6000")
PASS='tether "pass" 1'

start_iwd() {
	"$LAB_PY" "$LAB_REPO/tests/lab/fake-iwd.py" wlan0 "$mac" "${nets[@]}" "$@" \
		>>"$LAB_DIR/iwd.log" 2>&1 &
	IWD_PID=$!
	lab_defer "kill $IWD_PID 2>/dev/null"
	lab_wait 10 lab_bus_has net.connman.iwd
}
restart_iwd() {
	kill "$IWD_PID"
	lab_wait 5 bash -c "! kill -0 $IWD_PID 2>/dev/null"
	lab_wait 5 no_wifi
	: >"$LAB_DIR/iwd.log"
	start_iwd "$@"
	lab_wait 5 has_wifi
}
start_connd() {
	LAB_WRAP="$LAB_REPO/tests/lab/fake-radio.sh wlan0" lab_connd dev up0,wlan0
}
iwd_said() { grep -qxF -- "$1" "$LAB_DIR/iwd.log"; }
iwd_silent() { ! grep -q "^$1" "$LAB_DIR/iwd.log"; }
has_wifi() { lab_connmanctl technologies 2>/dev/null | grep -qx '/net/connman/technology/wifi'; }
no_wifi() { ! has_wifi; }
wifi_prop() {
	lab_connmanctl technologies 2>/dev/null | sed -n '/^\/net\/connman\/technology\/wifi$/,/^\//p' |
		grep -qxF "  $1"
}
tethering() { wifi_prop "Tethering = $1"; }
listed() { lab_connmanctl services 2>/dev/null | grep -q "wifi_"; }
unlisted() { ! listed; }
bridged() { ip -n "$dev" link show wlan0 | grep -q 'master tether'; }
no_bridge() { ! ip -n "$dev" link show tether >/dev/null 2>&1; }
tether_say() { local out; out=$(lab_connmanctl tether wifi "${@:2}" 2>&1); grep -q -- "$1" <<<"$out"; }
set_prop() {
	dbus-send --system --print-reply --dest=net.connman /net/connman/technology/wifi \
		net.connman.Technology.SetProperty "string:$1" "variant:$2" 2>&1
}
wifi_saved() { sed -n '/^\[WiFi\]/,/^\[/p' "$LAB_DIR/state-dev/settings" | grep -qxF -- "$1"; }

start_iwd
start_connd
check_wait "technology wifi" 10 has_wifi
check_wait "its networks are services" 5 listed
check "TetheringFreq is there, 2412 by default" wifi_prop "TetheringFreq = 2412"
check "no TetheringIdentifier before it is set" bash -c "! lab_connmanctl technologies | grep -q TetheringIdentifier"

out=$(set_prop Tethering boolean:true)
check "Tethering with no identifier or passphrase: InvalidArguments, saying so" \
	grep -q 'net.connman.Error.InvalidArguments: Set TetheringIdentifier and TetheringPassphrase' <<<"$out"
check "a passphrase too short: refused (connmanctl says so)" \
	tether_say 'Error setting wifi passphrase' on lab-ap short
check "and tethering stays off" tethering False
out=$(set_prop TetheringPassphrase string:"$(printf 'x%.0s' $(seq 64))")
check "64 characters that are not hex: PassphraseRequired, saying why" \
	grep -q 'net.connman.Error.PassphraseRequired: TetheringPassphrase takes 8 to 63' <<<"$out"
out=$(set_prop TetheringPassphrase string:"$(printf 'x%.0s' $(seq 65))")
check "65 characters: PassphraseRequired" grep -q 'PassphraseRequired' <<<"$out"
check "no passphrase was kept" bash -c "! lab_connmanctl technologies | grep -q TetheringPassphrase"
out=$(set_prop TetheringIdentifier string:"$(printf 'S%.0s' $(seq 33))")
check "a 33-byte identifier: InvalidArguments" grep -q 'InvalidArguments: TetheringIdentifier takes 1 to 32' <<<"$out"
out=$(set_prop TetheringFreq string:2412)
check "TetheringFreq of the wrong type: InvalidArguments" grep -q InvalidArguments <<<"$out"
check "iwd was not asked for AP mode" iwd_silent mode
out=$(dbus-send --system --print-reply --dest=net.connman /net/connman/technology/ethernet \
	net.connman.Technology.SetProperty string:TetheringIdentifier variant:string:x 2>&1)
check "TetheringIdentifier on ethernet: NotSupported" grep -q 'NotSupported' <<<"$out"

dbus-monitor --system "type='signal',interface='net.connman.Technology',member='PropertyChanged'" \
	>"$LAB_DIR/monitor.log" 2>&1 &
lab_defer "kill $!"
lab_wait 5 grep -q NameAcquired "$LAB_DIR/monitor.log"
check "connmanctl tether wifi on lab-ap PASSPHRASE" tether_say 'Enabled tethering for wifi' on lab-ap "$PASS"
check "Tethering = True" tethering True
check "TetheringIdentifier = lab-ap" wifi_prop "TetheringIdentifier = lab-ap"
check "iwd's device went to AP mode" iwd_said "mode ap"
check "AccessPoint.Start got the identifier and passphrase" iwd_said "ap-start lab-ap $PASS"
check "the AP's link is in the tether bridge" bridged
check "the station services went with iwd's station" unlisted
# The identifier was set by the refused attempt already: unchanged, no signal.
check_wait "PropertyChanged told TetheringPassphrase and Tethering" 3 \
	bash -c "grep -A1 '\"TetheringPassphrase\"' '$LAB_DIR/monitor.log' | grep -qF '$PASS' &&
		grep -A1 '\"Tethering\"' '$LAB_DIR/monitor.log' | grep -q 'boolean true'"
check "a second time: AlreadyEnabled" tether_say 'already enabled' on
bridge=$(ip -n "$dev" -4 -o addr show tether | awk '{print $4}' | cut -d/ -f1)
uplink=$(ip -n "$dev" -4 -o addr show up0 | awk '{print $4}' | cut -d/ -f1)

cat >"$LAB_DIR/udhcpc.script" <<'S'
#!/bin/sh
case $1 in bound|renew)
	ip addr add "$ip/${mask:-24}" dev "$interface"
	ip route add default via "$router"
	echo "BOUND ip=$ip router=$router dns=$dns" ;;
esac
exit 0
S
chmod +x "$LAB_DIR/udhcpc.script"
t1=$(date +%s%N)
out=$(lab_exec sta timeout 15 busybox udhcpc -i wlan0 -n -q -f -t 5 -s "$LAB_DIR/udhcpc.script" 2>&1)
echo "udhcpc took $((($(date +%s%N) - t1) / 1000000)) ms"
check "the station gets a lease from connd, router and DNS the bridge ($bridge)" \
	grep -q "router=$bridge dns=$bridge" <<<"$out"
check "it resolves isp.lab through connd's DNS proxy" \
	bash -c "lab_exec sta busybox nslookup isp.lab $bridge 2>&1 | grep -q 'Address.*10.42.0.1'"
check "it fetches the ISP's page" lab_exec sta curl -s -o /dev/null --max-time 3 http://10.42.0.1/bytes/1212
check "the ISP saw the uplink's address (NAT)" grep -qE "^$uplink .*bytes/1212" "$LAB_DIR/http-isp-eth0.log"
check "the settings keep ConnMan's [WiFi] keys: Tethering" wifi_saved 'Tethering=true'
check "Tethering.Identifier" wifi_saved 'Tethering.Identifier=lab-ap'
check "Tethering.Passphrase" wifi_saved "Tethering.Passphrase=$PASS"
check "Tethering.Freq" wifi_saved 'Tethering.Freq=2412'
check "the passphrase is in no log line of connd" bash -c "! grep -qF 'pass\" 1' '$LAB_DIR/connd-dev.log'"
rules=$(ip netns exec "$dev" nft list table inet connd | grep -c 'tether')

# connd killed and back: the AP iwd still runs is taken over, one bridge, one set of rules.
# First iwd says its AP started (the stand-in says so a moment after Start's
# reply, as iwd does).
ap_started() {
	dbus-send --system --print-reply --dest=net.connman.iwd /net/connman/iwd/0/3 \
		org.freedesktop.DBus.Properties.Get string:net.connman.iwd.AccessPoint string:Started |
		grep -q 'boolean true'
}
check_wait "iwd says the AP started" 5 ap_started
kill -9 "$LAB_CONND_PID"; wait "$LAB_CONND_PID" 2>/dev/null
: >"$LAB_DIR/iwd.log"
start_connd
check_wait "connd killed and restarted: Tethering = True again" 10 tethering True
check "the running AP was taken over (no new Start)" iwd_silent ap-start
check "the AP's link is in the bridge" bridged
check "one bridge" bash -c "[ \$(ip -n $dev -o link show type bridge | grep -c tether) = 1 ]"
check "the same tethering rules, not doubled" \
	bash -c "[ \$(ip netns exec $dev nft list table inet connd | grep -c tether) = $rules ]"

check "tether wifi off" tether_say 'Disabled tethering for wifi' off
check "AccessPoint.Stop" iwd_said "ap-stop"
check "the device back to station mode" iwd_said "mode station"
check "the bridge is gone" no_bridge
check_wait "the station services are back" 5 listed
check "the settings say off" wifi_saved 'Tethering=false'

restart_iwd --ap-fail
out=$(lab_connmanctl tether wifi on 2>&1)
check "AccessPoint.Start failing: the caller hears iwd's error" \
	grep -q 'iwd could not start the access point (net.connman.iwd.Failed)' <<<"$out"
check "Tethering stays false" tethering False
check_wait "the device went back to station mode" 5 iwd_said "mode station"
check "no bridge" no_bridge

restart_iwd --no-ap
out=$(lab_connmanctl tether wifi on 2>&1)
check "an adapter without AP mode: NotSupported, saying so" grep -q 'No wifi device can be an access point' <<<"$out"
check "and iwd was not asked" iwd_silent mode

restart_iwd
check "tethering on again" tether_say 'Enabled tethering for wifi' on
check "bridged" bridged
kill -9 "$IWD_PID"
check_wait "iwd killed: tethering ends, the bridge goes" 5 no_bridge
check "wlan0 left no bridge port" bash -c "! ip -n $dev link show wlan0 | grep -q master"
check "no tethering rules left" bash -c "! ip netns exec $dev nft list table inet connd | grep -q 'chain tether_'"
: >"$LAB_DIR/iwd.log"
start_iwd
check_wait "iwd back: the technology, Tethering false" 5 tethering False
check "and the services" lab_wait 5 listed

check "tethering on once more" tether_say 'Enabled tethering for wifi' on
check_wait "the AP started" 5 grep -q "^ap-start " "$LAB_DIR/iwd.log"
check "connd stops cleanly" lab_connd_stop
check_wait "the AP stopped with it (AccessPoint.Stop)" 5 iwd_said "ap-stop"
check_wait "and the device is back in station mode" 5 iwd_said "mode station"
check "no bridge left" no_bridge
check "wlan0 is in no bridge" bash -c "! ip -n $dev link show wlan0 | grep -q master"

# Tethering was kept on: the next start brings the AP back, and a stop
# while it starts still takes the device out of AP mode.
: >"$LAB_DIR/iwd.log"
start_connd
check_wait "connd started again: the kept tethering asks for AP mode" 10 iwd_said "mode ap"
check "connd stops while the AP starts" lab_connd_stop
check_wait "the device is back in station mode" 5 iwd_said "mode station"
check "no bridge left" no_bridge
lab_done
