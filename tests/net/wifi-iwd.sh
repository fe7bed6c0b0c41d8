#!/usr/bin/env bash
# The Wi-Fi bearer against an iwd stand-in (tests/lab/fake-iwd.py, iwd's
# D-Bus API) on the lab's bus, its "radio" a veth to an access network with
# DHCP: the technology and one service per network with ConnMan's ids
# (non-UTF-8 and 32-byte SSIDs too), Security and Strength; Scan; Connect
# with the user's agent answering iwd's passphrase request (wrong key:
# invalid-key and ReportError: idle once the agent answered; again with the
# agent's Retry: Connect waits, connd asks again, right: online over the link); AutoConnect
# mirrored to the known network; Disconnect; Remove forgetting it; a failed
# connect started by another client is not reported to the agent; 802.1X
# Identity and Passphrase; an agent that never answers (iwd's Cancel, the
# service fails, nothing stuck); the connecting client's own agent asked
# before the default one; Powered reaching iwd's device; iwd killed
# with -9 and back; iwd configuring IP itself (connd logs it, stays off). The VM lab runs the same flows against the real iwd.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_wifi_lab 10.41.0.1/24
long=$(printf 'L%.0s' $(seq 32))
psk=wifi_${m}_$(hex lab-psk)_managed_psk
open=wifi_${m}_$(hex lab-open)_managed_none
eap=wifi_${m}_$(hex lab-eap)_managed_ieee8021x
odd=wifi_${m}_ff6c6162_managed_none
big=wifi_${m}_$(hex "$long")_managed_psk
nets=("$(hex lab-psk):psk:secret-pass:-4500" "$(hex lab-open):open::-6000"
      "$(hex lab-eap):8021x:alice/s3cret:-7550" "ff6c6162:open::-8000" "$(hex "$long"):psk:x:-9000")

start_iwd() {
	"$LAB_PY" "$LAB_REPO/tests/lab/fake-iwd.py" wlan0 "$mac" "${nets[@]}" --agent-timeout 3 "$@" \
		>>"$LAB_DIR/iwd.log" 2>&1 &
	IWD_PID=$!
	lab_defer "kill $IWD_PID 2>/dev/null"
	lab_wait 10 lab_bus_has net.connman.iwd
}
iwd_said() { grep -qx -- "$1" "$LAB_DIR/iwd.log"; }
agent_said() { grep -qx -- "$1" "$LAB_DIR/agent.log"; }
prop() { lab_connmanctl services "$1" 2>/dev/null | grep -qxF "  $2"; }
listed() { lab_connmanctl services 2>/dev/null | grep -q "$1"; }
has_wifi() { lab_connmanctl technologies 2>/dev/null | grep -qx '/net/connman/technology/wifi'; }
no_wifi() { ! has_wifi; }
wifi_powered() {
	lab_connmanctl technologies 2>/dev/null | grep -A6 -x '/net/connman/technology/wifi' |
		grep -qx "  Powered = $1"
}
no_services() { ! lab_connmanctl services 2>/dev/null | grep -q "$1"; }
says() { local out; out=$(lab_connmanctl "${@:2}" 2>&1); grep -q "$1" <<<"$out"; }
dev_has() { ip -n "$(lab_nsname dev)" "${@:2}" | grep -q "$1"; }

start_iwd
LAB_WRAP="$LAB_REPO/tests/lab/fake-radio.sh wlan0" lab_connd dev wlan0
check_wait "iwd saw connd's agent" 5 grep -q '^agent /net/connman/connd/iwd_agent$' "$LAB_DIR/iwd.log"
check_wait "technology wifi is there" 5 has_wifi
check "it is powered" wifi_powered True
check_wait "the PSK network is a service with ConnMan's id" 5 listed "$psk"
check "the open one" listed "$open"
check "the 802.1X one" listed "$eap"
check "an SSID that is not UTF-8 keeps its bytes in the id" listed "$odd"
check "a 32-byte SSID" listed "$big"
check "the radio's link is no ethernet service" no_services "ethernet_$m"
check "Name" prop "$psk" "Name = lab-psk"
check "Security psk" prop "$psk" "Security = [ psk ]"
check "Security none" prop "$open" "Security = [ none ]"
check "Security ieee8021x" prop "$eap" "Security = [ ieee8021x ]"
check "Strength of -45 dBm" prop "$psk" "Strength = 100"
check "Strength of -75.5 dBm" prop "$eap" "Strength = 49"
check "not a favorite before it is known" prop "$psk" "Favorite = False"

check "Scan returns once iwd's scan is done" says 'Scan completed for wifi' scan wifi
check "iwd scanned" iwd_said scan

echo 'Passphrase=wrong-pass' >"$LAB_DIR/answers"
"$LAB_PY" "$LAB_REPO/tests/lab/wifi-agent.py" "$LAB_DIR/answers" >"$LAB_DIR/agent.log" 2>&1 &
lab_defer "kill $!"
check_wait "the agent registered" 5 agent_said registered
check "a wrong passphrase: Connect fails with invalid-key" says invalid-key connect "$psk"
check "the agent was asked for the passphrase" agent_said "input Passphrase:psk:mandatory"
check "and got ReportError invalid-key" agent_said "error $psk invalid-key"
# As ConnMan: once the agent has answered (no retry), the error is the
# user's to know and the service is idle again, ready for the next try.
check "the agent answered: idle again" prop "$psk" "State = idle"
check "its Error cleared" eval "! prop '$psk' 'Error = invalid-key'"

# The agent answers Retry (connmanctl's "Retry (yes/no)?"): Connect waits
# for the answer and its reply is the retried attempt's.
printf 'Passphrase=wrong-pass\nReportError=retry\n' >"$LAB_DIR/answers"
: >"$LAB_DIR/agent.log"
lab_connmanctl connect "$psk" >"$LAB_DIR/connect.out" 2>&1 &
connect_pid=$!
check_wait "wrong again: ReportError" 5 agent_said "error $psk invalid-key"
check "the service failed, its Error shown while the user decides" prop "$psk" "Error = invalid-key"
check "Connect waits for the agent's answer" kill -0 "$connect_pid"
echo 'Passphrase=secret-pass' >"$LAB_DIR/answers"
touch "$LAB_DIR/answers.go"
check_wait "the agent said Retry" 5 agent_said retry
check_wait "connd connects again: the agent is asked again" 5 \
	eval "[ \"\$(grep -c '^input Passphrase' '$LAB_DIR/agent.log')\" = 2 ]"
wait "$connect_pid"
check "the waiting Connect got the retry's result: Connected" grep -q Connected "$LAB_DIR/connect.out"
check_wait "online over the Wi-Fi link" 20 prop "$psk" "State = online"
check "a DHCP address on wlan0" dev_has 'inet 10.41.0.' -4 addr show wlan0
check "the default route is on wlan0" dev_has 'dev wlan0' route show default
check_wait "known now: a favorite" 5 prop "$psk" "Favorite = True"

lab_connmanctl config "$psk" --autoconnect no >/dev/null 2>&1
check_wait "AutoConnect off reaches iwd's known network" 5 iwd_said "autoconnect lab-psk False"

lab_connmanctl disconnect "$psk" >/dev/null 2>&1
check_wait "Disconnect: iwd's station disconnects" 5 iwd_said disconnect
check_wait "the service is idle" 5 prop "$psk" "State = idle"
check "the address went" eval "! dev_has 'inet 10.41.0.' -4 addr show wlan0"

lab_connmanctl config "$psk" --remove >/dev/null 2>&1
check_wait "Remove: iwd forgets the network" 5 iwd_said "forget lab-psk"
check_wait "no longer a favorite" 5 prop "$psk" "Favorite = False"

# Another client (or iwd's own autoconnect) connects with a wrong passphrase:
# the service fails as ever, but the user started nothing, so the user's
# agent gets no ReportError (ConnMan reports only the user's connects; a
# connmanctl prompt would ask "Retry?" for a connect nobody typed).
echo 'Passphrase=wrong-pass' >"$LAB_DIR/answers"
: >"$LAB_DIR/agent.log"
dbus-send --system --print-reply --dest=net.connman.iwd "/net/connman/iwd/0/3/$(hex lab-psk)_psk" \
	net.connman.iwd.Network.Connect >/dev/null 2>&1
check_wait "a connect by another client fails" 5 prop "$psk" "State = failure"
check "its failure is not reported to the user's agent" eval "! grep -q '^error ' '$LAB_DIR/agent.log'"

echo hold >"$LAB_DIR/answers"
: >"$LAB_DIR/agent.log"
lab_connmanctl connect "$eap" >/dev/null 2>&1 &
check_wait "802.1X asks Identity and Passphrase" 5 \
	agent_said "input Identity:string:mandatory Passphrase:passphrase:mandatory"
check_wait "an agent that never answers: iwd cancels" 8 iwd_said "cancel timed-out"
check_wait "the user's agent is told Cancel" 5 agent_said cancel
check_wait "the connect fails: ReportError connect-failed" 5 agent_said "error $eap connect-failed"
check_wait "answered: idle again, nothing stuck" 5 prop "$eap" "State = idle"
printf 'Identity=alice\nPassphrase=s3cret\n' >"$LAB_DIR/answers"
check "then answered: 802.1X connects" says Connected connect "$eap"
check_wait "ready or online" 20 prop "$eap" "State = online"

# Two clients with an agent each: the one whose Connect it is gets asked,
# not the default (first registered) agent, as ConnMan does.
echo 'Passphrase=wrong-pass' >"$LAB_DIR/answers"
: >"$LAB_DIR/agent.log"
echo 'Passphrase=secret-pass' >"$LAB_DIR/answers2"
"$LAB_PY" "$LAB_REPO/tests/lab/wifi-agent.py" "$LAB_DIR/answers2" \
	--connect "/net/connman/service/$psk" >"$LAB_DIR/agent2.log" 2>&1 &
lab_defer "kill $!"
check_wait "the connecting client's own agent is asked" 5 \
	grep -qx "input Passphrase:psk:mandatory" "$LAB_DIR/agent2.log"
check "the default agent is not" eval "! grep -q '^input' '$LAB_DIR/agent.log'"
check_wait "that client's Connect succeeds" 20 grep -qx connected "$LAB_DIR/agent2.log"

lab_connmanctl disable wifi >/dev/null 2>&1
check_wait "Powered off reaches iwd's device" 5 iwd_said "powered /net/connman/iwd/0/3 False"
check_wait "the networks' services go" 5 no_services wifi_
check "the technology stays, off" wifi_powered False
lab_connmanctl enable wifi >/dev/null 2>&1
check_wait "Powered on reaches iwd" 5 iwd_said "powered /net/connman/iwd/0/3 True"
check_wait "the services come back" 5 listed "$open"

kill -9 "$IWD_PID"
check_wait "iwd killed: the technology goes" 5 no_wifi
check "and the services" no_services wifi_
start_iwd
check_wait "iwd back: the technology" 5 has_wifi
check_wait "and the services" 5 listed "$psk"
check "connd registered its agent again" bash -c "[ \$(grep -c '^agent ' '$LAB_DIR/iwd.log') = 2 ]"

kill "$IWD_PID"
check_wait "iwd gone again" 5 no_wifi
start_iwd --network-config
check_wait "iwd configuring IP itself: connd says so" 5 \
	grep -q 'iwd configures IP itself' "$LAB_DIR/connd-dev.log"
check "and leaves Wi-Fi alone" no_wifi
check "connd stops cleanly" lab_connd_stop
[ "$LAB_FAILS" = 0 ] || { lab_log "--- iwd's log"; cat "$LAB_DIR/iwd.log" >&2;
	lab_log "--- connd's"; grep -E 'wifi|iwd' "$LAB_DIR/connd-dev.log" | tail -60 >&2; }
lab_done
