#!/usr/bin/env bash
# bench/sessions/daemon.sh: the daemon side of sessions at scale, two connd
# builds side by side in one lab (run by hand, root; nothing is asserted).
# For each size N, one client (bench/sessions/daemon.py) creates N sessions;
# the table shows ms per CreateSession, ms to add one more at N, ms to read
# every session's counters one GetStatistics call each and in one
# Manager.GetSessionStatistics call, connd's RSS idle, with N sessions and
# after they were all destroyed, and ms per DestroySession; each as wall
# clock / connd's own CPU time (the latter steadier on a busy machine).
# Then, per build and size, what the RSS is made of at those three moments
# (bench/sessions/smaps.py: each file's resident pages, heap, other anonymous).
#   bench/sessions/daemon.sh [BUILD [BASE_CONND]]   SIZES="1000 10000" by default
# BASE_CONND: a connd binary to compare with (e.g. main's build); none: only BUILD.
# CONND_ENV: environment both run with, by default the one data/connd.service
# sets (CONND_ENV= for none).
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "$REPO/${1:-build}" && pwd)
BASE=${2:-}
SIZES=${SIZES:-1000 10000}
export REPO BUILD CONND=$BUILD/src/connd
CONND_ENV=${CONND_ENV-$(sed -n 's/^Environment=//p' "$REPO/data/connd.service.in")}
[ -z "$CONND_ENV" ] || export LAB_WRAP="env $CONND_ENV"
. "$REPO/tests/lab/lab.sh"
lab_require_root

lab_init
chmod 755 "$LAB_DIR"
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
lab_isp isp eth0 10.61.0.1/24 --offload-off
lab_dbus
# One client holds every session: lift the per-uid limit.
export LAB_CONF="[General]
OnlineCheckIPv4URL = http://isp.lab/online/status.html
OnlineCheckIPv6URL = http://isp.lab/online/status.html
SessionsPerUser = 65536
LocaltimeFile = $LAB_DIR/localtime"
dev=$(lab_nsname dev)
# RSS/its anonymous part: the rest is library pages, shared with others.
rss() { awk '/^VmRSS/ {t = $2} /^RssAnon/ {a = $2} END {print t "/" a}' "/proc/$1/status"; }

# measure LABEL BINARY: one table row per size.
measure() {
	local label=$1 n
	LAB_CONND=$2 lab_connd dev up0
	lab_wait 20 service_state dev up0 online || { echo "$label: connd not online" >&2; return 1; }
	for n in $SIZES; do
		local out="$LAB_DIR/$label.$n" idle
		idle=$(rss "$LAB_CONND_PID")
		cp "/proc/$LAB_CONND_PID/smaps" "$out.smaps.idle"
		echo "$label: $n sessions" >&2
		mkfifo "$out.hold"
		nsenter --net="/run/netns/$dev" "$LAB_PY" "$REPO/bench/sessions/daemon.py" "$n" \
			"$out.json" "$LAB_CONND_PID" <"$out.hold" >"$out.out" 2>&1 &
		local holder=$!
		exec 9>"$out.hold"
		lab_wait 1200 grep -q ready "$out.out"
		local busy; busy=$(rss "$LAB_CONND_PID")
		cp "/proc/$LAB_CONND_PID/smaps" "$out.smaps.busy"
		echo >&9
		lab_wait 1200 grep -q destroyed "$out.out"
		sleep 1
		local after; after=$(rss "$LAB_CONND_PID")
		cp "/proc/$LAB_CONND_PID/smaps" "$out.smaps.after"
		exec 9>&-
		wait "$holder"
		"$LAB_PY" - "$label" "$n" "$idle" "$busy" "$after" "$(cat "$out.json")" <<'PY'
import json, sys
label, n, idle, busy, after = sys.argv[1:6]
r = json.loads(sys.argv[6])
def f(k):
    v = r.get(k)
    if not isinstance(v, (int, float)):
        return 'n/a'
    c = r.get(k + '_cpu')
    return '%.3f' % v + ('/%.3f' % c if isinstance(c, (int, float)) else '')
print('  %-5s %6s %13s %7s %17s %13s %11s %11s %11s %13s' % (label, n, f('create_ms_each'),
      '%.3f' % r['add_one_ms'] if 'add_one_ms' in r else 'n/a', f('read_each_ms'),
      f('read_batch_ms'), idle, busy, after, f('destroy_ms_each')))
if 'read_batch_count' in r:
    print('  %13s batch reply: %d sessions, which dbus-python then decodes in %.1f ms' %
          ('', r['read_batch_count'], r['read_batch_decode_ms']))
if 'error' in r: print('  error:', r['error'])
PY
	done
	lab_connd_stop
}

{
	printf '\nsessions, daemon side: wall ms/connd CPU ms; RSS/anonymous RSS in KiB\n'
	printf '  %-5s %6s %13s %7s %17s %13s %11s %11s %11s %13s\n' build N create add-one \
		"read each (all)" "read batch" "RSS idle" "RSS at N" "RSS after" destroy
	[ -z "$BASE" ] || measure base "$BASE"
	measure new "$CONND"
	for label in ${BASE:+base} new; do
		for n in $SIZES; do
			printf '\n%s, %s sessions:\n' "$label" "$n"
			o="$LAB_DIR/$label.$n.smaps"
			"$LAB_PY" "$REPO/bench/sessions/smaps.py" idle="$o.idle" "at N=$o.busy" \
				after="$o.after"
		done
	done
} >"$LAB_DIR/table"
cat "$LAB_DIR/table"
