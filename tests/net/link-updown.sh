#!/usr/bin/env bash
# Cable out: the service goes idle and its address and default route go;
# cable in: it comes back online by itself.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
lab_isp isp eth0 10.33.0.1/24
lab_dbus
lab_connd dev up0
dev=$(lab_nsname dev)
check_wait "online" 20 service_state dev up0 online

lab_exec isp ip link set eth0 down
check_wait "carrier lost: the service is idle" 10 service_state dev up0 idle
check "its address is gone" bash -c "! ip -n $dev -4 addr show up0 | grep -q inet"
check "the default route is gone" bash -c "! ip -n $dev route show default | grep -q ."
check "the manager is idle" bash -c "lab_connmanctl state | grep -q 'State = idle'"
check "the technology is not connected" \
	bash -c "lab_connmanctl technologies | grep -q 'Connected = False'"

lab_exec isp ip link set eth0 up
check_wait "carrier back: online again" 20 service_state dev up0 online
check "the default route is back" \
	bash -c "ip -n $dev route show default | grep -q 'via 10.33.0.1 dev up0'"

check "connmanctl disable ethernet" lab_connmanctl disable ethernet
check_wait "powered off: the link is down and the service idle" 10 \
	bash -c "service_state dev up0 idle && ! ip -n $dev link show up0 | grep -q ',UP'"
check "connmanctl enable ethernet" lab_connmanctl enable ethernet
check_wait "powered on: online again" 20 service_state dev up0 online
check "disconnect holds the service idle" lab_connmanctl disconnect "$(lab_service dev up0)"
check_wait "idle after disconnect" 10 service_state dev up0 idle
check "connect brings it back" lab_connmanctl connect "$(lab_service dev up0)"
check_wait "online after connect" 20 service_state dev up0 online
check "connd stops cleanly" lab_connd_stop
lab_done
