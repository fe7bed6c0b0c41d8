#!/usr/bin/env bash
# DHCP classless static routes (option 121, RFC 3442) from a real dnsmasq:
# a route through another router of the LAN and one on the link come with
# the lease, and the option's default route wins over option 3's router, as
# the RFC says; the routes go when the service disconnects and when connd
# stops, and a connd killed with -9 leaves none doubled after its restart.
# A session's own table (its service's) has them too.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
chmod 755 "$LAB_DIR"	# the session app (uid 1) reads its fifos there
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
# Option 3 says 10.49.0.1; option 121 says the default is 10.49.0.2, the
# 10.99/16 network is behind 10.49.0.254, and 172.16.5/24 is on the link.
# One namespace plays all those routers.
lab_isp isp eth0 10.49.0.1/24 \
	"--dhcp-conf=dhcp-option=option:classless-static-route,10.99.0.0/16,10.49.0.254,172.16.5.0/24,0.0.0.0,0.0.0.0/0,10.49.0.2"
for a in 10.49.0.2/24 10.49.0.254/24 172.16.5.1/24; do lab_exec isp ip addr add "$a" dev eth0; done
lab_exec isp ip addr add 10.99.0.1/16 dev lo
lab_dbus
LAB_CONF="[General]
OnlineCheckIPv4URL = http://isp.lab/online/status.html
OnlineCheckTimeout = 3000"
lab_connd dev up0
check_wait "online" 20 service_state dev up0 online
pings() { lab_exec dev ping -c 1 -W 2 "$1" >/dev/null; }
routes() { lab_exec dev ip -4 route show table main; }
check "10.99/16 through the router option 121 names" bash -c \
	"lab_exec dev ip -4 route get 10.99.0.1 | grep -q 'via 10.49.0.254 dev up0'"
check "and it answers there" pings 10.99.0.1
check "172.16.5/24 on the link" bash -c \
	"lab_exec dev ip -4 route show 172.16.5.0/24 | grep -q 'dev up0 proto' &&
	 ! lab_exec dev ip -4 route show 172.16.5.0/24 | grep -q via"
check "a host there answers" pings 172.16.5.1
check "the default route is option 121's (10.49.0.2), option 3 ignored" bash -c \
	"lab_exec dev ip -4 route show default | grep -q 'via 10.49.0.2 dev up0' &&
	 ! lab_exec dev ip -4 route show default | grep -q 'via 10.49.0.1 '"
check "connd asked for option 121" grep -q 'requested options:.*classless-static-route' \
	"$LAB_DIR/dnsmasq-isp-eth0.log"

# A session's traffic takes its service's own table (its sockets' mark):
# the option's routes must be there too, not only in main.
check "an app (uid 1) creates a session on ethernet" lab_app A 1 - AllowedBearers=ethernet
lab_expect "its session is online" A ok wait State online
slot_mark() { lab_exec dev ip -4 rule show | awk '/fwmark/ && !/unreachable/ { sub("/.*", "", $5); print $5; exit }'; }
check_wait "the slot's rule is in" 10 test -n "$(slot_mark)"
mark=$(slot_mark)
check "marked for the session, 10.99/16 still goes through option 121's router" bash -c \
	"lab_exec dev ip -4 route get 10.99.0.1 mark $mark | grep -q 'via 10.49.0.254 dev up0 table'"
check "and 172.16.5/24 on the link" bash -c \
	"lab_exec dev ip -4 route get 172.16.5.1 mark $mark | grep -qE '^172.16.5.1 dev up0 table'"
check "anything else through option 121's default" bash -c \
	"lab_exec dev ip -4 route get 192.0.2.1 mark $mark | grep -q 'via 10.49.0.2 dev up0 table'"
lab_say A quit >/dev/null

svc=$(lab_service dev up0)
lab_connmanctl disconnect "$svc" >/dev/null 2>&1
check_wait "disconnected: the routes go" 10 bash -c "! lab_exec dev ip -4 route show | grep -q 10.99.0.0"
check "from the session's table too" bash -c "! lab_exec dev ip -4 route show table all | grep -q 10.99.0.0"
check "the on-link one too" bash -c "! lab_exec dev ip -4 route show | grep -q 172.16.5.0"
lab_connmanctl connect "$svc" >/dev/null 2>&1
check_wait "connected again: back" 20 bash -c "lab_exec dev ip -4 route show | grep -q 10.99.0.0"

kill -9 "$LAB_CONND_PID"; wait "$LAB_CONND_PID" 2>/dev/null
lab_connd dev up0
check_wait "after kill -9 and a restart: online" 20 service_state dev up0 online
check_wait "10.99/16 is there once" 10 test "$(routes | grep -c '^10.99.0.0/16')" = 1
check "172.16.5/24 once" test "$(routes | grep -c '^172.16.5.0/24')" = 1
check "connd stops cleanly" lab_connd_stop
check "its routes went with it" bash -c "! lab_exec dev ip -4 route show | grep -qE '10.99.0.0|172.16.5.0'"
lab_done
