#!/usr/bin/env bash
# An IPv6-only network: no DHCPv4 server, router advertisements with RDNSS.
# The service comes up on IPv6 alone and goes online by the IPv6 check
# (AAAA through the router's RDNSS, HTTP over IPv6), names resolve through
# the proxy over IPv6, DHCP giving up is no failure (a link-local IPv4
# address comes meanwhile, which does not take the online check from IPv6);
# without IPv6 the link-local address keeps it ready, with IPv6 back it is
# online again. A service with IPv4 off on a dual-stack network is online on
# IPv6 too.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
lab_isp isp eth0 10.44.0.1/24 --no-dhcp --ipv6=2001:db8:44::1/64
lab_dbus
lab_connd dev up0
svc=$(lab_service dev up0)
dev=$(lab_nsname dev)
props() { lab_connmanctl services "$svc"; }
state_is() { props | grep -qx "  State = $1"; }
export -f props state_is; export svc

check_wait "up on IPv6 alone, and online by the IPv6 check" 20 state_is online
check "the check came over IPv6 from the service's address" \
	grep -qE '^2001:db8:44:[0-9a-f:]+ "GET /online/status.html' "$LAB_DIR/http6-isp-eth0.log"
check "with an IPv6 address and no IPv4" \
	bash -c "props | grep -q '  IPv6 = \[ Method=auto, Address=2001:db8:44:' && props | grep -qF '  IPv4 = [  ]'"
check "the manager is online too" bash -c "lab_connmanctl state | grep -q 'State = online'"
check "the router's RDNSS is the only nameserver" bash -c "props | grep -qE '  Nameservers = \[ fe80::[0-9a-f:]+%up0 \]'"
check "names resolve through the proxy over IPv6" \
	bash -c "[ \"\$(ip netns exec $dev dig +short +time=2 +tries=2 @127.0.0.1 isp.lab)\" = 10.44.0.1 ]"
check_wait "DHCP gives up (after ~8 s) and logs it" 20 grep -q "no DHCP server" "$LAB_DIR/connd-dev.log"
check "which is no failure" bash -c "state_is online && ! props | grep -q '  Error = '"

check_wait "meanwhile an IPv4 link-local address, as DHCP found no server" 20 \
	bash -c "props | grep -q '  IPv4 = \[ Method=auto, Address=169\.254\.'"
check "online still by the IPv6 check" state_is online
lab_connmanctl config "$svc" --ipv6 off >/dev/null
check_wait "IPv6 off: only the link-local IPv4 is left, ready" 20 state_is ready
lab_connmanctl config "$svc" --ipv6 auto >/dev/null
check_wait "IPv6 back: online again" 20 state_is online
check "connd stops cleanly" lab_connd_stop

# Dual stack whose IPv4 check fails (nothing answers on its port): both
# families are checked, as ConnMan does, and IPv6's success is enough; the
# service drops to ready only when IPv6 goes too. Then IPv4 switched off by
# the user; the IPv6 check URL names its server by an IPv6 literal this time.
sed -i 's|^OnlineCheckIPv6URL = .*|OnlineCheckIPv6URL = http://[2001:db8:45::1]:80/online/status.html|
	s|^OnlineCheckIPv4URL = .*|OnlineCheckIPv4URL = http://10.45.0.1:81/online/status.html|' \
	"$LAB_DIR/main.conf"
lab_ns isp2; lab_ns dev2
lab_link isp2 eth0 dev2 up1
lab_isp isp2 eth0 10.45.0.1/24 --ipv6=2001:db8:45::1/64
lab_connd dev2 up1
svc2=$(lab_service dev2 up1)
check_wait "dual stack, IPv4's check failing: online" 20 service_state dev2 up1 online
check "the log says the IPv6 check made it online" \
	grep -q "$svc2: online by the IPv6 check" "$LAB_DIR/connd-dev2.log"
lab_connmanctl config "$svc2" --ipv6 off >/dev/null
check_wait "IPv6 off, IPv4's check failing: ready" 20 service_state dev2 up1 ready
lab_connmanctl config "$svc2" --ipv6 auto >/dev/null
check_wait "IPv6 back: online again" 20 service_state dev2 up1 online
lab_connmanctl config "$svc2" --ipv4 off >/dev/null
check_wait "IPv4 off: still online, on IPv6" 20 \
	bash -c "lab_connmanctl services $svc2 | grep -qx '  State = online' &&
		 lab_connmanctl services $svc2 | grep -qF '  IPv4 = [  ]'"
check "no IPv4 address left on the link" test -z "$(ip -n "$(lab_nsname dev2)" -4 -o addr show up1)"
check "the check went to the literal's server" grep -q 'GET /online/status.html' "$LAB_DIR/http6-isp2-eth0.log"
check "connd stops cleanly" lab_connd_stop "$LAB_CONND_PID" dev2
lab_done
