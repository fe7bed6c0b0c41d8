#!/usr/bin/env bash
# Sessions on the BPF data path: sockets are marked when they are created, so
# an application's first route lookup already picks its bearer (the source
# address a new socket gets is the bearer's, with no re-route and no
# masquerade); the counters match what a capture on the link sees; uid, gid
# and cgroup identities each mark; a socket opened before its session stays
# unmarked; the programs are attached only while a session exists (an idle
# connd costs packets and sockets nothing); a kill -9 leaves no program
# attached, and a restart attaches exactly one set again, with 1,000
# sessions in the kernel; libbpf is not kept in connd's memory.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_require_cgroup2
lab_require_bpftool
lab_two_isps_online "SessionsPerUser = 1000"
if [ "$(lab_datapath)" != bpf ]; then
	grep 'sessions:' "$LAB_DIR/connd-dev.log"
	echo "the BPF data path is not in force here"
	exit 77
fi
check "connd says which data path is in force, and where" \
	grep -q "sessions: BPF data path on cgroup $LAB_CGROUP" "$LAB_DIR/connd-dev.log"
# libbpf (src/bpf-load.c) is opened for the load only: neither it nor the
# libelf and libz it pulled in stay in connd's memory.
check "no libbpf, libelf or libz left in connd's memory after the load" \
	bash -c "! grep -E 'lib(bpf|elf|z)\.so' /proc/$LAB_CONND_PID/maps"
attached() { bpftool cgroup show "$LAB_CGROUP" | grep -cE 'sock_create|ingress|egress'; }
want=$(lab_bpf_cgroup_programs)
links() { lab_bpf_tcx_links | xargs; }
ifindex() { ip -n "$dev" -o link show "$1" | cut -d: -f1; }
no_programs() { test "$(attached)" = 0; }
check "no program on the lab's cgroup while no session exists ($(attached))" test "$(attached)" = 0
check "nothing of connd's attached to the cgroup2 root" \
	bash -c "! bpftool cgroup show '$mnt' | grep -q session_"
check "no session chain in connd's table" \
	bash -c "! ip netns exec $dev nft list table inet connd | grep -q chain"
up0=$(ip -n "$dev" -4 -o addr show up0 | awk '{print $4}' | cut -d/ -f1)
up1=$(ip -n "$dev" -4 -o addr show up1 | awk '{print $4}' | cut -d/ -f1)

# An application opens a UDP socket, then its session starts: the old socket
# has no mark (it follows the main table, ISP 1), a new one has.
cat >"$LAB_DIR/early.py" <<'PY'
import socket, sys
old = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
print('ready', flush=True)
sys.stdin.readline()
old.sendto(b'o' * 41, ('192.0.2.80', 5000))
new = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
new.sendto(b'n' * 42, ('192.0.2.80', 5000))
print('sent', flush=True)
PY
mkfifo "$LAB_DIR/early.in"
sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$LAB_CGROUP" \
	nsenter --net="/run/netns/$dev" setpriv --reuid=1 --regid=1 --clear-groups \
	"$LAB_PY" "$LAB_DIR/early.py" <"$LAB_DIR/early.in" >"$LAB_DIR/early.out" 2>&1 &
early=$!
lab_defer "kill $early"
exec 7>"$LAB_DIR/early.in"
lab_wait 5 grep -q ready "$LAB_DIR/early.out"

check "app A (uid 1) creates a session limited to up1" lab_app A 1 - AllowedInterface=up1
check "the first session attached $want programs to the lab's cgroup ($(attached))" \
	test "$(attached)" = "$want"
if lab_bpf_on_links; then
	both=$(printf '%s\n' "$(ifindex up0)" "$(ifindex up1)" | sort -n | xargs)
	check "and one to each connected service's link, up0 and up1 ($(links), want $both)" \
		test "$(links)" = "$both"
fi
lab_expect "A rides on up1" A ok wait Interface up1
check "A's uid is marked for its session" bash -c "lab_marks uid | grep -qE '^1 0x[0-9a-f]*00001$'"
lab_expect "a new socket of A already has up1's address ($up1), no re-route needed" A "$up1" \
	source 192.0.2.80 5000
echo go >&7
check_wait "the early process sent from both sockets" 5 grep -q sent "$LAB_DIR/early.out"
check_wait "its socket opened before the session left by the main table (ISP 1, up0's address)" 5 \
	grep -q "^$up0 41\$" "$LAB_DIR/udp-isp1.log"
check_wait "its new socket left by ISP 2" 5 grep -q "^$up1 42\$" "$LAB_DIR/udp-isp2.log"
exec 7>&-

# The counters against a capture on up1.
ip netns exec "$dev" tcpdump -Z root --immediate-mode -n -i up1 -w "$LAB_DIR/up1.pcap" -U host 192.0.2.80 \
	>"$LAB_DIR/tcpdump.log" 2>&1 &
dump=$!
lab_defer "kill $dump"
lab_wait 5 grep -q listening "$LAB_DIR/tcpdump.log"
read -r rx0 tx0 <<<"$(lab_say A packets)"
read -r rb0 tb0 <<<"$(lab_say A stats)"
lab_expect "A sends 25 datagrams" A ok udp 192.0.2.80 5000 25
lab_expect "A downloads 100000 bytes over TCP" A "ok 100000" tcp http://192.0.2.80/bytes/100000
read -r rx1 tx1 <<<"$(lab_say A packets)"
read -r rb1 tb1 <<<"$(lab_say A stats)"
sleep 1
kill -INT "$dump"; wait "$dump" 2>/dev/null
out=$(tcpdump -n -r "$LAB_DIR/up1.pcap" src "$up1" 2>/dev/null | wc -l)
in=$(tcpdump -n -r "$LAB_DIR/up1.pcap" dst "$up1" 2>/dev/null | wc -l)
near() { [ $(($1 - $2)) -le 1 ] && [ $(($2 - $1)) -le 1 ]; }
check "TX packets counted ($((tx1 - tx0))) = captured leaving up1 ($out) ±1" near $((tx1 - tx0)) "$out"
check "RX packets counted ($((rx1 - rx0))) = captured arriving on up1 ($in) ±1" near $((rx1 - rx0)) "$in"
# Bytes are the IP packets' (not the frames'): exactly the capture's when
# the packets are, within one packet's otherwise.
bytes_near() {
	[ "$1" = "$2" ] && [ "$3" = "$4" ] && return
	near "$1" "$2" && [ $(($3 - $4)) -le 65536 ] && [ $(($4 - $3)) -le 65536 ]
}
out_b=$(lab_pcap_ip_bytes "$LAB_DIR/up1.pcap" "src $up1")
in_b=$(lab_pcap_ip_bytes "$LAB_DIR/up1.pcap" "dst $up1")
check "TX bytes counted ($((tb1 - tb0))) = the IP bytes captured leaving up1 ($out_b)" \
	bytes_near $((tx1 - tx0)) "$out" $((tb1 - tb0)) "$out_b"
check "RX bytes counted ($((rb1 - rb0))) = the IP bytes captured arriving on up1 ($in_b)" \
	bytes_near $((rx1 - rx0)) "$in" $((rb1 - rb0)) "$in_b"

# A service's link carries the counting program while the service is
# connected: disconnected, up1 lets it go; connected again, it has it back
# and A's datagrams over it count again.
if lab_bpf_on_links; then
	only_up0() { test "$(links)" = "$(ifindex up0)"; }
	both_links() { test "$(links | wc -w)" = 2; }
	lab_connmanctl disconnect "$(lab_service dev up1)" >/dev/null 2>&1
	check_wait "up1's service disconnected: only up0's link counts ($(links))" 10 only_up0
	lab_connmanctl connect "$(lab_service dev up1)" >/dev/null 2>&1
	check_wait "up1's service back online" 20 service_state dev up1 online
	check_wait "up1's link counts again ($(links))" 5 both_links
	lab_expect "A is back on up1" A ok wait Interface up1
	read -r _ tx0 <<<"$(lab_say A packets)"
	lab_expect "A sends 5 datagrams" A ok udp 192.0.2.80 5000 5
	read -r _ tx1 <<<"$(lab_say A packets)"
	check "they are counted ($((tx1 - tx0)))" test $((tx1 - tx0)) = 5
fi

# By gid and by cgroup: root's sessions under policies keyed by them.
group="${LAB_CGROUP#"$mnt"/}/c-$LAB"
mkdir "$mnt/$group"
lab_defer "rmdir '$mnt/$group'"
printf '[policy_g]\ngid = 100\nAllowedBearers = ethernet\n[policy_c]\ncgroup = /%s\n' "$group" \
	>"$LAB_DIR/policy/ids.policy"
check_wait "connd read the policies" 5 grep -q "session policies reloaded: 2" "$LAB_DIR/connd-dev.log"
check "app G (root, gid 100) creates a session limited to up1" lab_app G 0:100 - AllowedInterface=up1
lab_expect "G rides on up1" G ok wait Interface up1
check "gid 100 is marked" bash -c "lab_marks gid | grep -q '^100 '"
lab_expect "a new socket of G has up1's address" G "$up1" source 192.0.2.80 5000
check "app X (root, in its cgroup) creates a session limited to up1" \
	lab_app X 0 "$mnt/$group" AllowedInterface=up1
lab_expect "X rides on up1" X ok wait Interface up1
check "X's cgroup is marked" bash -c "lab_marks cgroup | grep -q '^$(stat -c %i "$mnt/$group") '"
lab_expect "a new socket of X has up1's address" X "$up1" source 192.0.2.80 5000
check "root outside that cgroup and group is not marked (main table, up0's address)" bash -c \
	"nsenter --net=/run/netns/$dev $LAB_PY -c \"import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.connect(('192.0.2.80', 5000)); print(s.getsockname()[0])\" | grep -qx $up0"
lab_say G quit >/dev/null; lab_say X quit >/dev/null

# 1,000 sessions, then kill -9: the kernel drops connd's links with its
# descriptors; the next connd attaches one set again.
lab_expect "A creates 999 more sessions" A "ok 999" more 999
check "1000 sessions' counters in the kernel" test "$(lab_counter_ids | wc -l)" = 1000
old=$LAB_CONND_PID
kill -9 "$old"; wait "$old" 2>/dev/null
check_wait "after kill -9 no program is left on the cgroup" 5 no_programs
lab_say A quit >/dev/null
lab_connd dev up0,up1
check_wait "a new connd is up" 20 bash -c "service_state dev up1 online"
check "it attaches none before a session ($(attached))" test "$(attached)" = 0
check "app B (uid 2) creates a session limited to up1" lab_app B 2 - AllowedInterface=up1
check "B's session attached one set of programs ($(attached))" test "$(attached)" = "$want"
lab_bpf_on_links && check "one on each service's link ($(links))" test "$(links | wc -w)" = 2
lab_expect "B rides on up1" B ok wait Interface up1
lab_expect "a new socket of B has up1's address" B "$up1" source 192.0.2.80 5000
check "the new connd's maps hold B's session alone" test "$(lab_counter_ids | wc -l)" = 1
# A service's link that goes takes its program with it, and connd lets go
# of that link; up0's stays.
if lab_bpf_on_links; then
	up0_index=$(ifindex up0)
	lab_exec dev ip link del up1
	only_up0() { test "$(links)" = "$up0_index"; }
	check_wait "up1 deleted: connd counts on up0's link alone" 10 only_up0
fi
lab_say B quit >/dev/null
check_wait "the last session's end detached them" 5 no_programs
check "and let go of the links' programs ($(links))" test -z "$(links)"
check "connd stops cleanly" lab_connd_stop
check "and its programs are gone from the cgroup" test "$(attached)" = 0
lab_done
