#!/usr/bin/env bash
# The user's order of services (Service.MoveBefore/MoveAfter, as ConnMan's
# test/service-move-before does it): the list and the default route follow
# it at once, misuse gets ConnMan's errors, and the order survives a restart.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp1; lab_ns isp2; lab_ns dev
lab_link isp1 eth0 dev up0
lab_link isp2 eth0 dev up1
lab_isp isp1 eth0 10.36.1.1/24
lab_isp isp2 eth0 10.36.2.1/24
lab_dbus
lab_connd dev up0,up1
dev=$(lab_nsname dev)
s0=$(lab_service dev up0)
s1=$(lab_service dev up1)

# move A before|after B: the D-Bus call, its error name (if any) on stdout.
move() {
	local out
	out=$(dbus-send --system --print-reply --dest=net.connman "/net/connman/service/$1" \
		"net.connman.Service.Move${2^}" "objpath:/net/connman/service/$3" 2>&1) && return 0
	printf '%s\n' "$out" | grep -o 'net\.connman\.Error\.[A-Za-z]*' | head -n 1
	return 1
}
# refused ERROR A before|after B: the move fails with that error.
refused() { [ "$(move "$2" "$3" "$4")" = "net.connman.Error.$1" ]; }
first_is() { lab_connmanctl services | head -n 1 | grep -q "$1"; }
route_via() { ip -n "$dev" route get 192.0.2.1 | grep -q "via $1"; }

check_wait "both services online" 20 \
	bash -c "service_state dev up0 online && service_state dev up1 online"
check "up0 comes first (the first -i pattern)" first_is "$s0"
check "the default route goes through ISP 1" route_via 10.36.1.1

check "MoveBefore up1 before up0 is accepted" move "$s1" before "$s0"
check_wait "up1 is listed first" 3 first_is "$s1"
check_wait "the default route moves to ISP 2 within a second" 1 route_via 10.36.2.1
check_wait "both are online again" 20 \
	bash -c "service_state dev up0 online && service_state dev up1 online"
check "up1 stays first once both are online" first_is "$s1"

check "MoveAfter up1 after up0 is accepted" move "$s1" after "$s0"
check_wait "up0 is listed first again" 3 first_is "$s0"
check_wait "the default route returns to ISP 1" 1 route_via 10.36.1.1

check "moving a service before itself: InvalidService" \
	refused InvalidService "$s0" before "$s0"
check "moving before a service that does not exist: InvalidService" \
	refused InvalidService "$s0" before ethernet_000000000000_cable
wrong=$(dbus-send --system --print-reply --dest=net.connman "/net/connman/service/$s0" \
	net.connman.Service.MoveBefore "string:$s1" 2>&1)
lab_log "MoveBefore(string): $wrong"
check "MoveBefore with a string, not a path: refused" grep -q '^Error ' <<<"$wrong"
check "and the order is unchanged" first_is "$s0"

lab_connmanctl disconnect "$s1" >/dev/null
check_wait "up1 disconnected" 5 service_state dev up1 idle
check "an idle service cannot go before an online one: InvalidService" \
	refused InvalidService "$s1" before "$s0"
lab_connmanctl connect "$s1" >/dev/null
check_wait "up1 connected again" 20 service_state dev up1 online

check "MoveBefore up1 before up0 again" move "$s1" before "$s0"
check_wait "up1 first" 3 first_is "$s1"
check "connd stops cleanly" lab_connd_stop
lab_connd dev up0,up1
check_wait "after a restart, both online" 20 \
	bash -c "service_state dev up0 online && service_state dev up1 online"
check "the user's order survived the restart: up1 first" first_is "$s1"
check "and the default route goes through ISP 2" route_via 10.36.2.1
check "connd stops cleanly again" lab_connd_stop
lab_done
