#!/usr/bin/env bash
# Hostile router advertisements (tests/lab/ra-hostile.py) towards an uplink
# that connd runs with IPv6 auto, beside a good router (fe80::1: the prefix
# 2001:db8:51::/64, RDNSS 2001:db8:51::53, DNSSL lab): PIOs of /0 (the
# kernel's on-link default route from it removed by connd) and /128,
# preferred > valid, router lifetime 0, 1000 prefixes, RDNSS and DNSSL with
# bad lengths, 89 servers in one RA and 1000 over 125 RAs, an RA from a
# global source and one with hop limit 64. Each leaves nothing wrong in the
# kernel or the service, the ones connd sees are logged, and the good
# router's address, route and nameservers stay.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
lab_isp isp eth0 10.51.0.1/24 --no-dhcp
# One source per router: the good one and each hostile one apart.
for a in fe80::1/64 fe80::b1/64 fe80::b2/64 fe80::b3/64 fe80::b4/64 fe80::b5/64 fe80::b6/64 \
	fe80::b7/64 fe80::b9/64 2001:db8:99::bad/128; do
	lab_exec isp ip -6 addr add "$a" dev eth0 nodad
done
ra() { ip netns exec "$(lab_nsname isp)" "$LAB_PY" "$LAB_REPO/tests/lab/ra-hostile.py" eth0 "$@"; }
ra fe80::1 good >"$LAB_DIR/good.log" 2>&1 &
lab_defer "kill $!"
lab_wait 5 grep -q ready "$LAB_DIR/good.log"
lab_dbus
lab_connd dev up0
svc=$(lab_service dev up0)
dev=$(lab_nsname dev)
log="$LAB_DIR/connd-dev.log"
globals() { ip -n "$dev" -6 -o addr show up0 scope global | awk '{print $4}'; }
routes() { ip -n "$dev" -6 route show dev up0; }
props() { lab_connmanctl services "$svc"; }
# The service's Nameservers, one a line.
servers() { props | sed -n 's/^  Nameservers = \[ \(.*\) \]$/\1/p' | tr -d ' ' | tr ',' '\n'; }
good_state() {
	globals | grep -q '^2001:db8:51:0:' &&
		[ "$(ip -n "$dev" -6 route show default | awk '$2 == "via" {print $3}')" = fe80::1 ] &&
		servers | grep -qx 2001:db8:51::53 && props | grep -qxF '  Domains = [ lab ]'
}
export -f globals routes props servers good_state; export dev svc

check_wait "the good router: address, default route, nameserver, domain" 30 good_state

ra fe80::b1 prefix0 >/dev/null
sleep 0.5
check "PIO ::/0: no address from it" bash -c "! globals | grep -qv '^2001:db8:51:0:'"
# The kernel makes it an on-link default route before the router's: connd
# removes it.
check_wait "PIO ::/0: its on-link default route removed, logged" 5 bash -c \
	"grep -q 'up0: router advertisement with prefix ::/0: its on-link default route removed' $log &&
	 ! routes | grep -q '^default proto kernel'"
ra fe80::b2 prefix128 >/dev/null
sleep 0.5
check "PIO /128: no SLAAC address in it" bash -c "! globals | grep -q '^2001:db8:51:128:'"
ra fe80::b3 preferred >/dev/null
sleep 0.5
check "PIO with preferred > valid: ignored" bash -c "! globals | grep -q '^2001:db8:51:2:' && ! routes | grep -q '^2001:db8:51:2::/64'"
ra fe80::b4 lifetime0 >/dev/null
sleep 0.5
check "router lifetime 0: no default route through it" \
	bash -c "! ip -n $dev -6 route show default | grep -q fe80::b4"
ra fe80::b5 prefixes >/dev/null
sleep 1
n=$(globals | grep -c '^2001:db8:100:')
max=$(ip netns exec "$dev" sysctl -n net.ipv6.conf.up0.max_addresses)
check "1000 prefixes: no more SLAAC addresses than max_addresses ($n <= $max)" test "$n" -le "$max"
ra fe80::b6 options >/dev/null
check_wait "RDNSS/DNSSL with bad lengths or names: logged" 5 \
	grep -q 'up0: router advertisement option malformed' "$log"
ra fe80::b7 rdnss-many >/dev/null
check_wait "89 servers in one RA: logged" 5 \
	grep -q 'up0: router advertisement names more than 8 nameservers' "$log"
ra fe80::b7 rdnss1000 >/dev/null
check_wait "1000 servers over 125 RAs: logged" 5 \
	grep -q 'up0: router advertisements name more than 8 nameservers or 8 domains' "$log"
sleep 1
n=$(servers | wc -l)
check "at most 8 nameservers in the service ($n)" test "$n" -le 8
check "none from the bad options" bash -c "! servers | grep -qE '2001:db8:51::a[12]'"
check "resolv.conf: at most 3 nameservers" \
	bash -c "[ \$(grep -c '^nameserver' $LAB_DIR/resolv-dev.conf) -le 3 ]"
ra 2001:db8:99::bad offlink >/dev/null
check_wait "an RA from a global source: logged" 5 \
	grep -q 'up0: router advertisement from 2001:db8:99::bad ignored: source not link-local' "$log"
ra fe80::b9 hop64 >/dev/null
check_wait "an RA with hop limit 64: logged" 5 \
	grep -q 'up0: router advertisement from fe80::b9 ignored: hop limit not 255' "$log"
check "neither taken by the kernel" \
	bash -c "! globals | grep -qE '^2001:db8:51:(9|a):' && ! ip -n $dev -6 route show default | grep -qE 'fe80::b9|2001:db8:99'"
check "connd alive" kill -0 "$LAB_CONND_PID"
check_wait "the good router's address, route, nameserver and domain still there" 20 good_state
check_wait "the service is up" 20 service_state dev up0 'ready|online'
check "connd stops cleanly" lab_connd_stop
lab_done
