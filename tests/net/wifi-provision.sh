#!/usr/bin/env bash
# Wi-Fi provisioning files (ConnMan's .config, Type = wifi) against the iwd
# stand-in (tests/lab/fake-iwd.py), with no user agent at all: a PSK network
# iwd does not know is connected by connd by itself, its passphrase given to
# iwd from the file, the file's manual IPv4 and nameserver applied, the
# service Immutable; once the user disconnects it (iwd knows it now: iwd's
# to reconnect), connd moves on to the next provisioned network iwd does not
# know: a visible one whose provisioned passphrase is wrong fails once and
# is not retried in a loop, a hidden one not in view is not found (asked
# again only after the next scan), then a hidden one is connected by name
# (ConnectHiddenNetwork) with its passphrase from the file; what iwd cannot
# take (802.1X, WEP, a short passphrase) is refused with file and line;
# removing the file gives the services back to the user.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_wifi_lab 10.41.0.1/24
psk=wifi_${m}_$(hex lab-psk)_managed_psk
hide=wifi_${m}_$(hex lab-hide)_managed_psk
other=wifi_${m}_$(hex lab-other)_managed_psk
nets=("$(hex lab-psk):psk:secret-pass:-4500" "$(hex lab-hide):psk:hidden-pass:-5000:hidden"
      "$(hex lab-other):psk:other-pass:-8000")
prov="$LAB_DIR/prov"
mkdir -p "$prov"
cat >"$prov/home.config" <<CONF
[global]
Name = home
Description = the lab's Wi-Fi

[service_psk]
Type = wifi
Name = lab-psk
Passphrase = secret-pass
IPv4 = 10.41.0.77/255.255.255.0/10.41.0.1
Nameservers = 10.41.0.1

[service_away]
Type = wifi
Name = lab-away
Passphrase = away-pass-1
Hidden = true

[service_hide]
Type = wifi
Name = lab-hide
Passphrase = hidden-pass
Hidden = true

[service_other]
Type = wifi
SSID = $(hex lab-other)
Passphrase = not-the-pass

[service_eap]
Type = wifi
Name = lab-eap
EAP = peap
Identity = alice

[service_wep]
Type = wifi
Name = lab-wep
Security = wep
Passphrase = 0123456789

[service_short]
Type = wifi
Name = lab-short
Passphrase = short
CONF

"$LAB_PY" "$LAB_REPO/tests/lab/fake-iwd.py" wlan0 "$mac" "${nets[@]}" >>"$LAB_DIR/iwd.log" 2>&1 &
lab_defer "kill $! 2>/dev/null"
lab_wait 10 lab_bus_has net.connman.iwd
iwd_said() { grep -qx -- "$1" "$LAB_DIR/iwd.log"; }
iwd_count() { grep -cx -- "$1" "$LAB_DIR/iwd.log"; }
prop() { lab_connmanctl services "$1" 2>/dev/null | grep -qxF "  $2"; }
dev_has() { ip -n "$(lab_nsname dev)" "${@:2}" | grep -q "$1"; }
log() { grep -q "$1" "$LAB_DIR/connd-dev.log"; }
export -f prop; export LAB_DIR

LAB_WRAP="$LAB_REPO/tests/lab/fake-radio.sh wlan0" lab_connd dev wlan0 --config-dir "$prov"
check_wait "the provisioned PSK network is connected, with no agent" 15 iwd_said "connected lab-psk"
check "the passphrase came from the file" log "$psk: the passphrase from its provisioning file"
check_wait "the service is online" 15 prop "$psk" "State = online"
check "Immutable" prop "$psk" "Immutable = True"
check "with the file's address" dev_has "inet 10.41.0.77/24" -4 addr show wlan0
check "and nameserver" prop "$psk" "Nameservers = [ 10.41.0.1 ]"
check "the user cannot change its IPv4" \
	bash -c "! lab_connmanctl config $psk --ipv4 dhcp 2>&1 | grep -qv 'Error'"
check "802.1X refused with file and line" \
	log "home.config:[0-9]*: \[service_eap\]: 802.1X (EAP) networks take iwd's own provisioning file"
check "WEP refused" log "\[service_wep\]: WEP is not supported"
check "a 5-character passphrase refused" log "\[service_short\]: Passphrase must be 8 to 63 characters"

check "the user disconnects it" lab_connmanctl disconnect "$psk"
check_wait "the visible one iwd does not know is tried, its passphrase wrong" 15 \
	iwd_said "failed lab-other Failed"
check "its service shows the failure, with no link to configure" prop "$other" "State = failure"
check_wait "a hidden one not in view: iwd does not find it" 15 iwd_said "not-found lab-away"
check_wait "then the hidden one is asked for by name" 15 iwd_said "connect-hidden lab-hide"
check_wait "and connected with the file's passphrase" 15 iwd_said "connected lab-hide"
check_wait "its service is online" 15 prop "$hide" "State = online"
check "Immutable too" prop "$hide" "Immutable = True"
check "the PSK one was not connected again by connd" test "$(iwd_count 'connected lab-psk')" = 1
check "the user disconnects the hidden one" lab_connmanctl disconnect "$hide"
sleep 2
check "the wrong one was tried once only" test "$(grep -c '^failed lab-other' "$LAB_DIR/iwd.log")" = 1
check "nor was the hidden one connected again by connd" test "$(iwd_count 'connect-hidden lab-hide')" = 1
check "nor the one not found, before a scan" test "$(iwd_count 'connect-hidden lab-away')" = 1
check "a scan" bash -c "lab_connmanctl scan wifi | grep -q 'Scan completed'"
check_wait "after it, the one not found is asked for again" 10 \
	bash -c "[ \$(grep -cx 'not-found lab-away' '$LAB_DIR/iwd.log') = 2 ]"

# The failed network's configuration changes: with no link there is
# nothing to configure (its link is not brought up for IP). Tried anew,
# it fails again (the passphrase is still wrong).
sed -i 's|^Passphrase = not-the-pass$|&\nIPv4 = 10.41.0.88/255.255.255.0/10.41.0.1|' "$prov/home.config"
check_wait "the failed network takes the file's new IPv4" 10 \
	prop "$other" "IPv4.Configuration = [ Method=manual, Address=10.41.0.88, Netmask=255.255.255.0, Gateway=10.41.0.1 ]"
check_wait "tried anew, it fails again" 15 bash -c "[ \$(grep -c '^failed lab-other' '$LAB_DIR/iwd.log') = 2 ]"
check "its address never went on the link" eval "! dev_has 'inet 10.41.0.88/' -4 addr show wlan0"
check "nor did it come online" eval "! grep -q '$other: online' '$LAB_DIR/connd-dev.log'"

# The file put right: what it names is tried anew.
sed -i 's/not-the-pass/other-pass/' "$prov/home.config"
check_wait "the file put right: the failed network is tried anew and connects" 15 \
	iwd_said "connected lab-other"
check_wait "with the file's address" 15 dev_has "inet 10.41.0.88/24" -4 addr show wlan0

# The file goes: the services are the user's again.
rm "$prov/home.config"
check_wait "no longer Immutable" 10 prop "$psk" "Immutable = False"
check "the hidden one's neither" prop "$hide" "Immutable = False"
check "connd stops cleanly" lab_connd_stop
lab_done
