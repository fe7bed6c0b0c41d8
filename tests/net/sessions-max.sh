#!/usr/bin/env bash
# main.conf's MaxSessions (here 3) caps the sessions connd holds at once,
# whoever holds them: a fourth is refused with a clear error and changes
# nothing (the three still count their traffic), and once one goes a new one
# is accepted. On the BPF data path the counters array is sized for it at
# load (MaxSessions + 1 entries: 4) instead of the 131,073 entries (5 MiB of
# kernel memory) it always took. Run with LAB_DATAPATH=nftables for the
# fallback.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_two_isps_online "MaxSessions = 3"
path=$(lab_datapath)

ids() { lab_counter_ids | sort -n | tr '\n' ' '; }

# The max_entries of the counters map connd holds a descriptor of.
counters_entries() {
	local id
	for id in $(cat /proc/"$LAB_CONND_PID"/fdinfo/* 2>/dev/null |
		    awk '/^map_id:/ {print $2}' | sort -un); do
		bpftool -j map show id "$id" 2>/dev/null | grep -q '"name":"counters"' || continue
		bpftool -j map show id "$id" | grep -oE '"max_entries":[0-9]+' | cut -d: -f2
	done
}
if [ "$path" = bpf ]; then
	check "the BPF counters map holds MaxSessions + 1 entries ($(counters_entries))" \
		test "$(counters_entries)" = 4
fi

# TX bytes of NAME's session after 5 datagrams of 100 bytes: 5 × 128 more.
counts() {
	local before after
	before=$(lab_say "$1" stats | cut -d' ' -f2)
	[ "$(lab_say "$1" udp 192.0.2.80 5000 5)" = ok ] || return 1
	after=$(lab_say "$1" stats | cut -d' ' -f2)
	[ "$((after - before))" = 640 ]
}

check "app A (uid 1) creates a session" lab_app A 1 -
check "app B (uid 2) creates a session" lab_app B 2 -
check "app C (uid 3) creates a session" lab_app C 3 -
check "three sessions, ids 1 to 3 ($(ids), $path path)" test "$(ids)" = "1 2 3 "
for app in A B C; do
	check "$app's session counts its traffic" counts $app
done

lab_expect "a fourth session is refused with Failed, naming the limit" A \
	"error net.connman.Error.Failed connd holds as many sessions as it may (MaxSessions)" more 1
check "connd says why in its log" \
	grep -q "connd holds 3 sessions, its limit (MaxSessions): refused" "$LAB_DIR/connd-dev.log"
refused() { ! lab_app "$@"; }
check "another uid is refused too" refused D 4 -
check "the refused ones took no id ($(ids))" test "$(ids)" = "1 2 3 "
for app in A B C; do
	check "$app's session still counts its traffic" counts $app
done

lab_say C quit >/dev/null; wait "${LAB_APP_PID[C]}" 2>/dev/null
check_wait "C's session went with it" 5 bash -c "[ \"\$(lab_counter_ids | wc -l)\" = 2 ]"
check "app E (uid 5) now creates a session" lab_app E 5 -
lab_expect "with the freed id 3" E "/sessions/00/00/03" path
check "E's session counts its traffic" counts E
check "three sessions again ($(ids))" test "$(ids)" = "1 2 3 "
lab_expect "and a fourth is refused again" A "error net.connman.Error.Failed" more 1

lab_say A quit >/dev/null; lab_say B quit >/dev/null; lab_say E quit >/dev/null
check "connd stops cleanly" lab_connd_stop
lab_done
