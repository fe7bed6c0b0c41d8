#!/usr/bin/env bash
# The Captive Portal API (RFC 8908), announced by DHCP option 114 (RFC
# 8910): while it says captive the service stays ready (though the HTTP
# check would say online) and the agent is asked once to open the
# user-portal-url; a login takes it online within the check's back-off; when
# the session's seconds-remaining run out it is ready again and the agent is
# asked again. An API whose certificate is not trusted, or whose JSON is
# malformed, is not believed: the HTTP check decides, and the log says why.
# A URI that router advertisements bring (option 37) later, while the
# service is online, is asked at once and takes it back to ready.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0	# the captive network
lab_link isp eth1 dev up1	# its API's certificate from an unknown CA
lab_link isp eth2 dev up2	# its API's JSON cut short
lab_link isp eth3 dev up3	# the API only in router advertisements

# A test CA that connd trusts (CaptivePortalCAFile), and one it does not.
check "a test CA and server certificates" "$LAB_REPO/tests/lab/pki.sh" "$LAB_DIR/pki" portal.example

# api_server ADDR CA [--session S]: the lab's RFC 8908 server on ADDR:443.
api_server() {
	local addr=$1 ca=$2
	shift 2
	lab_exec isp "$LAB_PY" "$LAB_REPO/tests/lab/capport-api.py" --bind "$addr" \
		--cert "$LAB_DIR/pki/$ca-srv.pem" --key "$LAB_DIR/pki/$ca-srv.key" "$@" \
		>"$LAB_DIR/api-$addr.log" 2>&1 &
	lab_defer "kill $!"
	lab_wait 5 grep -q listening "$LAB_DIR/api-$addr.log"
}

for i in 0 1 2; do
	path=/api
	[ $i = 2 ] && path=/badjson
	lab_isp isp eth$i 10.42.$i.1/24 "--dhcp-conf=address=/portal.example/10.42.$i.1" \
		"--dhcp-conf=dhcp-option=114,\"https://portal.example$path\""
done
lab_isp isp eth3 10.42.3.1/24 --dhcp-conf=address=/portal.example/10.42.3.1
check "the API servers run" api_server 10.42.0.1 ca --session 10
api_server 10.42.1.1 rogue
api_server 10.42.2.1 ca
api_server 10.42.3.1 ca --portal https://portal.example/ra.html
# No carrier until the agent is there to be asked.
lab_exec isp ip link set eth0 down

lab_dbus
LAB_CONF="[General]
OnlineCheckIPv4URL = http://isp.lab/online/status.html
OnlineCheckTimeout = 3000
OnlineCheckInitialInterval = 1
OnlineCheckMaxInterval = 2
CaptivePortalCAFile = $LAB_DIR/pki/ca.pem
LocaltimeFile = $LAB_DIR/localtime"
lab_connd dev 'up0,up1,up2,up3'
log=$LAB_DIR/connd-dev.log

check_wait "an untrusted certificate: the HTTP check decides (online)" 20 service_state dev up1 online
check "and the log says the certificate was not trusted" \
	grep -q "$(lab_service dev up1): Captive Portal API https://portal.example/api not usable: certificate of portal.example not trusted" "$log"
check_wait "malformed JSON: the HTTP check decides (online)" 20 service_state dev up2 online
check "and the log says the JSON was not usable" \
	grep -q "$(lab_service dev up2): Captive Portal API https://portal.example/badjson not usable: HTTP 200 (application/captive+json) with no usable JSON" "$log"
check "the malformed JSON was fetched" grep -q badjson "$LAB_DIR/api-10.42.2.1.log"

lab_exec dev "$LAB_PY" "$LAB_REPO/tests/lab/counter-agent.py" 120 >"$LAB_DIR/agent.log" 2>&1 &
lab_defer "kill $!"
check_wait "the agent registered" 5 grep -q registered "$LAB_DIR/agent.log"
lab_exec isp ip link set eth0 up

check_wait "no API announced yet: online by the HTTP check" 20 service_state dev up3 online
lab_exec isp "$LAB_PY" "$LAB_REPO/tests/lab/ra-captive.py" eth3 https://portal.example/api \
	>"$LAB_DIR/ra.log" 2>&1 &
lab_defer "kill $!"
check_wait "an RA's option 37 while online: its API is asked" 20 \
	grep -q "^api captive" "$LAB_DIR/api-10.42.3.1.log"
check_wait "captive: back to ready" 10 service_state dev up3 ready
check_wait "and the agent is asked to open that API's user-portal-url" 10 \
	grep -q "^browser https://portal.example/ra.html" "$LAB_DIR/agent.log"

browser_asked() { [ "$(grep -c "^browser https://portal.example/portal.html" "$LAB_DIR/agent.log")" = "$1" ]; }
api_answers() { grep -c "^api $1" "$LAB_DIR/api-10.42.0.1.log"; }
check_wait "captive: the agent is asked to open the user-portal-url" 20 browser_asked 1
check "the service is ready" service_state dev up0 ready
sleep 4
check "still ready while captive (the HTTP check alone would say online)" service_state dev up0 ready
check "the API is asked again while captive" test "$(api_answers captive)" -ge 3
check "the agent was asked once in this captive episode" browser_asked 1

login() {
	lab_exec isp curl -s --max-time 3 --cacert "$LAB_DIR/pki/ca.pem" \
		--resolve portal.example:443:10.42.0.1 -X POST https://portal.example/login
}
check "the user logs in" login
check_wait "online soon after the login" 5 service_state dev up0 online
check "the API said open" test "$(api_answers open)" -ge 1
check_wait "the session runs out: ready again" 15 service_state dev up0 ready
check_wait "and the agent is asked again" 5 browser_asked 2
check "connd stops cleanly" lab_connd_stop
lab_done
