#!/usr/bin/env bash
# bench/sessions/memory.sh: where connd's memory per session goes (run by
# hand, root; nothing is asserted). connd runs under an LD_PRELOAD
# allocation tracer (alloc-trace.c) in a lab like daemon.sh's; one client
# (daemon.py) creates N sessions and destroys them. The tracer snapshots
# every live block idle, at N and after; memory.py splits the bytes per
# session into connd's own blocks and ELL's, and lists the blocks made while
# the sessions lived that outlive them. RSS is shown at each step too (the
# tracer's tables inflate it: compare daemon.sh's for figures).
#   bench/sessions/memory.sh [BUILD]     N=2000 by default
# KEEP=DIR keeps the tracer's files (and /proc/PID/smaps at each step) there.
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "$REPO" && cd "${1:-build}" && pwd) || exit 1	# relative to the repository, or absolute
N=${N:-2000}
export REPO BUILD CONND=$BUILD/src/connd
. "$REPO/tests/lab/lab.sh"
lab_require_root

lab_init
chmod 755 "$LAB_DIR"
out=$LAB_DIR/trace
mkdir -p "$out"
cc -O2 -shared -fPIC -o "$LAB_DIR/alloc-trace.so" "$REPO/bench/sessions/alloc-trace.c" || exit 1
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
lab_isp isp eth0 10.61.0.1/24 --offload-off
lab_dbus
export LAB_CONF="[General]
OnlineCheckIPv4URL = http://isp.lab/online/status.html
OnlineCheckIPv6URL = http://isp.lab/online/status.html
SessionsPerUser = 65536
LocaltimeFile = $LAB_DIR/localtime"
dev=$(lab_nsname dev)
CONND_ENV=${CONND_ENV-$(sed -n 's/^Environment=//p' "$REPO/data/connd.service.in")}
rss() { awk '/^VmRSS/ {t = $2} /^RssAnon/ {a = $2} END {print t "/" a}' "/proc/$1/status"; }
# The snapshot is written by connd's next allocation: one bus call makes sure.
snap() {
	echo "$1: RSS/anonymous $(rss "$LAB_CONND_PID") KiB"
	cp "/proc/$LAB_CONND_PID/smaps" "$out/smaps.$2"
	kill -USR2 "$LAB_CONND_PID"
	dbus-send --system --print-reply --dest=net.connman / net.connman.Manager.GetProperties \
		>/dev/null 2>&1
	lab_wait 10 test -e "$out/maps.$2"
}

LAB_WRAP="env $CONND_ENV LD_PRELOAD=$LAB_DIR/alloc-trace.so ALLOCTRACE_DIR=$out" \
	LAB_CONND=$CONND lab_connd dev up0
lab_wait 20 service_state dev up0 online || { echo "connd not online" >&2; exit 1; }
snap idle 0
mkfifo "$out/hold"
nsenter --net="/run/netns/$dev" "$LAB_PY" "$REPO/bench/sessions/daemon.py" "$N" "$out/r.json" \
	"$LAB_CONND_PID" <"$out/hold" >"$out/client" 2>&1 &
holder=$!
exec 9>"$out/hold"
lab_wait 1200 grep -q ready "$out/client"
snap "$N sessions" 1
echo >&9
lab_wait 1200 grep -q destroyed "$out/client"
sleep 1
snap after 2
exec 9>&-
wait "$holder"
lab_connd_stop
grep -v '^ready\|^destroyed' "$out/client"
grep -o '"error": "[^"]*"' "$out/r.json"
"$LAB_PY" "$REPO/bench/sessions/memory.py" "$out" "$N"
[ -z "${KEEP:-}" ] || { mkdir -p "$KEEP" && cp -r "$out/." "$KEEP/"; }
