# A provisioning file (ConnMan's .config, Type = wifi) with the real iwd and
# no agent registered: connd connects the PSK network iwd does not know by
# itself, iwd taking the file's passphrase from connd; the file's address is
# on wlan1, the service Immutable, and iwd knows the network afterwards (its
# to reconnect from then on). Then the file names the hidden network
# instead: connd connects it by name (ConnectHiddenNetwork), the same way.
. "$VM_DIR/connd-wifi-lib.sh"
vm_iwd_station	# its path changes when an earlier scenario restarted iwd
named=wifi_${mac}_$(hex "$VM_SSID_HIDDEN")_managed_psk
hidden=wifi_${mac}_hidden_managed_psk
connected() { ctl services "$1" | grep -qE '^  State = (ready|online)$'; }
check "iwd knows no network (as the earlier scenarios left it)" eval '! iwd_has KnownNetwork'
mkdir -p "$VM_RUN/prov"
cat >"$VM_RUN/prov/lab.config" <<CONF
[service_home]
Type = wifi
Name = $VM_SSID_PSK
Passphrase = $VM_PASSPHRASE
IPv4 = 10.77.0.61/255.255.255.0/10.77.0.1
CONF
connd_start --config-dir "$VM_RUN/prov"
check_wait "the provisioned network is connected by connd itself" 30 connected "$psk"
check "the passphrase came from the file" \
	grep -q "$psk: the passphrase from its provisioning file" "$VM_OUT/connd.log"
check "Immutable" prop "$psk" "Immutable = True"
check "the file's address is on wlan1" sh -c "ip -4 addr show wlan1 | grep -q 'inet 10.77.0.61/24'"
check "iwd knows the network now" iwd_has KnownNetwork

ctl disconnect "$psk" >/dev/null
check_wait "Disconnect: idle" 10 prop "$psk" "State = idle"
vm_iwd_forget "$VM_SSID_PSK" psk
cat >"$VM_RUN/prov/lab.config" <<CONF
[service_hidden]
Type = wifi
Name = $VM_SSID_HIDDEN
Passphrase = $VM_PASSPHRASE
Hidden = true
CONF
check_wait "the PSK network is no longer provisioned" 10 prop "$psk" "Immutable = False"
# hostapd does not answer a wildcard probe for the hidden BSS (see
# 20-connd-hidden.sh): scanned until iwd has seen it.
hidden_seen() { listed "$hidden" || { ctl scan wifi >/dev/null; listed "$hidden"; }; }
check_wait "iwd sees the hidden access point" 30 hidden_seen
check_wait "connd connects the provisioned hidden network by name" 30 connected "$named"
check "Immutable" prop "$named" "Immutable = True"
check "the PSK network was left alone" prop "$psk" "State = idle"
connd_stop
vm_iwd_reset "$VM_SSID_HIDDEN" psk
[ ! -e "/var/lib/iwd/$VM_SSID_PSK.psk" ] || vm_iwd_forget "$VM_SSID_PSK" psk
