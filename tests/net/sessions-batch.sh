#!/usr/bin/env bash
# Manager.GetSessionStatistics and Manager.GetSessionCounters (connd
# extensions): one call answers every session of the calling connection
# with exactly what each session's GetStatistics says, and nothing of anyone
# else's sessions, not even those of another connection of the same uid; a
# caller with no session gets an empty array, and a call with arguments is
# refused. A caller with a good share of all sessions gets them from one
# batch read, others one by one.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_two_isps
check_wait "both uplinks online" 20 bash -c "service_state dev up0 online && service_state dev up1 online"

check "app A (uid 1) creates its session" lab_app A 1 -
check "app C (uid 1 too, another connection) creates one" lab_app C 1 -
lab_expect "A creates two more: three in all" A "ok 2" more 2
check "app B (uid 2) creates its session" lab_app B 2 -
lab_expect "A's traffic flows" A "ok 1234" tcp http://192.0.2.80/bytes/1234
lab_expect "B's traffic flows" B "ok 4321" tcp http://192.0.2.80/bytes/4321

# Counters move while late packets of a flow arrive: the batch must equal
# one-call-per-session readings taken right before and after it.
agree() {
	local before batch counters after
	before=$(lab_say "$1" each); batch=$(lab_say "$1" batch)
	counters=$(lab_say "$1" counters); after=$(lab_say "$1" each)
	[ "$before" = "$after" ] && [ "$batch" = "$before" ] && [ "$counters" = "$before" ] &&
		[[ $batch == /sessions/* ]]
}
check_wait "A's batch and counters equal its sessions' GetStatistics, one by one" 10 agree A
check_wait "so does B's" 10 agree B
check_wait "so does C's" 10 agree C

a=$(lab_say A batch); b=$(lab_say B batch); c=$(lab_say C batch)
entries() { wc -w <<<"$1"; }
check "A's batch has its three sessions ($(entries "$a"))" test "$(entries "$a")" = 3
check "B's has its one" test "$(entries "$b")" = 1
check "C's has its one, though C's uid is A's" test "$(entries "$c")" = 1
check "A's holds neither B's nor C's session" \
	bash -c "! grep -qF '${b%%=*}=' <<<'$a' && ! grep -qF '${c%%=*}=' <<<'$a'"
counters_are() { [ "$(lab_say "$1" counters)" = "$2" ]; }
check_wait "A's counters hold its three sessions, as its batch" 10 counters_are A "$a"
check_wait "B's its one" 10 counters_are B "$b"
check_wait "C's its one" 10 counters_are C "$c"
rx_bytes() { tr ' ' '\n' <<<"$1" | awk -F'[=,]' '{ n += $3 } END { print n + 0 }'; }
check "A's download is counted in its batch ($(rx_bytes "$a") bytes)" test "$(rx_bytes "$a")" -ge 1234
check "B's in B's ($(rx_bytes "$b") bytes)" test "$(rx_bytes "$b")" -ge 4321

# A caller owning a good share of all sessions is answered from one batch
# read of every counter, others one session at a time: both must agree.
lab_expect "A creates thirteen more: sixteen of the eighteen sessions" A "ok 15" more 13
sixteen() { [ "$(lab_say A batch | wc -w)" = 16 ]; }
check "A's batch has its sixteen sessions" sixteen
check_wait "and equals their GetStatistics, one by one (so do its counters)" 10 agree A
lab_expect "A destroys thirteen" A "ok 2" less 13

lab_expect "A destroys its two extra sessions" A "ok 0" less 2
one_left() { [ "$(lab_say A batch | wc -w)" = 1 ]; }
check_wait "A's batch then has one session" 5 one_left
for method in GetSessionStatistics GetSessionCounters; do
	check "a caller with no session gets an empty array from $method" bash -c \
		"dbus-send --system --print-reply --dest=net.connman / net.connman.Manager.$method |
		 tr -d ' \n' | grep -qx 'methodreturn.*array\[\]'"
done
lab_expect "a call with an argument is refused" A "error org.freedesktop.DBus.Error" \
	batch-with-argument

for app in A B C; do lab_say "$app" quit >/dev/null; done
check "connd stops cleanly" lab_connd_stop
lab_done
