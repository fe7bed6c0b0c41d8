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
. "$LAB_REPO/tests/lab/portal-lab.sh"
portal_lab 10.47.0.1
# A big page over TLS takes longer on a loaded machine.
PORTAL_CHECK_TIMEOUT=5000
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
connd_portal 30 60 --browser cancel --user alice --password 's3cret pass&word'
logs_in "http, message after 30 KiB" "POST /wispr: user alice accepted"

# 2. 20 KiB in, its start tag cut across two reads: the first one ends
# past 16 KiB, where connd used to stop.
portal wispr --pad 20000 --split-tag
connd_portal 30 60 --browser cancel --user alice --password 's3cret pass&word'
logs_in "http, tag across reads" "POST /wispr: user alice accepted"

# 3. https: the login page over TLS, the message 70 KiB in.
portal wispr --pad 70000 --login-url "$LOGIN" --page-url "$HOTSPOT/login"
connd_portal 30 60 --browser cancel --user alice --password 's3cret pass&word'
check_wait "https: the login page is fetched over TLS" 20 portal_said "tls GET /login"
logs_in "https, message after 70 KiB" "tls POST /wispr: user alice accepted"

# 4. The same, its start tag cut across two TLS records.
portal wispr --pad 70000 --split-tag --login-url "$LOGIN" --page-url "$HOTSPOT/login"
connd_portal 30 60 --browser cancel --user alice --password 's3cret pass&word'
logs_in "https, tag across reads" "tls POST /wispr: user alice accepted"

# 5. A page longer than 1 MiB before its message: read no further, no
# login, the log says why, the browser gets the page; connd goes on.
portal wispr --pad 1100000
connd_portal 30 60 --browser cancel --user alice --password 's3cret pass&word'
check_wait "a page over 1 MiB: the browser is asked for" 30 agent_said "browser $PORTAL/login"
check "the log says why" connd_said "$svc: no WISPr message in the first 1024 KiB of the portal's page: read no further"
check "no credentials asked for" bash -c "! grep -q '^input' '$LAB_DIR/agent.log'"
check "no login posted" bash -c "! grep -q POST '$LAB_DIR/portal.log'"
check "the service stays ready" service_state dev up0 ready
check "connd stops cleanly" stop_all

# 6. The same over https.
portal wispr --pad 1100000 --login-url "$LOGIN" --page-url "$HOTSPOT/login"
connd_portal 30 60 --browser cancel --user alice --password 's3cret pass&word'
check_wait "https, a page over 1 MiB: the browser is asked for" 30 \
	agent_said "browser $HOTSPOT/login"
check "the log says why" connd_said "$svc: no WISPr message in the first 1024 KiB of the portal's page: read no further"
check "no credentials asked for" bash -c "! grep -q '^input' '$LAB_DIR/agent.log'"
check "the service stays ready" service_state dev up0 ready
check "connd stops cleanly" stop_all
lab_done
