#!/usr/bin/env bash
# connd opens libbpf.so.1 only to load its BPF programs (src/bpf-load.c):
# without it at run time connd starts all the same, says in its data path
# line why BPF is not used, and its sessions take the nftables path (an
# application's traffic leaves and is counted there, no program attached).
# The library is hidden from connd alone: it runs in a mount namespace of
# its own where /dev/null is bound over the library's file.
if [ "${1:-}" = --hide ]; then
	# LAB_WRAP's end: hide $2, then become connd.
	mount --bind /dev/null "$2" || exit 1
	shift 2
	exec "$@"
fi
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lib=$(ldconfig -p | awk '$1 == "libbpf.so.1" {print $NF; exit}')
[ -n "$lib" ] || { echo "no libbpf.so.1 on this machine to hide"; exit 77; }
lab_require_cgroup2
LAB_WRAP="${LAB_WRAP:-} unshare --mount --propagation private $(cd "$(dirname "$0")" && pwd)/${0##*/} --hide $lib"
lab_two_isps
check "connd runs without libbpf.so.1" kill -0 "$LAB_CONND_PID"
check_wait "both uplinks online" 20 bash -c "service_state dev up0 online && service_state dev up1 online"
check "connd says the nftables data path is in force, and that libbpf.so.1 could not be loaded" \
	grep -q "sessions: nftables data path (BPF not loadable at $LAB_CGROUP: .*libbpf\.so\.1: " \
	"$LAB_DIR/connd-dev.log"
check "no libbpf in connd's memory" bash -c "! grep -q libbpf /proc/$LAB_CONND_PID/maps"

check "app A (uid 1) creates its session" lab_app A 1 -
lab_expect "A's TCP request succeeds" A "ok 1234" tcp http://192.0.2.80/bytes/1234
check "A's session is counted in connd's nftables table ($(lab_counter_ids | xargs))" \
	test "$(lab_counter_ids | wc -l)" = 1
check "no program on the lab's cgroup" \
	bash -c "! bpftool cgroup show '$LAB_CGROUP' 2>/dev/null | grep -q session_"
lab_done
