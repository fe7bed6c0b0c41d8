#!/bin/bash
# The Wi-Fi VM lab's guest driver, run as PID 1 by the initramfs: mounts the
# guest's own /proc, /sys, /dev and /run, the writable results share
# (tag "results", at $VM_OUT), brings the lab up (guest-lab.sh), runs each
# scenario file named in $VM_OUT/params in a subshell with its own time limit,
# writes "PASS|FAIL NAME SECONDS" lines to $VM_OUT/results and powers off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8
VM_OUT=/run/results
export VM_OUT

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /run
# No tmpfs over /tmp: the checkout (and the connd it runs) may live there, as
# CI's fresh clone may. The root's overlay already keeps every write in the
# guest's memory, never on the host.
mkdir -p "$VM_OUT"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 results "$VM_OUT" || {
	echo "vmlab: cannot mount the results share"
	busybox poweroff -f
}
exec >"$VM_OUT/guest.log" 2>&1
. "$VM_OUT/params"
. "$VM_DIR/guest-lab.sh"
up=$(vm_now)
# An idle host reaches this point in ~4 s; a loaded one in 15-70 s.
VM_SLOW=$((${up%.*} / 8 + 1))
[ "$VM_SLOW" -le 5 ] || VM_SLOW=5
echo "booted $up slow=$VM_SLOW" >"$VM_OUT/boot"

# check WHAT CMD...: one assertion of a scenario, printed ok/FAIL.
check() {
	local what=$1
	shift
	if "$@"; then
		printf 'ok - %s\n' "$what"
	else
		printf 'FAIL - %s\n' "$what"
		VM_FAILS=$((VM_FAILS + 1))
	fi
}
# check_wait WHAT SECONDS CMD...
check_wait() { local what=$1 secs=$2; shift 2; check "$what" vm_wait "$secs" "$@"; }

# vm_descendants PID: every process below PID, children first.
vm_descendants() {
	local child
	for child in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		echo "$child"
		vm_descendants "$child"
	done
}

# run_scenario FILE: sources it in a subshell; it fails if a check failed,
# it exited non-zero or it outlived VM_SCENARIO_LIMIT seconds.
run_scenario() {
	local name=${1##*/} start pid rc verdict
	name=${name%.sh}; name=${name#[0-9][0-9]-}
	vm_us; start=$VM_US
	(
		VM_FAILS=0
		. "$1"
		[ "$VM_FAILS" = 0 ]
	) >"$VM_OUT/scenario-$name.log" 2>&1 &
	pid=$!
	if vm_wait "$VM_SCENARIO_LIMIT" vm_gone "$pid"; then
		wait "$pid"; rc=$?
	else
		# The whole tree: the scenario's connd, connmanctl and helpers
		# would otherwise outlive it and disturb the next scenarios.
		kill -9 "$pid" $(vm_descendants "$pid") 2>/dev/null
		echo "FAIL - timed out after $((VM_SCENARIO_LIMIT * VM_SLOW))s" >>"$VM_OUT/scenario-$name.log"
		rc=124
	fi
	[ "$rc" = 0 ] && verdict=PASS || verdict=FAIL
	echo "$verdict $name $(vm_elapsed "$start")" >>"$VM_OUT/results"
}

if vm_setup; then
	echo "setup $(vm_now)" >>"$VM_OUT/boot"
	for f in $VM_SCENARIOS; do
		run_scenario "$f"
	done
else
	echo "setup-failed $(vm_now)" >>"$VM_OUT/boot"
fi
echo "done $(vm_now)" >>"$VM_OUT/boot"
dmesg >"$VM_OUT/dmesg.log"
sync
busybox poweroff -f
