#!/usr/bin/env bash
# net.connman.vpn with Debian's openvpn, end to end: a real OpenVPN server in
# the ISP's namespace (certificates made now), connd's VPN created and
# connected over D-Bus and through the real connmanctl; the pushed address,
# routes (in the VPN's own table, the server's host route on the uplink) and
# DNS (a name only the tunnel's server knows); Disconnect cleans up; bad
# Create arguments, a missing openvpn and a kill -9 of connd with the tunnel up;
# a one-time code through the agent for a config with a static challenge.
. "$(dirname "$0")/../lab/lab.sh"
. "$(dirname "$0")/../lab/vpn.sh"
lab_require_root
# The server also wants a login, and with a static challenge a code too.
LAB_VPN_USERS="alice:s3cret alice:s3cret:424242"
lab_openvpn_isp 10.44.0.1
lab_vpn_up
export -f lab_connmanctl
# The credentials come from the VPN agent, read from a file when asked.
start_agent() {
	"$LAB_PY" "$LAB_REPO/tests/lab/vpn-agent.py" alice "$LAB_DIR/vpn-password" "$LAB_DIR/agent.log" \
		"$LAB_DIR/vpn-otp" &
	AGENT_PID=$!
	lab_defer "kill $AGENT_PID"
	lab_wait "$LAB_UP" grep -q registered "$LAB_DIR/agent.log"
}
echo s3cret >"$LAB_DIR/vpn-password"
check "a VPN agent registers" start_agent
check "the tunnel's page is out of reach before the VPN" \
	bash -c "! in_dev curl -s -m 2 http://10.66.0.1:8080/online/status.html"

pki="$LAB_DIR/pki"
vpn=$(api create Type=openvpn Name=lab Host=10.44.0.1 Domain=vpn.lab \
	OpenVPN.CACert="$pki/ca.crt" OpenVPN.Cert="$pki/client.crt" OpenVPN.Key="$pki/client.key" \
	OpenVPN.AuthUserPass=-)
check "Create returns the connection's path" [ "$vpn" = /net/connman/vpn/connection/10_44_0_1_vpn_lab ]
svc=vpn_10_44_0_1_vpn_lab
vpn_table=$((0x636f1001))	# the first VPN's own table (routing-vpn.h); its slot tables are sessions'
check "connmanctl vpnconnections lists it" bash -c "lab_connmanctl vpnconnections | grep -q 10_44_0_1_vpn_lab"
check "the service $svc is in net.connman" bash -c "lab_connmanctl services | grep -q $svc"
check "its State is idle" bash -c "[ \"\$(api prop $vpn State)\" = idle ]"

check "Connect returns once connected" api connect "$vpn"
check "State ready" bash -c "[ \"\$(api prop $vpn State)\" = ready ]"
check "the agent was asked for Username and Password" \
	grep -q "RequestInput $vpn Host:string,Name:string,Password:password,Username:string" "$LAB_DIR/agent.log"
check "and told the connection's Host and Name" grep -q "^about 10.44.0.1 lab$" "$LAB_DIR/agent.log"
check "the password is in no log of connd's" bash -c "! grep -q s3cret $LAB_DIR/connd-dev.log"
check "the service is ready" bash -c "lab_connmanctl services $svc | grep -qE '^  State = (ready|online)'"
check "IPv4 is the pushed address" bash -c "api prop $vpn IPv4 | grep -c 'Address=10.66.0.' >/dev/null"
check "IPv6 is the pushed address" bash -c "api prop $vpn IPv6 | grep -c 'Address=fd66::' >/dev/null"
check "Nameservers are the pushed ones" bash -c "[ \"\$(api prop $vpn Nameservers)\" = 10.66.0.1 ]"
check "the service shows the tunnel's nameserver" \
	bash -c "lab_connmanctl services $svc | grep -q 'Nameservers = \[ 10.66.0.1 \]'"
check "cvpn1 has the pushed address" bash -c "ip -n $dev -4 addr show cvpn1 | grep -q 'inet 10.66.0.'"
check "the VPN's table has the default and the pushed route" \
	bash -c "ip -n $dev route show table all | grep -q '^default dev cvpn1 table' &&
		 ip -n $dev route show table all | grep -q '^10.67.0.0/24 dev cvpn1 table'"
check "the host route to the server stays on the uplink" \
	bash -c "ip -n $dev route show table all | grep -q '^10.44.0.1 dev up0 table'"
check "a rule looks the VPN's table up" bash -c "ip -n $dev rule | grep -q '^9500:.*lookup'"
check "the tunnel's page is fetched through the tunnel" \
	in_dev curl -s -m 5 -o /dev/null http://10.66.0.1:8080/online/status.html
check "a name only the VPN's server knows resolves" \
	bash -c "in_dev dig +short +time=2 +tries=2 @127.0.0.1 secret.vpn.lab | grep -qx 10.67.0.80"

check "Disconnect" api disconnect "$vpn"
check_wait "State idle" 5 bash -c "[ \"\$(api prop $vpn State)\" = idle ]"
check_wait "the tun is gone" 5 bash -c "! ip -n $dev link show cvpn1"
check "no route of the VPN is left" bash -c "! ip -n $dev route show table all | grep -qE 'cvpn1|^10.44.0.1 dev up0 table'"
check "no rule of the VPN is left" bash -c "! ip -n $dev rule | grep -q '^9500:'"

# Wrong credentials: the agent is told (ReportError), the connection fails.
echo wrong >"$LAB_DIR/vpn-password"
check "Connect with a wrong password fails" api connect-fails "$vpn"
check "State failure" bash -c "[ \"\$(api prop $vpn State)\" = failure ]"
check "the agent got ReportError auth-failed" \
	grep -q "ReportError $vpn auth-failed" "$LAB_DIR/agent.log"
check_wait "no tun is left" 5 bash -c "! ip -n $dev link show cvpn1"
echo s3cret >"$LAB_DIR/vpn-password"

# A one-time code: the client's config (OpenVPN.ConfigFile) has a static
# challenge; the agent is asked for OpenVPN.OTP with the challenge's text,
# connd answers openvpn with SCRV1. A wrong code is refused like a wrong
# password, and the next Connect asks again.
printf '%s\n' 'static-challenge "Code from your token" 0' >"$LAB_DIR/otp-client.conf"
otp=$(api create Type=openvpn Name=otp Host=10.44.0.1 Domain=otp.lab \
	OpenVPN.CACert="$pki/ca.crt" OpenVPN.Cert="$pki/client.crt" OpenVPN.Key="$pki/client.key" \
	OpenVPN.AuthUserPass=- OpenVPN.ConfigFile="$LAB_DIR/otp-client.conf")
echo 999999 >"$LAB_DIR/vpn-otp"
check "Connect with a wrong one-time code fails" api connect-fails "$otp"
check "the agent was asked for OpenVPN.OTP as a password, beside the credentials" \
	grep -q "RequestInput $otp Host:string,Name:string,OpenVPN.Challenge:string,OpenVPN.OTP:password,Password:password,Username:string" \
	"$LAB_DIR/agent.log"
check "with the challenge's text, informational" \
	grep -q "challenge informational Code from your token" "$LAB_DIR/agent.log"
check "State failure" bash -c "[ \"\$(api prop $otp State)\" = failure ]"
check "the agent got ReportError auth-failed" grep -q "ReportError $otp auth-failed" "$LAB_DIR/agent.log"
echo 424242 >"$LAB_DIR/vpn-otp"
check "Connect with the right code" api connect "$otp"
check "State ready" bash -c "[ \"\$(api prop $otp State)\" = ready ]"
check "the code was asked again on this Connect" \
	bash -c "[ \$(grep -c 'RequestInput $otp .*OpenVPN.OTP' $LAB_DIR/agent.log) = 2 ]"
check "the code is in no log of connd's" bash -c "! grep -q 424242 $LAB_DIR/connd-dev.log"
check "nor in its state directory" bash -c "! grep -rq 424242 $LAB_DIR/state-dev"
check "Remove" api remove "$otp"
check_wait "its tun is gone" 5 bash -c "! ip -n $dev link show cvpn2"

# Through the real connmanctl, as a user would.
check "connmanctl connect $svc" lab_connmanctl connect "$svc"
check_wait "ready again" 30 bash -c "[ \"\$(api prop $vpn State)\" = ready ]"
# AuthErrorLimit (10 for OpenVPN): one refusal within the hour after a
# success is not told to the agent; the OTP connection, never connected,
# had nothing to vouch for it.
check "the agent was not told of the one refusal (VpnAgent.AuthFailure)" \
	bash -c "! grep -q 'RequestInput $vpn .*VpnAgent.AuthFailure' $LAB_DIR/agent.log"
check "the OTP connection's second ask told its refusal" \
	bash -c "[ \$(grep -c 'RequestInput $otp .*VpnAgent.AuthFailure:string' $LAB_DIR/agent.log) = 1 ]"
check "the tunnel's page again" in_dev curl -s -m 5 -o /dev/null http://10.66.0.1:8080/online/status.html

# Split routing: only the VPN's own routes, and only its domains' names.
check "SplitRouting true" api set "$vpn" SplitRouting true
check_wait "no default route in the VPN's table" 5 \
	bash -c "! ip -n $dev route show table $vpn_table | grep -q '^default dev cvpn1'"
check "the pushed route stays" bash -c "ip -n $dev route show table all | grep -q '^10.67.0.0/24 dev cvpn1 table'"
check "the tunnel's page is still reached" in_dev curl -s -m 5 -o /dev/null http://10.66.0.1:8080/online/status.html
check_wait "the uplink is the default service again" 5 \
	bash -c "lab_connmanctl services | head -1 | grep -q ethernet_"
check "the VPN's domain still resolves through the VPN" \
	bash -c "in_dev dig +short +time=2 +tries=2 @127.0.0.1 secret.vpn.lab | grep -qx 10.67.0.80"
check "other names through the uplink's server" \
	bash -c "in_dev dig +short +time=2 +tries=2 @127.0.0.1 isp.lab | grep -qx 10.44.0.1"
check "SplitRouting false" api set "$vpn" SplitRouting false
check_wait "the default route is back in the VPN's table" 5 \
	bash -c "ip -n $dev route show table $vpn_table | grep -q '^default dev cvpn1'"

# Routes' gateways, as ConnMan reports them: openvpn's route_gateway_N in
# ServerRoutes; a UserRoutes entry's Gateway kept, read back, and kept over a
# restart (below).
check "ServerRoutes name the pushed route's gateway" \
	bash -c "api prop $vpn ServerRoutes | grep 10.67.0.0 | grep -q 10.66.0.1"
check "UserRoutes with Gateways" api set "$vpn" UserRoutes 10.70.0.0/24/10.66.0.1,fd70::/64/fd66::1
check "read back with their Gateways" \
	bash -c "api prop $vpn UserRoutes | grep 10.70.0.0 | grep -q 10.66.0.1 &&
		 api prop $vpn UserRoutes | grep fd70:: | grep -q fd66::1"
check_wait "their routes in the VPN's table" 5 \
	bash -c "ip -n $dev route show table $vpn_table | grep -q '^10.70.0.0/24 dev cvpn1' &&
		 ip -n $dev -6 route show table $vpn_table | grep -q '^fd70::/64 dev cvpn1'"
check "a Gateway of the other family: InvalidArguments, nothing changed" \
	bash -c "api fails InvalidArguments set $vpn UserRoutes 10.71.0.0/24/fd66::1 &&
		 ! api prop $vpn UserRoutes | grep -q 10.71.0.0 && api prop $vpn UserRoutes | grep -q 10.70.0.0"

# AuthErrorLimit 0: every refusal is told.
check "AuthErrorLimit 0" api set "$vpn" AuthErrorLimit 0
check "shown as set" bash -c "[ \"\$(api prop $vpn AuthErrorLimit)\" = 0 ]"
check "AuthErrorLimit not a number: InvalidArguments" api fails InvalidArguments set "$vpn" AuthErrorLimit ten
check "Disconnect" api disconnect "$vpn"
echo wrong >"$LAB_DIR/vpn-password"
check "a wrong password fails" api connect-fails "$vpn"
echo s3cret >"$LAB_DIR/vpn-password"
check "Connect" api connect "$vpn"
check "the agent was told the last credentials were refused" \
	bash -c "[ \$(grep -c 'RequestInput $vpn .*VpnAgent.AuthFailure:string' $LAB_DIR/agent.log) = 1 ]"

# The agent leaves the bus: a new one may register.
kill "$AGENT_PID"; : >"$LAB_DIR/agent.log"
check "a new agent registers once the old one left" start_agent

# kill -9 with the tunnel up: openvpn dies with connd (its tun with it), and
# the next connd removes the routes and rules left, and restores the
# connection, idle, once.
kill -9 "$LAB_CONND_PID"; wait "$LAB_CONND_PID" 2>/dev/null
check_wait "the tun goes with the killed connd" 10 bash -c "! ip -n $dev link show cvpn1"
lab_connd dev up0
check_wait "uplink online after the restart" 20 service_state dev up0 online
kill "$AGENT_PID"; : >"$LAB_DIR/agent.log"
# This one answers with the names ConnMan's openvpn plugin asks for.
export VPN_AGENT_NAMES=openvpn
check "the agent registers with the new connd" start_agent
check "no stale route of the VPN" bash -c "! ip -n $dev route show table all | grep -qE 'cvpn1|^10.44.0.1 dev up0 table'"
check "no stale rule of the VPN" bash -c "! ip -n $dev rule | grep -q '^9500:'"
check "the connection is restored once, idle" \
	bash -c "[ \"\$(api count)\" = 1 ] && [ \"\$(api prop $vpn State)\" = idle ]"
check "with its provider keys" bash -c "[ \"\$(api prop $vpn OpenVPN.CACert)\" = $pki/ca.crt ]"
check "and its AuthErrorLimit" bash -c "[ \"\$(api prop $vpn AuthErrorLimit)\" = 0 ]"
check "and its UserRoutes' Gateways" \
	bash -c "api prop $vpn UserRoutes | grep 10.70.0.0 | grep -q 10.66.0.1 &&
		 api prop $vpn UserRoutes | grep fd70:: | grep -q fd66::1"
check "Connect after the restart, OpenVPN.Username and OpenVPN.Password answered" api connect "$vpn"
check "one default route in the VPN's table, one rule" \
	bash -c "[ \$(ip -n $dev -4 route show table $vpn_table | grep -c '^default dev cvpn1') = 1 ] &&
		 [ \$(ip -n $dev -6 route show table $vpn_table | grep -c '^default dev cvpn1') = 1 ] &&
		 [ \$(ip -n $dev rule | grep -c '^9500:') = 1 ]"
check "Remove takes the connection and its service away" api remove "$vpn"
check_wait "the tun is gone" 5 bash -c "! ip -n $dev link show cvpn1"
check "the service is gone" bash -c "! lab_connmanctl services | grep -q $svc"
check "the connection is gone" bash -c "[ \"\$(api count)\" = 0 ]"

# Bad arguments: clear errors, nothing created.
check "openconnect: NotSupported" api create-fails NotSupported Type=openconnect Name=x Host=10.44.0.1
check "vpnc, l2tp, pptp: NotSupported" bash -c "for t in vpnc l2tp pptp; do
	api create-fails NotSupported Type=\$t Name=x Host=10.44.0.1 || exit 1; done"
check "wireguard: a clear error" \
	bash -c "api create-fails NotSupported Type=wireguard Name=x Host=10.44.0.1 | grep -qi wireguard"
check "no Host: InvalidArguments" api create-fails InvalidArguments Type=openvpn Name=x
check "a bad Host: InvalidArguments" api create-fails InvalidArguments Type=openvpn Name=x Host='a b'
check "an unknown type: InvalidArguments" api create-fails InvalidArguments Type=ipsec Name=x Host=h
check "an unknown provider key: InvalidArguments" \
	api create-fails InvalidArguments Type=openvpn Name=x Host=h OpenVPN.Bogus=1
check "a bad port: InvalidArguments" \
	api create-fails InvalidArguments Type=openvpn Name=x Host=h OpenVPN.Port=99999
check "nothing was created" bash -c "[ \"\$(api count)\" = 0 ]"
check "connd stops cleanly" lab_connd_stop

# openvpn missing: Connect fails with failure, and the log says why.
LAB_CONF="[General]
OpenVPN = $LAB_DIR/no-such-openvpn
VPNScript = $LAB_BUILD/src/connd-vpn-script"
echo "$LAB_CONF" >"$LAB_DIR/main.conf"
lab_connd dev up0
vpn=$(api create Type=openvpn Name=lab Host=10.44.0.1 Domain=vpn.lab OpenVPN.CACert="$pki/ca.crt")
check "Connect fails without openvpn" api connect-fails "$vpn"
check "State failure" bash -c "[ \"\$(api prop $vpn State)\" = failure ]"
check "the log names the missing program" grep -q "no openvpn program at $LAB_DIR/no-such-openvpn" "$LAB_DIR/connd-dev.log"
check "connd stops cleanly" lab_connd_stop
lab_done
