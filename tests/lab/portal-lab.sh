# Shared by the captive-portal scenarios (tests/net/portal*.sh), sourced
# after tests/lab/lab.sh: the portal server in the ISP's namespace (at
# PORTAL_ADDR, with the test CA of tests/lab/pki.sh in $LAB_DIR/pki), connd
# checking through it with an agent (tests/lab/portal-agent.py), and what
# each of them said.

# portal_lab ADDR: the test CA and the hotspot's certificates, the lab's bus,
# and the names the scenarios use: svc (up0's service), the portal's check
# URL (PORTAL), the hotspot (HOTSPOT) and its WISPr LoginURL (LOGIN), the
# portal serving at ADDR (PORTAL_ADDR), the ISP's.
portal_lab() {
	check "a test CA and server certificates" "$LAB_REPO/tests/lab/pki.sh" "$LAB_DIR/pki" \
		hotspot.example
	lab_dbus
	svc=$(lab_service dev up0)
	PORTAL=http://isp.lab:8080
	HOTSPOT=https://hotspot.example:8443
	LOGIN="$HOTSPOT/wispr?origin=lab&v=1"
	PORTAL_ADDR=$1
}

# portal MODE [portal-http.py options]: (re)starts the portal server,
# nobody logged in: plain http on 8080, TLS on 8443 with the trusted CA's
# certificate (ROGUE=1: the unknown CA's).
portal() {
	local mode=$1 ca=ca
	shift
	[ -n "${ROGUE:-}" ] && ca=rogue
	[ -n "${PORTAL_PID:-}" ] && kill "$PORTAL_PID" && wait "$PORTAL_PID" 2>/dev/null
	: >"$LAB_DIR/portal.log"
	ip netns exec "$(lab_nsname isp)" "$LAB_PY" "$LAB_REPO/tests/lab/portal-http.py" \
		--bind $PORTAL_ADDR --port 8080 --mode "$mode" --https-port 8443 \
		--cert "$LAB_DIR/pki/$ca-srv.pem" --key "$LAB_DIR/pki/$ca-srv.key" "$@" \
		>>"$LAB_DIR/portal.log" 2>&1 &
	PORTAL_PID=$!
	lab_defer "kill $PORTAL_PID"
	lab_wait "$LAB_UP" lab_exec isp bash -c "exec 3<>/dev/tcp/$PORTAL_ADDR/8080"
	lab_wait 5 lab_exec isp bash -c "exec 3<>/dev/tcp/$PORTAL_ADDR/8443"
}
checks_seen() { grep -c 'GET /check' "$LAB_DIR/portal.log"; }
checks_more_than() { [ "$(checks_seen)" -gt "$1" ]; }

# connd_portal INITIAL MAX [AGENT ARGS...]: connd with the check on the
# portal and those retry intervals, cable out until the agent registered
# (a portal met before there is an agent is met without one).
connd_portal() {
	local initial=$1 max=$2
	shift 2
	LAB_CONF="[General]
OnlineCheckIPv4URL = $PORTAL/check
OnlineCheckTimeout = ${PORTAL_CHECK_TIMEOUT:-3000}
OnlineCheckInitialInterval = $initial
OnlineCheckMaxInterval = $max
CaptivePortalCAFile = $LAB_DIR/pki/ca.pem
LocaltimeFile = $LAB_DIR/localtime
${EXTRA_CONF:-}"
	rm -f "$LAB_DIR/main.conf"
	: >"$LAB_DIR/connd-dev.log"
	: >"$LAB_DIR/agent.log"
	lab_exec isp ip link set eth0 down
	lab_connd dev up0 -d
	# Not through a shell function: $! is the agent, which stop_all ends.
	ip netns exec "$(lab_nsname dev)" "$LAB_PY" "$LAB_REPO/tests/lab/portal-agent.py" "$@" \
		>"$LAB_DIR/agent.log" 2>&1 &
	AGENT_PID=$!
	lab_defer "kill $AGENT_PID"
	# A Python client with D-Bus can take seconds to start on a loaded machine.
	lab_wait "$LAB_UP" grep -q registered "$LAB_DIR/agent.log"
	lab_exec isp ip link set eth0 up
}
stop_all() {
	lab_connd_stop
	local rc=$?
	kill "$AGENT_PID" 2>/dev/null; wait "$AGENT_PID" 2>/dev/null
	return $rc
}
agent_said() { grep -qF -- "$1" "$LAB_DIR/agent.log"; }
browser_asks() { grep -c '^browser ' "$LAB_DIR/agent.log"; }
portal_said() { grep -qF -- "$1" "$LAB_DIR/portal.log"; }
connd_said() { grep -qF -- "$1" "$LAB_DIR/connd-dev.log"; }
