#!/usr/bin/env bash
# connd is told to stop while it is still waiting for the bus to give it its
# name: the bus's answer then arrives while connd flushes the bus on its way
# out, after the manager is gone. It must touch nothing freed (the ASan and
# valgrind builds would say so) and exit 0.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns dev
lab_dbus

# True once connd's main loop blocks SIGTERM (it reads signals from a
# signalfd): a TERM before that would kill it outright. Not before the
# process is past the shell that forked it: bash blocks SIGTERM around a
# fork, and a TERM to the child still in the shell ran this script's
# teardown trap there (seen on a loaded machine).
term_blocked() {
	local blk
	[ "$(readlink "/proc/$1/exe")" != "$(readlink "/proc/$$/exe")" ] || return 1
	blk=$(awk '/^SigBlk:/ { print $2 }' "/proc/$1/status" 2>/dev/null) || return 1
	[ -n "$blk" ] && (( (16#$blk >> 14) & 1 ))
}

start_unwaited() {
	nsenter --net="/run/netns/$(lab_nsname dev)" env \
		ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" \
		UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}" \
		unshare --uts ${LAB_WRAP:-} "$LAB_CONND" -n -i up0 \
		--state-dir "$LAB_DIR/state-dev" --resolv-conf "$LAB_DIR/resolv-dev.conf" \
		>>"$LAB_DIR/connd-dev.log" 2>&1 &
	LAB_CONND_PID=$!
	lab_defer "lab_connd_kill $LAB_CONND_PID"
}

mkdir -p "$LAB_DIR/state-dev"
for i in 1 2 3 4 5 6; do
	start_unwaited
	# valgrind runs connd as a child of its own process: it blocks the
	# signal the same way, in the same process.
	lab_wait 20 term_blocked "$LAB_CONND_PID"
	check "stopped before it owns its name ($i): exits cleanly" lab_connd_stop
	cat "$LAB_DIR/connd-dev.log" >>"$LAB_DIR/connd-dev.all"
	: >"$LAB_DIR/connd-dev.log"
done
lab_done
