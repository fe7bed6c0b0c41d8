#!/usr/bin/env bash
# Two uplinks: the default route follows the preferred one (the first -i
# pattern), moves when it goes down and comes back when it returns.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp1; lab_ns isp2; lab_ns dev
lab_link isp1 eth0 dev up0
lab_link isp2 eth0 dev up1
lab_isp isp1 eth0 10.34.1.1/24
lab_isp isp2 eth0 10.34.2.1/24 --offload-off
lab_dbus
lab_connd dev up0,up1
dev=$(lab_nsname dev)
first_default() { ip -n "$dev" route show default | head -n 1; }
check_wait "both services online" 20 \
	bash -c "service_state dev up0 online && service_state dev up1 online"
check "the preferred default route is via ISP 1" \
	bash -c "ip -n $dev route get 192.0.2.1 | grep -q 'via 10.34.1.1 dev up0'"
check "ISP 2 has a default route as fallback, with a higher metric" \
	bash -c "ip -n $dev route show default | grep -q 'via 10.34.2.1 dev up1'"
check "connmanctl lists the up0 service first" \
	bash -c "lab_connmanctl services | head -n 1 | grep -q $(lab_service dev up0)"

lab_exec isp1 ip link set eth0 down
check_wait "ISP 1 gone: up0 idle" 10 service_state dev up0 idle
check_wait "the default route moves to ISP 2" 10 \
	bash -c "ip -n $dev route get 192.0.2.1 | grep -q 'via 10.34.2.1 dev up1'"
check "only ISP 2's default route is left" \
	bash -c "[ \$(ip -n $dev route show default | wc -l) = 1 ]"
check "traffic leaves through ISP 2" lab_exec dev ping -c 1 -W 2 10.34.2.1
check "connmanctl lists the up1 service first" \
	bash -c "lab_connmanctl services | head -n 1 | grep -q $(lab_service dev up1)"

lab_exec isp1 ip link set eth0 up
check_wait "ISP 1 back: up0 online" 20 service_state dev up0 online
check_wait "the default route returns to ISP 1" 10 \
	bash -c "ip -n $dev route get 192.0.2.1 | grep -q 'via 10.34.1.1 dev up0'"
check "connd stops cleanly" lab_connd_stop
lab_done
