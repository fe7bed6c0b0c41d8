#!/usr/bin/env bash
# A local user must not exhaust what other users share: one uid holds at
# most SessionsPerUser sessions (here 3) and one more is refused with a clear
# error, while another uid still creates its own; a destroyed session's id
# is given to the next session (ids were never reused: after 524,287
# sessions in total CreateSession failed for everyone). A session's object
# path is its id, two digits an element, whoever created it on whichever
# notifier; one owner still has one session per notifier.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_two_isps_online "SessionsPerUser = 3"

ids() { lab_counter_ids | sort -n | tr '\n' ' '; }

check "app A (uid 1) creates its session" lab_app A 1 -
lab_expect "its path names its id, two digits an element" A "/sessions/00/00/01" path
lab_expect "a second session on the same notifier is refused" A \
	"error net.connman.Error.AlreadyExists" twin
lab_expect "A creates two more: three in all" A "ok 2" more 2
lab_expect "a fourth is refused with ConnMan's Failed, naming the limit" A \
	"error net.connman.Error.Failed uid 1 holds as many sessions as it may (SessionsPerUser)" more 1
check "connd says why in its log" grep -q "uid 1 has 3 sessions, its limit" "$LAB_DIR/connd-dev.log"
check "app B (uid 2) still creates a session" lab_app B 2 -
lab_expect "on the notifier path A uses, its own session (id 4)" B "/sessions/00/00/04" path
lab_expect "and B rides on up0" B ok wait Interface up0
check "four sessions, ids 1 to 4 ($(ids))" test "$(ids)" = "1 2 3 4 "

lab_expect "A destroys its oldest extra session (id 2)" A "ok 1" less 1
check "its counters went ($(ids))" test "$(ids)" = "1 3 4 "
lab_expect "A may create one again" A "ok 2" more 1
check "the new session took the freed id 2 ($(ids))" test "$(ids)" = "1 2 3 4 "
lab_expect "and A is held at three again" A "error net.connman.Error.Failed" more 1
check "the refused ones took no id ($(ids))" test "$(ids)" = "1 2 3 4 "

lab_say A quit >/dev/null; wait "${LAB_APP_PID[A]}" 2>/dev/null
check_wait "A's sessions went with it" 5 bash -c "[ \"\$(lab_counter_ids | wc -l)\" = 1 ]"
check "app C (uid 3) gets the lowest free id, 1" lab_app C 3 -
check "ids now ($(ids))" test "$(ids)" = "1 4 "

# The real connmanctl uses the path CreateSession returns, whatever its shape.
mkfifo "$LAB_DIR/ctl.in"
lab_connmanctl <"$LAB_DIR/ctl.in" >"$LAB_DIR/ctl.out" 2>&1 &
lab_defer "kill $! 2>/dev/null"
exec {ctl}>"$LAB_DIR/ctl.in"
ctl_said() { grep -q -- "$1" "$LAB_DIR/ctl.out"; }
echo "session on" >&$ctl
check_wait "connmanctl's session on: the lowest free id's path" 10 \
	ctl_said "Session /sessions/00/00/02 created"
check_wait "connmanctl is told it is connected" 10 ctl_said "Session /sessions/00/00/02 connected"
echo "session config bearers ethernet" >&$ctl
check_wait "its Change reaches the session" 10 \
	bash -c "[ \$(grep -c 'AllowedBearers = \[ ethernet \]' '$LAB_DIR/ctl.out') = 1 ]"
echo "session off" >&$ctl
check_wait "and session off ends it" 10 ctl_said "Session /sessions/00/00/02 ended"
echo quit >&$ctl
exec {ctl}>&-
lab_say B quit >/dev/null; lab_say C quit >/dev/null
check "connd stops cleanly" lab_connd_stop
lab_done
