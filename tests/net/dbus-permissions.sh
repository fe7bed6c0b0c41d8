#!/usr/bin/env bash
# connd checks its callers itself: on a bus that lets everyone through (the
# lab's), nobody may read and hold sessions but configure nothing; root may.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
command -v setpriv >/dev/null || { lab_log "needs setpriv"; exit 77; }
lab_init
chmod 755 "$LAB_DIR"
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
lab_isp isp eth0 10.35.0.1/24
lab_dbus
lab_connd dev up0
check_wait "online" 20 service_state dev up0 online
check "nobody reads and holds a session, configures nothing" \
	lab_exec dev setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$LAB_PY" "$LAB_REPO/tests/net/dbus_permissions.py" nobody up0
check "root configures" lab_exec dev "$LAB_PY" "$LAB_REPO/tests/net/dbus_permissions.py" root up0
check "connd stops cleanly" lab_connd_stop
lab_done
