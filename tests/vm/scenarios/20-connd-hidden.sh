# connd on the real iwd: the hidden network (hostapd's lab-hidden) as a user
# reaches it, with the real connmanctl typed into: the hidden service
# (ConnMan's id, no Name), Connect asking the name and the passphrase, a
# name iwd does not find (NotFound), then the right one (iwd's
# ConnectHiddenNetwork: the network's own service connects, the hidden one
# stays); an agent that never answers a passphrase (InputRequestTimeout:
# Cancel, the connect fails, nothing stuck).
. "$VM_DIR/connd-wifi-lib.sh"
vm_iwd_station	# its path changes when an earlier scenario restarted iwd
hidden=wifi_${mac}_hidden_managed_psk
named=wifi_${mac}_$(hex "$VM_SSID_HIDDEN")_managed_psk
# A network iwd knows would be autoconnected under the connects below.
check "iwd knows no network (as the earlier scenarios left it)" eval '! iwd_has KnownNetwork'
mkdir -p "$VM_RUN/connd"
printf '[General]\nOnlineCheckIPv4URL = http://10.77.0.1/\nInputRequestTimeout = 3\n' \
	>"$VM_RUN/connd-hidden.conf"
"$CONND" -n -d "src/wifi*,src/iwd*" -i wlan1 --state-dir "$VM_RUN/connd" \
	--resolv-conf "$VM_RUN/resolv.conf" -c "$VM_RUN/connd-hidden.conf" >>"$VM_OUT/connd.log" 2>&1 &
connd=$!
check_wait "technology wifi" 10 has_wifi
# What iwd saw last may predate the lab's hidden AP (iwd restarted, no
# periodic scans in the lab): a user's scan first.
check "Scan" sh -c "'$VM_CTL' scan wifi | grep -q 'Scan completed'"
# hostapd does not answer a wildcard probe for the hidden BSS: a scan sees
# it only if a beacon falls in the channel's dwell, which a fast host may
# miss. Scanned again until it is there.
hidden_seen() { listed "$hidden" || { ctl scan wifi >/dev/null; listed "$hidden"; }; }
check_wait "the hidden access point is a service, ConnMan's id" 20 hidden_seen
check "with a Strength" sh -c "'$VM_CTL' services '$hidden' | grep -q '^  Strength = [1-9]'"
check "without a Name" sh -c "! '$VM_CTL' services '$hidden' | grep -q '^  Name = '"
check "no service of its own yet" sh -c "! '$VM_CTL' services | grep -q '$named'"

# connmanctl, interactive: lines typed when it prompts.
ctl_agent connmanctl-hidden.log
error_seen() { vm_has "$(<"$VM_OUT/dbus-errors.log")" "$1"; }
ctl_type "connect $hidden"
check_wait "Connect asks the hidden network's name" 5 said 1 "Hidden SSID name?"
ctl_type nowhere-to-be-seen
check_wait "and the passphrase" 5 said 1 "Passphrase?"
ctl_type "$VM_PASSPHRASE"
# Connect's reply waits for the agent's answer to ReportError (or for
# InputRequestTimeout, 3 s here, after which the error is cleared).
check_wait "a name iwd does not find: ReportError connect-failed" 15 \
	said 1 "ReportError $hidden"$'\n'"  connect-failed"
check_wait "connmanctl offers a retry" 5 said 1 "Retry (yes/no)?"
ctl_type no
check_wait "then Connect fails: NotFound" 10 error_seen "net.connman.Error.NotFound"
check "iwd said NotFound" error_seen "net.connman.iwd.NotFound"

vm_us; t0=$VM_US
ctl_type "connect $hidden"
check_wait "asked again" 5 said 2 "Hidden SSID name?"
ctl_type "$VM_SSID_HIDDEN"
check_wait "the passphrase again" 5 said 2 "Passphrase?"
ctl_type "$VM_PASSPHRASE"
check_wait "the right name: Connected" 15 said 1 "Connected $hidden"
echo "hidden connect, name typed to Connected: $(vm_elapsed "$t0")s"
check "the hidden BSS took the station" vm_has "$(<"$VM_OUT/hostapd.log")" "wlan0_3: AP-STA-CONNECTED"
check "the network has its own service" listed "$named"
check "with its Name" prop "$named" "Name = $VM_SSID_HIDDEN"
check_wait "which is ready, with a lease on wlan1" 10 \
	sh -c "'$VM_CTL' services '$named' | grep -qE '^  State = (ready|online)\$'"
check "a favorite (iwd knows it)" prop "$named" "Favorite = True"
check "the hidden service is idle again, still listed" prop "$hidden" "State = idle"

# An agent that never answers: connd withdraws the request. iwd asks only
# for a network it does not know, and only once its station has settled.
check "iwd does not know lab-psk" test ! -e "/var/lib/iwd/$VM_SSID_PSK.psk"
check_wait "iwd's station settled on the hidden network" 10 vm_iwd_state connected
said_count "Passphrase?"; asked=$SAID
said_count "Retry (yes/no)?"; retries=$SAID
ctl_type "connect $psk"
check_wait "lab-psk asks its passphrase" 10 said $((asked + 1)) "Passphrase?"
check_wait "unanswered: connd cancels after InputRequestTimeout" 10 \
	said 1 "Agent request cancelled by ConnMan"
check_wait "the connect fails: connect-failed" 10 prop "$psk" "Error = connect-failed"
check_wait "reported to the agent" 5 said $((retries + 1)) "Retry (yes/no)?"
ctl_type no
check "connd told iwd no" error_seen "net.connman.iwd.Agent.Error.Canceled"
check_wait "iwd's station is not stuck connecting" 10 \
	eval "vm_iwd_state connected || vm_iwd_state disconnected"

[ "$VM_FAILS" = 0 ] || { ctl services "$psk"; tail -n 15 "$CTL_LOG"; }
ctl_quit
ctl disconnect "$named" >/dev/null
vm_iwd_reset "$VM_SSID_HIDDEN" psk
connd_stop
