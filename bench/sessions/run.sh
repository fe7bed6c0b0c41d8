#!/usr/bin/env bash
# bench/sessions: sessions at scale, connd beside Debian's ConnMan, one run.
#   - N sessions created over D-Bus by one client: ms per CreateSession, ms to
#     add one more when N exist, ms to read every session's counters, RSS;
#   - nftables transactions (batches, as `nft monitor` sees them) per
#     CreateSession, over TX_SESSIONS (200) creations;
#   - per-packet cost: 64-byte UDP packets/s sent by an application that has
#     a session, with no rules at all, then on each data path (BPF,
#     nftables): connd's skeleton and no sessions, the sender's session, and
#     the largest N sessions' kernel state; each sent on loopback (to itself:
#     the cheapest path there is, where any per-packet cost weighs most, but
#     which session statistics do not count) and over the link to the ISP
#     (what an application's traffic on its bearer costs, counted).
# The N sessions come from one client (one uid), so they share one marking
# element; to give the kernel N applications' state the bench adds N
# marks for N other uids (what N applications' sessions would install), next
# to the N sessions' counters.
#   bench/sessions/run.sh [BUILD]      SIZES="1000 10000" by default; PPS_ONLY=1
#                                      for the per-packet figures alone;
#                                      BASE_BUILD=DIR measures that build's
#                                      per-packet figures too, in the same run;
#                                      PATHS="bpf" for one data path's alone;
#                                      PERF=DIR records `perf record -a -g` of
#                                      3 s of the sender in each state there
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "$REPO/${1:-build}" && pwd)
SIZES=${SIZES:-1000 10000}
export REPO BUILD CONND=$BUILD/src/connd
. "$REPO/tests/lab/lab.sh"
lab_require_root

# The lab's namespaces: dev (connd's, with up0 to isp) and clean (the
# pairing's, untouched, with eth0 to a sink of the same address as the
# ISP's). The ISP and the sink drop the floods' datagrams (UDP port 9) as
# they come in: no ICMP back, no socket's queue.
SINK=10.60.0.1
lab_nets() {
	lab_init
	chmod 755 "$LAB_DIR"
	lab_ns isp; lab_ns dev; lab_ns clean; lab_ns sink
	lab_link isp eth0 dev up0
	lab_isp isp eth0 $SINK/24 --offload-off
	lab_link sink eth0 clean eth0
	lab_exec sink ip addr add $SINK/24 dev eth0
	lab_exec clean ip addr add 10.60.0.250/24 dev eth0
	lab_exec clean ip link set lo up
	for ns in isp sink; do
		printf 'table inet flood { chain in { type filter hook prerouting priority -300; udp dport 9 drop; }; }\n' |
			lab_exec $ns nft -f - || exit 1
	done
	lab_dbus
}
lab_nets
FLOOD=$LAB_DIR	# the flooder, for every lab below
cc -O2 -o "$FLOOD/udp-flood" "$REPO/bench/sessions/udp-flood.c" || exit 1
# One client holds every session: lift the per-uid limit (SessionsPerUser,
# 64 by default, refused the bench's 65th session).
export LAB_CONF="[General]
OnlineCheckIPv4URL = http://isp.lab/online/status.html
OnlineCheckIPv6URL = http://isp.lab/online/status.html
SessionsPerUser = 65536
LocaltimeFile = $LAB_DIR/localtime"
dev=$(lab_nsname dev)
# flood_in NS CGROUP [SECONDS [DEST]]: packets/s of uid 1 (an application)
# for SECONDS (1) in that namespace (and cgroup, "" for none), on loopback or
# to DEST.
flood_in() {
	nsenter --net="/run/netns/$(lab_nsname "$1")" sh -c '[ -z "$1" ] || echo $$ >"$1/cgroup.procs"
		shift; exec setpriv --reuid=1 --regid=1 --clear-groups "$@"' _ "$2" "$FLOOD/udp-flood" \
		"${3:-1}" ${4:-}
}
# flood: "PPS RATIO CPU_RATIO SPREAD" of the sender in dev (in FLOOD_CGROUP),
# paired with the same sender in an untouched namespace outside any connd
# cgroup. ROUNDS (8) rounds of four FLOOD_SECONDS (0.5) floods in the order
# clean, dev, dev, clean: a load from other jobs that drifts during a round
# hits both sides alike. RATIO is the median of the rounds' dev/clean
# quotients, SPREAD their lowest and highest: one disturbed round moves the
# median little where it moved a sum; CPU_RATIO the same median for packets
# per second of the sender's own CPU time. PPS: dev's mean. FLOOD_DEST: to
# that address (the ISP's, the sink's) instead of loopback.
flood() {
	local n=${ROUNDS:-8} t=${FLOOD_SECONDS:-0.5} k side w c
	for ((k = 0; k < n; k++)); do
		for side in clean dev dev clean; do
			if [ $side = clean ]; then read -r w c < <(flood_in clean "" "$t" "${FLOOD_DEST:-}")
			else read -r w c < <(flood_in dev "${FLOOD_CGROUP:-}" "$t" "${FLOOD_DEST:-}"); fi
			printf '%s %s %s %s\n' "$k" "$side" "$w" "$c"
		done
	done | awk '
		{ p[$1, $2] += $3; c[$1, $2] += $4; if ($2 == "dev") { sum += $3; m++ } }
		function median(v, n,   i, j, t) {
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
			return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		}
		END {
			for (k = 0; k < n; k++) { r[k + 1] = p[k, "dev"] / p[k, "clean"]; q[k + 1] = c[k, "dev"] / c[k, "clean"] }
			lo = hi = r[1]; for (k = 2; k <= n; k++) { if (r[k] < lo) lo = r[k]; if (r[k] > hi) hi = r[k] }
			printf "%d %.2f %.2f %.2f-%.2f\n", sum / m, median(r, n), median(q, n), lo, hi
		}' n="$n"
}
# profile NAME: the whole machine's profile while the sender floods in dev
# (in the state flood just measured), into $PERF/NAME.data.
profile() {
	[ -n "${PERF:-}" ] || return 0
	flood_in dev "${FLOOD_CGROUP:-}" 3 >/dev/null &
	perf record -q -a -g -o "$PERF/$1.data" -- sleep 2.5 >/dev/null 2>&1
	wait $!
}
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

# Every flood runs in the lab's cgroup, where connd's BPF programs attach.
lab_session_cgroup >/dev/null || exit 1
FLOOD_CGROUP=$LAB_CGROUP
echo "measuring: no rules at all" >&2
pps_none=$(flood)
big=${SIZES##* }

# add_other_apps N: N other applications' marks (uids 100000.., one per
# session of the bench's client) next to the N sessions' counters.
add_other_apps() {
	local n=$1 i
	if [ "$(lab_datapath)" = bpf ]; then
		local id
		id=$(lab_bpf_map_id uid_marks "$LAB_CONND_PID")
		"$LAB_PY" -c '
import sys
le = lambda v: " ".join(str(b) for b in v.to_bytes(4, "little"))
for i in range(int(sys.argv[2])):
    print("map update id %s key %s value %s" % (sys.argv[1], le(100000 + i), le((1 << 20) | (i + 1))))
' "$id" "$n" >"$LAB_DIR/elems.$n.batch"
		bpftool batch file "$LAB_DIR/elems.$n.batch" >/dev/null
	else
		{ echo "add element inet connd session_uid {"
		  for ((i = 0; i < n; i++)); do printf '%d : 0x%08x,\n' $((100000 + i)) $(((1 << 20) | (i + 1))); done
		  echo "}"; } >"$LAB_DIR/elems.$n.nft"
		ip netns exec "$dev" nft -f "$LAB_DIR/elems.$n.nft"
	fi
}
lab_bpf_map_id() {
	local id
	for id in $(cat /proc/"$2"/fdinfo/* 2>/dev/null | awk '/^map_id:/ {print $2}' | sort -un); do
		bpftool -j map show id "$id" | grep -q "\"name\":\"$1\"" && { echo "$id"; return; }
	done
}

# pps_path PATH: connd on that data path; its skeleton, the sender's session,
# then $big sessions (and $big other applications' marks).
declare -A res
pps_path() {
	local path=$1 holder
	LAB_DATAPATH=$path lab_connd dev up0
	lab_wait 20 service_state dev up0 online || { echo "connd not online" >&2; exit 1; }
	grep 'sessions:' "$LAB_DIR/connd-dev.log" | tail -n 1 >&2
	echo "measuring ($path): connd's skeleton, no sessions" >&2
	res[$path.skel]=$(flood)
	res[$path.skel.link]=$(FLOOD_DEST=$SINK flood)
	profile "$PERF_NAME.skel"
	lab_app "F$path" 1 - AllowedBearers=ethernet >/dev/null
	lab_expect "the flooding app has a session" "F$path" ok wait State online >&2
	echo "measuring ($path): one session (the sender's)" >&2
	res[$path.one]=$(flood)
	res[$path.one.link]=$(FLOOD_DEST=$SINK flood)
	profile "$PERF_NAME.one"
	mkfifo "$LAB_DIR/hold.$path"
	nsenter --net="/run/netns/$dev" "$LAB_PY" "$REPO/bench/sessions/sessions.py" "$big" \
		"$LAB_DIR/p.$path.json" create-only <"$LAB_DIR/hold.$path" >"$LAB_DIR/p.$path.out" 2>&1 &
	holder=$!
	exec 9>"$LAB_DIR/hold.$path"
	lab_wait 900 grep -q ready "$LAB_DIR/p.$path.out"
	add_other_apps "$big"
	echo "measuring ($path): $big sessions" >&2
	res[$path.big]=$(flood)
	res[$path.big.link]=$(FLOOD_DEST=$SINK flood)
	profile "$PERF_NAME.big"
	exec 9>&-
	wait "$holder"
	lab_say "F$path" quit >/dev/null
	lab_connd_stop
}
print_pps() {
	printf '\nsessions: connd %s, per-packet cost from an application with a session\n' "$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null)"
	printf '  %-44s %12s\n' "state of the output path" "packets/s"
	# vs none: the state's pairing over the no-rules pairing (the same
	# sender in dev before connd started), which cancels what differs between
	# the two namespaces and cgroups themselves.
	# Over the link there is no "none": dev's link has no address before
	# connd leases one; the pairing with the sink is already one with no rules.
	row() { set -- "$1" $2; printf '  %-44s %12s %8s %8s %8s %10s\n' "$1" "$2" "$3" \
		"$([ -n "$none" ] && awk -v a="$3" -v b="$(echo "$none" | cut -d' ' -f2)" 'BEGIN { printf "%.2f", a / b }' || echo n/a)" "$4" "$5"; }
	local via none
	for via in "" .link; do
		none=
		if [ -z "$via" ]; then
			none=$pps_none
			printf '  on loopback (to itself; not counted in session statistics)\n'
		else
			printf '  over the link to the ISP (%s; counted)\n' "$SINK"
		fi
		printf '  %-44s %12s %8s %8s %8s %10s\n' "" "" "paired" "vs none" "cpu" "rounds"
		[ -z "$via" ] && row "no rules at all (connd not started)" "$pps_none"
		for path in $paths; do
			printf '  %s data path%s\n' "${path#base.}" "$([ "${path%%.*}" = base ] && echo " ($BASE_BUILD)")"
			row "  connd skeleton, no session" "${res[$path.skel$via]}"
			row "  sender's session only" "${res[$path.one$via]}"
			row "  $big sessions (N other apps' marks)" "${res[$path.big$via]}"
		done
	done
	printf '  (paired: the median over %s rounds of the sender against the same sender in a\n' "${ROUNDS:-8}"
	printf '   namespace and cgroup connd never touches, measured alternately with it, so that\n'
	printf '   load from other jobs hits both; rounds: the lowest and highest round; vs none:\n'
	printf '   paired over the no-rules pairing; cpu: the same pairing in packets per second of\n'
	printf '   the sender'"'"'s own CPU time)\n\n'
}
# Each data path, and each build, in a lab of its own: once a policy
# routing rule was added in a namespace the kernel's route lookups there take
# the rule walk for good (even after the rule went), so one path's sessions
# must not weigh on the next one's skeleton.
pps_lab() {
	local path=$1 build=$2
	(
		LAB_UNDO=(); unset LAB_CGROUP
		LAB_CONND=$build/src/connd
		lab_nets >&2
		dev=$(lab_nsname dev)
		lab_session_cgroup >/dev/null || exit 1
		FLOOD_CGROUP=$LAB_CGROUP
		PERF_NAME=$3 pps_path "$path" >&2
		printf '%s\n' "${res[$path.skel]}" "${res[$path.one]}" "${res[$path.big]}" \
			"${res[$path.skel.link]}" "${res[$path.one.link]}" "${res[$path.big.link]}"
	)
}
paths=
for p in ${PATHS:-bpf nftables}; do
	[ -n "${BASE_BUILD:-}" ] && paths+=" base.$p"
	paths+=" $p"
done
for p in $paths; do
	b=$BUILD
	[ "${p%%.*}" = base ] && b=$(cd "$REPO" && cd "$BASE_BUILD" && pwd)
	{ read -r res[$p.skel]; read -r res[$p.one]; read -r res[$p.big]
	  read -r res[$p.skel.link]; read -r res[$p.one.link]; read -r res[$p.big.link]; } \
		< <(pps_lab "${p#base.}" "$b" "$p")
done
# PPS_ONLY=1: the per-packet figures alone (no D-Bus side, no ConnMan).
[ -n "${PPS_ONLY:-}" ] && { print_pps; exit 0; }

lab_connd dev up0
lab_wait 20 service_state dev up0 online || { echo "connd not online" >&2; exit 1; }
rss_idle=$(rss "$LAB_CONND_PID")

# Each batch ends with a new generation; a probe batch marks where counting starts.
echo "counting nftables transactions per CreateSession" >&2
tx_n=${TX_SESSIONS:-200}
ip netns exec "$dev" nft monitor >"$LAB_DIR/monitor.out" 2>&1 &
monitor=$!
lab_defer "kill $monitor"
probe="add table inet bench_probe_$LAB; delete table inet bench_probe_$LAB"
lab_wait 5 bash -c "ip netns exec $dev nft '$probe' && grep -q 'delete table inet bench_probe' '$LAB_DIR/monitor.out'"
mkfifo "$LAB_DIR/hold.tx"
nsenter --net="/run/netns/$dev" "$LAB_PY" "$REPO/bench/sessions/sessions.py" "$tx_n" \
	"$LAB_DIR/tx.json" create-only <"$LAB_DIR/hold.tx" >"$LAB_DIR/tx.out" 2>&1 &
holder=$!
exec 9>"$LAB_DIR/hold.tx"
lab_wait 300 grep -q ready "$LAB_DIR/tx.out"
sleep 0.5
batches=$(awk '/delete table inet bench_probe/ { n = -1 } /^# new generation/ { n++ } END { print n }' \
	"$LAB_DIR/monitor.out")
kill "$monitor"
exec 9>&-
wait "$holder"
tx_per_create=$(awk -v b="$batches" -v n="$tx_n" 'BEGIN { printf "%.2f", b / n }')
tx_create_ms=$("$LAB_PY" -c 'import json, sys; print("%.3f" % json.load(open(sys.argv[1]))["create_ms_each"])' \
	"$LAB_DIR/tx.json")

declare -A res
for n in $SIZES; do
	echo "creating $n sessions over D-Bus" >&2
	mkfifo "$LAB_DIR/hold.$n"
	nsenter --net="/run/netns/$dev" "$LAB_PY" "$REPO/bench/sessions/sessions.py" "$n" \
		"$LAB_DIR/s.$n.json" <"$LAB_DIR/hold.$n" >"$LAB_DIR/s.$n.out" 2>&1 &
	holder=$!
	exec 9>"$LAB_DIR/hold.$n"
	lab_wait 900 grep -q ready "$LAB_DIR/s.$n.out"
	res[$n.rss]=$(rss "$LAB_CONND_PID")
	res[$n.json]=$(cat "$LAB_DIR/s.$n.json")
	exec 9>&-
	wait "$holder"
done

print_pps
printf '\n  nftables transactions per CreateSession: %s (%s batches for %s sessions, %s ms each)\n' \
	"$tx_per_create" "$batches" "$tx_n" "$tx_create_ms"
printf '\n  %-8s %16s %16s %22s %12s\n' "N" "ms/CreateSession" "add one at N" "read all counters" "connd RSS"
printf '  %-8s %16s %16s %22s %12s\n' "0" "-" "-" "-" "${rss_idle} KiB"
for n in $SIZES; do
	"$LAB_PY" - "$n" "${res[$n.rss]}" "${res[$n.json]}" <<'PY'
import json, sys
r = json.loads(sys.argv[3])
f = lambda v, u: ('%.3f %s' % (v, u)) if isinstance(v, (int, float)) else 'n/a'
print('  %-8s %16s %16s %22s %12s' % (sys.argv[1], f(r.get('create_ms_each'), 'ms'),
      f(r.get('add_one_ms'), 'ms'), f(r.get('read_all_counters_ms'), 'ms'), sys.argv[2] + ' KiB'))
if 'error' in r: print('  error:', r['error'])
PY
done
lab_connd_stop

# Debian's ConnMan, same lab, same client: the D-Bus side. Its kernel side
# (per-session iptables rules and routing tables) engages only for sessions
# whose policy names a user (session_policy_local, by user name), so N
# sessions there would need N system users: no per-packet comparison.
CONNMAND=$("$REPO/tests/lab/connman.sh" connmand) || exit 1
printf '[General]\nOnlineCheckIPv4URL = http://isp.lab/online/status.html\n' >"$LAB_DIR/cm.conf"
ip netns exec "$dev" unshare --uts --mount sh -c "mount -t tmpfs tmpfs /var/lib &&
	mount -t tmpfs tmpfs /run && mkdir -p /var/lib/connman /run/connman &&
	exec '$CONNMAND' -n -r -i up0 -c '$LAB_DIR/cm.conf'" >"$LAB_DIR/connman.log" 2>&1 &
cm=$!
lab_defer "kill $cm"
if lab_wait 30 service_state dev up0 online; then
	printf '\n  Debian ConnMan 1.41, same client and lab (D-Bus side only)\n'
	for n in $SIZES; do
		nsenter --net="/run/netns/$dev" "$LAB_PY" "$REPO/bench/sessions/sessions.py" "$n" \
			"$LAB_DIR/cm.$n.json" </dev/null >/dev/null 2>&1
		"$LAB_PY" - "$n" "$(awk '/VmRSS/ {print $2}' /proc/$cm/status)" "$(cat "$LAB_DIR/cm.$n.json")" <<'PY'
import json, sys
r = json.loads(sys.argv[3])
f = lambda v, u: ('%.3f %s' % (v, u)) if isinstance(v, (int, float)) else 'n/a'
print('  %-8s %16s %16s %22s %12s' % (sys.argv[1], f(r.get('create_ms_each'), 'ms'),
      f(r.get('add_one_ms'), 'ms'), 'n/a (no API)', sys.argv[2] + ' KiB'))
if 'error' in r: print('  error:', r['error'])
PY
	done
else
	echo "  ConnMan did not come online; no comparison"
fi
kill "$cm"; wait "$cm" 2>/dev/null
