#!/usr/bin/env bash
# The BPF counters array starts with room for 1,024 sessions (1,025 entries,
# id 0 unused: 40 KiB of kernel memory, not the 5 MiB MaxSessions' 131,072
# took from start) and grows fourfold when an id above it is given, with
# bpf(2) alone, while the programs run: an application's session counts all
# it sent before, during (a flow racing the swap) and after the growth; the
# kernel then holds one counters array of connd's, of the new size, and
# neither the old array nor the old programs; the last session's end takes
# it back to its first size; a kill -9 and a restart leave nothing doubled.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_require_cgroup2
lab_require_bpftool
lab_two_isps_online "SessionsPerUser = 1200"
if [ "$(lab_datapath)" != bpf ]; then
	echo "the BPF data path is not in force here"
	exit 77
fi

# The ids of connd's BPF maps or programs (map_id, prog_id), as its
# descriptors (maps, programs, links) name them.
connd_ids() {
	cat /proc/"$LAB_CONND_PID"/fdinfo/* 2>/dev/null | awk -v k="$1:" '$1 == k {print $2}' | sort -un
}
# The ids of connd's maps named counters, one a line.
counters_ids() {
	local id
	for id in $(connd_ids map_id); do
		bpftool -j map show id "$id" 2>/dev/null | grep -q '"name":"counters"' && echo "$id"
	done
}
# FIELD of connd's counters map (max_entries, bytes_memlock).
counters_field() {
	bpftool -j map show id "$(counters_ids)" | grep -oE "\"$1\":[0-9]+" | cut -d: -f2
}
in_kernel() { bpftool "$1" show id "$2" >/dev/null 2>&1; }
attached() { bpftool cgroup show "$LAB_CGROUP" | grep -cE 'sock_create|ingress|egress'; }
# Programs loaded: sock_create, ingress and egress for the cgroup, and the
# two for links' egress (Ethernet, no header); attached: the cgroup's
# (lab_bpf_cgroup_programs) and one on each connected service's link.
loaded=5
want=$(lab_bpf_cgroup_programs)
on_links() { ! lab_bpf_on_links || [ "$(lab_bpf_tcx_links | wc -l)" = 2 ]; }
# Its links run none of the programs listed.
links_run_none_of() {
	local p
	on_links || return 1
	for p in $(lab_bpf_tcx_progs); do [[ " $* " != *" $p "* ]] || return 1; done
}
no_programs() { test "$(attached)" = 0; }
entries_are() { test "$(counters_field max_entries)" = "$1"; }

check "one counters map of connd's ($(counters_ids | xargs))" test "$(counters_ids | wc -l)" = 1
check "it starts with 1025 entries ($(counters_field max_entries)), $(counters_field bytes_memlock) bytes locked" \
	test "$(counters_field max_entries)" = 1025
maps0=$(connd_ids map_id | wc -l)

check "app A (uid 1) creates a session" lab_app A 1 -
read -r _ tx0 <<<"$(lab_say A packets)"
lab_expect "A sends 25 datagrams" A ok udp 192.0.2.80 5000 25
read -r _ tx1 <<<"$(lab_say A packets)"
check "A's session counts them ($((tx1 - tx0)))" test $((tx1 - tx0)) = 25
old_map=$(counters_ids)
old_progs=$(connd_ids prog_id | xargs)
check "$loaded programs of connd's, $want attached to the cgroup ($old_progs)" \
	bash -c "[ $(connd_ids prog_id | wc -l) = $loaded ] && [ $(attached) = $want ]"
check "and one to each service's link ($(lab_bpf_tcx_links | xargs))" on_links

# A process of uid 1 (so counted in A's session) sends as fast as it can
# (to a port nobody listens on: only the count matters) while B's sessions
# push the ids past 1,024: its datagrams are counted while the programs and
# the array are swapped, some into the old array after the copy.
cat >"$LAB_DIR/flow.py" <<'PY'
import os, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sent = 0
print('ready', flush=True)
while not os.path.exists(sys.argv[1]):
    for _ in range(100):
        try:
            s.sendto(b'f' * 20, ('192.0.2.80', 9))
            sent += 1
        except OSError:
            pass
print('sent', sent, flush=True)
PY
check "app B (uid 2) creates a session" lab_app B 2 -
lab_expect "B creates 1022 more: ids up to 1024, the array's size" B "ok 1022" more 1022
check "the array has not grown yet" entries_are 1025
sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$LAB_CGROUP" \
	nsenter --net="/run/netns/$(lab_nsname dev)" setpriv --reuid=1 --regid=1 --clear-groups \
	"$LAB_PY" "$LAB_DIR/flow.py" "$LAB_DIR/flow.stop" >"$LAB_DIR/flow.out" 2>&1 &
flow=$!
lab_defer "kill $flow"
lab_wait 5 grep -q ready "$LAB_DIR/flow.out"
lab_expect "B creates 78 more: ids up to 1102" B "ok 1100" more 78
touch "$LAB_DIR/flow.stop"
wait "$flow"
sent=$(awk '/^sent/ {print $2}' "$LAB_DIR/flow.out")
# What the old programs added after the copy is carried over 100 ms later,
# and before any read until then: a read at once misses nothing either.
flow_counted() { read -r _ tx2 <<<"$(lab_say A packets)"; [ $((tx2 - tx1)) = "${sent:-0}" ]; }
check "A's session counts the flow that raced the growth, every datagram ($sent sent)" \
	flow_counted
# The old array stays open 100 ms after the swap, for what raced it.
one_new_map() { [ "$(counters_ids | wc -l)" = 1 ] && [ "$(counters_ids)" != "$old_map" ]; }
check_wait "connd holds one counters map, not the old one ($old_map)" 5 one_new_map
check "the array grew to 4097 entries ($(counters_field max_entries)), $(counters_field bytes_memlock) bytes locked" \
	entries_are 4097
check_wait "the old array is gone from the kernel" 5 bash -c "! bpftool map show id $old_map >/dev/null 2>&1"
gone() { for p in $old_progs; do ! in_kernel prog "$p" || return 1; done; }
check_wait "the old programs are gone from the kernel ($old_progs)" 5 gone
check "as many maps of connd's as before ($(connd_ids map_id | wc -l))" \
	test "$(connd_ids map_id | wc -l)" = "$maps0"
check "$loaded programs of connd's, new ones attached in place of the old ($(connd_ids prog_id | xargs))" \
	bash -c "[ $(connd_ids prog_id | wc -l) = $loaded ] && [ $(attached) = $want ]"
check "the links run new programs too ($(lab_bpf_tcx_progs | xargs))" links_run_none_of $old_progs
check "1102 sessions' counters in the kernel" test "$(lab_counter_ids | wc -l)" = 1102
lab_expect "A sends 25 more" A ok udp 192.0.2.80 5000 25
read -r _ tx3 <<<"$(lab_say A packets)"
check "A's session counts all it sent: 25 + $sent + 25 ($((tx3 - tx0)))" \
	test $((tx3 - tx0)) = $((25 + ${sent:-0} + 25))
lab_expect "a new socket of A is still marked: its datagrams count" A ok udp 192.0.2.80 5000 5
read -r _ tx4 <<<"$(lab_say A packets)"
check "5 more counted ($((tx4 - tx3)))" test $((tx4 - tx3)) = 5

lab_say B quit >/dev/null; wait "${LAB_APP_PID[B]}" 2>/dev/null
check_wait "B's sessions went" 10 bash -c "[ \"\$(lab_counter_ids | wc -l)\" = 1 ]"
check "the array keeps its size while a session is left ($(counters_field max_entries))" \
	test "$(counters_field max_entries)" = 4097
lab_say A quit >/dev/null; wait "${LAB_APP_PID[A]}" 2>/dev/null
check_wait "the last session's end detached the programs" 10 no_programs
check_wait "and took the array back to 1025 entries" 5 entries_are 1025
check "still one counters map, as many maps as before ($(connd_ids map_id | wc -l))" \
	bash -c "[ $(counters_ids | wc -l) = 1 ] && [ $(connd_ids map_id | wc -l) = $maps0 ]"

# Grown again, then kill -9 and a restart: one fresh set, nothing doubled.
check "app C (uid 3) creates a session" lab_app C 3 -
lab_expect "C creates 1100 more" C "ok 1100" more 1100
check_wait "the array grew again" 5 entries_are 4097
grown_map=$(counters_ids)
grown_progs=$(connd_ids prog_id | xargs)
kill -9 "$LAB_CONND_PID"; wait "$LAB_CONND_PID" 2>/dev/null
check_wait "after kill -9 no program is left on the cgroup" 5 no_programs
lab_say C quit >/dev/null
gone_all() {
	! in_kernel map "$grown_map" || return 1
	for p in $grown_progs; do ! in_kernel prog "$p" || return 1; done
}
check_wait "nor its array or programs in the kernel" 5 gone_all
lab_connd dev up0,up1
check_wait "a new connd is up" 20 bash -c "service_state dev up1 online"
check "its array has 1025 entries ($(counters_field max_entries))" test "$(counters_field max_entries)" = 1025
check "app D (uid 4) creates a session" lab_app D 4 -
check "one set of programs attached ($(attached)), one counters map ($(counters_ids | xargs))" \
	bash -c "[ $(attached) = $want ] && [ $(counters_ids | wc -l) = 1 ]"
check "and one on each service's link ($(lab_bpf_tcx_links | xargs))" on_links
check "the new connd's array holds D's session alone" test "$(lab_counter_ids | wc -l)" = 1

# A growth that fails changes nothing: connd may open one descriptor more
# (its lowest free one), so the new array is made but no program loads.
check "app E (uid 5) creates a session" lab_app E 5 -
lab_expect "D creates 1022 more: ids up to 1024, the array's size" D "ok 1022" more 1022
maps=$(connd_ids map_id | xargs); progs=$(connd_ids prog_id | xargs)
lowest_free() {
	local fd=0
	while [ -e "/proc/$LAB_CONND_PID/fd/$fd" ]; do fd=$((fd + 1)); done
	echo "$fd"
}
limit=$(prlimit --pid "$LAB_CONND_PID" --nofile --raw --noheadings --output SOFT,HARD | xargs)
prlimit --pid "$LAB_CONND_PID" --nofile="$(($(lowest_free) + 1)):${limit#* }"
lab_expect "with no descriptor to spare, the 1025th session is refused, saying why" D \
	"error net.connman.Error.Failed connd cannot make room for another session's counters" more 1
check "connd's log names the cause" grep -q \
	"the BPF counters array cannot grow from 1024 to 4096 sessions: Too many open files" \
	"$LAB_DIR/connd-dev.log"
prlimit --pid "$LAB_CONND_PID" --nofile="${limit% *}:${limit#* }"
check "the array, maps and programs are those of before ($(connd_ids map_id | xargs) / $(connd_ids prog_id | xargs))" \
	bash -c "[ '$(connd_ids map_id | xargs)' = '$maps' ] && [ '$(connd_ids prog_id | xargs)' = '$progs' ] && [ $(counters_field max_entries) = 1025 ]"
check "1024 sessions' counters in the kernel" test "$(lab_counter_ids | wc -l)" = 1024
read -r _ tx0 <<<"$(lab_say E packets)"
lab_expect "E sends 5 datagrams" E ok udp 192.0.2.80 5000 5
read -r _ tx1 <<<"$(lab_say E packets)"
check "E's session still counts them ($((tx1 - tx0)))" test $((tx1 - tx0)) = 5
lab_expect "with descriptors again, the 1025th session is created" D "ok 1023" more 1
check_wait "and the array grew to 4097 entries" 5 entries_are 4097
lab_say D quit >/dev/null; lab_say E quit >/dev/null
check "connd stops cleanly" lab_connd_stop
lab_done
