#!/usr/bin/env bash
# OpenVPN through connd when things go wrong, against a real server reached
# over two uplinks (its address on the ISP's loopback, 10.99.0.1 and
# fd99::1): an encrypted private key whose password the VPN agent gives
# (OpenVPN.PrivateKeyPassword; a wrong one reported and asked again, never
# logged or kept); the uplink failing under a connected VPN (the server's
# host route follows the new uplink, the tunnel carries traffic again);
# connd killed with -9 (openvpn dies with it; after the restart the rules,
# routes and nftables ruleset are what they were before the VPN, nothing
# doubled); a server known only by its IPv6 address (its host route for
# IPv6 keeps the tunnel's own packets off the tunnel).
. "$(dirname "$0")/../lab/lab.sh"
. "$(dirname "$0")/../lab/vpn.sh"
lab_require_root
lab_vpn_init
lab_link isp eth0 dev up0
lab_link isp eth1 dev up1
lab_isp isp eth0 10.44.0.1/24 --ipv6=fd44::1/64
lab_isp isp eth1 10.45.0.1/24 --ipv6=fd45::1/64
lab_exec isp ip addr add 10.99.0.1/32 dev lo
lab_exec isp ip -6 addr add fd99::1/128 dev lo
lab_vpn_certs && lab_vpn_encrypted_key k3ypass || { fail "certificates"; lab_done; }
lab_openvpn_server isp any || { fail "the OpenVPN server starts"; cat "$LAB_DIR/openvpn-server.log" >&2; lab_done; }
lab_vpn_conf
lab_dbus
lab_connd dev up0,up1
dev=$(lab_nsname dev)
api() { "$LAB_PY" "$LAB_REPO/tests/net/vpn_api.py" "$@"; }
in_dev() { ip netns exec "$dev" "$@"; }
page() { in_dev curl -s -m 3 -o /dev/null http://10.66.0.1:8080/online/status.html; }
routes() { ip -n "$dev" route show table all; }
vpn_table=$((0x636f1001))	# the VPN's own table (routing-vpn.h); its slot tables are sessions'
export -f api in_dev page routes lab_connmanctl; export dev LAB_PY LAB_REPO
log="$LAB_DIR/connd-dev.log"
pki="$LAB_DIR/pki"
# What connd set up without a VPN: rules, every table's routes and the
# ruleset, with what changes on its own (lifetimes, counters) left out.
snapshot() {
	{ ip -n "$dev" rule; ip -n "$dev" route show table all; ip -n "$dev" -6 route show table all
	  ip netns exec "$dev" nft list ruleset; } |
		sed -E 's/ expires [0-9]+sec//; s/counter packets [0-9]+ bytes [0-9]+/counter/' |
		grep -v 'cache' | grep -vE '^9000:.* fwmark .* proto 196' | sort
}
# The slots' fwmark rules come with their first use and stay until connd
# stops (a killed connd's are kept by the next: its marked sockets may still
# be open), so they are compared apart: each at most once.
rules_once() { [ -z "$(ip -n "$dev" rule | grep -E '^9000:.* fwmark .* proto 196' | sort | uniq -d)" ]; }
check_wait "uplink up0 online" 20 service_state dev up0 online
check_wait "uplink up1 online" 20 service_state dev up1 online

start_agent() {
	"$LAB_PY" "$LAB_REPO/tests/lab/vpn-agent.py" nobody "$LAB_DIR/key-password" "$LAB_DIR/agent.log" &
	AGENT_PID=$!
	lab_defer "kill $AGENT_PID"
	lab_wait 5 grep -q registered "$LAB_DIR/agent.log"
}
echo wrong >"$LAB_DIR/key-password"
check "a VPN agent registers" start_agent

# ---- the private key's password through the agent ----
vpn=$(api create Type=openvpn Name=lab Host=10.99.0.1 Domain=vpn.lab \
	OpenVPN.CACert="$pki/ca.crt" OpenVPN.Cert="$pki/client.crt" OpenVPN.Key="$pki/client-enc.key")
check "Connect with a wrong key password fails" api connect-fails "$vpn"
check "State failure" bash -c "[ \"\$(api prop $vpn State)\" = failure ]"
check "the agent was asked for OpenVPN.PrivateKeyPassword" \
	grep -q "RequestInput $vpn .*OpenVPN.PrivateKeyPassword:password" "$LAB_DIR/agent.log"
check "with ConnMan's controls: not to store nor retrieve it, and to keep credentials" \
	grep -q "^controls AllowRetrieveCredentials=False AllowStoreCredentials=False KeepCredentials=True$" \
	"$LAB_DIR/agent.log"
check "the agent got ReportError auth-failed" grep -q "ReportError $vpn auth-failed" "$LAB_DIR/agent.log"
check "the log says the key's password is wrong" grep -q "private key's password is wrong" "$log"
check_wait "no tun is left" 5 bash -c "! ip -n $dev link show cvpn1"
echo k3ypass >"$LAB_DIR/key-password"
check "Connect with the right password" api connect "$vpn"
check "State ready" bash -c "[ \"\$(api prop $vpn State)\" = ready ]"
check "the agent was asked again on this Connect" \
	bash -c "[ \$(grep -c 'RequestInput $vpn .*OpenVPN.PrivateKeyPassword' $LAB_DIR/agent.log) = 2 ]"
check "the password is in no log of connd's" bash -c "! grep -q k3ypass $log"
check "nor in its state directory" bash -c "! grep -rq k3ypass $LAB_DIR/state-dev"
check "the tunnel's page through the tunnel" page

# ---- the uplink fails under the VPN ----
check "the server's host route is on up0" \
	bash -c "routes | grep -q '^10.99.0.1 via 10.44.0.1 dev up0 table'"
lab_exec isp ip link set eth0 down
check_wait "up0 is no longer connected" 10 bash -c "! service_state dev up0 'online|ready'"
check_wait "the server's host route follows to up1" 15 \
	bash -c "routes | grep -q '^10.99.0.1 via 10.45.0.1 dev up1 table'"
check "no host route of the server on up0 is left" \
	bash -c "! routes | grep -q '^10.99.0.1 .*dev up0'"
check_wait "the tunnel carries traffic again" 40 page
check "State ready" bash -c "[ \"\$(api prop $vpn State)\" = ready ]"
check "one default route in the VPN's table" \
	bash -c "[ \$(ip -n $dev -4 route show table $vpn_table | grep -c '^default dev cvpn1') = 1 ]"
lab_exec isp ip link set eth0 up
check_wait "up0 online again" 30 service_state dev up0 online
check_wait "the server's host route is back on up0" 15 \
	bash -c "routes | grep -q '^10.99.0.1 via 10.44.0.1 dev up0 table'"
check_wait "and the tunnel carries traffic" 40 page

# ---- kill -9 with the VPN up ----
# The state to come back to: connd just started, the connection idle.
check "connd stops cleanly" lab_connd_stop
lab_connd dev up0,up1
online() {
	lab_wait 20 service_state dev up0 online && lab_wait 20 service_state dev up1 online &&
	lab_wait 20 bash -c "ip -n $dev -6 addr show up0 scope global | grep -q fd44: &&
			     ip -n $dev -6 addr show up1 scope global | grep -q fd45:"
}
check "both uplinks online after a clean restart" online
sleep 2
snapshot >"$LAB_DIR/before"
kill "$AGENT_PID"; : >"$LAB_DIR/agent.log"
check "the agent registers again" start_agent
check "Connect" api connect "$vpn"
ovpn=$(pgrep -P "$LAB_CONND_PID" | head -n 1)
check "openvpn runs as connd's child" test -n "$ovpn"
kill -9 "$LAB_CONND_PID"; wait "$LAB_CONND_PID" 2>/dev/null
check_wait "openvpn dies with connd" 10 bash -c "! kill -0 $ovpn 2>/dev/null"
check_wait "the tun goes with it" 10 bash -c "! ip -n $dev link show cvpn1"
kill "$AGENT_PID"; : >"$LAB_DIR/agent.log"
lab_connd dev up0,up1
check "both uplinks online after the restart" online
sleep 2
snapshot >"$LAB_DIR/after"
check "rules, routes and nftables as before the VPN (nothing stale, nothing doubled)" \
	diff -u "$LAB_DIR/before" "$LAB_DIR/after"
check "the slots' rules, kept from the killed connd, each once" rules_once
check "the connection is restored, idle" bash -c "[ \"\$(api count)\" = 1 ] && [ \"\$(api prop $vpn State)\" = idle ]"
check "the agent registers with the new connd" start_agent
check "Connect after the restart" api connect "$vpn"
check "one rule, one default route, one server route" \
	bash -c "[ \$(ip -n $dev rule | grep -c '^9500:') = 1 ] &&
		 [ \$(ip -n $dev -4 route show table $vpn_table | grep -c '^default dev cvpn1') = 1 ] &&
		 [ \$(routes | grep -c '^10.99.0.1 ') = 1 ]"
check "Remove" api remove "$vpn"
check_wait "the tun is gone" 5 bash -c "! ip -n $dev link show cvpn1"

# ---- a server known only by its IPv6 address ----
vpn6=$(api create Type=openvpn Name=v6 Host=fd99::1 Domain=v6.lab \
	OpenVPN.CACert="$pki/ca.crt" OpenVPN.Cert="$pki/client.crt" OpenVPN.Key="$pki/client-enc.key")
check "Connect to the IPv6 server" api connect "$vpn6"
check "the server's IPv6 host route is on the uplink" \
	bash -c "ip -n $dev -6 route show table all | grep -qE '^fd99::1 via fe80::[0-9a-f:]+ dev up0 table'"
check "the tunnel's page through the tunnel" page
# The server's keepalive (ping 2, ping-restart 10 on the client, 20 on the
# server): a tunnel whose own packets looped into itself would be dead.
sleep 12
check "the tunnel's page still through the tunnel" page
check "State ready" bash -c "[ \"\$(api prop $vpn6 State)\" = ready ]"
check "Disconnect" api disconnect "$vpn6"
check_wait "no route of the server is left" 5 bash -c "! ip -n $dev -6 route show table all | grep -q '^fd99::1'"
check "connd stops cleanly" lab_connd_stop
lab_done
