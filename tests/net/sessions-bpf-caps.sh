#!/usr/bin/env bash
# connd under systemd has only the capabilities its unit
# (data/connd.service.in) bounds it to. With exactly those it must load the
# sessions' BPF data path (it fell back to nftables, "Operation not
# permitted", before CAP_BPF was in the unit), and the per-packet programs
# must carry no speculation barrier (the verifier adds an lfence per packet
# for a loader without CAP_PERFMON).
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_require_cgroup2
unit=$LAB_REPO/data/connd.service.in
caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$unit" | tr 'A-Z' 'a-z' | sed 's/cap_/+/g; s/ /,/g')
check "the unit bounds connd's capabilities ($caps)" test -n "$caps"
LAB_WRAP="${LAB_WRAP:-} setpriv --bounding-set -all,$caps"
lab_two_isps
check "connd runs with the unit's capabilities only" \
	bash -c "grep -q '^CapBnd:' /proc/$LAB_CONND_PID/status && [ \$(awk '/^CapBnd:/ {print \$2}' /proc/$LAB_CONND_PID/status) != \$(awk '/^CapBnd:/ {print \$2}' /proc/self/status) ]"
check "the BPF data path is in force" \
	grep -q "sessions: BPF data path on cgroup $LAB_CGROUP" "$LAB_DIR/connd-dev.log"
check "app A (uid 1) creates its session" lab_app A 1 -
lab_expect "A's TCP request succeeds" A "ok 1234" tcp http://192.0.2.80/bytes/1234
# The cgroup's (ingress, and egress where links do not count) and the links'.
progs=$(bpftool cgroup show "$LAB_CGROUP" 2>/dev/null | awk '/session_(egress|ingress)/ {print $1}')
check "the cgroup's per-packet programs are attached ($(echo $progs))" \
	test "$(echo "$progs" | wc -w)" = $(($(lab_bpf_cgroup_programs) - 1))
if lab_bpf_on_links; then
	check "and the services' links' ($(lab_bpf_tcx_links | xargs))" test "$(lab_bpf_tcx_links | wc -l)" = 2
	progs="$progs $(lab_bpf_tcx_progs)"
fi
for id in $progs; do
	check "program $id has no speculation barrier" \
		bash -c "! bpftool prog dump xlated id $id | grep -qi nospec"
done
read -r rx0 tx0 <<<"$(lab_say A packets)"
lab_expect "A sends 5 datagrams" A ok udp 192.0.2.80 5000 5
read -r rx1 tx1 <<<"$(lab_say A packets)"
check "A's counters count them ($((tx1 - tx0)) sent)" test $((tx1 - tx0)) -ge 5
lab_done
