#!/usr/bin/env bash
# Hidden Wi-Fi networks against the iwd stand-in (tests/lab/fake-iwd.py):
# iwd's hidden access points (GetHiddenAccessPoints) are one service per
# security with ConnMan's id wifi_<mac>_hidden_managed_<security> and no
# Name; Connect asks the user's agent for Name (SSID its alternate) and the
# passphrase in one RequestInput, then iwd (ConnectHiddenNetwork), which
# asks connd's agent for the passphrase; the network then has its own named
# service, which answers the Connect, and the hidden one stays. Refusals:
# the agent cancels (OperationAborted), a name that is empty or past 32
# bytes (InvalidArguments, iwd never asked), the SSID as bytes, a name iwd
# does not find (NotFound, ReportError connect-failed), an agent that never
# answers (OperationTimeout after InputRequestTimeout), nothing stuck.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_wifi_lab 10.42.0.1/24
hpsk=wifi_${m}_hidden_managed_psk
hopen=wifi_${m}_hidden_managed_none
named=wifi_${m}_$(hex lab-hidden)_managed_psk
named2=wifi_${m}_$(hex lab-hidden2)_managed_psk
named3=wifi_${m}_$(hex lab-hidden3)_managed_psk
printf '[General]\nOnlineCheckIPv4URL = http://isp.lab/online/status.html\nInputRequestTimeout = 2\n' \
	>"$LAB_DIR/main.conf"

"$LAB_PY" "$LAB_REPO/tests/lab/fake-iwd.py" wlan0 "$mac" "$(hex lab-open):open::-6000" \
	"$(hex lab-hidden):psk:secret-pass:-5000:hidden" "$(hex lab-hidden2):psk:other-pass:-5500:hidden" \
	"$(hex lab-hidden3):psk:third-pass:-5500:hidden" \
	--agent-timeout 30 >>"$LAB_DIR/iwd.log" 2>&1 &
lab_defer "kill $! 2>/dev/null"
lab_wait 10 lab_bus_has net.connman.iwd

iwd_said() { grep -qx -- "$1" "$LAB_DIR/iwd.log"; }
iwd_never() { ! grep -q -- "$1" "$LAB_DIR/iwd.log"; }
agent_said() { grep -qx -- "$1" "$LAB_DIR/agent.log"; }
svc() { lab_connmanctl services "$1" 2>/dev/null; }
prop() { svc "$1" | grep -qxF "  $2"; }
no_prop() { ! svc "$1" | grep -q "^  $2 = "; }
listed() { lab_connmanctl services 2>/dev/null | grep -q "$1"; }
# connect ID: Service.Connect through dbus-send; its error name in $LAB_DIR/connect.out.
connect() {
	dbus-send --system --print-reply --reply-timeout=20000 --dest=net.connman \
		"/net/connman/service/$1" net.connman.Service.Connect >"$LAB_DIR/connect.out" 2>&1
}
connect_error() { grep -q "^Error net.connman.Error.$1" "$LAB_DIR/connect.out"; }
answer() { printf '%s\n' "$@" >"$LAB_DIR/answers"; : >"$LAB_DIR/agent.log"; }

LAB_WRAP="$LAB_REPO/tests/lab/fake-radio.sh wlan0" lab_connd dev wlan0
check_wait "the hidden PSK access points are a service" 10 listed "$hpsk"
check "ConnMan's id: no SSID, 'hidden'" prop "$hpsk" "Security = [ psk ]"
check "Strength of the strongest hidden PSK AP (-50 dBm)" prop "$hpsk" "Strength = 100"
check "without a Name, as ConnMan shows them" no_prop "$hpsk" Name
check "no hidden open service: iwd sees no hidden open AP" eval "! listed '$hopen'"
check "the hidden networks have no named service yet" eval "! listed '$named'"

answer refuse
"$LAB_PY" "$LAB_REPO/tests/lab/wifi-agent.py" "$LAB_DIR/answers" >"$LAB_DIR/agent.log" 2>&1 &
agent=$!
lab_defer "kill $agent 2>/dev/null"
check_wait "the agent registered" 5 agent_said registered
check "the agent cancels: Connect fails" eval "! connect '$hpsk'"
check "with OperationAborted" connect_error OperationAborted
check "Name with SSID as its alternate, then the passphrase, in one request" \
	agent_said "input Name:string:mandatory:SSID Passphrase:psk:mandatory SSID:ssid:alternate"
check "the service is idle again, no Error" prop "$hpsk" "State = idle"
check "iwd was not asked" iwd_never connect-hidden

answer "Name=" "Passphrase=x"
check "an empty name: refused" eval "! connect '$hpsk'"
check "with InvalidArguments" connect_error InvalidArguments
answer "Name=$(printf 'N%.0s' $(seq 33))" "Passphrase=x"
check "a name of 33 bytes: refused" eval "! connect '$hpsk'"
check "with InvalidArguments too" connect_error InvalidArguments
answer "Passphrase=x"
check "neither Name nor SSID: refused" eval "! connect '$hpsk'"
check "InvalidArguments" connect_error InvalidArguments
check "iwd never heard of them" iwd_never connect-hidden
check "idle, nothing stuck" prop "$hpsk" "State = idle"

answer "Name=nowhere" "Passphrase=whatever1"
check "a name iwd does not find: Connect fails" eval "! connect '$hpsk'"
check "iwd looked for it" iwd_said "not-found nowhere"
check "with NotFound" connect_error NotFound
check "the agent got ReportError connect-failed" agent_said "error $hpsk connect-failed"
check "answered: idle again, its Error cleared (as ConnMan)" no_prop "$hpsk" Error
check "idle" prop "$hpsk" "State = idle"

answer "Name=lab-hidden" "Passphrase=secret-pass"
check "the right name: Connect succeeds" connect "$hpsk"
check "iwd was asked to connect it by name" iwd_said "connect-hidden lab-hidden"
check "and got the passphrase through connd's agent" iwd_said "connected lab-hidden"
check "the network has its own service, ConnMan's id" listed "$named"
check "with its Name" prop "$named" "Name = lab-hidden"
check_wait "it goes online over the link" 20 prop "$named" "State = online"
check "the hidden service is idle, and stays for the other hidden AP" prop "$hpsk" "State = idle"
check "without the earlier Error" eval "! svc '$hpsk' | grep -q Error"
check_wait "the named network is a favorite (iwd knows it)" 5 prop "$named" "Favorite = True"

answer "SSID=hex:$(hex lab-hidden2)" "Passphrase=other-pass"
check "the SSID as bytes instead of Name: connects" connect "$hpsk"
check "iwd was asked for that name" iwd_said "connect-hidden lab-hidden2"
check_wait "its service goes online" 20 prop "$named2" "State = online"

answer hold
check "an agent that never answers: Connect fails" eval "! connect '$hpsk'"
check "with OperationTimeout (InputRequestTimeout)" connect_error OperationTimeout
check_wait "the agent was told Cancel" 5 agent_said cancel
check "idle again" prop "$hpsk" "State = idle"
answer "Name=lab-hidden" "Passphrase=secret-pass"
check "and the next Connect works" connect "$hpsk"
check_wait "lab-hidden online again" 20 prop "$named" "State = online"

# As a user does it: the real connmanctl, interactive, its agent prompting
# for the name and the passphrase.
kill "$agent"
mkfifo "$LAB_DIR/ctl.in"
lab_connmanctl <"$LAB_DIR/ctl.in" >"$LAB_DIR/ctl.out" 2>&1 &
lab_defer "kill $! 2>/dev/null"
exec {ctl}>"$LAB_DIR/ctl.in"
ctl_said() { grep -q -- "$1" "$LAB_DIR/ctl.out"; }
echo "agent on" >&$ctl
check_wait "connmanctl's agent registered" 5 ctl_said "Agent registered"
echo "connect $hpsk" >&$ctl
check_wait "connmanctl asks the hidden network's name" 5 ctl_said "Hidden SSID name?"
echo lab-hidden3 >&$ctl
check_wait "then the passphrase" 5 ctl_said "Passphrase?"
echo third-pass >&$ctl
check_wait "connmanctl: Connected" 10 ctl_said "Connected $hpsk"
check_wait "lab-hidden3 online" 20 prop "$named3" "State = online"
echo quit >&$ctl
exec {ctl}>&-
check "connd stops cleanly" lab_connd_stop
[ "$LAB_FAILS" = 0 ] || { lab_log "--- iwd's log"; cat "$LAB_DIR/iwd.log" >&2;
	lab_log "--- connd's"; grep -E 'wifi|iwd|agent' "$LAB_DIR/connd-dev.log" | tail -60 >&2; }
lab_done
