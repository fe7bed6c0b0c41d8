# connd drives the real iwd (sourced by guest.sh; POSIX sh): the technology,
# scan, services with ConnMan's ids and Security, Connect of the PSK network
# with the user's agent answering (a wrong passphrase first: invalid-key,
# ReportError, connmanctl's Retry answered yes: asked again),
# Disconnect, Remove forgetting the network in iwd.
. "$VM_DIR/connd-wifi-lib.sh"
connd_start
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

# The user's agent: the real connmanctl, typed into (python's agent took
# seconds to start in the guest).
ctl_agent connmanctl-wifi.log
ctl_type "connect $psk"
check_wait "the agent was asked for the passphrase" 10 said 1 "Passphrase?"
ctl_type wrong-passphrase
check_wait "a wrong passphrase: invalid-key" 10 prop "$psk" "Error = invalid-key"
check_wait "ReportError invalid-key" 5 said 1 "ReportError $psk"$'\n'"  invalid-key"
check_wait "offers a retry" 5 said 1 "Retry (yes/no)?"
said_count "Passphrase?"; asked=$SAID
ctl_type yes
check_wait "Retry: connd connects again, the passphrase asked again" 10 \
	said $((asked + 1)) "Passphrase?"
ctl_type "$VM_PASSPHRASE"
check_wait "the waiting connect: Connected" 15 said 1 "Connected $psk"
check_wait "the right one: associated, connd configures IP" 10 \
	sh -c "'$VM_CTL' services '$psk' | grep -qE '^  State = (configuration|ready|online)\$'"
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

ctl_quit
connd_stop
