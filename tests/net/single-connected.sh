#!/usr/bin/env bash
# SingleConnectedTechnology = true: one service connected at a time. The
# best one connects and holds the others back; when it goes, the next one
# connects; a service the user connects wins and the other is disconnected
# (not held down: it comes back when the winner goes).
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp1; lab_ns isp2; lab_ns dev
lab_link isp1 eth0 dev up0
lab_link isp2 eth0 dev up1
lab_isp isp1 eth0 10.37.1.1/24
lab_isp isp2 eth0 10.37.2.1/24
lab_dbus
LAB_CONF="[General]
OnlineCheckIPv4URL = http://isp.lab/online/status.html
OnlineCheckTimeout = 3000
SingleConnectedTechnology = true
LocaltimeFile = $LAB_DIR/localtime"
lab_connd dev up0,up1
dev=$(lab_nsname dev)
s0=$(lab_service dev up0)
s1=$(lab_service dev up1)
defaults() { ip -n "$dev" route show default | wc -l; }

check_wait "up0 (the preferred link) goes online" 20 service_state dev up0 online
sleep 1
check "up1 stays idle meanwhile" service_state dev up1 idle
check "a single default route, through ISP 1" \
	bash -c "[ $(defaults) = 1 ] && ip -n $dev route show default | grep -q 10.37.1.1"

lab_exec isp1 ip link set eth0 down
check_wait "ISP 1 gone: up0 idle" 10 service_state dev up0 idle
check_wait "up1 connects in its place" 20 service_state dev up1 online
check "the default route goes through ISP 2 alone" \
	bash -c "[ \$(ip -n $dev route show default | wc -l) = 1 ] && ip -n $dev route show default | grep -q 10.37.2.1"

lab_exec isp1 ip link set eth0 up
sleep 2
check "ISP 1 back: up0 does not connect by itself while up1 is connected" \
	service_state dev up0 idle

check "the user connects up0" lab_connmanctl connect "$s0"
check_wait "up0 online" 20 service_state dev up0 online
check_wait "up1 is disconnected for it" 10 service_state dev up1 idle
check_wait "one default route, through ISP 1" 5 \
	bash -c "[ \$(ip -n $dev route show default | wc -l) = 1 ] && ip -n $dev route show default | grep -q 10.37.1.1"

lab_exec isp1 ip link set eth0 down
check_wait "up0 gone: up1 (disconnected by policy, not by the user) comes back" 20 \
	service_state dev up1 online
check "connd stops cleanly" lab_connd_stop
lab_done
