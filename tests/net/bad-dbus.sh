#!/usr/bin/env bash
# Bad D-Bus input: ConnMan's error names, readable messages, nothing changed.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
lab_isp isp eth0 10.35.0.1/24
lab_dbus
lab_connd dev up0
check_wait "online" 20 service_state dev up0 online
check "every bad call is rejected and changes nothing" \
	lab_exec dev "$LAB_PY" "$LAB_REPO/tests/net/bad_dbus_input.py" up0
check "still online" service_state dev up0 online
# The 60,000-character paths it sent were refused before anything logged them.
check "no client path logged whole" bash -c "! grep -qE 'p{256}' '$LAB_DIR/connd-dev.log'"
check "connd stops cleanly" lab_connd_stop
lab_done
