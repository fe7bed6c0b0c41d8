#!/usr/bin/env bash
# bench/sessions/daemon.sh: the daemon side of sessions at scale, two connd
# builds side by side in one lab (run by hand, root; nothing is asserted).
# For each size N, one client creates N sessions, one call after another
# (each waits for its reply: latency, not throughput); the table shows ms
# per CreateSession, ms to add one more at N, ms to read every session's
# counters one GetStatistics call each, in one Manager.GetSessionStatistics
# call and in one Manager.GetSessionCounters call, connd's RSS idle, with N
# sessions and after they were all destroyed, and ms per DestroySession;
# each as wall clock / connd's own CPU time (the latter steadier on a busy
# machine). Two clients, one after the other on the same connd: "c"
# (bench/sessions/daemon-client.c, ELL; its batch reads are the median of
# five, decoded whole, with the bus daemon's and the client's CPU beside)
# and "py" (daemon.py, dbus-python, as before: in its wall half or more is
# dbus-python's own time). Then, per build, size and client, what the RSS is
# made of at those three moments (bench/sessions/smaps.py: each file's
# resident pages, heap, other anonymous).
#   bench/sessions/daemon.sh [BUILD [BASE_CONND]]   SIZES="1000 10000" by default,
#                                                  CLIENTS="c py" by default
# PERF=PREFIX: `perf record -g` of connd while the C client creates its
# sessions (PREFIX.LABEL.N.create.data) and while it reads (….read.data).
# BASE_CONND: a connd binary to compare with (e.g. main's build); none: only BUILD.
# CONND_ENV: environment both run with, by default the one data/connd.service
# sets (CONND_ENV= for none).
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "$REPO/${1:-build}" && pwd)
BASE=${2:-}
SIZES=${SIZES:-1000 10000}
CLIENTS=${CLIENTS:-c py}
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
cc -O2 -o "$LAB_DIR/daemon-client" "$REPO/bench/sessions/daemon-client.c" \
	$(pkg-config --cflags --libs ell) || exit 1
# RSS/its anonymous part: the rest is library pages, shared with others.
rss() { awk '/^VmRSS/ {t = $2} /^RssAnon/ {a = $2} END {print t "/" a}' "/proc/$1/status"; }

# client_cmd CLIENT N OUT.json: the client's command line.
client_cmd() {
	case $1 in
	c) echo "$LAB_DIR/daemon-client $2 $3 $LAB_CONND_PID $LAB_DBUS_PID" ;;
	py) echo "$LAB_PY $REPO/bench/sessions/daemon.py $2 $3 $LAB_CONND_PID" ;;
	esac
}

# perf_until WORD FILE DATA: connd's profile until WORD is in FILE.
perf_until() {
	perf record -q -g -o "$3" -p "$LAB_CONND_PID" 2>/dev/null &
	local perf=$!
	lab_wait 1200 grep -q "$1" "$2"
	sleep 1	# perf ignores a SIGINT that comes before it is set up
	kill -INT "$perf"; wait "$perf"
}

# run_client LABEL CLIENT N: one table row.
run_client() {
	local label=$1 client=$2 n=$3
	local out="$LAB_DIR/$label.$client.$n" idle
	idle=$(rss "$LAB_CONND_PID")
	cp "/proc/$LAB_CONND_PID/smaps" "$out.smaps.idle"
	echo "$label: $n sessions, client $client" >&2
	mkfifo "$out.hold"
	# shellcheck disable=SC2046 # the command line is split on purpose
	nsenter --net="/run/netns/$dev" $(client_cmd "$client" "$n" "$out.json") \
		<"$out.hold" >"$out.out" 2>&1 &
	local holder=$!
	exec 9>"$out.hold"
	if [ -n "${PERF:-}" ] && [ "$client" = c ]; then
		perf_until created "$out.out" "$PERF.$label.$n.create.data"
		perf_until ready "$out.out" "$PERF.$label.$n.read.data"
	fi
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
	"$LAB_PY" - "$label/$client" "$n" "$idle" "$busy" "$after" "$(cat "$out.json")" <<'PY'
import json, sys
label, n, idle, busy, after = sys.argv[1:6]
r = json.loads(sys.argv[6])
def f(k):
    v = r.get(k)
    if not isinstance(v, (int, float)):
        return 'n/a'
    c = r.get(k + '_cpu')
    return '%.3f' % v + ('/%.3f' % c if isinstance(c, (int, float)) else '')
print('  %-8s %6s %13s %7s %17s %15s %15s %11s %11s %11s %13s' % (label, n,
      f('create_ms_each'), '%.3f' % r['add_one_ms'] if 'add_one_ms' in r else 'n/a',
      f('read_each_ms'), f('read_batch_ms'), f('read_compact_ms'), idle, busy, after,
      f('destroy_ms_each')))
if 'create_client_cpu' in r:
    print('  %17s CPU ms per CreateSession: bus %.3f, client %.3f' %
          ('', r.get('create_ms_each_bus', float('nan')), r['create_client_cpu']))
for key, name in (('read_batch', 'GetSessionStatistics'), ('read_compact', 'GetSessionCounters')):
    if key + '_count' in r:
        print('  %17s %s reply: %d sessions, bus CPU %s ms, decoded in %.1f ms' %
              ('', name, r[key + '_count'], '%.1f' % r[key + '_ms_bus']
               if key + '_ms_bus' in r else 'n/a', r[key + '_decode_ms']))
if 'error' in r: print('  error:', r['error'])
PY
}

# measure LABEL BINARY: one table row per size and client.
measure() {
	local label=$1 n client
	LAB_CONND=$2 lab_connd dev up0
	lab_wait 20 service_state dev up0 online || { echo "$label: connd not online" >&2; return 1; }
	for n in $SIZES; do
		for client in $CLIENTS; do
			run_client "$label" "$client" "$n"
		done
	done
	lab_connd_stop
}

{
	printf '\nsessions, daemon side: wall ms/connd CPU ms; RSS/anonymous RSS in KiB\n'
	printf '  %-8s %6s %13s %7s %17s %15s %15s %11s %11s %11s %13s\n' build N create add-one \
		"read each (all)" "read statistics" "read counters" "RSS idle" "RSS at N" \
		"RSS after" destroy
	[ -z "$BASE" ] || measure base "$BASE"
	measure new "$CONND"
	for label in ${BASE:+base} new; do
		for n in $SIZES; do for client in $CLIENTS; do
			printf '\n%s, %s sessions, client %s:\n' "$label" "$n" "$client"
			o="$LAB_DIR/$label.$client.$n.smaps"
			"$LAB_PY" "$REPO/bench/sessions/smaps.py" idle="$o.idle" "at N=$o.busy" \
				after="$o.after"
		done; done
	done
} >"$LAB_DIR/table"
cat "$LAB_DIR/table"
