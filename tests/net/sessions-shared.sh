#!/usr/bin/env bash
# A session created by an unprivileged user never changes the routing of
# another uid's traffic, whatever its policy is keyed by. Two users of one
# group (gid 100) under a gid-keyed policy: A's session with
# AllowedBearers=[] cuts A's traffic only, B's follows the main table (it put
# `session_gid { 100 : unreachable }` in the kernel and cut every member).
# The same with two users' processes in one cgroup under a cgroup policy.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_require_cgroup2
lab_two_isps
check_wait "both uplinks online" 20 bash -c "service_state dev up0 online && service_state dev up1 online"
# Under the lab's session cgroup, where connd's BPF programs are attached.
group="connd-$LAB"
[ -n "${LAB_CGROUP:-}" ] && group="${LAB_CGROUP#"$mnt"/}/$group"
mkdir -p "$mnt/$group/x"
lab_defer "rmdir '$mnt/$group/x' '$mnt/$group'"
printf '[policy_group]\ngid = 100\n[policy_x]\ncgroup = /%s/x\n' "$group" >"$LAB_DIR/policy/shared.policy"
check_wait "connd read the policies" 5 grep -q "session policies reloaded: 2" "$LAB_DIR/connd-dev.log"

# as UID GID CGROUP N: an HTTP GET of /bytes/N as that user (no session),
# in that cgroup ("-": none); succeeds if the server answered.
as() {
	sh -c '[ "$1" = - ] || echo $$ >"$1/cgroup.procs" || exit 1; shift; exec "$@"' sh "$3" \
		nsenter --net="/run/netns/$dev" setpriv --reuid="$1" --regid="$2" --clear-groups \
		curl -s -o /dev/null --max-time 3 "http://192.0.2.80/bytes/$4"
}
reached() { grep -q "bytes/$2\b" "$LAB_DIR/web-$1.log"; }
marked() { lab_marks "$1" | grep -q "^$2 "; }
not() { ! "$@"; }
through_isp1() { as "$@" && reached isp1 "$4"; }

check "B (uid 2, gid 100) reaches the server before any session" as 2 100 - 5001
check "app A (uid 1, gid 100) creates a session with AllowedBearers=[]" \
	lab_app A 1:100 - AllowedBearers=
lab_expect "A is told it has no bearer" A ok wait State disconnected
lab_expect "A's own traffic has no route" A error tcp http://192.0.2.80/bytes/5002 2
check "the group's map has no element for gid 100" not marked gid 100
check "A is marked by its uid" marked uid 1
check "B's traffic still flows, through the main table (ISP 1)" \
	through_isp1 2 100 - 5003
lab_say A quit >/dev/null; wait "${LAB_APP_PID[A]}" 2>/dev/null

check "C (uid 3) in cgroup x reaches the server before any session" as 3 3 "$mnt/$group/x" 5004
check "app D (uid 4) in cgroup x creates a session with AllowedBearers=[]" \
	lab_app D 4 "$mnt/$group/x" AllowedBearers=
lab_expect "D is told it has no bearer" D ok wait State disconnected
lab_expect "D's own traffic has no route" D error tcp http://192.0.2.80/bytes/5005 2
check "no cgroup map has an element" bash -c "! lab_marks cgroup | grep -q ."
check "D is marked by its uid" marked uid 4
check "C's traffic in the same cgroup still flows, through ISP 1" \
	through_isp1 3 3 "$mnt/$group/x" 5006
lab_say D quit >/dev/null; wait "${LAB_APP_PID[D]}" 2>/dev/null
check "connd stops cleanly" lab_connd_stop
lab_done
