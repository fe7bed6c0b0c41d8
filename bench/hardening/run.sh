#!/usr/bin/env bash
# bench/hardening: issue 17's attack, re-run. The unprivileged `nobody`, on
# the installed bus policy, asks for SESSIONS (1000) sessions with
# StatisticsInterval=1; connd's descriptors and RSS before, with them and
# after they are gone, and whether the DNS proxy kept answering another
# user (root, dig every 0.2 s) throughout. Once with the default
# SessionsPerUser (64), once with SessionsPerUser = SESSIONS, to show what
# each session costs when admitted. Plain build (RSS means little under ASan).
#   bench/hardening/run.sh [BUILD]
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "$REPO/${1:-build}" && pwd)
SESSIONS=${SESSIONS:-1000}
export REPO BUILD CONND=$BUILD/src/connd
. "$REPO/tests/lab/lab.sh"
lab_require_root
command -v dig >/dev/null || { echo "needs dig (bind9-dnsutils)"; exit 1; }

# one_run CAP: prints "cap idle_fds idle_rss busy_fds busy_rss after_fds after_rss made dns_ok dns_total"
one_run() {
	local cap=$1
	(
		lab_init
		chmod 755 "$LAB_DIR"
		lab_ns isp; lab_ns dev
		lab_link isp eth0 dev up0
		lab_isp isp eth0 10.43.0.1/24
		mkdir -p "$LAB_DIR/policy"
		lab_dbus --installed-policy
		LAB_CONF="[General]
OnlineCheckIPv4URL = http://isp.lab/online/status.html
${cap:+SessionsPerUser = $cap}
LocaltimeFile = $LAB_DIR/localtime"
		lab_connd dev up0 >/dev/null
		lab_wait 20 service_state dev up0 online
		fds() { find "/proc/$LAB_CONND_PID/fd" -mindepth 1 -maxdepth 1 | wc -l; }
		rss() { awk '/^VmRSS/ { print $2 }' "/proc/$LAB_CONND_PID/status"; }
		sleep 1
		local idle_fds idle_rss busy_fds busy_rss after_fds after_rss made
		idle_fds=$(fds); idle_rss=$(rss)
		# Another user's DNS, throughout.
		(while :; do
			if lab_exec dev dig +time=1 +tries=1 +short @127.0.0.1 isp.lab | grep -qx 10.43.0.1
			then echo ok; else echo fail; fi
			sleep 0.2
		done) >"$LAB_DIR/dns.log" 2>/dev/null &
		local digger=$!
		mkfifo "$LAB_DIR/hostile.in"
		nsenter --net="/run/netns/$(lab_nsname dev)" setpriv --reuid=65534 --regid=65534 \
			--clear-groups env DBUS_SYSTEM_BUS_ADDRESS="$DBUS_SYSTEM_BUS_ADDRESS" \
			"$LAB_PY" "$LAB_REPO/tests/lab/many-sessions.py" "$SESSIONS" \
			<"$LAB_DIR/hostile.in" >"$LAB_DIR/hostile.out" 2>/dev/null &
		local hostile=$!
		exec {hold}>"$LAB_DIR/hostile.in"
		lab_wait 300 grep -q "^created" "$LAB_DIR/hostile.out"
		sleep 3	# statistics ticking
		busy_fds=$(fds); busy_rss=$(rss)
		made=$(awk '/^created/ { print $2 }' "$LAB_DIR/hostile.out")
		exec {hold}>&-
		wait "$hostile"
		sleep 3
		after_fds=$(fds); after_rss=$(rss)
		kill "$digger"; wait "$digger" 2>/dev/null
		echo "${cap:-64} $idle_fds $idle_rss $busy_fds $busy_rss $after_fds $after_rss $made" \
			"$(grep -c ok "$LAB_DIR/dns.log") $(wc -l <"$LAB_DIR/dns.log")"
		lab_connd_stop >/dev/null 2>&1
		lab_teardown
	) 2>/dev/null | tail -n 1
}

default=$(one_run "")
admitted=$(one_run "$SESSIONS")
echo
echo "hardening: nobody asks for $SESSIONS sessions (StatisticsInterval=1), connd $(git -C "$REPO" rev-parse --short HEAD)"
printf '  %-22s %8s %10s %8s %10s %8s %10s %9s %s\n' SessionsPerUser "idle fd" "idle RSS" \
	"busy fd" "busy RSS" "after fd" "after RSS" admitted "root's DNS answered"
for r in "$default" "$admitted"; do
	set -- $r
	printf '  %-22s %8s %7s KiB %8s %7s KiB %8s %7s KiB %9s %s of %s\n' "$1" "$2" "$3" "$4" "$5" \
		"$6" "$7" "$8" "$9" "${10}"
done
