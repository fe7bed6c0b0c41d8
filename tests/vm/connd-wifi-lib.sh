# Helpers of the connd Wi-Fi scenarios (tests/vm/scenarios/1?-connd-*.sh),
# sourced by each in the guest (bash).
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

# The real connmanctl typed into as a user does, its agent included, without
# python's seconds of start-up in the guest (bash): ctl_agent LOG starts it
# with a FIFO as its stdin, its output in $VM_OUT/LOG, and turns its agent
# on; ctl_type LINE types a line (once its prompt shows: check_wait on said);
# ctl_quit ends it.
ctl_agent() {
	CTL_LOG=$VM_OUT/$1
	rm -f "$VM_RUN/ctl.in"
	mkfifo "$VM_RUN/ctl.in"
	: >"$CTL_LOG"
	"$VM_CTL" <"$VM_RUN/ctl.in" >>"$CTL_LOG" 2>&1 &
	ctlpid=$!
	exec {ctl}>"$VM_RUN/ctl.in"
	ctl_type "agent on"
	check_wait "connmanctl's agent registered" 5 said 1 "Agent registered"
}
ctl_type() { printf '%s\n' "$1" >&"$ctl"; }
ctl_quit() {
	ctl_type quit
	exec {ctl}>&-
	vm_wait 5 vm_gone "$ctlpid" || kill "$ctlpid"
	rm -f "$VM_RUN/ctl.in"
}
# said_count TEXT: how often connmanctl has printed TEXT (its prompts and
# what was typed at them), in SAID. readline shows a prompt again after a
# message printed under it, so a prompt counts once or twice per question.
said_count() {
	local out
	out=$(<"$CTL_LOG")
	SAID=0
	while [[ $out == *"$1"* ]]; do out=${out#*"$1"}; SAID=$((SAID + 1)); done
}
# said N TEXT: connmanctl has printed TEXT at least N times.
said() { said_count "$2"; [ "$SAID" -ge "$1" ]; }
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


# connd_start [OPTION...]: connd on wlan1 with the lab's bus (and those
# options); waits for the technology.
connd_start() {
	mkdir -p "$VM_RUN/connd"
	printf '[General]\nOnlineCheckIPv4URL = http://10.77.0.1/\n' >"$VM_RUN/connd.conf"
	"$CONND" -n -d "src/wifi*,src/iwd*" -i wlan1 --state-dir "$VM_RUN/connd" --resolv-conf "$VM_RUN/resolv.conf" \
		-c "$VM_RUN/connd.conf" "$@" >>"$VM_OUT/connd.log" 2>&1 &
	connd=$!
	check_wait "technology wifi" 10 has_wifi
	VM_DEVICE=$(dbus-send --system --print-reply --dest=net.connman.iwd / \
		org.freedesktop.DBus.ObjectManager.GetManagedObjects |
		sed -n 's|.*object path "\(/net/connman/iwd/[0-9]*/[0-9]*\)".*|\1|p' | head -n 1)
}

connd_stop() {
	kill "$connd"
	check_wait "connd stops" 5 vm_gone "$connd"
}
