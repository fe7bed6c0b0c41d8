#!/usr/bin/env bash
# The BPF data path's counters for every session id connd may give
# (SOCKMARK_MAX_SESSIONS, 131072) are added in one burst, each one starting
# from zero, read back in one walk, and removed; the id past them is refused
# with ENOSPC. On the way the counters array grows four times (1,024 to
# 131,072 sessions, sockmark-grow.h), the entries already added kept; their
# removal takes it back to 1,024. Nothing else is allocated per session: a per-CPU hash that
# allocated each entry on demand refused some sessions with ENOMEM in bursts
# on a loaded machine (from the 539th on, once). Driven through
# tests/net/sockmark-probe (src/sockmark.c on its own), attached to the
# lab's empty cgroup only.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
probe=$(dirname "$LAB_CONND")/../tests/net/sockmark-probe
[ -x "$probe" ] || { echo "no $probe (built without BPF)"; exit 77; }
lab_require_cgroup2
lab_init
# Not in $(...): the cgroup's removal is deferred in the shell that makes it.
lab_session_cgroup >/dev/null || exit 1
cgroup=$LAB_CGROUP
out=$("$probe" "$cgroup" 131072)
status=$?
[ "$status" = 77 ] && { echo "$out"; exit 77; }
printf '%s\n' "$out" | grep -v '^added' | head -n 10
said=$(printf '%s\n' "$out" | tail -n 1)
check "the probe ran ($status)" test "$status" = 0
check "131072 sessions' counters added in one burst, each from zero, read back, removed; the next id refused ($said)" \
	test "$said" = "added 131072 read 131072 refused No space left on device past the limit, left 0 after removal"
check "no program left on the lab's cgroup" \
	bash -c "! bpftool cgroup show '$cgroup' 2>/dev/null | grep -q session_"
lab_done
