#!/usr/bin/env bash
# IPv6 by SLAAC from the ISP's router advertisements: the service shows the
# kernel's address and router as ConnMan does, privacy addresses on request,
# IPv6 off while disconnected or configured off (and kept off across a
# restart), bad IPv6.Configuration refused, and the link's own settings put
# back when connd stops.
. "$(dirname "$0")/../lab/lab.sh"
lab_require_root
lab_init
lab_ns isp; lab_ns dev
lab_link isp eth0 dev up0
lab_isp isp eth0 10.41.0.1/24 --ipv6=2001:db8:41::1/64
lab_dbus
dev=$(lab_nsname dev)
sysctls() { ip netns exec "$dev" sysctl -n net.ipv6.conf.up0.{disable_ipv6,accept_ra,autoconf,use_tempaddr} | tr '\n' ' '; }
before=$(sysctls)
lab_connd dev up0
svc=$(lab_service dev up0)
router=$(lab_exec isp ip -6 -o addr show eth0 scope link | awk '{print $4}'); router=${router%/*}
ipv6() { lab_connmanctl services "$svc" | grep '^  IPv6 = '; }
globals() { ip -n "$dev" -6 -o addr show up0 scope global | awk '{print $4}'; }
export -f ipv6 globals; export svc dev

check_wait "online" 20 service_state dev up0 online
check_wait "IPv6 by SLAAC: address in the ISP's prefix, router as gateway" 15 \
	bash -c "ipv6 | grep -q 'Method=auto, Address=2001:db8:41:0:[0-9a-f:]*, PrefixLength=64, Gateway=$router, Privacy=disabled'"
addr=$(ipv6 | sed -n 's/.*Address=\([^,]*\),.*/\1/p')
check "the shown address is the kernel's" bash -c "globals | grep -qx '$addr/64'"
check "IPv6 reaches the ISP" ip netns exec "$dev" ping -6 -c 1 -W 3 2001:db8:41::1

props() { lab_connmanctl services "$svc"; }
export -f props; export router
check_wait "the router's RDNSS is a nameserver, after DHCP's" 10 \
	bash -c "props | grep -qF 'Nameservers = [ 10.41.0.1, '\$router'%up0 ]'"
check "its DNSSL is a search domain, after DHCP's" bash -c "props | grep -qF 'Domains = [ isp.lab, v6.isp.lab ]'"
lab_connmanctl config "$svc" --ipv4 manual 10.41.0.7 255.255.255.0 10.41.0.1 >/dev/null
check_wait "manual IPv4 without nameservers: the RDNSS one is left" 10 \
	bash -c "props | grep -qF 'Nameservers = [ '\$router'%up0 ]'"
check "the proxy resolves through it" \
	bash -c "[ \"\$(ip netns exec $dev dig +short +time=2 +tries=2 @127.0.0.1 isp.lab)\" = 10.41.0.1 ]"
check "the ISP got the query over IPv6" grep -q "query\[A\] isp.lab from fe80::" "$LAB_DIR/dnsmasq-isp-eth0.log"
lab_connmanctl config "$svc" --ipv4 dhcp >/dev/null
check_wait "back to DHCP: online" 20 service_state dev up0 online

lab_connmanctl config "$svc" --ipv6 auto preferred >/dev/null
check_wait "privacy preferred: a temporary address is the one shown" 15 \
	bash -c "a=\$(ipv6 | sed -n 's/.*Address=\([^,]*\),.*/\1/p'); [ -n \"\$a\" ] &&
		ip -n $dev -6 addr show up0 temporary | grep -q \"\$a/64\" && ipv6 | grep -q Privacy=prefered"

lab_connmanctl disconnect "$svc" >/dev/null
check_wait "disconnected: no IPv6 on the link" 10 bash -c "[ -z \"\$(globals)\" ] && ipv6 | grep -q '\[  \]'"
lab_connmanctl connect "$svc" >/dev/null
check_wait "connected again: IPv6 back" 15 bash -c "ipv6 | grep -q 'Address=2001:db8:41:'"

lab_connmanctl config "$svc" --ipv6 off >/dev/null
check_wait "IPv6 off: no address, an empty IPv6" 10 bash -c "[ -z \"\$(globals)\" ] && ipv6 | grep -q '\[  \]'"
check "and IPv4 untouched" service_state dev up0 online
check "the RDNSS nameserver and DNSSL domain went with IPv6" \
	bash -c "props | grep -qF 'Nameservers = [ 10.41.0.1 ]' && props | grep -qF 'Domains = [ isp.lab ]'"
check "off is saved" grep -qx 'IPv6.method=off' "$LAB_DIR/state-dev/$svc/settings"
check "connd stops cleanly" lab_connd_stop
check "the link's IPv6 settings are as before connd" test "$(sysctls)" = "$before"
lab_connd dev up0
check_wait "after a restart: online" 20 service_state dev up0 online
# A call without Privacy resets it, as ConnMan does.
check "still off after the restart" bash -c "lab_connmanctl services $svc | grep -q 'IPv6.Configuration = \[ Method=off, Privacy=disabled \]'"
sleep 2
check "and no IPv6 address" test -z "$(globals)"

check "bad IPv6.Configuration refused, nothing changed" \
	lab_exec dev "$LAB_PY" "$LAB_REPO/tests/net/ipv6_config.py" up0
CONNCTL=$LAB_BUILD/client/connctl
connctl() { ip netns exec "$dev" "$CONNCTL" "$@"; }
export CONNCTL; export -f connctl
check "connctl sets it back to auto" connctl config "$svc" --ipv6 auto disabled
check_wait "back to auto: the stable address again" 15 bash -c "ipv6 | grep -q 'Address=$addr,'"
check "connctl shows IPv6 as connmanctl does" \
	bash -c "[ \"\$(connctl services $svc | grep '^  IPv6 = ')\" = \"\$(ipv6)\" ]"
check "connctl passes the daemon's refusal on" \
	bash -c "out=\$(connctl config $svc --ipv6 manual 2001:db8:41::5 0 2>&1); [ \$? -ne 0 ] && grep -q 'PrefixLength must be' <<<\"\$out\""
check "connd stops cleanly" lab_connd_stop
check "the link's IPv6 settings are as before connd again" test "$(sysctls)" = "$before"
lab_done
