#!/usr/bin/env bash
# bench/sessions: sessions at scale, connd beside Debian's ConnMan, one run.
#   - N sessions created over D-Bus by one client: ms per CreateSession, ms to
#     add one more when N exist, ms to read every session's counters, RSS;
#   - nftables transactions (batches, as `nft monitor` sees them) per
#     CreateSession, over TX_SESSIONS (200) creations;
#   - per-packet cost: 64-byte UDP packets/s sent on loopback by an
#     application that has a session, with no nftables rules at all, with
#     connd's skeleton and no sessions, and with N sessions' kernel state.
# The N sessions come from one client (one uid), so they share one marking
# element; to give the kernel N applications' state the bench adds N
# elements for N other uids to session_uid (what N applications' sessions
# would install), next to the N sessions' 2N named counters.
#   bench/sessions/run.sh [BUILD]      SIZES="1000 10000" by default
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "$REPO/${1:-build}" && pwd)
SIZES=${SIZES:-1000 10000}
export REPO BUILD CONND=$BUILD/src/connd
. "$REPO/tests/lab/lab.sh"
lab_require_root

lab_init
chmod 755 "$LAB_DIR"
cc -O2 -o "$LAB_DIR/udp-flood" "$REPO/bench/sessions/udp-flood.c" || exit 1
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
lab_isp isp eth0 10.60.0.1/24 --offload-off
lab_dbus
# One client holds every session: lift the per-uid limit (SessionsPerUser,
# 64 by default, refused the bench's 65th session).
export LAB_CONF="[General]
OnlineCheckIPv4URL = http://isp.lab/online/status.html
OnlineCheckIPv6URL = http://isp.lab/online/status.html
SessionsPerUser = 65536
LocaltimeFile = $LAB_DIR/localtime"
dev=$(lab_nsname dev)
flood() { # packets/s of uid 1 (an application) for 2 s, best of 3; in FLOOD_CGROUP if set
	local best=0 r
	for _ in 1 2 3; do
		r=$(nsenter --net="/run/netns/$dev" sh -c '[ -z "$1" ] || echo $$ >"$1/cgroup.procs"
			exec setpriv --reuid=1 --regid=1 --clear-groups "$2" 2' _ "${FLOOD_CGROUP:-}" \
			"$LAB_DIR/udp-flood")
		[ "$r" -gt "$best" ] && best=$r
	done
	echo "$best"
}
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

echo "measuring: no rules at all" >&2
pps_none=$(flood)

lab_connd dev up0
lab_wait 20 service_state dev up0 online || { echo "connd not online" >&2; exit 1; }
echo "measuring: connd's skeleton, no sessions" >&2
pps_skel=$(flood)
rss_idle=$(rss "$LAB_CONND_PID")

# The flooding application's own session (uid 1): its packets are marked.
lab_app FLOOD 1 - AllowedBearers=ethernet >/dev/null
lab_expect "the flooding app has a session" FLOOD ok wait State online >&2
echo "measuring: one session (the sender's)" >&2
pps_one=$(flood)

# Marking at socket creation (DESIGN.md): a cgroup/sock_create BPF program
# gives the sender's sockets its session's mark, so the route lookup at send
# time already sees it and the output chain changes nothing (no re-route).
pps_sock=n/a pps_sock_only=n/a
# The sender's own element (uid 1 → its session's mark), put back by hand
# whenever the bench empties the map.
mark=$(ip netns exec "$dev" nft list map inet connd session_uid | grep -oE '(^|[^0-9])1 : 0x[0-9a-f]+' |
	grep -oE '0x[0-9a-f]+')
restore_sender() { ip netns exec "$dev" nft add element inet connd session_uid "{ 1 : $mark }"; }
cg="$(lab_cgroup2)/connd-bench-$LAB"
if [ -n "$mark" ] && cc -O2 -o "$LAB_DIR/sockmark" "$REPO/bench/sessions/sockmark.c" && mkdir "$cg"; then
	lab_defer "rmdir '$cg'"
	mkfifo "$LAB_DIR/sockmark.hold"
	"$LAB_DIR/sockmark" "$cg" "$mark" <"$LAB_DIR/sockmark.hold" >"$LAB_DIR/sockmark.out" 2>&1 &
	sockmark=$!
	exec 8>"$LAB_DIR/sockmark.hold"
	if lab_wait 5 grep -q attached "$LAB_DIR/sockmark.out"; then
		echo "measuring: sockets marked at creation (BPF), with the session's element" >&2
		pps_sock=$(FLOOD_CGROUP=$cg flood)
		ip netns exec "$dev" nft flush map inet connd session_uid
		echo "measuring: sockets marked at creation (BPF), no element" >&2
		pps_sock_only=$(FLOOD_CGROUP=$cg flood)
		restore_sender
	else
		cat "$LAB_DIR/sockmark.out" >&2
	fi
	exec 8>&-
	wait "$sockmark"
fi

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
	{ echo "add element inet connd session_uid {"
	  for ((i = 0; i < n; i++)); do printf '%d : 0x%08x,\n' $((100000 + i)) $(((1 << 20) | (i + 1))); done
	  echo "}"; } >"$LAB_DIR/elems.$n.nft"
	ip netns exec "$dev" nft -f "$LAB_DIR/elems.$n.nft"
	echo "measuring: $n sessions" >&2
	res[$n.pps]=$(flood)
	res[$n.rss]=$(rss "$LAB_CONND_PID")
	res[$n.json]=$(cat "$LAB_DIR/s.$n.json")
	ip netns exec "$dev" nft flush map inet connd session_uid
	restore_sender
	exec 9>&-
	wait "$holder"
done

printf '\nsessions: connd %s, per-packet cost from an application with a session\n' "$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null)"
printf '  %-44s %12s %8s\n' "state of the output path" "packets/s" "vs none"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf '  %-44s %12s %8s\n' "no rules at all" "$pps_none" "1.00"
printf '  %-44s %12s %8s\n' "connd skeleton, no session" "$pps_skel" "$(ratio "$pps_skel" "$pps_none")"
printf '  %-44s %12s %8s\n' "sender's session only" "$pps_one" "$(ratio "$pps_one" "$pps_none")"
if [ "$pps_sock" != n/a ]; then
	printf '  %-44s %12s %8s\n' "  same, socket marked at creation (BPF)" "$pps_sock" "$(ratio "$pps_sock" "$pps_none")"
	printf '  %-44s %12s %8s\n' "  BPF socket mark, no map element" "$pps_sock_only" "$(ratio "$pps_sock_only" "$pps_none")"
fi
for n in $SIZES; do
	printf '  %-44s %12s %8s  (%s of the one-session case)\n' "$n sessions (N elements, 2N counters)" \
		"${res[$n.pps]}" "$(ratio "${res[$n.pps]}" "$pps_none")" "$(ratio "${res[$n.pps]}" "$pps_one")"
done
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
lab_say FLOOD quit >/dev/null
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
