#!/usr/bin/env bash
# Connect2(s) as ConnMan documents it: the original D-Bus sender of a
# proxied Connect, whose own VPN agent is asked for the credentials. Two
# agents on two bus names (the first registered is the default): Connect2
# naming the second asks the second; Connect from a name without an agent,
# and Connect2 with "", ask the default; once the second leaves, Connect2
# naming it asks the default; a bus name registers one agent only.
. "$(dirname "$0")/../lab/lab.sh"
. "$(dirname "$0")/../lab/vpn.sh"
lab_require_root
LAB_VPN_USERS="alice:s3cret"
lab_openvpn_isp 10.45.0.1
lab_vpn_up "LocaltimeFile = $LAB_DIR/localtime"
echo s3cret >"$LAB_DIR/vpn-password"
# agent NAME: an agent on a bus name of its own, logging to agent-NAME.log.
agent() {
	"$LAB_PY" "$LAB_REPO/tests/lab/vpn-agent.py" alice "$LAB_DIR/vpn-password" \
		"$LAB_DIR/agent-$1.log" &
	AGENT_PID[$1]=$!
	lab_defer "kill ${AGENT_PID[$1]}"
	lab_wait 8 grep -q registered "$LAB_DIR/agent-$1.log"
}
declare -A AGENT_PID
asked() { grep -c RequestInput "$LAB_DIR/agent-$1.log"; }
check "agent A registers (the default)" agent A
check "agent B registers on another bus name" agent B
b_name=$(awk '/^registered/ {print $2}' "$LAB_DIR/agent-B.log")
check "B's bus name is known ($b_name)" test -n "$b_name"

pki="$LAB_DIR/pki"
vpn=$(api create Type=openvpn Name=lab Host=10.45.0.1 Domain=vpn.lab \
	OpenVPN.CACert="$pki/ca.crt" OpenVPN.Cert="$pki/client.crt" OpenVPN.Key="$pki/client.key" \
	OpenVPN.AuthUserPass=-)
check "Connect2 naming B's bus name connects" api connect2 "$vpn" "$b_name"
check "B was asked for the credentials" test "$(asked B)" = 1
check "A was not" test "$(asked A)" = 0
check "Disconnect" api disconnect "$vpn"
check "Connect from a name without an agent connects" api connect "$vpn"
check "the default agent, A, was asked" test "$(asked A)" = 1
check "Disconnect" api disconnect "$vpn"
check "Connect2 with an empty sender connects" api connect2 "$vpn" ""
check "A was asked again" test "$(asked A)" = 2
check "Disconnect" api disconnect "$vpn"
kill "${AGENT_PID[B]}"; wait "${AGENT_PID[B]}" 2>/dev/null
check_wait "connd saw B leave" 5 grep -q "the agent $b_name left the bus" "$LAB_DIR/connd-dev.log"
check "Connect2 naming B, gone, connects" api connect2 "$vpn" "$b_name"
check "with the default agent's credentials" test "$(asked A)" = 3
check "Disconnect" api disconnect "$vpn"
# A bus name registers one agent.
check "a second agent of one bus name is refused" "$LAB_PY" -c "
import dbus, sys
b = dbus.SystemBus()
m = dbus.Interface(b.get_object('net.connman.vpn', '/'), 'net.connman.vpn.Manager')
m.RegisterAgent(dbus.ObjectPath('/one'))
try:
    m.RegisterAgent(dbus.ObjectPath('/two'))
except dbus.DBusException as e:
    sys.exit(0 if e.get_dbus_name().endswith('AlreadyExists') else 1)
sys.exit(1)"
check "connd stops cleanly" lab_connd_stop
lab_done
