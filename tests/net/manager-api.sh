#!/usr/bin/env bash
# net.connman.Manager's members as ConnMan 1.41 declares them (introspection),
# ConnMan's errors from ConnectProvider and RemoveProvider without a VPN,
# NotSupported where connd has no feature behind a method.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
lab_isp isp eth0 10.61.0.1/24
lab_dbus
lab_connd dev up0
check_wait "online" 20 service_state dev up0 online
check "Manager's methods and signals are ConnMan's" \
	lab_exec dev "$LAB_PY" "$LAB_REPO/tests/net/manager_api.py"
check "connd stops cleanly" lab_connd_stop
lab_done
