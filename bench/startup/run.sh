#!/usr/bin/env bash
# bench/startup: time from exec to ready and to online, and idle RSS, for
# connd and for Debian's ConnMan (connmand, unpacked, never installed), in
# the same lab, in the same run; median of RUNS fresh labs each.
#
#   bench/startup/run.sh [BUILD]        RUNS=5 by default
# Both run against an ISP with checksum offload off: ConnMan 1.41 never gets
# a lease from partially checksummed packets (connd does; see tests/net).
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "$REPO/${1:-build}" && pwd)
RUNS=${RUNS:-5}
export REPO BUILD
. "$REPO/tests/lab/lab.sh"
lab_require_root
CONNMAND=$("$REPO/tests/lab/connman.sh" connmand) || exit 1
results=$(mktemp -d /tmp/connd-bench.XXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$results"' EXIT

# one_run NAME: a fresh lab, the daemon started by measure.py inside it.
one_run() {
	local name=$1 n=$2 cmd
	(
		lab_init
		lab_ns isp; lab_ns dev
		lab_link isp eth0 dev up0
		lab_isp isp eth0 10.50.0.1/24 --offload-off
		lab_dbus
		printf '[General]\nOnlineCheckIPv4URL = http://isp.lab/online/status.html\n' >"$LAB_DIR/main.conf"
		mkdir -p "$LAB_DIR/state"
		if [ "$name" = connd ]; then
			cmd=(unshare --uts "$BUILD/src/connd" -n -i up0 --state-dir "$LAB_DIR/state" --resolv-conf "$LAB_DIR/resolv.conf"
			     --policy-dir "$LAB_DIR/policy" -c "$LAB_DIR/main.conf")
		else
			# ConnMan writes under /var/lib/connman and /run/connman: give it
			# private, empty ones in its own mount namespace. It reads device
			# types from sysfs: ip netns exec mounts the namespace's own.
			cmd=(ip netns exec "$(lab_nsname dev)" unshare --uts --mount sh -c "mount -t tmpfs tmpfs /var/lib &&
				mount -t tmpfs tmpfs /run && mkdir -p /var/lib/connman /run/connman &&
				exec '$CONNMAND' -n -r -i up0 -c '$LAB_DIR/main.conf'")
		fi
		nsenter --net="/run/netns/$(lab_nsname dev)" \
			"$LAB_PY" "$REPO/bench/startup/measure.py" "$results/$name.$n.json" -- "${cmd[@]}"
		lab_teardown
	)
}

for n in $(seq "$RUNS"); do
	one_run connd "$n"
	one_run connman "$n"
done

"$LAB_PY" - "$results" "$RUNS" <<'PY'
import glob, json, statistics, sys
d, runs = sys.argv[1], int(sys.argv[2])
def med(name, key):
    vals = [json.load(open(f)).get(key) for f in sorted(glob.glob('%s/%s.*.json' % (d, name)))]
    vals = [v for v in vals if v is not None]
    return (statistics.median(vals), len(vals)) if vals else (None, 0)
print('startup, median of %d fresh labs (ISP offload off for ConnMan\'s sake)' % runs)
print('%-22s %14s %14s %10s' % ('', 'connd', 'ConnMan 1.41', 'ratio'))
for key, label, unit in (('ready', 'exec -> ready', 'ms'), ('online', 'exec -> online', 'ms'),
                         ('rss_kib', 'idle RSS', 'KiB')):
    a, na = med('connd', key)
    b, nb = med('connman', key)
    fa = '%.1f %s' % (a, unit) if a is not None else 'n/a'
    fb = '%.1f %s' % (b, unit) if b is not None else 'n/a (%d/%d)' % (nb, runs)
    ratio = '%.2fx' % (b / a) if a and b else '-'
    print('%-22s %14s %14s %10s' % (label, fa, fb, ratio))
PY
