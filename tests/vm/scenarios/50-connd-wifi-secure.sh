# connd connects the secured networks through the real iwd, the user's agent
# answering as ConnMan's agents do: WPA3-SAE with a Passphrase, 802.1X
# PEAP/MSCHAPv2 with Identity and Passphrase (iwd's provisioning file names
# the EAP method, not the user), then the open network without asking.
# Each gets a DHCP lease from connd; the AP side saw each handshake.
. "$VM_DIR/connd-wifi-lib.sh"
# What hostapd logged since OFFSET (its size before).
hostapd_since() { local log; log=$(<"$VM_OUT/hostapd.log"); [[ ${log:$1} == *"$2"* ]]; }
hostapd_size() { local log; log=$(<"$VM_OUT/hostapd.log"); printf '%s' "${#log}"; }
ready() { sh -c "'$VM_CTL' services '$1' | grep -qE '^  State = (ready|online)\$'"; }
cat >"/tmp/$VM_SSID_8021X.8021x" <<CONF
[Security]
EAP-Method=PEAP
EAP-Identity=anonymous
EAP-PEAP-CACert=$VM_OUT/ca.pem
EAP-PEAP-Phase2-Method=MSCHAPV2
CONF
mv "/tmp/$VM_SSID_8021X.8021x" /var/lib/iwd/
connd_start
check_wait "the SAE network is listed" 10 listed "$sae"
echo "Passphrase=$VM_PASSPHRASE" >"$VM_RUN/answers"
/usr/bin/python3 "$VM_REPO/tests/lab/wifi-agent.py" "$VM_RUN/answers" >"$VM_RUN/agent.log" 2>&1 &
agent=$!
check_wait "the agent registered" 15 agent_said registered

at=$(hostapd_size)
check "SAE: Connect returns connected" sh -c "'$VM_CTL' connect '$sae' | grep -q Connected"
check "the agent was asked for a Passphrase" agent_said "input Passphrase:psk:mandatory"
check "the SAE BSS completed its handshake" hostapd_since "$at" "wlan0_2: EAPOL-4WAY-HS-COMPLETED"
check "ready" ready "$sae"
check "a DHCP address on wlan1" addr_on_wlan1
ctl disconnect "$sae" >/dev/null
check_wait "idle, the address gone" 5 no_addr

printf 'Identity=%s\nPassphrase=%s\n' "$VM_EAP_USER" "$VM_EAP_PASSWORD" >"$VM_RUN/answers"
: >"$VM_RUN/agent.log"
check_wait "the 802.1X network is a favorite (provisioned)" 5 prop "$eap" "Favorite = True"
at=$(hostapd_size)
check "802.1X: Connect returns connected" sh -c "'$VM_CTL' connect '$eap' | grep -q Connected"
check "the agent was asked for Identity and Passphrase" \
	agent_said "input Identity:string:mandatory Passphrase:passphrase:mandatory"
check "hostapd's EAP server let alice in" hostapd_since "$at" "wlan0_4: CTRL-EVENT-EAP-SUCCESS"
check "ready" ready "$eap"
check "a DHCP address on wlan1" addr_on_wlan1
ctl disconnect "$eap" >/dev/null
check_wait "idle, the address gone" 5 no_addr

: >"$VM_RUN/agent.log"
check "open: Connect returns connected" sh -c "'$VM_CTL' connect '$open' | grep -q Connected"
check "the agent was not asked" test ! -s "$VM_RUN/agent.log"
check "ready" ready "$open"
check "a DHCP address on wlan1" addr_on_wlan1
ctl disconnect "$open" >/dev/null
check_wait "idle, the address gone" 5 no_addr

for s in "$sae" "$eap" "$open"; do ctl config "$s" --remove >/dev/null; done
known() { [ -e "/var/lib/iwd/$VM_SSID_SAE.psk" ] || [ -e "/var/lib/iwd/$VM_SSID_8021X.8021x" ] ||
	[ -e "/var/lib/iwd/$VM_SSID_OPEN.open" ]; }
check_wait "Remove: iwd forgets all three" 5 eval '! known'
kill "$agent"
connd_stop
wait "$connd"
check "connd exited cleanly" test $? = 0
