#!/usr/bin/env bash
# Issue 17, item 1: an unprivileged client (nobody, on the installed bus
# policy) holding 200 sessions with StatisticsInterval=1 costs connd no
# descriptor per session: connd's descriptor count stays near idle, the DNS
# proxy answers, settings are saved; after the client leaves the count is
# back to idle and the ASan connd reports no leak at exit.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
command -v dig >/dev/null || { lab_log "needs dig"; exit 77; }
SESSIONS=200
lab_init
chmod 755 "$LAB_DIR"
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
lab_isp isp eth0 10.41.0.1/24
mkdir -p "$LAB_DIR/policy"

# The installed policy decides who may call connd, as on a real system bus.
lab_dbus --installed-policy

# One user's sessions past the default SessionsPerUser: this is about
# what each costs, not how many are allowed.
LAB_CONF="[General]
OnlineCheckIPv4URL = http://isp.lab/online/status.html
OnlineCheckTimeout = 3000
SessionsPerUser = $SESSIONS
LocaltimeFile = $LAB_DIR/localtime"
lab_connd dev up0
svc=$(lab_service dev up0)
check_wait "online" 20 service_state dev up0 online
fds() { find "/proc/$LAB_CONND_PID/fd" -mindepth 1 -maxdepth 1 | wc -l; }
dns_answers() { lab_exec dev dig +time=2 +tries=1 +short @127.0.0.1 "$1" | grep -qx 10.41.0.1; }
check "the DNS proxy answers" dns_answers isp.lab
sleep 1
idle=$(fds)
lab_log "connd holds $idle descriptors when idle"

mkfifo "$LAB_DIR/hostile.in"
nsenter --net="/run/netns/$(lab_nsname dev)" setpriv --reuid=65534 --regid=65534 --clear-groups \
	env DBUS_SYSTEM_BUS_ADDRESS="$DBUS_SYSTEM_BUS_ADDRESS" \
	"$LAB_PY" "$LAB_REPO/tests/lab/many-sessions.py" "$SESSIONS" \
	<"$LAB_DIR/hostile.in" >"$LAB_DIR/hostile.out" 2>"$LAB_DIR/hostile.err" &
hostile=$!
lab_defer "kill $hostile"
exec {hold}>"$LAB_DIR/hostile.in"
check_wait "nobody created $SESSIONS sessions" 90 grep -qx "created $SESSIONS" "$LAB_DIR/hostile.out"
check_wait "every session got its Statistics" 15 grep -qx stats "$LAB_DIR/hostile.out"
busy=$(fds)
lab_log "connd holds $busy descriptors with $SESSIONS sessions"
check "descriptors stay near idle ($busy with $SESSIONS sessions, $idle idle)" \
	test "$busy" -le $((idle + 8))
check "the DNS proxy still answers" dns_answers www.isp.lab
check "a fresh name goes upstream and back" dns_answers who.isp.lab
check "settings still save" lab_connmanctl config "$svc" --domains fds.lab
check_wait "the settings file has them" 5 grep -q "fds.lab" "$LAB_DIR/state-dev/$svc/settings"

exec {hold}>&-
wait "$hostile"
check_wait "the client left: its sessions are gone" 10 \
	bash -c "[ \$(grep -c 'session [0-9]* (/sessions/[0-9/]*) gone' '$LAB_DIR/connd-dev.log') = $SESSIONS ]"
sleep 1
after=$(fds)
check "descriptors back to idle ($after, $idle idle)" test "$after" -le $((idle + 1))
check "connd stops cleanly: no leak" lab_connd_stop
lab_done
