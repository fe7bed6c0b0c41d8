#!/usr/bin/env bash
# A client leaves the bus just as connd stops: the bus's NameOwnerChanged
# for its agent arrives while connd flushes the bus on its way out, after
# every signal watch of the manager is gone (ELL 0.56 then walked an empty
# match tree: a segfault, seen in the Wi-Fi VM lab when a scenario killed its
# agent and connd together). connd must exit 0 whatever the gap between the
# two; the sanitizer builds must say nothing.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns dev
lab_dbus
: >"$LAB_DIR/answers"
for gap in 0 0 0.005 0.01 0.01 0.02 0.05; do
	lab_connd dev up0
	: >"$LAB_DIR/agent.log"
	"$LAB_PY" "$LAB_REPO/tests/lab/wifi-agent.py" "$LAB_DIR/answers" >"$LAB_DIR/agent.log" 2>&1 &
	agent=$!
	lab_wait 5 grep -q registered "$LAB_DIR/agent.log"
	kill -TERM "$LAB_CONND_PID"
	sleep "$gap"
	kill "$agent"
	wait "$LAB_CONND_PID"
	check "connd exits 0 when its agent leaves ${gap}s after the stop" test $? = 0
done
check "no sanitizer report" eval "! grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' '$LAB_DIR/connd-dev.log'"
lab_done
