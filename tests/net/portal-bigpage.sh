#!/usr/bin/env bash
# Captive portals with big pages (tests/lab/portal-http.py --pad): real
# hotspots send pages of inline CSS, scripts and data: images, with the
# WISPr message anywhere. connd reads a portal's page of any size up to
# 1 MiB, keeping only a small window (doc/connd.8), and finds the message
# past 16 KiB over http: (where it used to stop), past 64 KiB over https:
# (where the page used to be refused as too long), and when its tag comes
# cut across two reads (--split-tag). A page longer than 1 MiB is read no
# further: no login, the log says why, the browser is asked for, connd
# goes on.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
lab_isp isp eth0 10.47.0.1/24 --dhcp-conf=address=/hotspot.example/10.47.0.1
check "a test CA and server certificates" "$LAB_REPO/tests/lab/pki.sh" "$LAB_DIR/pki" \
	hotspot.example
lab_dbus
svc=$(lab_service dev up0)
PORTAL=http://isp.lab:8080
HOTSPOT=https://hotspot.example:8443
LOGIN="$HOTSPOT/wispr?origin=lab&v=1"

# portal MODE [portal-http.py options]: (re)starts the portal server,
# nobody logged in: plain http on 8080, TLS on 8443.
portal() {
	local mode=$1
	shift
	[ -n "${PORTAL_PID:-}" ] && kill "$PORTAL_PID" && wait "$PORTAL_PID" 2>/dev/null
	: >"$LAB_DIR/portal.log"
	ip netns exec "$(lab_nsname isp)" "$LAB_PY" "$LAB_REPO/tests/lab/portal-http.py" \
		--bind 10.47.0.1 --port 8080 --mode "$mode" --https-port 8443 \
		--cert "$LAB_DIR/pki/ca-srv.pem" --key "$LAB_DIR/pki/ca-srv.key" "$@" \
		>>"$LAB_DIR/portal.log" 2>&1 &
	PORTAL_PID=$!
	lab_defer "kill $PORTAL_PID"
	lab_wait "$LAB_UP" lab_exec isp bash -c "exec 3<>/dev/tcp/10.47.0.1/8080"
	lab_wait 5 lab_exec isp bash -c "exec 3<>/dev/tcp/10.47.0.1/8443"
}

# connd_portal [AGENT ARGS...]: connd with the check on the portal, cable
# out until the agent registered.
connd_portal() {
	LAB_CONF="[General]
OnlineCheckIPv4URL = $PORTAL/check
OnlineCheckTimeout = 5000
OnlineCheckInitialInterval = 30
OnlineCheckMaxInterval = 60
CaptivePortalCAFile = $LAB_DIR/pki/ca.pem
LocaltimeFile = $LAB_DIR/localtime"
	rm -f "$LAB_DIR/main.conf"
	: >"$LAB_DIR/connd-dev.log"
	: >"$LAB_DIR/agent.log"
	lab_exec isp ip link set eth0 down
	lab_connd dev up0 -d
	ip netns exec "$(lab_nsname dev)" "$LAB_PY" "$LAB_REPO/tests/lab/portal-agent.py" \
		--user alice --password 's3cret pass&word' "$@" >"$LAB_DIR/agent.log" 2>&1 &
	AGENT_PID=$!
	lab_defer "kill $AGENT_PID"
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
portal_said() { grep -qF -- "$1" "$LAB_DIR/portal.log"; }
connd_said() { grep -qF -- "$1" "$LAB_DIR/connd-dev.log"; }
asked_credentials() {
	agent_said "input Password:passphrase:mandatory Username:string:mandatory"
}

# logs_in WHAT LOGIN-LINE: the WISPr message found, the login taken, online.
logs_in() {
	check_wait "$1: the agent is asked for Username and Password" 20 asked_credentials
	check_wait "$1: the portal took the login" 10 portal_said "$2"
	check_wait "$1: online" 5 service_state dev up0 online
	check "$1: no browser was needed" bash -c "! grep -q '^browser' '$LAB_DIR/agent.log'"
	check "$1: connd stops cleanly" stop_all
}

# 1. http: the WISPr message 30 KiB into the check's answer (and into the
# login page). connd used to keep 16 KiB of a body, or up to 24 KiB less
# the head when a read brought more.
portal wispr --pad 30000
connd_portal --browser cancel
logs_in "http, message after 30 KiB" "POST /wispr: user alice accepted"

# 2. 20 KiB in, its start tag cut across two reads: the first one ends
# past 16 KiB, where connd used to stop.
portal wispr --pad 20000 --split-tag
connd_portal --browser cancel
logs_in "http, tag across reads" "POST /wispr: user alice accepted"

# 3. https: the login page over TLS, the message 70 KiB in.
portal wispr --pad 70000 --login-url "$LOGIN" --page-url "$HOTSPOT/login"
connd_portal --browser cancel
check_wait "https: the login page is fetched over TLS" 20 portal_said "tls GET /login"
logs_in "https, message after 70 KiB" "tls POST /wispr: user alice accepted"

# 4. The same, its start tag cut across two TLS records.
portal wispr --pad 70000 --split-tag --login-url "$LOGIN" --page-url "$HOTSPOT/login"
connd_portal --browser cancel
logs_in "https, tag across reads" "tls POST /wispr: user alice accepted"

# 5. A page longer than 1 MiB before its message: read no further, no
# login, the log says why, the browser gets the page; connd goes on.
portal wispr --pad 1100000
connd_portal --browser cancel
check_wait "a page over 1 MiB: the browser is asked for" 30 agent_said "browser $PORTAL/login"
check "the log says why" connd_said "$svc: no WISPr message in the first 1024 KiB of the portal's page: read no further"
check "no credentials asked for" bash -c "! grep -q '^input' '$LAB_DIR/agent.log'"
check "no login posted" bash -c "! grep -q POST '$LAB_DIR/portal.log'"
check "the service stays ready" service_state dev up0 ready
check "connd stops cleanly" stop_all

# 6. The same over https.
portal wispr --pad 1100000 --login-url "$LOGIN" --page-url "$HOTSPOT/login"
connd_portal --browser cancel
check_wait "https, a page over 1 MiB: the browser is asked for" 30 \
	agent_said "browser $HOTSPOT/login"
check "the log says why" connd_said "$svc: no WISPr message in the first 1024 KiB of the portal's page: read no further"
check "no credentials asked for" bash -c "! grep -q '^input' '$LAB_DIR/agent.log'"
check "the service stays ready" service_state dev up0 ready
check "connd stops cleanly" stop_all
lab_done
