#!/usr/bin/env bash
# Captive portals (tests/lab/portal-http.py in the ISP's namespace): the
# service stays ready behind one, and the agent (tests/lab/portal-agent.py)
# is asked once per episode to open the portal's page (the redirect's
# Location, not the check URL); when it answers, connd checks again at once.
# A WISPr hotspot gets the agent's Username and Password posted to its
# LoginURL; a refusal is reported and the browser asked for. An https:
# LoginURL (the portal's TLS listener, a test CA from tests/lab/pki.sh that
# main.conf's CaptivePortalCAFile names) gets them over TLS, the server's
# certificate verified for the URL's host; a certificate connd does not
# trust gets no POST at all (the portal's log shows none), nor does a
# LoginURL of another scheme, and the log says why. A redirect to a login
# page over https: is fetched (verified) for its WISPr message, as ConnMan
# follows redirects over either scheme. Without the online check there is
# no request at all. A link or gateway change checks again at once,
# back-off or not.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
# Renewals every 3 s; a client tagged in the hosts file gets another gateway.
# dnsmasq reads them after dropping its privileges: a folder it may enter.
DHCP_FILES=$(mktemp -d /tmp/connd-lab-dhcp.XXXX)
lab_defer "rm -rf '$DHCP_FILES'"
chmod 755 "$DHCP_FILES"
: >"$DHCP_FILES/hosts"
echo "tag:moved,option:router,10.46.0.2" >"$DHCP_FILES/opts"
chmod 644 "$DHCP_FILES/hosts" "$DHCP_FILES/opts"
lab_isp isp eth0 10.46.0.1/24 --dhcp-conf=address=/hotspot.example/10.46.0.1 \
	--dhcp-conf="dhcp-option=option:T1,3" \
	--dhcp-conf="dhcp-option=option:T2,6" --dhcp-conf="dhcp-hostsfile=$DHCP_FILES/hosts" \
	--dhcp-conf="dhcp-optsfile=$DHCP_FILES/opts"
lab_exec isp ip addr add 10.46.0.2/24 dev eth0
. "$LAB_REPO/tests/lab/portal-lab.sh"
portal_lab 10.46.0.1
checks_seen() { grep -c 'GET /check' "$LAB_DIR/portal.log"; }
checks_more_than() { [ "$(checks_seen)" -gt "$1" ]; }
browser_asks() { grep -c '^browser ' "$LAB_DIR/agent.log"; }
no_post() { ! grep -q POST "$LAB_DIR/portal.log"; }

# 1. A plain portal, an agent whose user closes the browser.
portal redirect
connd_portal 1 1 --browser cancel
check_wait "a redirect: the agent is asked to open the portal's login page" 20 \
	agent_said "browser $PORTAL/login"
check_wait "the check goes on (several checks reached the portal)" 15 checks_more_than 4
check "the service stays ready" service_state dev up0 ready
check "RequestBrowser came once for the episode, not at each retry" \
	test "$(browser_asks)" = 1
check "connd stops cleanly" stop_all

# 2. The user logs in through the browser: online at once, though the next
# retry is 30 s away.
portal redirect
connd_portal 30 60 --browser login
check_wait "the agent's browser posted the login form" 20 agent_said "posted the login form: 200"
check_wait "online within seconds of the agent's answer" 5 service_state dev up0 online
check "after two checks only" test "$(checks_seen)" = 2
check "connd stops cleanly" stop_all

# 3. A WISPr hotspot and the right credentials.
portal wispr
connd_portal 30 60 --browser cancel --user alice --password 's3cret pass&word'
check_wait "the agent is asked for ConnMan's WISPr fields" 20 \
	agent_said "input Password:passphrase:mandatory Username:string:mandatory"
check_wait "the portal took the login" 10 grep -q 'POST /wispr: user alice accepted' \
	"$LAB_DIR/portal.log"
check_wait "online at once" 5 service_state dev up0 online
check "no browser was needed" test "$(browser_asks)" = 0
check "the password is not in connd's debug log" \
	bash -c "! grep -qiE 's3cret|pass%26word|pass&word' '$LAB_DIR/connd-dev.log'"
check "connd stops cleanly" stop_all

# 4. Wrong credentials: reported, then the browser.
portal wispr
connd_portal 30 60 --browser cancel --user alice --password wrong
check_wait "the portal refused the login" 20 grep -q 'POST /wispr: user alice refused' \
	"$LAB_DIR/portal.log"
check_wait "the agent is told login-failed" 5 agent_said "error login-failed"
check_wait "and asked to open the portal's page" 5 agent_said "browser $PORTAL/login"
check "the service stays ready" service_state dev up0 ready
check "connd stops cleanly" stop_all

# 5. An agent that prefers its browser to giving credentials.
portal wispr
connd_portal 30 60 --browser login --launch-browser
check_wait "LaunchBrowser: the browser is asked for" 20 agent_said "browser $PORTAL/login"
check_wait "and its login brings the service online" 5 service_state dev up0 online
check "connd stops cleanly" stop_all

# 6. An https: LoginURL and the right credentials: one POST over TLS with
# WISPr's fields, then online.
portal wispr --login-url "$LOGIN"
connd_portal 30 60 --browser cancel --user alice --password 's3cret pass&word'
check_wait "the agent is asked for Username and Password" 20 \
	agent_said "input Password:passphrase:mandatory Username:string:mandatory"
check_wait "the login came over TLS, and was taken" 10 \
	portal_said "tls POST /wispr: user alice accepted"
check "with WISPr's fields: button, FNAME, OriginatingServer, the password" portal_said \
	"fields FNAME=0 OriginatingServer=$PORTAL/check Password=right UserName=alice button=Login"
check "and nothing over plain http" bash -c "! grep -E '^[0-9.]+ POST' '$LAB_DIR/portal.log'"
check_wait "online at once" 5 service_state dev up0 online
check "no browser was needed" test "$(browser_asks)" = 0
check "the password is not in connd's debug log" \
	bash -c "! grep -qiE 's3cret|pass%26word|pass&word' '$LAB_DIR/connd-dev.log'"
check "connd stops cleanly" stop_all

# 7. A wrong password: refused over TLS, reported, then the browser.
portal wispr --login-url "$LOGIN"
connd_portal 30 60 --browser cancel --user alice --password wrong
check_wait "the hotspot refused the login it got over TLS" 20 \
	portal_said "tls POST /wispr: user alice refused"
check_wait "the agent is told login-failed" 5 agent_said "error login-failed"
check_wait "and asked to open the portal's page" 5 agent_said "browser $PORTAL/login"
check "the service stays ready" service_state dev up0 ready
check "connd stops cleanly" stop_all

# 8. A certificate from a CA connd does not trust: no POST reaches the
# hotspot, the log says why, the browser is asked for (no login-failed:
# the hotspot refused nothing).
ROGUE=1 portal wispr --login-url "$LOGIN"
connd_portal 30 60 --browser cancel --user alice --password 's3cret pass&word'
check_wait "the agent gave the credentials" 20 \
	agent_said "input Password:passphrase:mandatory Username:string:mandatory"
check_wait "the login is left to the browser" 10 agent_said "browser $PORTAL/login"
check "the log says why" \
	connd_said "$svc: WISPr login not sent: certificate of hotspot.example not trusted"
check "no POST reached the hotspot" no_post
check "no login-failed either" bash -c "! grep -q '^error' '$LAB_DIR/agent.log'"
check "the service stays ready" service_state dev up0 ready
check "connd stops cleanly" stop_all

# 9. A LoginURL of another scheme: the browser, no credentials asked.
portal wispr --login-url "ftp://hotspot.example/wispr"
connd_portal 30 60 --browser cancel
check_wait "another scheme: the browser" 20 agent_said "browser $PORTAL/login"
check "the log says why" \
	connd_said "$svc: WISPr LoginURL neither http: nor https:, left to a browser"
check "no credentials asked for" bash -c "! grep -q '^input' '$LAB_DIR/agent.log'"
check "connd stops cleanly" stop_all

# 10. The check redirects to a login page over https:, the WISPr message in
# that page only: it is fetched (certificate verified), then the login.
portal wispr --login-url "$LOGIN" --page-url "$HOTSPOT/login"
connd_portal 30 60 --browser cancel --user alice --password 's3cret pass&word'
check_wait "the login page is fetched over TLS" 20 portal_said "tls GET /login"
check_wait "its WISPr message leads to the login over TLS" 10 \
	portal_said "tls POST /wispr: user alice accepted"
check_wait "online" 5 service_state dev up0 online
check "connd stops cleanly" stop_all

# 11. The same page behind an untrusted certificate: not read, the browser
# gets its URL, the log says why.
ROGUE=1 portal wispr --login-url "$LOGIN" --page-url "$HOTSPOT/login"
connd_portal 30 60 --browser cancel
check_wait "the browser is asked to open the https: page" 20 agent_said "browser $HOTSPOT/login"
check "the log says why" \
	connd_said "$svc: the portal's page not read: certificate of hotspot.example not trusted"
check "nothing reached the hotspot over TLS" bash -c "! grep -q ' tls ' '$LAB_DIR/portal.log'"
check "no credentials asked for" bash -c "! grep -q '^input' '$LAB_DIR/agent.log'"
check "connd stops cleanly" stop_all

# 12. EnableOnlineCheck = false: ready, and not one request to the portal.
portal redirect
EXTRA_CONF="EnableOnlineCheck = false" connd_portal 1 1 --browser login
check_wait "ready" 20 service_state dev up0 ready
sleep 3
check "still ready, never online" service_state dev up0 ready
check "no HTTP request reached the portal" test "$(checks_seen)" = 0
check "no agent call either" bash -c "! grep -qE '^(browser|input)' '$LAB_DIR/agent.log'"
check "connd stops cleanly" stop_all

# 13. Retries 30 s apart, the user still on the portal's page; then the
# cable goes out and in: the request is withdrawn, and checked at once.
portal redirect
connd_portal 30 60 --browser hold
check_wait "behind the portal" 20 agent_said "browser $PORTAL/login"
n=$(checks_seen)
lab_exec isp ip link set eth0 down
check_wait "cable out: idle" 10 service_state dev up0 idle
check_wait "the pending RequestBrowser is withdrawn with Cancel()" 5 agent_said cancel
lab_exec isp ip link set eth0 up
check_wait "cable in: checked again at once" 10 checks_more_than "$n"
check_wait "and the new episode asks the browser again" 5 test "$(browser_asks)" = 2

# 14. The lease's renewal names another gateway: checked again at once.
n=$(checks_seen)
mac=$(lab_exec dev cat /sys/class/net/up0/address)
echo "$mac,set:moved" >"$DHCP_FILES/hosts"
kill -HUP "$(cat "$LAB_DIR/dnsmasq-isp-eth0.pid")"
check_wait "the renewal moved the default route" 15 \
	bash -c "ip -n $(lab_nsname dev) route show default | grep -q 'via 10.46.0.2'"
check_wait "a gateway change: checked again at once" 5 checks_more_than "$n"
check "connd stops cleanly" stop_all
lab_done
