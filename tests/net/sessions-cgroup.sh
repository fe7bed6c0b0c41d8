#!/usr/bin/env bash
# Applications recognised by cgroup: two processes of the same uid (root) in
# two cgroups, each matched by a policy's cgroup key, take different ISPs;
# root's other traffic is untouched; a process moved to another cgroup has
# its next session keyed by the new one.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_require_cgroup2
lab_two_isps
check_wait "both uplinks online" 20 bash -c "service_state dev up0 online && service_state dev up1 online"
# Under the lab's session cgroup, where connd's BPF programs are attached.
group="connd-$LAB"
[ -n "${LAB_CGROUP:-}" ] && group="${LAB_CGROUP#"$mnt"/}/$group"
mkdir -p "$mnt/$group/x" "$mnt/$group/y"
lab_defer "rmdir '$mnt/$group/x' '$mnt/$group/y' '$mnt/$group'"
printf '[policy_x]\ncgroup = /%s/x\n[policy_y]\ncgroup = /%s/y\n' "$group" "$group" \
	>"$LAB_DIR/policy/apps.policy"
check_wait "connd read the policies" 5 grep -q "session policies reloaded: 2" "$LAB_DIR/connd-dev.log"

hits() { grep -c "$2" "$LAB_DIR/web-$1.log" 2>/dev/null || true; }
check "app X (root, cgroup x) asks for up1" lab_app X 0 "$mnt/$group/x" AllowedInterface=up1
check "app Y (root, cgroup y) asks for up0" lab_app Y 0 "$mnt/$group/y" AllowedInterface=up0
lab_expect "X rides on up1" X ok wait Interface up1
lab_expect "Y rides on up0" Y ok wait Interface up0
check "the marks are keyed by cgroup, not uid ($(lab_datapath) path)" bash -c "
	lab_marks cgroup | wc -l | grep -qx 2 && ! lab_marks uid | grep -q ."
lab_expect "X's request succeeds" X "ok 3131" tcp http://192.0.2.80/bytes/3131
check "X's request went through ISP 2" grep -q 'bytes/3131' "$LAB_DIR/web-isp2.log"
check "not ISP 1" bash -c "! grep -q 'bytes/3131' '$LAB_DIR/web-isp1.log'"
lab_expect "Y's request succeeds" Y "ok 3232" tcp http://192.0.2.80/bytes/3232
check "Y's request went through ISP 1" grep -q 'bytes/3232' "$LAB_DIR/web-isp1.log"
check "not ISP 2" bash -c "! grep -q 'bytes/3232' '$LAB_DIR/web-isp2.log'"
check "root outside both cgroups follows the main table (ISP 1)" \
	bash -c "lab_exec dev curl -s -o /dev/null --max-time 3 http://192.0.2.80/bytes/3333 &&
		 grep -q 'bytes/3333' '$LAB_DIR/web-isp1.log' && ! grep -q 'bytes/3333' '$LAB_DIR/web-isp2.log'"
# connd asks the bus who a connection is once, but reads the cgroup at each
# CreateSession: X, moved into y, makes its next session there, and being
# the newest under y's key it now marks y's sockets too (up1, ISP 2).
echo "${LAB_APP_PID[X]}" >"$mnt/$group/y/cgroup.procs"
lab_expect "X, moved into cgroup y, creates another session on the same connection" X "ok 1" more 1
lab_expect "Y's next request succeeds" Y "ok 3434" tcp http://192.0.2.80/bytes/3434
check "and leaves by X's newest session under y: ISP 2" grep -q 'bytes/3434' "$LAB_DIR/web-isp2.log"
check "not ISP 1" bash -c "! grep -q 'bytes/3434' '$LAB_DIR/web-isp1.log'"
lab_say X quit >/dev/null; lab_say Y quit >/dev/null
wait "${LAB_APP_PID[X]}" "${LAB_APP_PID[Y]}" 2>/dev/null
check_wait "their elements are gone with them" 5 \
	bash -c "! lab_marks cgroup | grep -q ."
check "connd stops cleanly" lab_connd_stop
lab_done
